package org.convinit.nn;

/** {@code torch.nn.MaxPool2d}: input {@code [N, C, H, W]} or unbatched {@code [C, H, W]} (see {@link MaxPoolNd}). */
public final class MaxPool2d extends MaxPoolNd {

    /** {@code nn.MaxPool2d(k)}: stride k, no padding. */
    public MaxPool2d(int kernelSize) {
        this(new int[] {kernelSize}, PoolOptions.DEFAULT);
    }

    public MaxPool2d(int kernelSize, PoolOptions options) {
        this(new int[] {kernelSize}, options);
    }

    /** {@code kernelSize} has one value (the same in every dim) or 2. */
    public MaxPool2d(int[] kernelSize, PoolOptions options) {
        super(2, kernelSize, options);
    }
}
