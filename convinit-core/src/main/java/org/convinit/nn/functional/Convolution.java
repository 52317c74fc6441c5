package org.convinit.nn.functional;

import java.util.Arrays;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.nn.PaddingMode;
import org.convinit.tensor.Tensor;

/**
 * Argument checks of ATen's {@code _convolution} (with its message shapes, made clearer where they
 * were not) and dispatch to the kernels: {@link ConvKernels#conv} for convolutions,
 * {@link ConvKernels#convTranspose} for transposed ones. Inputs may be batched {@code [N, C, *S]} or unbatched
 * {@code [C, *S]}, as torch accepts. Both record their derivative for autograd (computed by the
 * reference {@link ConvBackward}), so the kernels themselves only run forward.
 */
final class Convolution {
    private Convolution() {}

    /** Convolution with explicit symmetric zero padding. */
    static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                       int groups) {
        String op = "conv" + dims + "d";
        Tensor x = checkCommon(op, dims, input, weight, bias);
        int[] s = expand(op, "stride", stride, dims);
        int[] p = expand(op, "padding", padding, dims);
        int[] d = expand(op, "dilation", dilation, dims);
        checkParams(op, s, p, d, groups);
        return run(op, dims, input, x, weight, bias, s, p, p.clone(), d, groups);
    }

    /** Convolution with {@code padding='same'} or {@code 'valid'}. */
    static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                       int groups) {
        String op = "conv" + dims + "d";
        if (!"same".equals(padding) && !"valid".equals(padding)) {
            throw new IllegalArgumentException("Invalid padding string: '" + padding + "', should be one of {'valid', 'same'}");
        }
        Tensor x = checkCommon(op, dims, input, weight, bias);
        int[] s = expand(op, "stride", stride, dims);
        int[] d = expand(op, "dilation", dilation, dims);
        checkParams(op, s, new int[dims], d, groups);
        int[] before = new int[dims];
        int[] after = new int[dims];
        if (padding.equals("same")) {
            if (Arrays.stream(s).anyMatch(v -> v != 1)) {
                throw new IllegalArgumentException("padding='same' is not supported for strided convolutions (stride="
                        + Arrays.toString(s) + ")");
            }
            for (int i = 0; i < dims; i++) {
                int total = d[i] * (weight.size(2 + i) - 1);
                before[i] = total / 2;
                after[i] = total - before[i];
            }
        }
        return run(op, dims, input, x, weight, bias, s, before, after, d, groups);
    }

    /** Convolution with per-side zero padding (as 'same' gives for even effective kernels). */
    static Tensor convPadded(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore,
                             int[] padAfter, int[] dilation, int groups) {
        String op = "conv" + dims + "d";
        Tensor x = checkCommon(op, dims, input, weight, bias);
        int[] s = expand(op, "stride", stride, dims);
        int[] pb = expand(op, "padding", padBefore, dims);
        int[] pa = expand(op, "padding", padAfter, dims);
        int[] d = expand(op, "dilation", dilation, dims);
        checkParams(op, s, pb, d, groups);
        checkParams(op, s, pa, d, groups);
        return run(op, dims, input, x, weight, bias, s, pb, pa, d, groups);
    }

    private static Tensor run(String op, int dims, Tensor input, Tensor x, Tensor weight, Tensor bias, int[] s,
                              int[] before, int[] after, int[] d, int groups) {
        checkGroups(weight, groups);
        int cg = weight.size(1);
        if (x.size(1) != cg * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + weight.shape() + ", expected input"
                    + x.shape() + " to have " + (cg * groups) + " channels, but got " + x.size(1) + " channels instead");
        }
        int o = weight.size(0);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("Given weight of size " + weight.shape() + ", expected bias to be 1-dimensional with "
                    + o + " elements, but got bias of size " + bias.shape() + " instead");
        }
        int[] padded = new int[dims];
        int[] span = new int[dims];
        boolean tooSmall = false;
        for (int i = 0; i < dims; i++) {
            padded[i] = x.size(2 + i) + before[i] + after[i];
            span[i] = d[i] * (weight.size(2 + i) - 1) + 1;
            if (padded[i] < span[i]) tooSmall = true;
        }
        if (tooSmall) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + Data.join(padded, " x ")
                    + "). Kernel size: (" + Data.join(span, " x ") + "). Kernel size can't be greater than actual input size");
        }
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = ConvKernels.conv(x.contiguous(), weight.contiguous(), bias == null ? null : bias.contiguous(), s, before, after,
                    d, groups);
        }
        int[] in = new int[dims];
        int[] k = new int[dims];
        int[] os = new int[dims];
        for (int i = 0; i < dims; i++) {
            in[i] = x.size(2 + i);
            k[i] = weight.size(2 + i);
            os[i] = out.size(2 + i);
        }
        // the derivative: on the fast kernels where covered (ConvBackward.gradsKernels), else GEMMs over the gather table
        out = Autograd.record(out, "ConvolutionBackward0", new Tensor[] {x, weight, bias}, new Tensor[] {x, weight},
                gy -> {
                    Tensor[] fast = ConvBackward.gradsKernels(x, weight, bias != null, gy, s, before, after, d, groups);
                    return fast != null ? fast : ConvBackward.gradsGemm(x, weight, bias != null, gy,
                            Conv.gatherIndex(in, k, os, s, before, d, PaddingMode.ZEROS), groups);
                });
        return input.dim() == dims + 2 ? out : out.squeeze(0);
    }

    /** Transposed convolution; {@code padding} is symmetric zero padding removed from the full output. */
    static Tensor convTranspose(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                int[] outputPadding, int[] dilation, int groups) {
        String op = "conv_transpose" + dims + "d";
        Tensor x = checkCommon(op, dims, input, weight, bias);
        int[] s = expand(op, "stride", stride, dims);
        int[] p = expand(op, "padding", padding, dims);
        int[] op_ = expand(op, "output_padding", outputPadding, dims);
        int[] d = expand(op, "dilation", dilation, dims);
        checkParams(op, s, p, d, groups);
        if (Arrays.stream(op_).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("negative output_padding is not supported (output_padding=" + Arrays.toString(op_) + ")");
        }
        checkGroups(weight, groups);
        if (x.size(1) != weight.size(0)) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape() + ", expected input" + x.shape()
                    + " to have " + weight.size(0) + " channels, but got " + x.size(1) + " channels instead");
        }
        int o = weight.size(1) * groups;
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape()
                    + ", expected bias to be 1-dimensional with " + o + " elements, but got bias of size " + bias.shape() + " instead");
        }
        for (int i = 0; i < dims; i++) {
            if (op_[i] >= s[i] && op_[i] >= d[i]) {
                throw new IllegalArgumentException("output padding must be smaller than either stride or dilation, but got output_padding="
                        + Arrays.toString(op_) + ", stride=" + Arrays.toString(s) + ", dilation=" + Arrays.toString(d));
            }
        }
        int[] in = new int[dims];
        long[] out = new long[dims];
        boolean tooSmall = false;
        for (int i = 0; i < dims; i++) {
            in[i] = x.size(2 + i);
            out[i] = ConvTranspose.outputSize(in[i], weight.size(2 + i), s[i], p[i], op_[i], d[i]);
            if (out[i] < 1) tooSmall = true;
        }
        if (tooSmall) {
            StringBuilder os = new StringBuilder();
            for (int i = 0; i < dims; i++) os.append(i > 0 ? " x " : "").append(out[i]);
            throw new IllegalArgumentException("Given input size per channel: (" + Data.join(in, " x ")
                    + "). Calculated output size per channel: (" + os + "). Output size is too small");
        }
        Tensor y;
        try (var g = GradMode.noGrad()) {
            y = transposedKernel(x.contiguous(), weight.contiguous(), bias == null ? null : bias.contiguous(), s, p, op_, d, groups);
        }
        y = Autograd.record(y, "ConvolutionBackward0", new Tensor[] {x, weight, bias}, new Tensor[] {x, weight},
                gy -> transposedGrads(x, weight, bias != null, gy, s, p, d, groups));
        return input.dim() == dims + 2 ? y : y.squeeze(0);
    }

    /**
     * Derivatives of the transposed convolution {@code y = convT(x, w)}, which is the adjoint of
     * {@code conv(·, w)}:
     * <ul>
     *   <li>{@code dx = conv(dy, w)} with the same stride, padding, dilation and groups (cropped to
     *       x's size: with {@code output_padding >= stride} the conv reaches one step further);</li>
     *   <li>{@code dw[c, o, k] = Σ x[n, c, i] · dy[n, g·O/G + o, i·stride - padding + k·dilation]}, i.e. the weight
     *       gradient of {@code conv(dy, w)} with {@code x} in the role of the output gradient;</li>
     *   <li>{@code db[o] = Σ dy[n, o, ...]}.</li>
     * </ul>
     */
    static Tensor[] transposedGrads(Tensor x, Tensor weight, boolean hasBias, Tensor gy, int[] s, int[] p, int[] d, int groups) {
        int dims = weight.dim() - 2;
        Tensor dy = gy.detach().contiguous();
        Tensor xd = x.detach().contiguous();
        Tensor wd = weight.detach().contiguous();
        int[] ySize = new int[dims];
        int[] xSize = new int[dims];
        int[] k = new int[dims];
        for (int i = 0; i < dims; i++) {
            ySize[i] = dy.size(2 + i);
            xSize[i] = xd.size(2 + i);
            k[i] = wd.size(2 + i);
        }
        try (var g = GradMode.noGrad()) {
            Tensor dx = ConvKernels.conv(dy, wd, null, s, p, p, d, groups);
            for (int i = 0; i < dims; i++) {
                if (dx.size(2 + i) != xSize[i]) dx = dx.narrow(2 + i, 0, xSize[i]);
            }
            int[][] gather = Conv.gatherIndex(ySize, k, xSize, s, p, d, PaddingMode.ZEROS);
            Tensor dw = ConvBackward.gradsGemm(dy, wd, false, xd, gather, groups)[1];
            Tensor db = hasBias ? ConvBackward.biasGrad(dy, weight.dtype()) : null;
            return new Tensor[] {dx.contiguous(), dw, db};
        }
    }

    /** The transposed kernel: the fast {@link ConvKernels#convTranspose} (checked against the reference {@link ConvTranspose}). */
    private static Tensor transposedKernel(Tensor x, Tensor weight, Tensor bias, int[] s, int[] p, int[] op, int[] d,
                                           int groups) {
        return ConvKernels.convTranspose(x, weight, bias, s, p, op, d, groups);
    }

    /** Rank and dtype checks shared by every form; returns the input with a batch dim. */
    private static Tensor checkCommon(String op, int dims, Tensor input, Tensor weight, Tensor bias) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to "
                    + op + ", but got input of size: " + input.shape());
        }
        if (weight.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (dims + 2) + "-dimensional weight, but got weight of size "
                    + weight.shape());
        }
        Data.requireFloating(op, "input", input);
        Data.requireSameDType(op, input, "weight", weight);
        Data.requireSameDType(op, input, "bias", bias);
        return input.dim() == dims + 2 ? input : input.unsqueeze(0);
    }

    private static void checkParams(String op, int[] s, int[] p, int[] d, int groups) {
        if (Arrays.stream(p).anyMatch(v -> v < 0)) {
            throw new IllegalArgumentException("negative padding is not supported (padding=" + Arrays.toString(p) + ")");
        }
        if (Arrays.stream(s).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("non-positive stride is not supported (stride=" + Arrays.toString(s) + ")");
        }
        if (Arrays.stream(d).anyMatch(v -> v <= 0)) {
            throw new IllegalArgumentException("dilation should be greater than zero, but got " + Arrays.toString(d));
        }
        if (groups <= 0) {
            throw new IllegalArgumentException("non-positive groups is not supported (groups=" + groups + ")");
        }
    }

    private static void checkGroups(Tensor weight, int groups) {
        if (weight.size(0) < groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be at least " + groups
                    + " at dimension 0, but got weight of size " + weight.shape() + " instead");
        }
        if (weight.size(0) % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + weight.shape() + " instead");
        }
    }

    /** One value for every spatial dim, or exactly {@code dims} values, with ATen's message. */
    static int[] expand(String op, String name, int[] v, int dims) {
        if (v.length == 1) {
            int[] out = new int[dims];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != dims) {
            throw new IllegalArgumentException(op + ": expected " + name + " to be a single integer value or a list of " + dims
                    + " values to match the convolution dimensions, but got " + name + "=" + Arrays.toString(v));
        }
        return v.clone();
    }
}
