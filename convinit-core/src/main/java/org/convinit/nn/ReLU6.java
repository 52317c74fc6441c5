package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.ReLU6}: {@code min(max(0, x), 6)} elementwise. */
public final class ReLU6 extends Module {
    @Override
    public Tensor forward(Tensor input) {
        return F.relu6(input);
    }
}
