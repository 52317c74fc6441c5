package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * torch's {@code _AvgPoolNd}: the mean over each window. The divisor is {@code divisor_override}
 * if set, else the window clipped to the padded input ({@code count_include_pad=True}) or the number
 * of real input cells in it. Padding may be at most half the kernel.
 */
public abstract class AvgPoolNd extends Module {
    private final int dims;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final Integer divisorOverride;

    protected AvgPoolNd(int dims, int[] kernelSize, PoolOptions o) {
        String cls = getClass().getSimpleName();
        this.dims = dims;
        this.kernelSize = kernelSize.clone();
        this.stride = o.stride() == null ? kernelSize.clone() : o.stride();
        this.padding = o.padding();
        this.ceilMode = o.ceilMode();
        this.countIncludePad = o.countIncludePad();
        this.divisorOverride = o.divisorOverride();
        for (int d : o.dilation()) {
            if (d != 1) throw new IllegalArgumentException(cls + ": average pooling has no dilation (got dilation=" + Repr.intOrTuple(o.dilation()) + ")");
        }
        if (dims == 1 && divisorOverride != null) {
            throw new IllegalArgumentException(cls + ": divisor_override is not an option of AvgPool1d");
        }
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException(cls + ": divisor_override must be non-zero");
        }
        int[] k = MaxPoolNd.check(cls, "kernel_size", this.kernelSize, dims, 1);
        MaxPoolNd.check(cls, "stride", this.stride, dims, 1);
        int[] p = MaxPoolNd.check(cls, "padding", this.padding, dims, 0);
        for (int i = 0; i < dims; i++) {
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException(cls + ": padding=" + Repr.intOrTuple(padding) + " must be at most half of kernel_size="
                        + Repr.intOrTuple(kernelSize) + " (pad " + p[i] + " > " + k[i] + " / 2 in dim " + i + ")");
            }
        }
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.avgPool(dims, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    @Override
    protected String extraRepr() {
        if (dims == 1) { // torch's AvgPool1d stores _single(...) tuples; the others keep what they were given
            return "kernel_size=" + ConvNd.tuple(kernelSize) + ", stride=" + ConvNd.tuple(stride) + ", padding=" + ConvNd.tuple(padding);
        }
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding);
    }
}
