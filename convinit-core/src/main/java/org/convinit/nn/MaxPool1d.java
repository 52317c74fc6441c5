package org.convinit.nn;

/** {@code torch.nn.MaxPool1d}: input {@code [N, C, L]} or unbatched {@code [C, L]} (see {@link MaxPoolNd}). */
public final class MaxPool1d extends MaxPoolNd {

    /** {@code nn.MaxPool1d(k)}: stride k, no padding. */
    public MaxPool1d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public MaxPool1d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 1. */
    public MaxPool1d(int[] kernelSize, PoolOptions options) {
        super(1, kernelSize, options);
    }
}
