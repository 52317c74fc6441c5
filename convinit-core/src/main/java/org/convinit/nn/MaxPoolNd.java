package org.convinit.nn;

import java.util.Arrays;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * torch's {@code _MaxPoolNd}: the maximum over each (dilated) window; padding counts as -inf and
 * may be at most half the kernel; NaN propagates. Output size per dim
 * {@code floor_or_ceil((in + 2·padding - dilation·(k-1) - 1) / stride) + 1}.
 */
public abstract class MaxPoolNd extends Module {
    private final int dims;
    private final int[] kernelSize;
    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;

    protected MaxPoolNd(int dims, int[] kernelSize, PoolOptions o) {
        String cls = getClass().getSimpleName();
        this.dims = dims;
        this.kernelSize = kernelSize.clone();
        this.stride = o.stride() == null ? kernelSize.clone() : o.stride();
        this.padding = o.padding();
        this.dilation = o.dilation();
        this.ceilMode = o.ceilMode();
        if (!o.countIncludePad() || o.divisorOverride() != null) {
            throw new IllegalArgumentException(cls + ": count_include_pad and divisor_override are options of average pooling");
        }
        int[] k = check(cls, "kernel_size", this.kernelSize, dims, 1);
        check(cls, "stride", this.stride, dims, 1);
        check(cls, "dilation", this.dilation, dims, 1);
        int[] p = check(cls, "padding", this.padding, dims, 0);
        for (int i = 0; i < dims; i++) {
            if (p[i] > k[i] / 2) {
                throw new IllegalArgumentException(cls + ": padding=" + Repr.intOrTuple(padding) + " must be at most half of kernel_size="
                        + Repr.intOrTuple(kernelSize) + " (pad " + p[i] + " > " + k[i] + " / 2 in dim " + i + ")");
            }
        }
    }

    /** Expands to {@code dims} values and checks each is at least {@code min}. */
    static int[] check(String cls, String name, int[] v, int dims, int min) {
        int[] e;
        if (v.length == 1) {
            e = new int[dims];
            Arrays.fill(e, v[0]);
        } else if (v.length == dims) {
            e = v.clone();
        } else {
            throw new IllegalArgumentException(cls + ": " + name + "=" + Arrays.toString(v) + ": expected 1 or " + dims + " values");
        }
        for (int x : e) {
            if (x < min) {
                throw new IllegalArgumentException(cls + ": " + name + "=" + Repr.intOrTuple(v) + " must be "
                        + (min == 0 ? "non-negative" : "positive"));
            }
        }
        return e;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.maxPool(dims, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** torch's {@code return_indices=True}: {output, indices}, indices int64 into each plane's flattened spatial dims. */
    public Tensor[] forwardWithIndices(Tensor input) {
        return F.maxPoolWithIndices(dims, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    @Override
    protected String extraRepr() {
        return "kernel_size=" + Repr.intOrTuple(kernelSize) + ", stride=" + Repr.intOrTuple(stride) + ", padding="
                + Repr.intOrTuple(padding) + ", dilation=" + Repr.intOrTuple(dilation) + ", ceil_mode=" + Repr.pyBool(ceilMode);
    }
}
