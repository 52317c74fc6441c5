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
    private final int cout;
    private final Spatial3 g;

    /** {@code dst[to + i·step] += src[from + i]} for {@code i} in {@code [lo, hi)}. */
    private interface RowAdd {
        void add(int from, int to, int lo, int hi, int step);
    }

    /** Fills {@code dst[from, to)} with output channel {@code co}'s bias (or zero). */
    private interface BiasFill {
        void fill(int from, int to, int co);
    }

    Col2Im(ConvSpec spec) {
        cout = spec.output().get(1);
        g = new Spatial3(spec);
    }

    /**
     * Scatters dense {@code col} {@code [count, Cout·K, inVol]} into images {@code [first, first + count)}
     * of dense {@code dst}, bias first.
     */
    void run(Tensor col, Tensor bias, Tensor dst, int first, int count) {
        if (dst.dtype() == DType.FLOAT32) {
            float[] c = col.storage().floats();
            float[] o = dst.storage().floats();
            float[] b = bias == null ? null : bias.toFloatArray();
            run((from, to, lo, hi, step) -> {
                for (int i = lo; i < hi; i++) o[to + i * step] += c[from + i];
            }, (from, to, co) -> Arrays.fill(o, from, to, b == null ? 0f : b[co]), first, count);
        } else {
            double[] c = col.storage().doubles();
            double[] o = dst.storage().doubles();
            double[] b = bias == null ? null : bias.toDoubleArray();
            run((from, to, lo, hi, step) -> {
                for (int i = lo; i < hi; i++) o[to + i * step] += c[from + i];
            }, (from, to, co) -> Arrays.fill(o, from, to, b == null ? 0d : b[co]), first, count);
        }
    }

    private void run(RowAdd rows, BiasFill bias, int first, int count) {
        Parallel.forEach(count * cout, item -> {
            int co = item % cout;
            int colBase = item * g.kVol * g.inVol; // the (group, co % coutG, k) rows of one (image, co) are consecutive
            int o0 = (first * cout + item) * g.outVol;
            bias.fill(o0, o0 + g.outVol, co);
            int t = 0;
            for (int kd = 0; kd < g.k[0]; kd++) for (int kh = 0; kh < g.k[1]; kh++) for (int kw = 0; kw < g.k[2]; kw++, t++) {
                int src = colBase + t * g.inVol;
                int lo = lo(kw), hi = hi(kw), shift = kw * g.d[2] - g.p[2];
                for (int id = 0; id < g.in[0]; id++) {
                    int od = id * g.s[0] - g.p[0] + kd * g.d[0];
                    if (od < 0 || od >= g.out[0]) continue;
                    for (int ih = 0; ih < g.in[1]; ih++) {
                        int oh = ih * g.s[1] - g.p[1] + kh * g.d[1];
                        if (oh < 0 || oh >= g.out[1]) continue;
                        rows.add(src + (id * g.in[1] + ih) * g.in[2], o0 + (od * g.out[1] + oh) * g.out[2] + shift, lo, hi, g.s[2]);
                    }
                }
            }
        });
    }

    /** The valid input columns {@code [lo, hi)} for kernel column {@code kw}: {@code iw·s - p + kw·d ∈ [0, out)}. */
    private int lo(int kw) {
        return Math.max(0, -Math.floorDiv(-(g.p[2] - kw * g.d[2]), g.s[2]));
    }

    private int hi(int kw) {
        return Math.min(g.in[2], Math.floorDiv(g.out[2] - 1 + g.p[2] - kw * g.d[2], g.s[2]) + 1);
    }
}
