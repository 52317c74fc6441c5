package org.convinit.nn.functional.internal;

import java.util.Arrays;
import org.convinit.autograd.GradMode;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * The gradients of a convolution and of a transposed convolution, any groups and padding, on the
 * fast kernels ({@link FastConv}), for a {@link ConvSpec} already checked. Each gradient is itself a
 * convolution:
 * <ul>
 *   <li>conv {@code dX = conv_transpose(dY, W)} with the same stride, dilation and groups, the
 *       smaller side's padding and the output padding that reaches X's size, cropped to X (so
 *       asymmetric padding needs no special case);</li>
 *   <li>conv {@code dW}: a convolution of X with dY as the weight, stride and dilation exchanged,
 *       batch and channel dims swapped (per group: {@code X [C/G, G·N, *S]} with weight
 *       {@code dY [G·O/G, N, *S']}), cropped to the kernel size;</li>
 *   <li>transposed {@code dX = conv(dY, W)} cropped to X; transposed {@code dW} is conv's {@code dW}
 *       with dY as the input and X as the output gradient;</li>
 *   <li>{@code db[o] = Σ dY[n, o, ...]}.</li>
 * </ul>
 * Channel-wise convolutions (one input channel per group, small multiplier) take the direct
 * {@link DepthwiseBackward} loop instead of the first two; the convolutions {@link FastConv#usesWinograd} takes compute
 * dW by the same Winograd transforms ({@code FloatWinogradGrad}).
 * Checked against the gather-form reference ({@code reference.ReferenceConvBackward}) and torch.
 */
public final class FastConvBackward {
    private FastConvBackward() {}

    /**
     * {dX, dW, dB}, each null unless {@code needInput}, {@code needWeight}, {@code needBias}, for batched {@code x} and
     * output gradient {@code gy}. A frozen layer's dW is not computed (it costs about what dX costs), except on the
     * channel-wise path, which computes it in the same pass as dX and drops it.
     */
    public static Tensor[] grads(ConvSpec spec, Tensor x, Tensor weight, boolean needBias, Tensor gy, boolean needInput,
                                 boolean needWeight, boolean vector) {
        try (var g = GradMode.noGrad()) {
            Tensor xd = x.detach().contiguous();
            Tensor wd = weight.detach().contiguous();
            Tensor dy = gy.detach().contiguous();
            int[] s = spec.stride();
            int[] d = spec.dilation();
            int[] pb = spec.padBefore();
            int[] pa = spec.padAfter();
            Tensor dx;
            Tensor dw;
            if (spec.transposed()) {
                ConvSpec adjoint = ConvSpec.derived(false, s, pb, pa, new int[s.length], d, spec.groups(), dy.shape(), wd.shape());
                dx = needInput ? crop(FastConv.runBatched(adjoint, dy, wd, null, vector), xd.shape(), new int[s.length]) : null;
                dw = needWeight ? weightGrad(s, pb, pa, d, spec.groups(), dy, xd, wd.shape(), vector) : null;
            } else if (DepthwiseBackward.covers(spec, xd.dtype()) && dy.numel() > 0) {
                Tensor[] both = DepthwiseBackward.grads(spec, xd, wd, dy, needInput, vector);
                dx = both[0];
                dw = needWeight ? both[1] : null;
            } else {
                dx = needInput ? inputGrad(spec, dy, wd, vector) : null;
                if (!needWeight) dw = null;
                else if (FastConv.usesWinograd(spec) && dy.numel() > 0) dw = winogradWeightGrad(spec, xd, dy, vector);
                else dw = weightGrad(s, pb, pa, d, spec.groups(), xd, dy, wd.shape(), vector);
            }
            return new Tensor[] {dx, dw, needBias ? biasGrad(dy) : null};
        }
    }

    /**
     * {@code dX = conv_transpose(dY, W)}, padded by {@code min(before, after)} and cropped to X; with
     * stride 1 (and padding within the kernel's span) the same sum as a plain convolution of dY with
     * the flipped, channel-swapped weight, which runs on the forward GEMM without a col2im pass.
     */
    private static Tensor inputGrad(ConvSpec spec, Tensor dy, Tensor w, boolean vector) {
        Tensor direct = inputGradStride1(spec, dy, w, vector);
        if (direct != null) return direct;
        int dims = spec.dims();
        int[] s = spec.stride();
        int[] d = spec.dilation();
        int[] pb = spec.padBefore();
        int[] pa = spec.padAfter();
        int[] p = new int[dims];
        int[] op = new int[dims];
        int[] start = new int[dims];
        for (int i = 0; i < dims; i++) {
            int in = spec.input().get(2 + i);
            int k = spec.weight().get(2 + i);
            int rest = (in + pb[i] + pa[i] - d[i] * (k - 1) - 1) % s[i];
            p[i] = Math.min(pb[i], pa[i]);
            op[i] = Math.max(0, rest - (pa[i] - p[i]));
            start[i] = pb[i] - p[i];
        }
        ConvSpec t = ConvSpec.derived(true, s, p, p, op, d, spec.groups(), dy.shape(), w.shape());
        return crop(FastConv.runBatched(t, dy, w, null, vector), spec.input(), start);
    }

    /**
     * Stride 1: {@code dX[i] = Σ_k dY[i + pb - k·d] · W[k]} is a convolution of dY, padded by
     * {@code (K-1)·d - pb} before and {@code (K-1)·d - pa} after, with {@code W'[c, o, K-1-k] = W[o, c, k]}
     * per group; null where that does not apply (a stride above 1, or padding beyond the kernel's span).
     */
    private static Tensor inputGradStride1(ConvSpec spec, Tensor dy, Tensor w, boolean vector) {
        int dims = spec.dims();
        int[] before = new int[dims];
        int[] after = new int[dims];
        for (int i = 0; i < dims; i++) {
            int span = spec.dilation()[i] * (spec.weight().get(2 + i) - 1);
            before[i] = span - spec.padBefore()[i];
            after[i] = span - spec.padAfter()[i];
            if (spec.stride()[i] != 1 || before[i] < 0 || after[i] < 0) return null;
        }
        if (w.dtype() != DType.FLOAT32 && w.dtype() != DType.FLOAT64) return null;
        int groups = spec.groups();
        int out = w.size(0);
        int cg = w.size(1);
        int og = out / groups;
        int kVol = (int) (w.numel() / Math.max(1, (long) out * cg));
        int[] shape = w.shape().toArray();
        shape[0] = groups * cg;
        shape[1] = og;
        Tensor wf = Tensor.empty(w.dtype(), shape);
        int w0 = w.storageOffset();
        Object src = w.dtype() == DType.FLOAT32 ? w.storage().floats() : w.storage().doubles();
        Object dst = w.dtype() == DType.FLOAT32 ? wf.storage().floats() : wf.storage().doubles();
        flipped(src, w0, dst, groups, cg, og, kVol);
        ConvSpec c = ConvSpec.derived(false, spec.stride(), before, after, new int[dims], spec.dilation(), groups, dy.shape(), wf.shape());
        boolean f32 = w.dtype() == DType.FLOAT32;
        if (FastConv.onKernels(dims, w.dtype()) && dy.numel() > 0
                && FloatNarrowConv.covers(cg)) {
            // few input channels (a first layer): dX has few channels, and the GEMM's tiles would mostly compute zero rows
            ConvGeometry geo = new ConvGeometry(dy.size(1), dims, ConvSpec.spatial(dy.shape()), ConvSpec.spatial(wf.shape()), c.stride(),
                    before, after, c.dilation());
            Tensor dx = Tensor.empty(w.dtype(), c.output().toArray());
            Tensor d = dy.contiguous();
            if (f32) {
                FloatNarrowConv.conv(Kernels.floats(vector), geo, d.size(0), groups, groups * cg, d.storage().floats(), d.storageOffset(),
                        wf.storage().floats(), 0, dx.storage().floats());
            } else {
                DoubleNarrowConv.conv(Kernels.doubles(vector), geo, d.size(0), groups, groups * cg, d.storage().doubles(), d.storageOffset(),
                        wf.storage().doubles(), 0, dx.storage().doubles());
            }
            return dx;
        }
        return FastConv.runBatched(c, dy, wf, null, vector);
    }

    /**
     * {@code W'[g·cg + c, o, K-1-k] = W[g·og + o, c, k]}, written in order. A method of its own: its loop made the
     * caller hot, and C2 then compiled the caller (with the convolution it calls inlined) on stack replacement and again.
     */
    private static void flipped(Object src, int w0, Object dst, int groups, int cg, int og, int kVol) {
        for (int g = 0, to = 0; g < groups; g++) {
            for (int c = 0; c < cg; c++) {
                for (int o = 0; o < og; o++, to += kVol) reversed(src, w0 + ((g * og + o) * cg + c) * kVol, dst, to, kVol);
            }
        }
    }

    /** {@code dst[d + len - 1 - i] = src[s + i]} for {@code i < len}; both float[] or both double[]. */
    private static void reversed(Object src, int s, Object dst, int d, int len) {
        if (src instanceof float[] f) {
            float[] t = (float[]) dst;
            for (int i = 0; i < len; i++) t[d + len - 1 - i] = f[s + i];
        } else {
            double[] f = (double[]) src;
            double[] t = (double[]) dst;
            for (int i = 0; i < len; i++) t[d + len - 1 - i] = f[s + i];
        }
    }

    /**
     * The weight gradient of {@code y = conv(x, w)} ({@code w} of shape {@code wShape}) given
     * {@code gy}: {@code dW[g·O/G + o, c, k] = Σ_{n,p} gy[n, g·O/G + o, p] · x[n, g·C/G + c, p·s - pb + k·d]}.
     */
    private static Tensor weightGrad(int[] s, int[] pb, int[] pa, int[] d, int groups, Tensor x, Tensor gy, Shape wShape,
                                     boolean vector) {
        int dims = s.length;
        int n = x.size(0);
        int cg = x.size(1) / groups;
        ConvGeometry geo = FastConv.onKernels(dims, x.dtype()) && gy.numel() > 0
                ? new ConvGeometry(x.size(1), dims, ConvSpec.spatial(x.shape()), ConvSpec.spatial(wShape), s, pb, pa, d) : null;
        if (geo != null && Arrays.equals(Arrays.copyOfRange(geo.out, 3 - dims, 3), ConvSpec.spatial(gy.shape()))) {
            // dW as dot products along the output positions (see FloatWeightGrad)
            Tensor gw = Tensor.empty(x.dtype(), wShape.toArray());
            if (x.dtype() == DType.FLOAT32) {
                FloatWeightGrad.weightGrad(Kernels.floats(vector), geo, n, groups, gy.size(1), x.storage().floats(), x.storageOffset(),
                        gy.storage().floats(), gy.storageOffset(), gw.storage().floats());
            } else {
                DoubleWeightGrad.weightGrad(Kernels.doubles(vector), geo, n, groups, gy.size(1), x.storage().doubles(), x.storageOffset(),
                        gy.storage().doubles(), gy.storageOffset(), gw.storage().doubles());
            }
            return gw;
        }
        int[] split = new int[dims + 3];
        int[] swap3 = new int[dims + 3];
        int[] joined = new int[dims + 2];
        int[] swap2 = new int[dims + 2];
        split[0] = n;
        split[1] = groups;
        split[2] = cg;
        joined[0] = cg;
        joined[1] = groups * n;
        swap3[0] = 2;
        swap3[1] = 1;
        swap3[2] = 0;
        swap2[0] = 1;
        swap2[1] = 0;
        for (int i = 0; i < dims; i++) {
            split[3 + i] = x.size(2 + i);
            joined[2 + i] = x.size(2 + i);
            swap3[3 + i] = 3 + i;
            swap2[2 + i] = 2 + i;
        }
        Tensor xt = x.reshape(split).permute(swap3).contiguous().reshape(joined);
        Tensor gt = gy.permute(swap2).contiguous();
        ConvSpec c = ConvSpec.derived(false, d, pb, pa, new int[dims], s, groups, xt.shape(), gt.shape());
        Tensor gw = FastConv.runBatched(c, xt, gt, null, vector);
        int[] cropped = wShape.toArray();
        cropped[0] = cg;
        cropped[1] = wShape.get(0);
        return crop(gw, Shape.of(cropped), new int[dims]).permute(swap2).contiguous();
    }

    /** The weight gradient of a convolution {@link FastConv#usesWinograd} takes, by the same transforms ({@code FloatWinogradGrad}). */
    private static Tensor winogradWeightGrad(ConvSpec spec, Tensor x, Tensor dy, boolean vector) {
        Tensor gw = Tensor.empty(x.dtype(), spec.weight().toArray());
        int[] pb = spec.padBefore();
        int n = x.size(0);
        int c = x.size(1);
        int o = dy.size(1);
        if (x.dtype() == DType.FLOAT32) {
            FloatWinogradGrad.weightGrad(Kernels.floats(vector), n, c, x.size(2), x.size(3), o, pb[0], pb[1], dy.size(2), dy.size(3),
                    x.storage().floats(), x.storageOffset(), dy.storage().floats(), dy.storageOffset(), gw.storage().floats());
        } else {
            DoubleWinogradGrad.weightGrad(Kernels.doubles(vector), n, c, x.size(2), x.size(3), o, pb[0], pb[1], dy.size(2), dy.size(3),
                    x.storage().doubles(), x.storageOffset(), dy.storage().doubles(), dy.storageOffset(), gw.storage().doubles());
        }
        return gw;
    }

    /** The spatial window of {@code t} of {@code shape}'s sizes from {@code start}, contiguous. */
    private static Tensor crop(Tensor t, Shape shape, int[] start) {
        for (int i = 0; i < start.length; i++) {
            if (t.size(2 + i) != shape.get(2 + i)) t = t.narrow(2 + i, start[i], shape.get(2 + i));
        }
        return t.contiguous();
    }

    /** Runs of planes the bias gradient's plane sums are split in over the workers. */
    private static final int BIAS_RUNS = 64;

    /** The bias gradient of any convolution: {@code dY [N, O, *S]} summed over batch and positions (in double), as {@code [O]}. */
    static Tensor biasGrad(Tensor gradOut) {
        DType dt = gradOut.dtype();
        Tensor g = dt == DType.FLOAT32 || dt == DType.FLOAT64 ? gradOut.contiguous() : gradOut.to(DType.FLOAT64).contiguous();
        int n = g.size(0);
        int o = g.size(1);
        int vol = (int) (g.numel() / Math.max(1, (long) n * o));
        boolean f32 = g.dtype() == DType.FLOAT32;
        float[] fs = f32 ? g.storage().floats() : null;
        double[] ds = f32 ? null : g.storage().doubles();
        int planes = n * o;
        int off = g.storageOffset();
        // each plane's sum on any worker (runs of planes, in memory order), then added per channel in image order as
        // before: the same bits at any thread count
        double[] ps = new double[planes];
        int runs = Math.min(planes, BIAS_RUNS);
        LayerKernels.forEach(runs, g.numel(), r -> {
            for (int pl = (int) ((long) planes * r / runs), end = (int) ((long) planes * (r + 1) / runs); pl < end; pl++) {
                ps[pl] = f32 ? sum(fs, off + pl * vol, vol) : sum(ds, off + pl * vol, vol);
            }
        });
        double[] b = new double[o];
        for (int pl = 0; pl < planes; pl++) b[pl % o] += ps[pl];
        return Tensor.of(b, o).to(dt);
    }

    /** {@code Σ a[from ..< from + len]} in double, in eight interleaved sums (eight add chains in flight, not one). */
    private static double sum(float[] a, int from, int len) {
        double s0 = 0, s1 = 0, s2 = 0, s3 = 0, s4 = 0, s5 = 0, s6 = 0, s7 = 0;
        int i = from;
        for (int end = from + len - 7; i < end; i += 8) {
            s0 += a[i];
            s1 += a[i + 1];
            s2 += a[i + 2];
            s3 += a[i + 3];
            s4 += a[i + 4];
            s5 += a[i + 5];
            s6 += a[i + 6];
            s7 += a[i + 7];
        }
        for (; i < from + len; i++) s0 += a[i];
        return ((s0 + s1) + (s2 + s3)) + ((s4 + s5) + (s6 + s7));
    }

    /** {@code Σ a[from ..< from + len]} in order (float64 gradients are rarer; kept as they were). */
    private static double sum(double[] a, int from, int len) {
        double s = 0;
        for (int i = from; i < from + len; i++) s += a[i];
        return s;
    }
}
