package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.PixelUnshuffle(downscale_factor)}: The inverse of PixelShuffle: [*, C, H·r, W·r] into [*, C·r², H, W]; no parameters. See {@link F#pixelUnshuffle}. */
public final class PixelUnshuffle extends Module {
    private final int downscaleFactor;

    public PixelUnshuffle(int downscaleFactor) {
        if (downscaleFactor <= 0) throw new IllegalArgumentException("PixelUnshuffle: downscale_factor = " + downscaleFactor + ": expected a positive integer");
        this.downscaleFactor = downscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.pixelUnshuffle(input, downscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "downscale_factor=" + downscaleFactor;
    }
}
