package org.convinit.nn.functional.kernels;

import org.convinit.autograd.ActivationBuffers;
import org.convinit.autograd.GradBuffers;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** A contiguous float32 tensor beside its storage array and the offset of its first element. */
final class Dense {
    final Tensor tensor;
    final float[] a;
    final int off;
    final int n;

    private Dense(Tensor t) {
        tensor = t;
        a = t.storage().floats();
        off = t.storageOffset();
        n = (int) t.numel();
    }

    /** {@code t}'s values, detached, as float32 and contiguous (no copy when they already are). */
    static Dense of(Tensor t) {
        return new Dense(t.detach().to(DType.FLOAT32).contiguous());
    }

    /** A gradient array for a backward that writes every element ({@link GradBuffers#empty}: reused from the last step). */
    static Dense grad(int... shape) {
        return new Dense(GradBuffers.empty(DType.FLOAT32, shape));
    }

    /** A zeroed gradient array for a backward that accumulates into it ({@link GradBuffers#zeros}). */
    static Dense zeroGrad(int... shape) {
        return new Dense(GradBuffers.zeros(DType.FLOAT32, shape));
    }

    /** A float32 tensor of this shape for an op's output that writes every element ({@link ActivationBuffers#empty}). */
    static Dense alloc(int... shape) {
        return new Dense(ActivationBuffers.empty(DType.FLOAT32, shape));
    }
}
