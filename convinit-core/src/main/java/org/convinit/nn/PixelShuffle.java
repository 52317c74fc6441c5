package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/** {@code torch.nn.PixelShuffle(upscale_factor)}: Rearranges [*, C·r², H, W] into [*, C, H·r, W·r] (Shi et al. 2016); no parameters. See {@link F#pixelShuffle}. */
public final class PixelShuffle extends Module {
    private final int upscaleFactor;

    public PixelShuffle(int upscaleFactor) {
        if (upscaleFactor <= 0) throw new IllegalArgumentException("PixelShuffle: upscale_factor = " + upscaleFactor + ": expected a positive integer");
        this.upscaleFactor = upscaleFactor;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.pixelShuffle(input, upscaleFactor);
    }

    @Override
    protected String extraRepr() {
        return "upscale_factor=" + upscaleFactor;
    }
}
