package org.convinit.nn;

/** {@code torch.nn.AdaptiveMaxPool2d(output_size)}: adaptive max pooling over the last 2 dim(s) (see {@link AdaptivePoolNd}). */
public final class AdaptiveMaxPool2d extends AdaptivePoolNd {
    /** One size, or one per dim; null entries keep the input's size. */
    public AdaptiveMaxPool2d(Integer... outputSize) {
        super(2, true, outputSize);
    }
}
