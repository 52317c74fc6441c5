package org.convinit.nn;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * {@code torch.nn.ConvTranspose2d}: weight {@code [in, out/groups, kH, kW]}, bias {@code [out]}, default
 * init U(-1/√fan, 1/√fan) for both with torch's {@code fan_in = weight.size(1)·∏k = (out/groups)·kH·kW}
 * (see {@link ConvNd}). Input {@code [N, C, H, W]} or unbatched {@code [C, H, W]}; output size per
 * spatial dim {@code (in - 1)·stride - 2·padding + dilation·(k-1) + output_padding + 1}. Only
 * {@code padding_mode='zeros'} and explicit padding are accepted, as in torch.
 */
public final class ConvTranspose2d extends ConvNd {

    /** {@code nn.ConvTranspose2d(in, out, k)}: the same kernel size in every dim, default options. */
    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.DEFAULT);
    }

    public ConvTranspose2d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 2. */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        this(inChannels, outChannels, kernelSize, options, DType.FLOAT32, null);
    }

    /** Full form: dtype float32 or float64, and the generator to draw the default init from (null: default). */
    public ConvTranspose2d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, DType dtype, Generator generator) {
        super(2, true, inChannels, outChannels, kernelSize, options, dtype, generator);
    }
}
