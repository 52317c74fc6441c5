package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.ChannelShuffle(groups)}: channels {@code [g·c]} reordered as {@code c × g} (ShuffleNet). */
public final class ChannelShuffle extends Module {
    private final int groups;

    public ChannelShuffle(int groups) {
        if (groups <= 0) throw new IllegalArgumentException("ChannelShuffle: groups=" + groups + " must be positive");
        this.groups = groups;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.channelShuffle(input, groups);
    }

    @Override
    protected String extraRepr() {
        return "groups=" + groups;
    }
}
