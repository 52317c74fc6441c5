package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Hardswish}: {@code x·ReLU6(x + 3)/6} elementwise. */
public final class Hardswish extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.hardswish(input);
    }
}
