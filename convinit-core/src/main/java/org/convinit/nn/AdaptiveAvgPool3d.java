package org.convinit.nn;

/** {@code torch.nn.AdaptiveAvgPool3d(output_size)}: adaptive average pooling over the last 3 dim(s) (see {@link AdaptivePoolNd}). */
public final class AdaptiveAvgPool3d extends AdaptivePoolNd {
    /** One size, or one per dim; null entries keep the input's size. */
    public AdaptiveAvgPool3d(Integer... outputSize) {
        super(3, false, outputSize);
    }
}
