package org.convinit.nn.functional.internal;

import java.util.Arrays;

import org.convinit.internal.Parallel;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The scatter-add half of the transposed convolution:
 * {@code out[n, co, i·s - p + k·d] += col[n, (co, k), i]}, plus bias, with 1-D and 2-D seen as 3-D.
 * Parallel over (image, output channel), so no two workers write the same element. The index
 * arithmetic is written once; only the row update differs by precision.
 */
final class Col2Im {
    private final int n;
    private final int cout;
    private final int kVol;
    private final int inVol;
    private final int outVol;
    private final int[] in = new int[3];
    private final int[] out = new int[3];
    private final int[] k = new int[3];
    private final int[] s = new int[3];
    private final int[] p = new int[3];
    private final int[] d = new int[3];

    /** {@code dst[to + i·step] += src[from + i]} for {@code i} in {@code [lo, hi)}. */
    private interface RowAdd {
        void add(int from, int to, int lo, int hi, int step);
    }

    /** Fills {@code dst[from, to)} with output channel {@code co}'s bias (or zero). */
    private interface BiasFill {
        void fill(int from, int to, int co);
    }

    Col2Im(ConvSpec spec) {
        int dims = spec.dims();
        n = spec.input().get(0);
        cout = spec.output().get(1);
        int lead = 3 - dims;
        int[] stride = spec.stride();
        int[] padding = spec.padBefore();
        int[] dilation = spec.dilation();
        for (int i = 0; i < 3; i++) {
            boolean real = i >= lead;
            in[i] = real ? spec.input().get(2 + i - lead) : 1;
            out[i] = real ? spec.output().get(2 + i - lead) : 1;
            k[i] = real ? spec.weight().get(2 + i - lead) : 1;
            s[i] = real ? stride[i - lead] : 1;
            p[i] = real ? padding[i - lead] : 0;
            d[i] = real ? dilation[i - lead] : 1;
        }
        kVol = k[0] * k[1] * k[2];
        inVol = in[0] * in[1] * in[2];
        outVol = out[0] * out[1] * out[2];
    }

    /** Scatters dense {@code col} {@code [N, Cout·K, inVol]} into new dense {@code dst}, bias first. */
    void run(Tensor col, Tensor bias, Tensor dst) {
        if (dst.dtype() == DType.FLOAT32) {
            float[] c = col.storage().floats();
            float[] o = dst.storage().floats();
            float[] b = bias == null ? null : bias.toFloatArray();
            run((from, to, lo, hi, step) -> {
                for (int i = lo; i < hi; i++) o[to + i * step] += c[from + i];
            }, (from, to, co) -> Arrays.fill(o, from, to, b == null ? 0f : b[co]));
        } else {
            double[] c = col.storage().doubles();
            double[] o = dst.storage().doubles();
            double[] b = bias == null ? null : bias.toDoubleArray();
            run((from, to, lo, hi, step) -> {
                for (int i = lo; i < hi; i++) o[to + i * step] += c[from + i];
            }, (from, to, co) -> Arrays.fill(o, from, to, b == null ? 0d : b[co]));
        }
    }

    private void run(RowAdd rows, BiasFill bias) {
        Parallel.forEach(n * cout, item -> {
            int co = item % cout;
            int colBase = ((item / cout) * cout + co) * kVol * inVol; // (n, g, co % coutG) rows are consecutive per (n, co)
            int o0 = item * outVol;
            bias.fill(o0, o0 + outVol, co);
            int t = 0;
            for (int kd = 0; kd < k[0]; kd++) for (int kh = 0; kh < k[1]; kh++) for (int kw = 0; kw < k[2]; kw++, t++) {
                int src = colBase + t * inVol;
                int lo = lo(kw), hi = hi(kw), shift = kw * d[2] - p[2];
                for (int id = 0; id < in[0]; id++) {
                    int od = id * s[0] - p[0] + kd * d[0];
                    if (od < 0 || od >= out[0]) continue;
                    for (int ih = 0; ih < in[1]; ih++) {
                        int oh = ih * s[1] - p[1] + kh * d[1];
                        if (oh < 0 || oh >= out[1]) continue;
                        rows.add(src + (id * in[1] + ih) * in[2], o0 + (od * out[1] + oh) * out[2] + shift, lo, hi, s[2]);
                    }
                }
            }
        });
    }

    /** The valid input columns {@code [lo, hi)} for kernel column {@code kw}: {@code iw·s - p + kw·d ∈ [0, out)}. */
    private int lo(int kw) {
        return Math.max(0, -Math.floorDiv(-(p[2] - kw * d[2]), s[2]));
    }

    private int hi(int kw) {
        return Math.min(in[2], Math.floorDiv(out[2] - 1 + p[2] - kw * d[2], s[2]) + 1);
    }
}
