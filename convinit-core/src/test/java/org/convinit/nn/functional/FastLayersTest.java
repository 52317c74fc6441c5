package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

import org.convinit.nn.functional.kernels.FastActivations;
import org.convinit.nn.functional.kernels.FastBatchNorm;
import org.convinit.nn.functional.kernels.FastLinear;
import org.convinit.nn.functional.kernels.FloatLayerKernel;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * The float32 fast layers against the reference loops (the float64 path, which computes in double
 * from the definitions): values and the gradients of {@code sum(y·G)} over a matrix of shapes, with
 * contiguous and permuted (non-contiguous) inputs, and with the vector and the scalar kernels.
 */
class FastLayersTest {
    private static final FloatLayerKernel[] KERNELS = {LayerKernels.floats(true), LayerKernels.floats(false)};
    private long seed = 1;

    /** A float64 leaf with values in [-2, 2]. */
    private Tensor leaf(int... shape) {
        return Tensor.empty(DType.FLOAT64, shape).uniform_(-2, 2, new Generator(seed++)).requiresGrad(true);
    }

    /** {@code x} as a non-contiguous view: the same values stored with the last dim first. */
    private static Tensor strided(Tensor x) {
        int r = x.dim();
        if (r < 2) return x;
        int[] toLast = new int[r];
        int[] back = new int[r];
        for (int i = 0; i < r; i++) toLast[i] = (i + 1) % r;
        for (int i = 0; i < r; i++) back[toLast[i]] = i;
        return x.permute(toLast).contiguous().permute(back);
    }

    /**
     * Runs {@code op} on float64 leaves (the reference) and on their float32 copies (contiguous, then
     * permuted), and compares outputs and every leaf's gradient.
     */
    private void compare(String what, Function<Tensor[], Tensor> op, double tol, Tensor... ref) {
        for (Tensor t : ref) if (t != null) t.setGrad(null);
        Tensor y64 = op.apply(ref);
        Tensor g = Tensor.empty(DType.FLOAT64, y64.shape().toArray()).uniform_(-1, 1, new Generator(seed++));
        y64.mul(g).sum().backward();
        for (boolean permute : new boolean[] {false, true}) {
            Tensor[] x32 = new Tensor[ref.length];
            Tensor[] in = new Tensor[ref.length];
            for (int i = 0; i < ref.length; i++) {
                if (ref[i] == null) continue;
                x32[i] = ref[i].detach().to(DType.FLOAT32).requiresGrad(ref[i].requiresGrad());
                in[i] = permute && i == 0 ? strided(x32[i]) : x32[i];
            }
            Tensor y32 = op.apply(in);
            assertThat(y32.dtype()).isEqualTo(DType.FLOAT32);
            assertThat(y32.shape()).as(what).isEqualTo(y64.shape());
            assertThat(y32.allClose(y64, tol, tol)).as("%s (permuted %s): output %s vs reference %s", what, permute, y32, y64).isTrue();
            y32.mul(g.to(DType.FLOAT32)).sum().backward();
            for (int i = 0; i < ref.length; i++) {
                if (ref[i] == null || !ref[i].requiresGrad()) continue;
                assertThat(x32[i].grad().allClose(ref[i].grad(), tol, tol)).as("%s (permuted %s): grad of input %d: %s vs %s", what,
                        permute, i, x32[i].grad(), ref[i].grad()).isTrue();
            }
        }
    }

    @Test
    void batchNormTrainAndEval() {
        int[][] shapes = {{4, 3, 5, 5}, {2, 5, 7}, {8, 4}, {3, 2, 9, 9}, {2, 3, 2, 3, 4}, {5, 2, 40}};
        for (int[] s : shapes) {
            for (FloatLayerKernel k : KERNELS) {
                int c = s[1];
                for (boolean affine : new boolean[] {true, false}) {
                    Tensor w = affine ? leaf(c) : null;
                    Tensor b = affine ? leaf(c) : null;
                    compare("batch_norm train " + k.name() + " " + java.util.Arrays.toString(s), x -> bn(k, x, null, null, true), 2e-5,
                            leaf(s), w, b);
                    Tensor rm = Tensor.empty(DType.FLOAT64, c).uniform_(-0.5, 0.5, new Generator(seed++));
                    Tensor rv = Tensor.empty(DType.FLOAT64, c).uniform_(0.5, 2, new Generator(seed++));
                    compare("batch_norm eval " + k.name() + " " + java.util.Arrays.toString(s), x -> bn(k, x, rm.to(x[0].dtype()),
                            rv.to(x[0].dtype()), false), 2e-5, leaf(s), w, b);
                }
            }
        }
    }

    private static Tensor bn(FloatLayerKernel k, Tensor[] x, Tensor rm, Tensor rv, boolean training) {
        if (x[0].dtype() == DType.FLOAT64) return F.batchNorm(x[0], rm, rv, x[1], x[2], training, 0.1, 1e-5);
        return FastBatchNorm.batchNorm(k, x[0], rm, rv, x[1], x[2], training || rm == null, training, 0.1, 1e-5);
    }

    @Test
    void batchNormRunningStatisticsMoveAsTheReference() {
        Tensor x = leaf(6, 3, 4, 5).detach();
        for (FloatLayerKernel k : KERNELS) {
            Tensor rm64 = Tensor.zeros(DType.FLOAT64, 3);
            Tensor rv64 = Tensor.ones(DType.FLOAT64, 3);
            Tensor rm32 = Tensor.zeros(DType.FLOAT32, 3);
            Tensor rv32 = Tensor.ones(DType.FLOAT32, 3);
            F.batchNorm(x, rm64, rv64, null, null, true, 0.3, 1e-5);
            FastBatchNorm.batchNorm(k, x.to(DType.FLOAT32), rm32, rv32, null, null, true, true, 0.3, 1e-5);
            assertThat(rm32.allClose(rm64, 1e-6, 1e-6)).as("running_mean %s vs %s", rm32, rm64).isTrue();
            assertThat(rv32.allClose(rv64, 1e-6, 1e-6)).as("running_var %s vs %s", rv32, rv64).isTrue();
        }
    }

    @Test
    void activations() {
        int[][] shapes = {{0}, {1}, {5}, {3, 17, 33}, {2, 4, 1, 7}};
        for (int[] s : shapes) {
            for (FloatLayerKernel k : KERNELS) {
                compare("relu " + k.name(), x -> x[0].dtype() == DType.FLOAT64 ? F.relu(x[0]) : FastActivations.relu(k, x[0], false), 1e-6, leaf(s));
                compare("leaky_relu " + k.name(), x -> x[0].dtype() == DType.FLOAT64 ? F.leakyRelu(x[0], 0.2)
                        : FastActivations.leakyRelu(k, x[0], 0.2), 1e-6, leaf(s));
            }
            compare("tanh", x -> F.tanh(x[0]), 1e-6, leaf(s));
            compare("sigmoid", x -> F.sigmoid(x[0]), 1e-6, leaf(s));
            compare("gelu", x -> F.gelu(x[0], "none"), 1e-6, leaf(s));
            compare("gelu tanh", x -> F.gelu(x[0], "tanh"), 1e-6, leaf(s));
        }
    }

    @Test
    void linear() {
        int[][] cases = {{5, 7, 3}, {64, 100, 10}, {9, 37, 19}, {1, 1, 1}, {17, 70, 33}, {33, 5, 40}};
        for (int[] c : cases) {
            for (FloatLayerKernel k : KERNELS) {
                for (boolean bias : new boolean[] {true, false}) {
                    compare("linear " + k.name() + " " + java.util.Arrays.toString(c), x -> lin(k, x), 2e-5, leaf(c[0], c[1]),
                            leaf(c[2], c[1]), bias ? leaf(c[2]) : null);
                }
            }
        }
        compare("linear 3-d input", x -> F.linear(x[0], x[1], x[2]), 2e-5, leaf(2, 3, 37), leaf(19, 37), leaf(19));
        compare("linear transposed weight", x -> F.linear(x[0], x[1].t(), x[2]), 2e-5, leaf(6, 21), leaf(21, 35), leaf(35));
    }

    @Test
    void maxPools() {
        compare("max_pool2d 2x2", x -> F.maxPool2d(x[0], 2), 1e-6, leaf(2, 3, 8, 8));
        compare("max_pool2d 2x2 odd", x -> F.maxPool2d(x[0], 2), 1e-6, leaf(2, 3, 9, 7));
        compare("max_pool2d 2x2 ceil", x -> F.maxPool2d(x[0], new int[] {2}, null, new int[] {0}, new int[] {1}, true), 1e-6,
                leaf(1, 2, 9, 7));
        compare("max_pool2d k3 s2 p1", x -> F.maxPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), 1e-6,
                leaf(2, 2, 11, 10));
        compare("max_pool2d dilation", x -> F.maxPool2d(x[0], new int[] {2, 3}, new int[] {1, 2}, new int[] {1, 1},
                new int[] {2, 1}, true), 1e-6, leaf(3, 7, 9));
        compare("max_pool1d", x -> F.maxPool1d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, new int[] {1}, false), 1e-6,
                leaf(2, 3, 12));
        compare("max_pool3d", x -> F.maxPool3d(x[0], new int[] {2}, new int[] {1, 2, 2}, new int[] {1, 0, 1}, new int[] {1}, true), 1e-6,
                leaf(2, 2, 4, 5, 6));
    }

    /**
     * The fast max pooling against the reference loops on the same float32 values over a matrix of sizes, kernels,
     * strides, paddings, dilations and ceil_mode, with ties, -inf and NaN (which propagates, first NaN's cell
     * taking the gradient): values bit for bit with and without a graph, gradients within float rounding.
     */
    @Test
    void maxPoolMatrixMatchesTheReference() {
        java.util.Random r = new java.util.Random(11);
        int[][] sizes = {{1, 1}, {5, 7}, {8, 8}, {13, 40}, {28, 28}, {31, 17}, {56, 57}};
        int[][] settings = {{2, 2, 0, 1}, {3, 2, 1, 1}, {3, 1, 1, 1}, {2, 1, 0, 1}, {3, 3, 0, 1}, {2, 2, 1, 1}, {3, 2, 1, 2},
            {4, 3, 2, 1}, {5, 4, 2, 1}, {1, 1, 0, 1}};
        for (int[] hw : sizes) {
            for (int[] kspd : settings) {
                for (boolean ceil : new boolean[] {false, true}) {
                    int[] k = {kspd[0]};
                    int[] st = {kspd[1]};
                    int[] pd = {kspd[2]};
                    int[] dl = {kspd[3]};
                    if ((hw[0] + 2 * pd[0] - dl[0] * (k[0] - 1) - 1) < 0 || (hw[1] + 2 * pd[0] - dl[0] * (k[0] - 1) - 1) < 0) continue;
                    float[] v = new float[2 * 3 * hw[0] * hw[1]];
                    for (int i = 0; i < v.length; i++) {
                        int c = r.nextInt(40);
                        v[i] = c == 0 ? Float.NaN : c == 1 ? Float.NEGATIVE_INFINITY : c < 20 ? r.nextInt(3) - 1 : (float) r.nextGaussian();
                    }
                    String what = "max_pool2d " + java.util.Arrays.toString(hw) + " k,s,p,d=" + java.util.Arrays.toString(kspd) + " ceil=" + ceil;
                    Tensor a = Tensor.of(v, 2, 3, hw[0], hw[1]).requiresGrad(true);
                    Tensor b = Tensor.of(v, 2, 3, hw[0], hw[1]).requiresGrad(true);
                    Tensor ya = Pooling.maxPoolReference(2, a, k, st, pd, dl, ceil);
                    Tensor yb = F.maxPool2d(b, k, st, pd, dl, ceil);
                    Tensor yn;
                    try (var g = org.convinit.autograd.GradMode.noGrad()) {
                        yn = F.maxPool2d(b, k, st, pd, dl, ceil);
                    }
                    assertThat(yb.toFloatArray()).as(what).containsExactly(ya.toFloatArray());
                    assertThat(yn.toFloatArray()).as(what + " without a graph").containsExactly(ya.toFloatArray());
                    Tensor gy = Tensor.empty(DType.FLOAT32, ya.shape().toArray()).uniform_(-1, 1, new Generator(seed++));
                    ya.backward(gy, false);
                    yb.backward(gy, false);
                    assertThat(b.grad().allClose(a.grad(), 1e-6, 1e-6)).as(what + " gradient").isTrue();
                }
            }
        }
    }

    /** Ties (values from {-1, 0, 1}): the gradient must reach the same (first) maximum as the reference's. */
    @Test
    void maxPoolTiesPickTheFirstMaximum() {
        java.util.Random r = new java.util.Random(5);
        double[] v = new double[2 * 3 * 10 * 10];
        for (int i = 0; i < v.length; i++) v[i] = r.nextInt(3) - 1;
        compare("max_pool2d 2x2 ties", t -> F.maxPool2d(t[0], 2), 1e-6, Tensor.of(v, 2, 3, 10, 10).requiresGrad(true));
        double[] w = new double[2 * 3 * 28 * 28]; // rows wide enough for the vector loop, with a shifted last chunk
        for (int i = 0; i < w.length; i++) w[i] = r.nextInt(3) - 1;
        compare("max_pool2d 2x2 ties 28x28", t -> F.maxPool2d(t[0], 2), 1e-6, Tensor.of(w, 2, 3, 28, 28).requiresGrad(true));
        compare("max_pool3d 1x2x2 ties", t -> F.maxPool3d(t[0], new int[] {1, 2, 2}, null, new int[] {0}, new int[] {1}, false), 1e-6,
                Tensor.of(w, 2, 3, 4, 14, 14).requiresGrad(true));
        compare("max_pool2d k3 ties", t -> F.maxPool2d(t[0], new int[] {3}, new int[] {1}, new int[] {1}, new int[] {1}, false), 1e-6,
                Tensor.of(v, 2, 3, 10, 10).requiresGrad(true));
    }

    @Test
    void avgAndAdaptivePools() {
        compare("avg_pool2d 2x2", x -> F.avgPool2d(x[0], 2), 1e-6, leaf(2, 3, 8, 8));
        compare("avg_pool2d pad exclude ceil", x -> F.avgPool2d(x[0], new int[] {3}, new int[] {2}, new int[] {1}, true, false, null),
                1e-6, leaf(2, 2, 9, 8));
        compare("avg_pool2d pad include", x -> F.avgPool2d(x[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 1}, false, true,
                null), 1e-6, leaf(2, 7, 6));
        compare("avg_pool2d divisor", x -> F.avgPool2d(x[0], new int[] {2}, new int[] {1}, new int[] {1}, false, true, 3), 1e-6,
                leaf(1, 2, 5, 5));
        compare("avg_pool1d", x -> F.avgPool1d(x[0], new int[] {4}, new int[] {3}, new int[] {2}, true, false), 1e-6, leaf(2, 3, 11));
        compare("avg_pool3d", x -> F.avgPool3d(x[0], new int[] {2, 3, 2}, new int[] {1, 2, 2}, new int[] {1, 1, 0}, false, false,
                null), 1e-6, leaf(2, 2, 4, 6, 5));
        compare("adaptive 3x2", x -> F.adaptiveAvgPool2d(x[0], 3, 2), 1e-6, leaf(2, 3, 7, 5));
        compare("adaptive 1", x -> F.adaptiveAvgPool2d(x[0], 1), 1e-6, leaf(4, 6, 6));
        compare("adaptive up", x -> F.adaptiveAvgPool2d(x[0], 9, null), 1e-6, leaf(1, 2, 4, 5));
    }

    @Test
    void crossEntropyFusedMatchesComposed() {
        Tensor target = Tensor.of(new long[] {0, 4, -100, 2, 2, 1}, 6);
        for (Losses.Reduction red : Losses.Reduction.values()) {
            for (double eps : new double[] {0, 0.1}) {
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    Tensor a = leaf(6, 5).detach().mul(3).to(dt).requiresGrad(true);
                    Tensor b = a.detach().clone().requiresGrad(true);
                    Tensor fused = Losses.crossEntropy(a, target, red, -100, eps);
                    Tensor composed = Losses.crossEntropyComposed(b, target, red, -100, eps);
                    double tol = dt == DType.FLOAT32 ? 1e-6 : 1e-12;
                    String what = "cross_entropy " + red + " eps " + eps + " " + dt;
                    assertThat(fused.allClose(composed, tol, tol)).as("%s: %s vs %s", what, fused, composed).isTrue();
                    Tensor g = Tensor.empty(dt, fused.shape().toArray()).uniform_(0.5, 1.5, new Generator(seed++));
                    fused.mul(g).sum().backward();
                    composed.mul(g).sum().backward();
                    assertThat(a.grad().allClose(b.grad(), tol, tol)).as("%s grad: %s vs %s", what, a.grad(), b.grad()).isTrue();
                }
            }
        }
    }

    @Test
    void logSoftmaxFusedMatchesComposed() {
        int[][] shapes = {{6, 5}, {3, 4, 5}, {7}, {2, 1, 3}};
        for (int[] shape : shapes) {
            for (int d = 0; d < shape.length; d++) {
                for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                    int dim = d;
                    Tensor a = leaf(shape).detach().mul(4).to(dt).requiresGrad(true);
                    Tensor b = a.detach().clone().requiresGrad(true);
                    Tensor fused = Losses.logSoftmax(a, dim);
                    Tensor composed = Losses.logSoftmaxComposed(b, dim);
                    double tol = dt == DType.FLOAT32 ? 2e-6 : 1e-12;
                    String what = "log_softmax " + java.util.Arrays.toString(shape) + " dim " + dim + " " + dt;
                    assertThat(fused.allClose(composed, tol, tol)).as("%s: %s vs %s", what, fused, composed).isTrue();
                    Tensor g = Tensor.empty(dt, shape).uniform_(-1, 1, new Generator(seed++));
                    fused.mul(g).sum().backward();
                    composed.mul(g).sum().backward();
                    assertThat(a.grad().allClose(b.grad(), tol, tol)).as("%s grad: %s vs %s", what, a.grad(), b.grad()).isTrue();
                }
            }
        }
    }

    /** The float32 dropout draws one random64 per element, as documented: recomputed here from the same generator. */
    @Test
    void dropoutMasksAndScalesAsDocumented() {
        Tensor x = leaf(3, 4, 5).detach().to(DType.FLOAT32);
        Tensor xs = strided(x);
        for (Tensor in : new Tensor[] {x, xs}) {
            Tensor y = F.dropout(in, 0.3, true, new Generator(11));
            Generator g = new Generator(11);
            float scale = 1.0f / (float) (1 - 0.3);
            float[] xv = in.contiguous().toFloatArray();
            float[] yv = y.toFloatArray();
            float[] expected = new float[xv.length];
            for (int i = 0; i < xv.length; i++) {
                boolean keep = (g.random64() & ((1L << 53) - 1)) * 0x1p-53 < 1 - 0.3;
                expected[i] = xv[i] * (keep ? scale : 0f);
                assertThat(Float.floatToRawIntBits(yv[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(expected[i]));
            }
        }
    }

    @Test
    void flattenOfContiguousInputIsAView() {
        Tensor x = leaf(4, 3, 5, 5).detach().to(DType.FLOAT32);
        Tensor f = F.flatten(x, 1, -1);
        assertThat(f.shape().toArray()).containsExactly(4, 75);
        assertThat(f.sharesStorageWith(x)).isTrue();
        Tensor s = strided(x); // stored batch-last: dims 1..3 still merge, a view
        assertThat(F.flatten(s, 1, -1).sharesStorageWith(s)).isTrue();
        assertThat(F.flatten(s, 1, -1).allClose(f, 0, 0)).isTrue();
        Tensor t = x.transpose(2, 3); // H and W swapped: dims 1..3 do not merge, a copy
        assertThat(F.flatten(t, 1, -1).sharesStorageWith(x)).isFalse();
        assertThat(F.flatten(t, 1, -1).allClose(t.contiguous().reshape(4, 75), 0, 0)).isTrue();
    }

    private static Tensor lin(FloatLayerKernel k, Tensor[] x) {
        if (x[0].dtype() == DType.FLOAT64) return F.linear(x[0], x[1], x[2]);
        return FastLinear.linear(k, x[0], x[1], x[2], x[0].size(0), x[0].size(1), x[1].size(0));
    }
}
