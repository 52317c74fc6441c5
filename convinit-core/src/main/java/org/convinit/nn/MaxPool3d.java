package org.convinit.nn;

/** {@code torch.nn.MaxPool3d}: input {@code [N, C, D, H, W]} or unbatched {@code [C, D, H, W]} (see {@link MaxPoolNd}). */
public final class MaxPool3d extends MaxPoolNd {

    /** {@code nn.MaxPool3d(k)}: stride k, no padding. */
    public MaxPool3d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public MaxPool3d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 3. */
    public MaxPool3d(int[] kernelSize, PoolOptions options) {
        super(3, kernelSize, options);
    }
}
