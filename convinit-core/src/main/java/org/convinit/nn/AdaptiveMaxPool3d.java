package org.convinit.nn;

/** {@code torch.nn.AdaptiveMaxPool3d(output_size)}: adaptive max pooling over the last 3 dim(s) (see {@link AdaptivePoolNd}). */
public final class AdaptiveMaxPool3d extends AdaptivePoolNd {
    /** One size, or one per dim; null entries keep the input's size. */
    public AdaptiveMaxPool3d(Integer... outputSize) {
        super(3, true, outputSize);
    }
}
