package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.ReLU}: max(0, x) elementwise (NaN propagates). */
public final class ReLU extends Module {
    private final boolean inplace;

    public ReLU() {
        this(false);
    }

    /**
     * With {@code inplace} (torch's {@code inplace=True}): in place ({@code relu_}: the input is overwritten and
     * returned; under autograd its history moves behind the new node, as torch).
     */
    public ReLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.relu(input, inplace);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
