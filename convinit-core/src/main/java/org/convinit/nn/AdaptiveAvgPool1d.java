package org.convinit.nn;

/** {@code torch.nn.AdaptiveAvgPool1d(output_size)}: adaptive average pooling over the last 1 dim(s) (see {@link AdaptivePoolNd}). */
public final class AdaptiveAvgPool1d extends AdaptivePoolNd {
    /** One size, or one per dim; null entries keep the input's size. */
    public AdaptiveAvgPool1d(Integer... outputSize) {
        super(1, false, outputSize);
    }
}
