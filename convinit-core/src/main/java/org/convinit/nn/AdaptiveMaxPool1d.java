package org.convinit.nn;

/** {@code torch.nn.AdaptiveMaxPool1d(output_size)}: adaptive max pooling over the last 1 dim(s) (see {@link AdaptivePoolNd}). */
public final class AdaptiveMaxPool1d extends AdaptivePoolNd {
    /** One size, or one per dim; null entries keep the input's size. */
    public AdaptiveMaxPool1d(Integer... outputSize) {
        super(1, true, outputSize);
    }
}
