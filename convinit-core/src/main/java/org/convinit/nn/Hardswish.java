package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Hardswish}: {@code x·ReLU6(x + 3)/6} elementwise. */
public final class Hardswish extends Module {
    private final boolean inplace;

    public Hardswish() {
        this(false);
    }

    /**
     * With {@code inplace} (torch's {@code inplace=True}): in place when no graph is recorded (its backward needs the
     * input: under autograd it runs out of place); torch prints no {@code inplace}.
     */
    public Hardswish(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.hardswish(input, inplace);
    }
}
