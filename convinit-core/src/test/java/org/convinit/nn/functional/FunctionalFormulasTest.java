package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.reference.ReferenceConvTranspose;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Exact, table-driven checks of the formulas the functional layer documents. */
class FunctionalFormulasTest {

    /** glibc's erf (Python's math.erf) at these points; ours is within about 1e-15 relative. */
    static final double[][] ERF = {
        {0.0, 0.0}, {1e-10, 1.1283791670955126e-10}, {0.1, 0.1124629160182849}, {0.5, 0.5204998778130465},
        {-0.5, -0.5204998778130465}, {1.0, 0.8427007929497149}, {1.5, 0.9661051464753108}, {-2.0, -0.9953222650189527},
        {2.5, 0.999593047982555}, {2.99, 0.9999764743969194}, {3.0, 0.9999779095030014}, {3.5, 0.9999992569016276},
        {-4.0, -0.9999999845827421}, {5.0, 0.9999999999984626}, {6.0, 1.0}, {0.7071067811865476, 0.682689492137086},
        {-0.001, -0.0011283787909692365},
    };

    @Test
    void erfMatchesGlibcClosely() {
        for (double[] c : ERF) assertThat(F.erf(c[0])).as("erf(%s)", c[0]).isCloseTo(c[1], within(Math.abs(c[1]) * 1.2e-15));
        assertThat(F.erf(Double.NaN)).isNaN();
        assertThat(F.erf(Double.NEGATIVE_INFINITY)).isEqualTo(-1.0);
    }

    @Test
    void poolingOutputSizeFollowsTorch() {
        // floor((in + 2p - d(k-1) - 1) / s) + 1
        assertThat(Pooling.outputSize(7, 2, 0, 2, 1, false)).isEqualTo(3);
        assertThat(Pooling.outputSize(7, 2, 0, 2, 1, true)).isEqualTo(4);
        // ceil mode: the last window must start inside the input or the left padding: 8, k3, s2 -> 4 (not 5)
        assertThat(Pooling.outputSize(8, 3, 0, 2, 1, true)).isEqualTo(4);
        assertThat(Pooling.outputSize(6, 3, 1, 2, 1, true)).isEqualTo(4);
        assertThat(Pooling.outputSize(5, 2, 1, 2, 1, true)).isEqualTo(3); // 4 would start in the right padding
        assertThat(Pooling.outputSize(9, 2, 1, 1, 2, false)).isEqualTo(9);
        assertThat(Pooling.outputSize(1, 3, 0, 1, 1, false)).isEqualTo(-1);
        // adaptive windows: [floor(i·in/out), ceil((i+1)·in/out))
        assertThat(new int[] {Pooling.start(0, 3, 7), Pooling.end(0, 3, 7), Pooling.start(1, 3, 7), Pooling.end(1, 3, 7),
                Pooling.start(2, 3, 7), Pooling.end(2, 3, 7)}).containsExactly(0, 3, 2, 5, 4, 7);
    }

    @Test
    void transposedOutputSizeFollowsTorch() {
        // (in-1)·s - 2p + d(k-1) + op + 1
        assertThat(transposedSize(5, 4, 2, 1, 0, 1)).isEqualTo(10);
        assertThat(transposedSize(5, 3, 2, 1, 1, 1)).isEqualTo(10);
        assertThat(transposedSize(4, 3, 3, 0, 2, 1)).isEqualTo(14);
        assertThatThrownBy(() -> transposedSize(2, 3, 1, 3, 0, 1)).hasMessageContaining("Calculated output size per channel: (-2)");
    }

    /** The output size of a 1-d transposed convolution as the spec computes it. */
    static int transposedSize(int in, int k, int s, int p, int op, int d) {
        Tensor x = Tensor.zeros(DType.FLOAT64, 1, 1, in);
        Tensor w = Tensor.zeros(DType.FLOAT64, 1, 1, k);
        int[][] a = {{s}, {p}, {op}, {d}};
        return ConvParams.function(1, true, a[0], a[1], a[1], null, a[2], a[3], 1).bind(x, w, null, true).output().get(2);
    }

    @Test
    void transposedConvolutionIsTheAdjointOfConvolution() {
        // <conv(x, w), y> = <x, conv_transpose(y, w)> for every stride/padding/dilation/groups: checks the
        // reference ConvTranspose against the reference Conv without torch.
        java.util.Random r = new java.util.Random(11);
        int[][] cfg = {{1, 0, 1, 1}, {2, 1, 1, 2}, {3, 2, 2, 1}, {2, 0, 2, 3}};
        for (int[] c : cfg) {
            int s = c[0], p = c[1], d = c[2], g = c[3];
            Tensor x = rand(r, 2, 3 * g, 9, 8);
            Tensor w = rand(r, 2 * g, 3, 3, 2);
            Tensor y = F.conv2d(x, w, null, new int[] {s}, new int[] {p}, new int[] {d}, g);
            Tensor v = rand(r, y.shape().toArray());
            int[] op = new int[2];
            for (int i = 0; i < 2; i++) {
                op[i] = x.size(2 + i) - transposedSize(y.size(2 + i), w.size(2 + i), s, p, 0, d);
            }
            Tensor xt = F.convTranspose2d(v, w, null, new int[] {s}, new int[] {p}, op, g, new int[] {d});
            assertThat(xt.shape()).isEqualTo(x.shape());
            assertThat(dot(y, v)).isCloseTo(dot(x, xt), within(1e-9 * Math.abs(dot(y, v)) + 1e-12));
        }
    }

    @Test
    void transposedKernelAgreesWithTheNaiveReference() {
        java.util.Random r = new java.util.Random(21);
        // {dims, stride, padding, outputPadding, dilation, groups}
        int[][] cfg = {{1, 2, 1, 1, 1, 1}, {2, 1, 0, 0, 1, 2}, {2, 2, 1, 1, 2, 3}, {2, 3, 2, 0, 1, 1}, {3, 2, 0, 1, 1, 2}};
        for (int[] c : cfg) {
            int dims = c[0];
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                int[] xs = new int[dims + 2];
                int[] ws = new int[dims + 2];
                xs[0] = 2;
                xs[1] = 2 * c[5];
                ws[0] = xs[1];
                ws[1] = 3;
                for (int i = 0; i < dims; i++) {
                    xs[2 + i] = 4 + i;
                    ws[2 + i] = 2 + (i % 2);
                }
                Tensor x = rand(r, xs).to(dt);
                Tensor w = rand(r, ws).to(dt);
                Tensor b = rand(r, 3 * c[5]).to(dt);
                int[] s = {c[1]};
                int[] p = {c[2]};
                int[] op = {c[3]};
                int[] d = {c[4]};
                Tensor fast = F.convTranspose(dims, x, w, b, s, p, op, d, c[5]);
                Tensor ref = ReferenceConvTranspose.convTranspose(dims, x, w, b, s, p, op, d, c[5]);
                assertThat(fast.shape()).isEqualTo(ref.shape());
                double scale = 0;
                double err = 0;
                double[] a = fast.toDoubleArray();
                double[] e = ref.toDoubleArray();
                for (int i = 0; i < a.length; i++) {
                    scale = Math.max(scale, Math.abs(e[i]));
                    err = Math.max(err, Math.abs(a[i] - e[i]));
                }
                assertThat(err / scale).as("%s %s", java.util.Arrays.toString(c), dt).isLessThanOrEqualTo(dt == DType.FLOAT32 ? 1e-5 : 1e-12);
            }
        }
    }

    static Tensor rand(java.util.Random r, int... shape) {
        long n = 1;
        for (int v : shape) n *= v;
        double[] a = new double[(int) n];
        for (int i = 0; i < a.length; i++) a[i] = r.nextGaussian();
        return Tensor.of(a, shape);
    }

    static double dot(Tensor a, Tensor b) {
        double[] x = a.toDoubleArray();
        double[] y = b.toDoubleArray();
        double s = 0;
        for (int i = 0; i < x.length; i++) s += x[i] * y[i];
        return s;
    }

    @Test
    void dropoutIsIdentityInEvalAndScalesKeptValuesInTraining() {
        Tensor x = Tensor.full(DType.FLOAT32, 2, 1000);
        assertThat(F.dropout(x, 0.3, false, null)).isSameAs(x);
        assertThat(F.dropout(x, 0.0, true, null)).isSameAs(x);
        Tensor y = F.dropout(x, 0.3, true, new org.convinit.random.Generator(5));
        int kept = 0;
        for (float v : y.toFloatArray()) {
            if (v != 0) {
                kept++;
                assertThat(v).isEqualTo(2f * (1f / 0.7f));
            }
        }
        // Binomial(1000, 0.7): mean 700, sd 14.5; 5 sd
        assertThat(kept).isBetween(627, 773);
        assertThat(F.dropout(x, 1.0, true, null).toFloatArray()).containsOnly(0f);
    }

    @Test
    void dropoutGradientIsTheMaskTimesTheScale() {
        Tensor x = Tensor.full(DType.FLOAT64, 3, 200).requiresGrad(true);
        Tensor y = F.dropout(x, 0.25, true, new org.convinit.random.Generator(9));
        y.sum().backward();
        double[] g = x.grad().toDoubleArray();
        double[] v = y.detach().toDoubleArray();
        for (int i = 0; i < g.length; i++) assertThat(g[i]).isEqualTo(v[i] == 0 ? 0 : 1 / 0.75);
    }
}
