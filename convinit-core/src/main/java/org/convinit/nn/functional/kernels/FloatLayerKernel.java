package org.convinit.nn.functional.kernels;

/**
 * The float32 inner loops of the non-convolution layers, on dense runs of a tensor's own storage.
 * This class is the portable scalar version; {@link VectorLayerKernel} overrides the loops that the
 * Vector API speeds up. Reductions return doubles (partial sums of at most a few thousand floats are
 * added in double), as torch accumulates batch-norm statistics in double.
 */
public class FloatLayerKernel {
    static final FloatLayerKernel SCALAR = new FloatLayerKernel();

    FloatLayerKernel() {}

    /** A short name for reports: {@code vector-512} or {@code scalar}. */
    public String name() {
        return "scalar";
    }

    /** {@code y[yOff + i] = x[xOff + i] < 0 ? 0 : x[xOff + i]} (NaN and -0 stay; {@code y} may be {@code x}). */
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v < 0 ? 0 : v;
        }
    }

    /** {@code gx[gxOff + i] = y[yOff + i] > 0 ? gy[gOff + i] : 0}: ReLU's backward from its output (torch's {@code threshold_backward}). */
    public void reluBackward(float[] gy, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) gx[gxOff + i] = y[yOff + i] > 0 ? gy[gOff + i] : 0;
    }

    /** {@code y[yOff + i] = x < lo ? lo : x > hi ? hi : x} for {@code x = x[xOff + i]} (NaN and -0 pass; {@code y} may be {@code x}). */
    public void hardtanh(float[] x, int xOff, float lo, float hi, float[] y, int yOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[yOff + i] = v < lo ? lo : v > hi ? hi : v;
        }
    }

    /** {@code gx[gxOff + i] = lo < y < hi ? gy[gOff + i] : 0} for {@code y = y[yOff + i]}: hardtanh's backward from its output. */
    public void hardtanhBackward(float[] gy, int gOff, float[] y, int yOff, float lo, float hi, float[] gx, int gxOff, int n) {
        for (int i = 0; i < n; i++) {
            float v = y[yOff + i];
            gx[gxOff + i] = v > lo && v < hi ? gy[gOff + i] : 0;
        }
    }

    /** {@code y[i] = x[i] > 0 ? x[i] : x[i]·slope}. */
    public void leakyRelu(float[] x, int xOff, float slope, float[] y, int n) {
        for (int i = 0; i < n; i++) {
            float v = x[xOff + i];
            y[i] = v > 0 ? v : v * slope;
        }
    }

    /** {@code gx[i] = x[i] > 0 ? gy[i] : gy[i]·slope}. */
    public void leakyReluBackward(float[] gy, int gOff, float[] x, int xOff, float slope, float[] gx, int n) {
        for (int i = 0; i < n; i++) {
            float g = gy[gOff + i];
            gx[i] = x[xOff + i] > 0 ? g : g * slope;
        }
    }

    /**
     * Max pooling, first pass (down the window's rows): for {@code c < w}, {@code t[to + c]} is the best of
     * {@code x[xb + rows[i] + c]} over {@code i < nr} (rows in increasing order, {@code nr ≥ 1}) and {@code ta[to + c]}
     * its plane offset {@code rows[i] + c} as float bits ({@link Float#intBitsToFloat}). A later row wins when it is
     * greater, or NaN while the best so far is not. The vector kernel may write junk past {@code to + w}, up to
     * 16 entries from {@code to}, where the arrays have room.
     */
    public void maxPoolRows(float[] x, int xb, int[] rows, int nr, int w, float[] t, float[] ta, int to) {
        for (int c = 0; c < w; c++) {
            float m = x[xb + rows[0] + c];
            int at = rows[0] + c;
            for (int i = 1; i < nr; i++) {
                float v = x[xb + rows[i] + c];
                if (v > m || (v != v && m == m)) {
                    m = v;
                    at = rows[i] + c;
                }
            }
            t[to + c] = m;
            ta[to + c] = Float.intBitsToFloat(at);
        }
    }

    /**
     * Max pooling, second pass (along the row): {@code y[yo + j]} for {@code j < n} is the best of the first pass's
     * cells {@code tb + j·s + kw·d}, {@code kw < k}, by {@link #beats}; {@code arg[yo + j]} (unless null) its offset.
     */
    public void maxPoolColumns(float[] t, float[] ta, int tb, int k, int s, int d, int n, float[] y, int yo, int[] arg) {
        for (int j = 0; j < n; j++) {
            int q = tb + j * s;
            float m = t[q];
            int at = Float.floatToRawIntBits(ta[q]);
            for (int kw = 1; kw < k; kw++) {
                float v = t[q + kw * d];
                int av = Float.floatToRawIntBits(ta[q + kw * d]);
                if (beats(v, av, m, at)) {
                    m = v;
                    at = av;
                }
            }
            y[yo + j] = m;
            if (arg != null) arg[yo + j] = at;
        }
    }

    /**
     * Max pooling 2×2, stride 2, no padding or dilation, in one pass: for {@code r < rows, j < n}, {@code y[yo + r·n + j]}
     * is the first maximum (or first NaN), in window order, of the plane cells {@code c, c + 1, c + w, c + w + 1} at
     * {@code c = r0 + 2r·w + 2j} (read at {@code xb + c}), and {@code arg[yo + r·n + j]} (unless null) that cell's
     * plane offset: a later cell wins when it is greater, or NaN while the best so far is not ({@link #beats} met in
     * window order). Needs {@code 2n ≤ w}; {@code tmp} is scratch of at least 32 floats.
     */
    public void maxPool2x2(float[] x, int xb, int r0, int w, int rows, int n, float[] y, int yo, int[] arg, float[] tmp) {
        for (int r = 0; r < rows; r++) {
            for (int j = 0; j < n; j++) {
                int c = r0 + 2 * r * w + 2 * j;
                float m = x[xb + c];
                int at = c;
                for (int cell = 1; cell < 4; cell++) {
                    int q = c + (cell >> 1) * w + (cell & 1);
                    float v = x[xb + q];
                    if (v > m || (v != v && m == m)) {
                        m = v;
                        at = q;
                    }
                }
                y[yo + r * n + j] = m;
                if (arg != null) arg[yo + r * n + j] = at;
            }
        }
    }

    /**
     * The window's order as a total order, so the two passes may meet the cells in any order: a NaN beats a
     * number, a greater number a smaller, and of two NaNs or two equal numbers the smaller plane offset (the
     * earlier cell of the window) wins; the result is the window's first maximum, or its first NaN.
     */
    static boolean beats(float v, int av, float m, int am) {
        if (v != v) return m == m || av < am;
        return v > m || (v == m && av < am);
    }

    /**
     * {@code Σ x[off + r·stride + i]} for {@code r < runs, i < n}: each run of {@code n} summed on its own, the runs'
     * sums added in double in run order (batch norm's channel over the images of a batch).
     */
    public double sum(float[] x, int off, int stride, int runs, int n) {
        double s = 0;
        for (int r = 0; r < runs; r++) {
            double t = 0;
            for (int i = 0, o = off + r * stride; i < n; i++) t += x[o + i];
            s += t;
        }
        return s;
    }

    /** {@code Σ (x[off + r·stride + i] - m)²}, runs as in {@link #sum}. */
    public double sumSquaredDiff(float[] x, int off, int stride, int runs, int n, float m) {
        double s = 0;
        for (int r = 0; r < runs; r++) {
            double t = 0;
            for (int i = 0, o = off + r * stride; i < n; i++) {
                float d = x[o + i] - m;
                t += d * d;
            }
            s += t;
        }
        return s;
    }

    /** Floats a block of {@link #meanAndSquares} sums around one shift. */
    static final int STATS_BLOCK = 1024;

    /**
     * Mean and {@code M2 = Σ (x - mean)²} of {@code x[off + r·stride + i]} ({@code r < runs, i < n}) in one read, into
     * {@code out[0]} and {@code out[1]} (batch norm's channel statistics). Each run is cut into blocks of at most
     * {@link #STATS_BLOCK} floats; a block's {@code Σ d} and {@code Σ d²} of {@code d = x - shift} ({@link #shiftedSums})
     * are taken around the float of the mean so far (the first block around the mean of its first few values), so the
     * sums hold deviations, not magnitudes, and {@code Σ d² - (Σ d)²/len} does not cancel; the blocks' means and
     * {@code M2}s are merged in double as Chan et al. (the parallel form of Welford's update), in run and block order, so
     * the result depends on the data only, not on threads.
     */
    public final void meanAndSquares(float[] x, int off, int stride, int runs, int n, double[] out) {
        double[] acc = new double[2];
        float[] scratch = lanes();
        double mean = 0;
        double m2 = 0;
        long count = 0;
        float shift = 0;
        if (n > 0 && runs > 0) {
            int first = Math.min(n, 8);
            double s = 0;
            for (int i = 0; i < first; i++) s += x[off + i];
            shift = (float) (s / first);
        }
        for (int r = 0; r < runs; r++) {
            int o = off + r * stride;
            for (int i = 0; i < n; i += STATS_BLOCK) {
                int len = Math.min(STATS_BLOCK, n - i);
                acc[0] = 0;
                acc[1] = 0;
                shiftedSums(x, o + i, len, shift, acc, scratch);
                double bm = acc[0] / len;
                double bm2 = Math.max(0, acc[1] - acc[0] * bm);
                double delta = shift + bm - mean;
                long total = count + len;
                mean += delta * len / total;
                m2 += bm2 + delta * delta * ((double) count * len / total);
                count = total;
                shift = (float) mean;
            }
        }
        out[0] = mean;
        out[1] = m2;
    }

    /** Scratch for {@link #shiftedSums} (one per call of {@link #meanAndSquares}); none for the scalar loops. */
    float[] lanes() {
        return null;
    }

    /**
     * Adds {@code Σ (x[off + i] - shift)} to {@code acc[0]} and {@code Σ (x[off + i] - shift)²} to {@code acc[1]},
     * {@code i < n}; {@code scratch} from {@link #lanes()}.
     */
    void shiftedSums(float[] x, int off, int n, float shift, double[] acc, float[] scratch) {
        double s = 0;
        double sq = 0;
        for (int i = 0; i < n; i++) {
            float d = x[off + i] - shift;
            s += d;
            sq += d * d;
        }
        acc[0] += s;
        acc[1] += sq;
    }

    /**
     * {@code y[off + i] = (x[xOff + i] - m)·scale + shift}, then with {@code relu} as {@link #relu} (batch norm followed by
     * ReLU in one pass, the same bits as the two).
     */
    public void normalize(float[] x, int xOff, float m, float scale, float shift, boolean relu, float[] y, int off, int n) {
        for (int i = 0; i < n; i++) {
            float v = Math.fma(x[xOff + i] - m, scale, shift);
            y[off + i] = relu && v < 0 ? 0 : v;
        }
    }

    /**
     * Adds {@code Σ dy} to {@code acc[0]} and {@code Σ dy·(x - m)} to {@code acc[1]} over the runs {@code r < runs} of
     * {@code n} at {@code gOff/yOff/xOff + r·stride} (each run's sums in double, added in run order), where
     * {@code dy = gy}, or with a ReLU's output {@code y} (not null) {@code dy = y > 0 ? gy : 0} as {@link #reluBackward}.
     */
    public void gradSums(float[] gy, int gOff, float[] y, int yOff, float[] x, int xOff, int stride, int runs, float m, int n,
                         double[] acc) {
        for (int r = 0; r < runs; r++) {
            double s = 0;
            double sx = 0;
            int d = r * stride;
            for (int i = 0; i < n; i++) {
                float g = dy(gy, gOff + d + i, y, yOff + d + i);
                s += g;
                sx += g * (x[xOff + d + i] - m);
            }
            acc[0] += s;
            acc[1] += sx;
        }
    }

    /** {@code gy[gi]}, or with a ReLU's output {@code y} not null {@code y[yi] > 0 ? gy[gi] : 0}. */
    static float dy(float[] gy, int gi, float[] y, int yi) {
        return y == null || y[yi] > 0 ? gy[gi] : 0;
    }

    /**
     * {@code gx[off + i] = (dy - a)·s - (x[xOff + i] - m)·t}, {@code dy} as in {@link #gradSums}: batch norm's input
     * gradient with batch statistics.
     */
    public void normBackward(float[] gy, int gOff, float[] y, int yOff, float[] x, int xOff, float m, float a, float s, float t,
                             float[] gx, int off, int n) {
        for (int i = 0; i < n; i++) gx[off + i] = (dy(gy, gOff + i, y, yOff + i) - a) * s - (x[xOff + i] - m) * t;
    }

    /** {@code gx[off + i] = dy·s}, {@code dy} as in {@link #gradSums}. */
    public void scale(float[] gy, int gOff, float[] y, int yOff, float s, float[] gx, int off, int n) {
        for (int i = 0; i < n; i++) gx[off + i] = dy(gy, gOff + i, y, yOff + i) * s;
    }

    /**
     * {@code c[cOff + i·ldc + j] = init_j + Σ_{k<kLen} a[aOff + i·lda + k] · b[bOff + j·ldb + k]} for
     * {@code i < m, j < n} (A·Bᵀ with both operands row-major); {@code init_j} is {@code bias[j]} or 0.
     */
    public void gemmNT(int m, int n, int kLen, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] bias, float[] c,
                       int cOff, int ldc) {
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                float acc = 0;
                for (int k = 0; k < kLen; k++) acc += a[aOff + i * lda + k] * b[bOff + j * ldb + k];
                c[cOff + i * ldc + j] = bias == null ? acc : acc + bias[j];
            }
        }
    }

    /**
     * {@code c[i·n + j] = Σ_{k<kLen} a[aOff + i·ai + k·ak] · b[bOff + k·n + j]} for {@code i0 ≤ i < i1, j < n}: rows of
     * C as combinations of the rows of B (A·B, or Aᵀ·B with swapped strides).
     */
    public void gemmRows(int i0, int i1, int n, int kLen, float[] a, int aOff, int ai, int ak, float[] b, int bOff, float[] c) {
        for (int i = i0; i < i1; i++) {
            int ci = i * n;
            java.util.Arrays.fill(c, ci, ci + n, 0f);
            for (int k = 0; k < kLen; k++) {
                float s = a[aOff + i * ai + k * ak];
                int bk = bOff + k * n;
                for (int j = 0; j < n; j++) c[ci + j] += s * b[bk + j];
            }
        }
    }
}
