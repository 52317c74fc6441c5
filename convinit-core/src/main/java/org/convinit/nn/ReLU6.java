package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.ReLU6}: {@code min(max(0, x), 6)} elementwise. */
public final class ReLU6 extends Module {
    private final boolean inplace;

    public ReLU6() {
        this(false);
    }

    /** With {@code inplace} (torch's {@code inplace=True}): in place ({@code hardtanh_}, as {@link ReLU}). */
    public ReLU6(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu6(input, inplace);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
