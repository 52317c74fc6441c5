package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.Flatten(start_dim=1, end_dim=-1)}: merges dims start..end (a view when possible). */
public final class Flatten extends Module {
    private final int startDim;
    private final int endDim;

    public Flatten() {
        this(1, -1);
    }

    public Flatten(int startDim, int endDim) {
        this.startDim = startDim;
        this.endDim = endDim;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.flatten(input, startDim, endDim);
    }

    @Override
    protected String extraRepr() {
        return "start_dim=" + startDim + ", end_dim=" + endDim;
    }
}
