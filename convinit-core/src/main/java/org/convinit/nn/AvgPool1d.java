package org.convinit.nn;

/** {@code torch.nn.AvgPool1d}: input {@code [N, C, L]} or unbatched {@code [C, L]} (see {@link AvgPoolNd}). */
public final class AvgPool1d extends AvgPoolNd {

    /** {@code nn.AvgPool1d(k)}: stride k, no padding. */
    public AvgPool1d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public AvgPool1d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 1. */
    public AvgPool1d(int[] kernelSize, PoolOptions options) {
        super(1, kernelSize, options);
    }
}
