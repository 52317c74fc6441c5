package org.convinit.nn;

/** {@code torch.nn.AvgPool3d}: input {@code [N, C, D, H, W]} or unbatched {@code [C, D, H, W]} (see {@link AvgPoolNd}). */
public final class AvgPool3d extends AvgPoolNd {

    /** {@code nn.AvgPool3d(k)}: stride k, no padding. */
    public AvgPool3d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public AvgPool3d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 3. */
    public AvgPool3d(int[] kernelSize, PoolOptions options) {
        super(3, kernelSize, options);
    }
}
