package org.convinit.nn.functional.internal;

import java.util.Arrays;

import org.convinit.nn.ConvPadding;
import org.convinit.nn.PaddingMode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The settings of a convolution, checked once and immutable: spatial dims, stride, padding before
 * and after each dim (or {@code 'same'}/{@code 'valid'}), dilation, groups, transposed or not and
 * its output padding. Built by a layer's constructor ({@link #layer}, messages naming the class as
 * torch's modules do) or by a functional call ({@link #function}, ATen's messages); {@link #bind}
 * checks tensors against them into a {@link ConvSpec}. Each message is written once, here or in
 * {@link ConvSpec}.
 */
public final class ConvParams {
    private final String op;
    private final int dims;
    private final boolean transposed;
    private final int[] stride;
    private final int[] padBefore;
    private final int[] padAfter;
    private final ConvPadding preset;
    private final int[] dilation;
    private final int[] outputPadding;
    private final int groups;
    /** The layer's kernel size and channels, or null/0 for a functional call. */
    private final int[] kernel;
    private final int inChannels;
    private final int outChannels;

    private ConvParams(int dims, boolean transposed, int[] stride, int[] padBefore, int[] padAfter, ConvPadding preset,
                       int[] dilation, int[] outputPadding, int groups, int[] kernel, int inChannels, int outChannels) {
        this.op = (transposed ? "conv_transpose" : "conv") + dims + "d";
        this.dims = dims;
        this.transposed = transposed;
        this.stride = stride;
        this.padBefore = padBefore;
        this.padAfter = padAfter;
        this.preset = preset;
        this.dilation = dilation;
        this.outputPadding = outputPadding;
        this.groups = groups;
        this.kernel = kernel;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
    }

    static ConvParams trusted(boolean transposed, int[] stride, int[] padBefore, int[] padAfter, int[] outputPadding, int[] dilation,
                              int groups) {
        return new ConvParams(stride.length, transposed, stride.clone(), padBefore.clone(), padAfter.clone(), null, dilation.clone(),
                outputPadding.clone(), groups, null, 0, 0);
    }

    /**
     * A functional call's settings ({@code F.conv*}, {@code F.conv_transpose*}, the kernels' entry):
     * each array holds one value for every spatial dim or one per dim; {@code preset} ('same' or
     * 'valid') replaces the explicit padding when not null.
     */
    public static ConvParams function(int dims, boolean transposed, int[] stride, int[] padBefore, int[] padAfter, ConvPadding preset,
                                      int[] outputPadding, int[] dilation, int groups) {
        String op = (transposed ? "conv_transpose" : "conv") + dims + "d";
        if (dims < 1) throw new IllegalArgumentException(op + ": expected at least one spatial dim");
        int[] s = expand(op, "stride", stride, dims);
        int[] pb = preset != null ? new int[dims] : expand(op, "padding", padBefore, dims);
        int[] pa = preset != null ? new int[dims] : expand(op, "padding", padAfter, dims);
        int[] op_ = expand(op, "output_padding", outputPadding, dims);
        int[] d = expand(op, "dilation", dilation, dims);
        for (int[] p : new int[][] {pb, pa}) {
            if (min(p) < 0) throw new IllegalArgumentException("negative padding is not supported (padding=" + Arrays.toString(p) + ")");
        }
        if (min(s) <= 0) throw new IllegalArgumentException("non-positive stride is not supported (stride=" + Arrays.toString(s) + ")");
        if (min(d) <= 0) throw new IllegalArgumentException("dilation should be greater than zero, but got " + Arrays.toString(d));
        if (groups <= 0) throw new IllegalArgumentException("non-positive groups is not supported (groups=" + groups + ")");
        if (min(op_) < 0) {
            throw new IllegalArgumentException("negative output_padding is not supported (output_padding=" + Arrays.toString(op_) + ")");
        }
        for (int i = 0; i < dims; i++) {
            if (op_[i] >= s[i] && op_[i] >= d[i]) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got output_padding="
                        + Arrays.toString(op_) + ", stride=" + Arrays.toString(s) + ", dilation=" + Arrays.toString(d));
            }
        }
        if (preset == ConvPadding.SAME && max(s) != 1) {
            throw new IllegalArgumentException("padding='same' is not supported for strided convolutions (stride=" + Arrays.toString(s) + ")");
        }
        return new ConvParams(dims, transposed, s, pb, pa, preset, d, op_, groups, null, 0, 0);
    }

    /**
     * A layer's settings, checked in its constructor with torch's module messages prefixed by the
     * class name {@code cls}. {@code preset} null means the explicit symmetric {@code padding}.
     */
    public static ConvParams layer(String cls, int dims, boolean transposed, int inChannels, int outChannels, int[] kernelSize,
                                   int[] stride, int[] padding, ConvPadding preset, int[] dilation, int[] outputPadding, int groups,
                                   PaddingMode mode, DType dtype) {
        int[] k = ntuple(cls, "kernel_size", kernelSize, dims);
        int[] s = ntuple(cls, "stride", stride, dims);
        int[] p = ntuple(cls, "padding", padding, dims);
        int[] d = ntuple(cls, "dilation", dilation, dims);
        int[] op = ntuple(cls, "output_padding", outputPadding, dims);
        String c = cls + ": ";
        if (inChannels <= 0) throw new IllegalArgumentException(c + "in_channels (" + inChannels + ") must be positive");
        if (outChannels <= 0) throw new IllegalArgumentException(c + "out_channels (" + outChannels + ") must be positive");
        if (groups <= 0) throw new IllegalArgumentException(c + "groups (" + groups + ") must be a positive integer");
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(c + "in_channels (" + inChannels + ") must be divisible by groups (" + groups + ")");
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException(c + "out_channels (" + outChannels + ") must be divisible by groups (" + groups + ")");
        }
        for (int[] v : new int[][] {k, s, d}) {
            if (min(v) <= 0) {
                String name = v == k ? "kernel_size" : v == s ? "stride" : "dilation";
                throw new IllegalArgumentException(c + name + "=" + Arrays.toString(v) + " must be positive");
            }
        }
        for (int[] v : new int[][] {p, op}) {
            if (min(v) < 0) {
                throw new IllegalArgumentException(c + (v == p ? "padding=" : "output_padding=") + Arrays.toString(v) + " must be non-negative");
            }
        }
        if (!transposed && max(op) != 0) throw new IllegalArgumentException(c + "output_padding is only for transposed convolutions");
        for (int i = 0; i < dims; i++) {
            if (op[i] != 0 && op[i] >= s[i] && op[i] >= d[i]) {
                throw new IllegalArgumentException(c + "output padding (" + op[i] + ") must be smaller than either stride (" + s[i]
                        + ") or dilation (" + d[i] + ") in dim " + i);
            }
        }
        if (transposed && preset != null) {
            throw new IllegalArgumentException(c + "padding='" + preset + "' is not supported for transposed convolutions");
        }
        if (preset == ConvPadding.SAME && max(s) != 1) {
            throw new IllegalArgumentException(c + "padding='same' is not supported for strided convolutions (stride=" + Arrays.toString(s) + ")");
        }
        if (transposed && mode != PaddingMode.ZEROS) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for " + cls + " (got padding_mode='" + mode + "')");
        }
        if (!dtype.isCompute()) throw new IllegalArgumentException(c + "dtype " + dtype + ": expected float32 or float64");
        int[] pb = preset == null ? p : new int[dims];
        int[] pa = pb.clone();
        if (preset == ConvPadding.SAME) {
            for (int i = 0; i < dims; i++) {
                int total = d[i] * (k[i] - 1);
                pb[i] = total / 2;
                pa[i] = total - pb[i];
            }
        }
        return new ConvParams(dims, transposed, s, pb, pa, null, d, op, groups, k, inChannels, outChannels);
    }

    /** Checks a convolution's tensors against these settings; {@code floatingOnly} for differentiable calls. */
    public ConvSpec bind(Tensor input, Tensor weight, Tensor bias, boolean floatingOnly) {
        return ConvSpec.bind(this, input, weight, bias, floatingOnly, outputPadding);
    }

    /**
     * A transposed layer's call with torch's {@code output_size}: checks it (the spatial sizes, or with
     * the leading batch/channel sizes) and binds with the output padding that gives it.
     */
    public ConvSpec bindOutputSize(String cls, Tensor input, Tensor weight, Tensor bias, int[] outputSize) {
        if (!transposed) throw new IllegalArgumentException(cls + ": output_size is only accepted by transposed convolutions");
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to " + op
                    + ", but got input of size: " + input.shape());
        }
        int lead = input.dim() - dims;
        int[] size = outputSize.length == lead + dims ? Arrays.copyOfRange(outputSize, lead, outputSize.length) : outputSize;
        if (size.length != dims) {
            throw new IllegalArgumentException(cls + ": for " + input.dim() + "D input, output_size must have " + dims + " or "
                    + (lead + dims) + " elements (got " + outputSize.length + ": " + Arrays.toString(outputSize) + ")");
        }
        int[] min = new int[dims];
        int[] max = new int[dims];
        int[] op = new int[dims];
        boolean bad = false;
        for (int d = 0; d < dims; d++) {
            min[d] = (input.size(lead + d) - 1) * stride[d] - padBefore[d] - padAfter[d] + dilation[d] * (kernel[d] - 1) + 1;
            max[d] = min[d] + stride[d] - 1;
            bad |= size[d] < min[d] || size[d] > max[d];
            op[d] = size[d] - min[d];
        }
        if (bad) {
            throw new IllegalArgumentException("requested an output size of " + Arrays.toString(size) + ", but valid sizes range from "
                    + Arrays.toString(min) + " to " + Arrays.toString(max) + " (for an input of "
                    + Arrays.toString(Arrays.copyOfRange(input.shape().toArray(), lead, input.dim())) + ")");
        }
        return ConvSpec.bind(this, input, weight, bias, true, op);
    }

    /** A layer's weight shape: {@code [out, in/groups, *k]}, transposed {@code [in, out/groups, *k]}. */
    public int[] weightShape() {
        int[] w = new int[dims + 2];
        w[0] = transposed ? inChannels : outChannels;
        w[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(kernel, 0, w, 2, dims);
        return w;
    }

    /**
     * torch's {@code _ntuple} in a layer's constructor: one value for every dim or exactly {@code n}
     * ({@code cls} prefixes the message unless null).
     */
    public static int[] ntuple(String cls, String name, int[] v, int n) {
        if (v.length == 1) return filled(n, v[0]);
        if (v.length != n) {
            throw new IllegalArgumentException((cls == null ? "" : cls + ": ") + name + "=" + Arrays.toString(v) + ": expected 1 or " + n
                    + " values");
        }
        return v.clone();
    }

    /** One value for every spatial dim, or exactly {@code dims} values, with ATen's message. */
    private static int[] expand(String op, String name, int[] v, int dims) {
        if (v.length == 1) return filled(dims, v[0]);
        if (v.length != dims) {
            throw new IllegalArgumentException(op + ": expected " + name + " to be a single integer value or a list of " + dims
                    + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
        }
        return v.clone();
    }

    private static int[] filled(int n, int v) {
        int[] out = new int[n];
        Arrays.fill(out, v);
        return out;
    }

    private static int min(int[] v) {
        return Arrays.stream(v).min().orElse(0);
    }

    private static int max(int[] v) {
        return Arrays.stream(v).max().orElse(0);
    }

    /** {@code conv2d} or {@code conv_transpose2d}: the name messages use. */
    public String op() {
        return op;
    }

    public int dims() {
        return dims;
    }

    public boolean transposed() {
        return transposed;
    }

    public int[] stride() {
        return stride.clone();
    }

    /** Padding before each spatial dim ('same' resolved for a layer; zeros until bound for a functional 'same'). */
    public int[] padBefore() {
        return padBefore.clone();
    }

    public int[] padAfter() {
        return padAfter.clone();
    }

    /** 'same' or 'valid' for a functional call that gave one; null otherwise. */
    public ConvPadding preset() {
        return preset;
    }

    public int[] dilation() {
        return dilation.clone();
    }

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    public int groups() {
        return groups;
    }

    /** A layer's kernel size (one per spatial dim); null for a functional call. */
    public int[] kernel() {
        return kernel == null ? null : kernel.clone();
    }

    @Override
    public String toString() {
        return op + "(stride=" + Arrays.toString(stride) + ", padding=" + (preset != null ? preset : Arrays.toString(padBefore) + "/"
                + Arrays.toString(padAfter)) + ", dilation=" + Arrays.toString(dilation) + ", groups=" + groups
                + (transposed ? ", output_padding=" + Arrays.toString(outputPadding) : "") + ")";
    }
}
