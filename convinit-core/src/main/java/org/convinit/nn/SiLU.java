package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.SiLU}: {@code x·σ(x)} elementwise (swish). */
public final class SiLU extends Module {
    private final boolean inplace;

    public SiLU() {
        this(false);
    }

    /** With {@code inplace} (torch's {@code inplace=True}): in place as {@link Hardswish}. */
    public SiLU(boolean inplace) {
        this.inplace = inplace;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.silu(input, inplace);
    }

    @Override
    protected String extraRepr() {
        return inplace ? "inplace=True" : "";
    }
}
