package org.convinit.nn;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * {@code torch.nn.Conv1d}: weight {@code [out, in/groups, kL]}, bias {@code [out]}, default
 * init U(-1/√fan_in, 1/√fan_in) for both with {@code fan_in = (in/groups)·kL} (see {@link ConvNd}).
 * Input {@code [N, C, L]} or unbatched {@code [C, L]}; output size per spatial dim
 * {@code floor((in + padBefore + padAfter - dilation·(k-1) - 1) / stride) + 1}.
 */
public final class Conv1d extends ConvNd {

    /** {@code nn.Conv1d(in, out, k)}: the same kernel size in every dim, default options. */
    public Conv1d(int inChannels, int outChannels, int kernelSize) {
        this(inChannels, outChannels, new int[] {kernelSize}, ConvOptions.DEFAULT);
    }

    public Conv1d(int inChannels, int outChannels, int kernelSize, ConvOptions options) {
        this(inChannels, outChannels, new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 1. */
    public Conv1d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options) {
        this(inChannels, outChannels, kernelSize, options, DType.FLOAT32, null);
    }

    /** Full form: dtype float32 or float64, and the generator to draw the default init from (null: default). */
    public Conv1d(int inChannels, int outChannels, int[] kernelSize, ConvOptions options, DType dtype, Generator generator) {
        super(1, false, inChannels, outChannels, kernelSize, options, dtype, generator);
    }
}
