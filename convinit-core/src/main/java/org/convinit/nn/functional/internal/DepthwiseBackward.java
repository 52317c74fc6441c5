package org.convinit.nn.functional.internal;

import org.convinit.internal.Parallel;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The input and weight gradients of a channel-wise convolution (one input channel per group:
 * depthwise, or a small channel multiplier {@code m = O / C}) in one direct pass, with 1-D and 2-D
 * seen as 3-D: for every image, output channel {@code o} of input channel {@code c = o / m} and
 * kernel tap {@code k},
 *
 * <pre>
 * dW[o, 0, k]                       += Σ_p dY[n, o, p] · x[n, c, p·s - pb + k·d]
 * dX[n, c, p·s - pb + k·d]          += W[o, 0, k] · dY[n, o, p]
 * </pre>
 *
 * over the output positions {@code p} whose input position is inside the input (padding reads
 * zero). The GEMM formulation would spend a whole register tile on each channel's single row, so
 * this loop reads each row pair once instead. Parallel over input channels, which own their
 * {@code dX} planes and {@code dW} rows; accumulates in double for both dtypes.
 */
final class DepthwiseBackward {
    private final int channels;
    private final int multiplier;
    private final int n;
    private final Spatial3 g;

    private DepthwiseBackward(ConvSpec spec) {
        n = spec.input().get(0);
        channels = spec.input().get(1);
        multiplier = spec.output().get(1) / channels;
        g = new Spatial3(spec);
    }

    /** Whether {@code spec} is a convolution this loop covers: one input channel per group, at most 4 outputs each. */
    static boolean covers(ConvSpec spec) {
        return !spec.transposed() && spec.dims() <= 3 && spec.weight().get(1) == 1 && spec.groups() == spec.input().get(1)
                && spec.output().get(1) <= 4 * spec.groups();
    }

    /** {dX, dW} for dense batched {@code x}, {@code w} and {@code dy}, in their dtype. */
    static Tensor[] grads(ConvSpec spec, Tensor x, Tensor w, Tensor dy) {
        DepthwiseBackward b = new DepthwiseBackward(spec);
        double[] xs = read(x);
        double[] ws = read(w);
        double[] ys = read(dy);
        double[] dx = new double[xs.length];
        double[] dw = new double[ws.length];
        Parallel.forEach(b.channels, c -> b.channel(c, xs, ws, ys, dx, dw));
        return new Tensor[] {write(dx, x), write(dw, w)};
    }

    /** The elements of dense float32 or float64 {@code t}, as doubles. */
    private static double[] read(Tensor t) {
        int len = (int) t.numel();
        int off = t.storageOffset();
        double[] v = new double[len];
        if (t.dtype() == DType.FLOAT64) {
            System.arraycopy(t.storage().doubles(), off, v, 0, len);
        } else {
            float[] f = t.storage().floats();
            for (int i = 0; i < len; i++) v[i] = f[off + i];
        }
        return v;
    }

    /** A new tensor of {@code like}'s dtype and shape holding {@code v} (rounded once to float32 if so). */
    private static Tensor write(double[] v, Tensor like) {
        Tensor t = Tensor.empty(like.dtype(), like.shape().toArray());
        if (like.dtype() == DType.FLOAT64) {
            System.arraycopy(v, 0, t.storage().doubles(), 0, v.length);
        } else {
            float[] f = t.storage().floats();
            for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        }
        return t;
    }

    private void channel(int c, double[] xs, double[] ws, double[] ys, double[] dx, double[] dw) {
        int cout = channels * multiplier;
        for (int o = c * multiplier; o < (c + 1) * multiplier; o++) {
            for (int img = 0; img < n; img++) {
                int xBase = (img * channels + c) * g.inVol;
                int yBase = (img * cout + o) * g.outVol;
                int t = 0;
                for (int kd = 0; kd < g.k[0]; kd++) for (int kh = 0; kh < g.k[1]; kh++) for (int kw = 0; kw < g.k[2]; kw++, t++) {
                    double wv = ws[o * g.kVol + t];
                    int lo = g.outLo(kw);
                    int hi = g.outHi(kw);
                    double acc = 0;
                    for (int od = 0; od < g.out[0]; od++) {
                        int id = od * g.s[0] - g.p[0] + kd * g.d[0];
                        if (id < 0 || id >= g.in[0]) continue;
                        for (int oh = 0; oh < g.out[1]; oh++) {
                            int ih = oh * g.s[1] - g.p[1] + kh * g.d[1];
                            if (ih < 0 || ih >= g.in[1]) continue;
                            int yRow = yBase + (od * g.out[1] + oh) * g.out[2];
                            int xRow = xBase + (id * g.in[1] + ih) * g.in[2] + kw * g.d[2] - g.p[2];
                            acc += row(xs, ys, dx, wv, xRow, yRow, lo, hi, g.s[2]);
                        }
                    }
                    dw[o * g.kVol + t] += acc;
                }
            }
        }
    }

    /**
     * One row: {@code dx[xRow + ow·step] += wv · ys[yRow + ow]} and the returned
     * {@code Σ ys[yRow + ow] · xs[xRow + ow·step]} over {@code ow} in {@code [lo, hi)}, two partial
     * sums so the additions overlap.
     */
    private static double row(double[] xs, double[] ys, double[] dx, double wv, int xRow, int yRow, int lo, int hi, int step) {
        double a0 = 0;
        double a1 = 0;
        int ow = lo;
        for (; ow + 1 < hi; ow += 2) {
            double g0 = ys[yRow + ow];
            double g1 = ys[yRow + ow + 1];
            int x0 = xRow + ow * step;
            int x1 = x0 + step;
            a0 += g0 * xs[x0];
            a1 += g1 * xs[x1];
            dx[x0] += wv * g0;
            dx[x1] += wv * g1;
        }
        if (ow < hi) {
            double g = ys[yRow + ow];
            int xi = xRow + ow * step;
            a0 += g * xs[xi];
            dx[xi] += wv * g;
        }
        return a0 + a1;
    }
}
