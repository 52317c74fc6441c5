package org.convinit.nn.functional.kernels;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.junit.jupiter.api.Test;

/**
 * The vector layer loops against the scalar ones (the literal loops) over lengths that cover the
 * vector tails and the float-to-double block boundary, with nonzero offsets: elementwise results
 * bit for bit, sums within float rounding, GEMMs over a matrix of shapes.
 */
class LayerKernelsTest {
    private static final FloatLayerKernel V = LayerKernels.floats(true);
    private static final FloatLayerKernel S = LayerKernels.floats(false);
    private static final int[] LENGTHS = {0, 1, 3, 15, 16, 17, 31, 33, 64, 100, 1023, 1024, 1041, 2100};
    private final Random r = new Random(7);

    private float[] data(int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) (r.nextGaussian() * 2);
        if (n > 5) {
            a[1] = 0f;
            a[2] = -0f;
            a[3] = Float.NaN;
        }
        return a;
    }

    private static void assertBits(float[] got, float[] want, String what) {
        for (int i = 0; i < want.length; i++) {
            assertThat(Float.floatToIntBits(got[i])).as("%s at %d: %s vs %s", what, i, got[i], want[i])
                    .isEqualTo(Float.floatToIntBits(want[i]));
        }
    }

    @Test
    void elementwiseLoopsMatchBitForBit() {
        for (int n : LENGTHS) {
            float[] x = data(n + 3);
            float[] gy = data(n + 2);
            float[][] out = new float[2][n + 3];
            FloatLayerKernel[] ks = {V, S};
            for (int t = 0; t < 2; t++) {
                ks[t].relu(x, 3, out[t], 0, n);
            }
            assertBits(out[0], out[1], "relu n=" + n);
            float[] y = out[1].clone();
            for (int t = 0; t < 2; t++) ks[t].reluBackward(gy, 2, y, 0, out[t], 0, n);
            assertBits(out[0], out[1], "relu backward n=" + n);
            for (int t = 0; t < 2; t++) ks[t].hardtanh(x, 3, 0f, 1.5f, out[t], 1, n);
            assertBits(out[0], out[1], "hardtanh n=" + n);
            for (int t = 0; t < 2; t++) ks[t].hardtanhBackward(gy, 2, x, 1, 0f, 1.5f, out[t], 2, n);
            assertBits(out[0], out[1], "hardtanh backward n=" + n);
            for (int t = 0; t < 2; t++) ks[t].leakyRelu(x, 3, 0.01f, out[t], n);
            assertBits(out[0], out[1], "leaky_relu n=" + n);
            for (int t = 0; t < 2; t++) ks[t].leakyReluBackward(gy, 2, x, 1, 0.3f, out[t], n);
            assertBits(out[0], out[1], "leaky_relu backward n=" + n);
            for (boolean relu : new boolean[] {false, true}) {
                for (int t = 0; t < 2; t++) ks[t].normalize(x, 3, 0.25f, 1.5f, -0.5f, relu, out[t], 1, n);
                assertBits(out[0], out[1], "normalize relu=" + relu + " n=" + n);
            }
            float[] unfused = out[0].clone();
            S.normalize(x, 3, 0.25f, 1.5f, -0.5f, false, unfused, 1, n);
            S.relu(unfused, 1, unfused, 1, n);
            assertBits(out[0], unfused, "normalize+relu against normalize then relu n=" + n);
            float[] mask = out[0].clone();
            for (float[] yMask : new float[][] {null, mask}) {
                String how = yMask == null ? "" : " after relu";
                for (int t = 0; t < 2; t++) ks[t].normBackward(gy, 2, yMask, 1, x, 3, 0.25f, 0.1f, 1.5f, 0.7f, out[t], 1, n);
                assertBits(out[0], out[1], "norm backward" + how + " n=" + n);
                for (int t = 0; t < 2; t++) ks[t].scale(gy, 1, yMask, 0, 1.7f, out[t], 2, n);
                assertBits(out[0], out[1], "scale" + how + " n=" + n);
            }
            float[] g0 = new float[n + 2];
            float[] fused = new float[n + 3];
            float[] twoOps = new float[n + 3];
            S.reluBackward(gy, 2, mask, 1, g0, 2, n);
            S.normBackward(g0, 2, null, 0, x, 3, 0.25f, 0.1f, 1.5f, 0.7f, twoOps, 1, n);
            V.normBackward(gy, 2, mask, 1, x, 3, 0.25f, 0.1f, 1.5f, 0.7f, fused, 1, n);
            assertBits(fused, twoOps, "norm backward after relu against relu backward then norm backward n=" + n);
        }
    }

    /** Values from {-1, 0, 1}, zeros of both signs, some NaNs and -inf: ties and NaNs decide which cell wins. */
    private float[] poolData(int n) {
        float[] x = new float[n];
        for (int i = 0; i < x.length; i++) {
            int c = r.nextInt(12);
            x[i] = c == 0 ? Float.NaN : c == 1 ? Float.NEGATIVE_INFINITY : c == 2 ? -0f : r.nextInt(3) - 1;
        }
        return x;
    }

    /** The first pass: vector and scalar loops against the column read literally (first maximum down the rows, or first NaN). */
    @Test
    void maxPoolRowsMatchOverWidths() {
        for (int[] rows : new int[][] {{0}, {0, 50}, {0, 50, 100}, {50, 150}}) {
            for (int w : new int[] {1, 7, 15, 16, 17, 28, 40, 50}) {
                float[] x = poolData(3 + 200);
                float[][] t = new float[2][w + (w % 2 == 0 ? 6 : 30)]; // odd widths: room for a whole vector past the row
                float[][] ta = new float[2][w + (w % 2 == 0 ? 6 : 30)];
                V.maxPoolRows(x, 3, rows, rows.length, w, t[0], ta[0], 4);
                S.maxPoolRows(x, 3, rows, rows.length, w, t[1], ta[1], 4);
                String what = "max_pool rows " + java.util.Arrays.toString(rows) + " w=" + w;
                assertBits(java.util.Arrays.copyOfRange(t[0], 4, 4 + w), java.util.Arrays.copyOfRange(t[1], 4, 4 + w), what);
                assertBits(java.util.Arrays.copyOfRange(ta[0], 4, 4 + w), java.util.Arrays.copyOfRange(ta[1], 4, 4 + w), what + " offsets");
                for (int c = 0; c < w; c++) {
                    int best = rows[0] + c;
                    for (int i = 1; i < rows.length; i++) {
                        int q = rows[i] + c;
                        if (!Float.isNaN(x[3 + best]) && (x[3 + q] > x[3 + best] || Float.isNaN(x[3 + q]))) best = q;
                    }
                    assertThat(Float.floatToRawIntBits(ta[1][4 + c])).as("literal %s at %d", what, c).isEqualTo(best);
                }
            }
        }
    }

    /**
     * The second pass over cells with scrambled offsets: vector (strides 1 and 2) and scalar loops against the literal
     * rule (NaN first, then the greater value, ties to the smaller offset), with and without argmax.
     */
    @Test
    void maxPoolColumnsMatchOverStridesAndWidths() {
        for (int k = 1; k <= 4; k++) {
            for (int s = 1; s <= 3; s++) {
                for (int d : new int[] {1, 2}) {
                    for (int n : new int[] {1, 3, 15, 16, 17, 31, 32, 33, 50}) {
                        int len = 5 + n * s + k * d + 40;
                        float[] t = poolData(len);
                        float[] ta = new float[len];
                        for (int i = 0; i < len; i++) ta[i] = Float.intBitsToFloat(r.nextInt(4) * 1000 + r.nextInt(3));
                        float[][] y = new float[3][n + 4];
                        int[][] arg = new int[2][n + 4];
                        V.maxPoolColumns(t, ta, 5, k, s, d, n, y[0], 3, arg[0]);
                        S.maxPoolColumns(t, ta, 5, k, s, d, n, y[1], 3, arg[1]);
                        V.maxPoolColumns(t, ta, 5, k, s, d, n, y[2], 3, null);
                        String what = "max_pool columns k=" + k + " s=" + s + " d=" + d + " n=" + n;
                        assertBits(y[0], y[1], what);
                        assertBits(y[2], y[1], what + " without argmax");
                        assertThat(arg[0]).as(what).containsExactly(arg[1]);
                        for (int j = 0; j < n; j++) {
                            int best = 5 + j * s;
                            for (int kw = 1; kw < k; kw++) {
                                int q = 5 + j * s + kw * d;
                                float v = t[q];
                                float m = t[best];
                                int av = Float.floatToRawIntBits(ta[q]);
                                int am = Float.floatToRawIntBits(ta[best]);
                                boolean wins = Float.isNaN(v) ? !Float.isNaN(m) || av < am : !Float.isNaN(m) && (v > m || (v == m && av < am));
                                if (wins) best = q;
                            }
                            assertThat(arg[1][3 + j]).as("literal %s at %d", what, j).isEqualTo(Float.floatToRawIntBits(ta[best]));
                        }
                    }
                }
            }
        }
    }

    /**
     * The one-pass 2×2 stride-2 pooling, vector and scalar, against the window read literally (first maximum in window
     * order, or first NaN), over plane sizes (odd ones drop the last row/column), planes packed back to back in one
     * array that ends at the last plane (the vector loop's junk lanes and end-of-array fallbacks), with and without argmax.
     */
    @Test
    void maxPool2x2MatchesTheLiteralWindows() {
        for (int h : new int[] {2, 3, 6, 14, 28}) {
            for (int w : new int[] {2, 5, 14, 28, 33, 40, 64, 70}) {
                int planes = 3;
                int oh = h / 2;
                int ow = w / 2;
                float[] x = poolData(1 + planes * h * w);
                float[][] y = new float[3][planes * oh * ow];
                int[][] arg = new int[2][planes * oh * ow];
                for (int pl = 0; pl < planes; pl++) {
                    V.maxPool2x2(x, 1 + pl * h * w, 0, w, oh, ow, y[0], pl * oh * ow, arg[0], new float[32]);
                    S.maxPool2x2(x, 1 + pl * h * w, 0, w, oh, ow, y[1], pl * oh * ow, arg[1], new float[32]);
                    V.maxPool2x2(x, 1 + pl * h * w, 0, w, oh, ow, y[2], pl * oh * ow, null, new float[32]);
                }
                String what = "max_pool 2x2 " + h + "x" + w;
                assertBits(y[0], y[1], what);
                assertBits(y[2], y[1], what + " without argmax");
                assertThat(arg[0]).as(what).containsExactly(arg[1]);
                for (int pl = 0; pl < planes; pl++) {
                    for (int o = 0; o < oh * ow; o++) {
                        int c = 2 * (o / ow) * w + 2 * (o % ow);
                        int best = c;
                        for (int q : new int[] {c + 1, c + w, c + w + 1}) {
                            float v = x[1 + pl * h * w + q];
                            float m = x[1 + pl * h * w + best];
                            if (!Float.isNaN(m) && (v > m || Float.isNaN(v))) best = q;
                        }
                        assertThat(arg[1][pl * oh * ow + o]).as("literal %s plane %d output %d", what, pl, o).isEqualTo(best);
                        assertThat(Float.floatToRawIntBits(y[1][pl * oh * ow + o])).as("literal %s plane %d output %d", what, pl, o)
                                .isEqualTo(Float.floatToRawIntBits(x[1 + pl * h * w + best]));
                    }
                }
            }
        }
    }

    @Test
    void sumsAgreeWithinFloatRounding() {
        for (int n : LENGTHS) {
            float[] x = new float[n + 2];
            float[] gy = new float[n + 1];
            for (int i = 0; i < x.length; i++) x[i] = (float) (r.nextGaussian() + 3);
            for (int i = 0; i < gy.length; i++) gy[i] = (float) r.nextGaussian();
            double tol = 1e-6 * (n + 1) * 4;
            assertThat(V.sum(x, 2, 0, 1, n)).as("sum n=%d", n).isCloseTo(S.sum(x, 2, 0, 1, n), org.assertj.core.data.Offset.offset(tol));
            assertThat(V.sumSquaredDiff(x, 2, 0, 1, n, 3f)).as("sum sq n=%d", n)
                    .isCloseTo(S.sumSquaredDiff(x, 2, 0, 1, n, 3f), org.assertj.core.data.Offset.offset(tol));
            double[] a = new double[2];
            double[] b = new double[2];
            V.gradSums(gy, 1, null, 0, x, 2, 0, 1, 3f, n, a);
            S.gradSums(gy, 1, null, 0, x, 2, 0, 1, 3f, n, b);
            assertThat(a[0]).as("Σ dy n=%d", n).isCloseTo(b[0], org.assertj.core.data.Offset.offset(tol));
            assertThat(a[1]).as("Σ dy·(x-m) n=%d", n).isCloseTo(b[1], org.assertj.core.data.Offset.offset(tol));
        }
    }

    /**
     * Runs: the sum over runs is each run's sum added in run order (the bits batch norm had when it summed image by image),
     * and the sums after a ReLU's output are those of the ReLU's backward taken first, both kernels.
     */
    @Test
    void runSumsAreRunByRunAndMaskedAsReluBackward() {
        for (FloatLayerKernel k : new FloatLayerKernel[] {V, S}) {
            for (int n : new int[] {1, 15, 16, 17, 196, 784, 1041, 2100}) {
                int stride = n + 5;
                float[] x = data(3 * stride + 2);
                float[] gy = data(3 * stride + 1);
                float[] y = data(3 * stride + 4);
                x[3] = 1f; // data() plants a NaN there, which would hide every sum
                gy[3] = 2f;
                double s = 0;
                double sq = 0;
                double[] want = new double[2];
                float[] masked = new float[gy.length];
                for (int r = 0; r < 3; r++) {
                    s += k.sum(x, 2 + r * stride, 0, 1, n);
                    sq += k.sumSquaredDiff(x, 2 + r * stride, 0, 1, n, 0.5f);
                    S.reluBackward(gy, 1 + r * stride, y, 4 + r * stride, masked, 1 + r * stride, n);
                    k.gradSums(masked, 1 + r * stride, null, 0, x, 2 + r * stride, 0, 1, 0.5f, n, want);
                }
                String what = k.name() + " n=" + n;
                double[] got = new double[2];
                k.gradSums(gy, 1, y, 4, x, 2, stride, 3, 0.5f, n, got);
                double[] all = {k.sum(x, 2, stride, 3, n), k.sumSquaredDiff(x, 2, stride, 3, n, 0.5f), got[0], got[1]};
                double[] runByRun = {s, sq, want[0], want[1]};
                for (int i = 0; i < 4; i++) {
                    assertThat(Double.doubleToLongBits(all[i])).as("%s: sum %d %s vs %s", what, i, all[i], runByRun[i])
                            .isEqualTo(Double.doubleToLongBits(runByRun[i]));
                }
            }
        }
    }

    /**
     * Batch norm's one-read statistics against the two-pass double reference (mean, then Σ (x - mean)²), both kernels,
     * over run lengths across the vector tails and the block boundary: data centred far from zero (where Σx² - (Σx)²/n
     * in float would lose every digit), data whose first values are outliers (a poor first shift), and plain data;
     * the same bits for the channel alone and inside a strided batch (what a parallel split sees).
     */
    @Test
    void meanAndSquaresInOneReadMatchTheTwoPassReference() {
        for (FloatLayerKernel k : new FloatLayerKernel[] {V, S}) {
            for (int n : new int[] {1, 7, 15, 16, 17, 196, 784, 1023, 1024, 1025, 2100, 3000}) {
                for (int kind = 0; kind < 3; kind++) {
                    int runs = 5;
                    int stride = n + 3;
                    float[] x = new float[runs * stride + 2];
                    for (int i = 0; i < x.length; i++) {
                        double g = r.nextGaussian();
                        x[i] = (float) (kind == 0 ? 1e4 + g : kind == 1 ? 0.5 * g : g - 2);
                    }
                    if (kind == 1) {
                        x[2] = 1e3f; // the first shift lies far from the mean
                        x[3] = -7e2f;
                    }
                    double mean = 0;
                    for (int rr = 0; rr < runs; rr++) for (int i = 0; i < n; i++) mean += x[2 + rr * stride + i];
                    long count = (long) runs * n;
                    mean /= count;
                    double m2 = 0;
                    for (int rr = 0; rr < runs; rr++) {
                        for (int i = 0; i < n; i++) {
                            double d = x[2 + rr * stride + i] - mean;
                            m2 += d * d;
                        }
                    }
                    double[] got = new double[2];
                    k.meanAndSquares(x, 2, stride, runs, n, got);
                    String what = k.name() + " n=" + n + " kind=" + kind;
                    assertThat(got[0]).as("mean %s", what).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-6 * (1 + Math.abs(mean))));
                    assertThat(got[1]).as("M2 %s", what).isCloseTo(m2, org.assertj.core.data.Offset.offset(2e-6 * m2 + 1e-9));
                    double[] again = new double[2];
                    float[] copy = java.util.Arrays.copyOf(x, x.length);
                    k.meanAndSquares(copy, 2, stride, runs, n, again);
                    assertThat(again).as("deterministic %s", what).containsExactly(got);
                }
            }
        }
    }

    @Test
    void gemmsMatchOverShapes() {
        int[] sizes = {1, 2, 3, 4, 5, 8, 17, 33, 64};
        for (int m : sizes) {
            for (int n : sizes) {
                for (int k : new int[] {1, 7, 16, 40, 100}) {
                    float[] a = data(m * k + 2);
                    float[] b = data(n * k + 1);
                    java.util.Arrays.fill(a, 0, 4 < a.length ? 4 : a.length, 0.5f); // no NaN in GEMM operands
                    java.util.Arrays.fill(b, 0, 4 < b.length ? 4 : b.length, -0.5f);
                    float[] bias = data(n + 6);
                    bias[3] = 1f;
                    float[] cv = new float[m * n + 3];
                    float[] cs = new float[m * n + 3];
                    V.gemmNT(m, n, k, a, 2, k, b, 1, k, bias, cv, 3, n);
                    S.gemmNT(m, n, k, a, 2, k, b, 1, k, bias, cs, 3, n);
                    close(cv, cs, k, "gemmNT " + m + "x" + n + "x" + k);
                    // rows of C from rows of B: A [m, k] row-major, then A read transposed ([k, m] storage)
                    float[] bb = data(k * n + 1);
                    java.util.Arrays.fill(bb, 0, 4 < bb.length ? 4 : bb.length, 0.25f);
                    for (boolean trans : new boolean[] {false, true}) {
                        int ai = trans ? 1 : k;
                        int ak = trans ? m : 1;
                        float[] rv = new float[m * n];
                        float[] rs = new float[m * n];
                        java.util.Arrays.fill(rv, 9f);
                        V.gemmRows(0, m, n, k, a, 2, ai, ak, bb, 1, rv);
                        S.gemmRows(0, m, n, k, a, 2, ai, ak, bb, 1, rs);
                        close(rv, rs, k, "gemmRows " + m + "x" + n + "x" + k + (trans ? " transposed" : ""));
                    }
                }
            }
        }
    }

    private static void close(float[] got, float[] want, int k, String what) {
        for (int i = 0; i < want.length; i++) {
            assertThat((double) got[i]).as("%s at %d", what, i).isCloseTo(want[i], org.assertj.core.data.Offset.offset(1e-5 * k));
        }
    }
}
