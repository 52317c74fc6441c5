package org.convinit.lab.train;

import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The dtype a batch's images are given to a model in: the dtype of its first floating-point parameter, as a
 * PyTorch user writes {@code x = x.to(next(model.parameters()).dtype)} for a {@code model.double()}. Images are
 * float32; a float32 model (or one without parameters) takes them as they are.
 */
final class ModelInput {
    private ModelInput() {}

    static DType dtype(Module model) {
        for (Parameter p : model.parameters()) if (p.dtype().isFloatingPoint()) return p.dtype();
        return DType.FLOAT32;
    }

    /** {@code images} in {@link #dtype}: the same tensor when it already is. */
    static Tensor of(Module model, Tensor images) {
        return images.to(dtype(model));
    }
}
