package org.convinit.nn.functional.internal;

import org.convinit.internal.Parallel;
import org.convinit.tensor.Tensor;

/**
 * The scatter-add half of the transposed convolution:
 * {@code out[n, co, i·s - p + k·d] += col[n, (co, k), i]}, plus bias, with 1-D and 2-D seen as 3-D.
 * Parallel over (image, output channel), so no two workers write the same element.
 */
final class Col2Im {
    private final int n;
    private final int cout;
    private final int coutG;
    private final int kVol;
    private final int inVol;
    private final int outVol;
    private final int[] in = new int[3];
    private final int[] out = new int[3];
    private final int[] k = new int[3];
    private final int[] s = new int[3];
    private final int[] p = new int[3];
    private final int[] d = new int[3];

    Col2Im(int dims, Tensor x, Tensor w, int[] outShape, int[] stride, int[] padding, int[] dilation, int groups) {
        n = x.size(0);
        coutG = w.size(1);
        cout = coutG * groups;
        int lead = 3 - dims;
        for (int i = 0; i < 3; i++) {
            boolean real = i >= lead;
            in[i] = real ? x.size(2 + i - lead) : 1;
            out[i] = real ? outShape[2 + i - lead] : 1;
            k[i] = real ? w.size(2 + i - lead) : 1;
            s[i] = real ? stride[i - lead] : 1;
            p[i] = real ? padding[i - lead] : 0;
            d[i] = real ? dilation[i - lead] : 1;
        }
        kVol = k[0] * k[1] * k[2];
        inVol = in[0] * in[1] * in[2];
        outVol = out[0] * out[1] * out[2];
    }

    /** The valid input columns {@code [lo, hi)} for kernel column {@code kw}: {@code iw·s - p + kw·d ∈ [0, out)}. */
    private int lo(int kw) {
        return Math.max(0, -Math.floorDiv(-(p[2] - kw * d[2]), s[2]));
    }

    private int hi(int kw) {
        return Math.min(in[2], Math.floorDiv(out[2] - 1 + p[2] - kw * d[2], s[2]) + 1);
    }

    void run(float[] col, float[] bias, float[] dst) {
        Parallel.forEach(n * cout, item -> {
            int co = item % cout;
            int colBase = ((item / cout) * cout + co) * kVol * inVol; // (n, g, co % coutG) rows are consecutive per (n, co)
            int o0 = item * outVol;
            java.util.Arrays.fill(dst, o0, o0 + outVol, bias == null ? 0f : bias[co]);
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
                        int srow = src + (id * in[1] + ih) * in[2];
                        int drow = o0 + (od * out[1] + oh) * out[2] + shift;
                        int sw = s[2];
                        for (int iw = lo; iw < hi; iw++) dst[drow + iw * sw] += col[srow + iw];
                    }
                }
            }
        });
    }

    void run(double[] col, double[] bias, double[] dst) {
        Parallel.forEach(n * cout, item -> {
            int co = item % cout;
            int colBase = ((item / cout) * cout + co) * kVol * inVol;
            int o0 = item * outVol;
            java.util.Arrays.fill(dst, o0, o0 + outVol, bias == null ? 0d : bias[co]);
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
                        int srow = src + (id * in[1] + ih) * in[2];
                        int drow = o0 + (od * out[1] + oh) * out[2] + shift;
                        int sw = s[2];
                        for (int iw = lo; iw < hi; iw++) dst[drow + iw * sw] += col[srow + iw];
                    }
                }
            }
        });
    }
}
