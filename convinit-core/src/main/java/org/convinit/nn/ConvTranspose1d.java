package org.convinit.nn;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * {@code torch.nn.ConvTranspose1d}: weight {@code [in, out/groups, kL]}, bias {@code [out]}, default
 * init U(-1/√fan, 1/√fan) for both with torch's {@code fan_in = weight.size(1)·∏k = (out/groups)·kL}
 * (see {@link ConvNd}). Input {@code [N, C, L]} or unbatched {@code [C, L]}; output size per
 * spatial dim {@code (in - 1)·stride - 2·padding + dilation·(k-1) + output_padding + 1}. Only
 * {@code padding_mode='zeros'} and explicit padding are accepted, as in torch.
 */
public final class ConvTranspose1d extends ConvNd {

    /** {@code nn.ConvTranspose1d(in, out, k)}: the same kernel size in every dim, default options. */
    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.DEFAULT);
    }

    public ConvTranspose1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 1. */
    public ConvTranspose1d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        this(inChannels, outChannels, kernelSize, options, DType.FLOAT32, null);
    }

    /** Full form: dtype float32 or float64, and the generator to draw the default init from (null: default). */
    public ConvTranspose1d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, DType dtype, Generator generator) {
        super(1, true, inChannels, outChannels, kernelSize, options, dtype, generator);
    }
}
