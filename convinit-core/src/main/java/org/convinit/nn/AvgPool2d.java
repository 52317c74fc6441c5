package org.convinit.nn;

/** {@code torch.nn.AvgPool2d}: input {@code [N, C, H, W]} or unbatched {@code [C, H, W]} (see {@link AvgPoolNd}). */
public final class AvgPool2d extends AvgPoolNd {

    /** {@code nn.AvgPool2d(k)}: stride k, no padding. */
    public AvgPool2d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public AvgPool2d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 2. */
    public AvgPool2d(int[] kernelSize, PoolOptions options) {
        super(2, kernelSize, options);
    }
}
