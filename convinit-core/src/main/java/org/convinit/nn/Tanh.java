package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Tanh}. */
public final class Tanh extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.tanh(input);
    }
}
