package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Sigmoid}: 1 / (1 + e^{-x}). */
public final class Sigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.sigmoid(input);
    }
}
