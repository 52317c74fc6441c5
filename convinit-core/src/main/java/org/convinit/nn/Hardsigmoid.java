package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Hardsigmoid}: {@code ReLU6(x + 3)/6} elementwise. */
public final class Hardsigmoid extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.hardsigmoid(input);
    }
}
