package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import java.util.Arrays;

import org.convinit.internal.Parallel;
import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.ConvSpec;
import org.convinit.nn.functional.internal.FastConvBackward;
import org.convinit.nn.functional.internal.reference.ReferenceConv;
import org.convinit.nn.functional.internal.reference.ReferenceConvBackward;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/**
 * Convolution gradients: the reference's against finite differences and torch autograd; the fast
 * path's (grouped, depthwise, strided, dilated, asymmetric padding) against the gather-form
 * reference on both kernels and thread counts, and against torch autograd; transposed ones against
 * finite differences.
 */
class ConvBackwardTest {

    record Cfg(int dims, int[] x, int[] w, int[] stride, int[] pad, int[] dil, int groups, PaddingMode mode, boolean bias) {}

    static final Cfg[] CASES = {
        new Cfg(2, new int[] {2, 4, 5, 6}, new int[] {6, 2, 3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, PaddingMode.ZEROS, true),
        new Cfg(1, new int[] {2, 3, 7}, new int[] {3, 1, 3}, new int[] {1}, new int[] {2}, new int[] {1}, 3, PaddingMode.REFLECT, false),
        new Cfg(2, new int[] {1, 2, 4, 4}, new int[] {3, 2, 3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.CIRCULAR, true),
        new Cfg(2, new int[] {1, 2, 4, 5}, new int[] {2, 2, 2, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.REPLICATE, true),
        new Cfg(3, new int[] {1, 2, 3, 4, 3}, new int[] {2, 1, 2, 2, 2}, new int[] {1, 2, 1}, new int[] {1, 0, 1}, new int[] {1, 1, 2}, 2, PaddingMode.ZEROS, true),
        new Cfg(2, new int[] {3, 5, 5}, new int[] {2, 3, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, PaddingMode.ZEROS, true),
    };

    static Tensor run(Cfg c, Tensor x, Tensor w, Tensor b) {
        return ReferenceConv.conv(c.dims(), x, w, b, c.stride(), c.pad(), c.pad(), c.dil(), c.groups(), c.mode());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int seed = 0;
        for (Cfg c : CASES) {
            Tensor x = leaf(seed++, -1, 1, c.x());
            Tensor w = leaf(seed++, -1, 1, c.w());
            Tensor b = c.bias() ? leaf(seed++, -1, 1, c.w()[0]) : null;
            if (b != null) check(c.toString(), a -> run(c, a[0], a[1], a[2]), x, w, b);
            else check(c.toString(), a -> run(c, a[0], a[1], null), x, w);
        }
    }

    /** Fast-path cases: grouped, depthwise, channel multiplier, strided, dilated, asymmetric padding, 1-3 dims. */
    record Fast(String name, int[] x, int[] w, int[] stride, int[] padBefore, int[] padAfter, int[] dil, int groups) {
        int dims() {
            return stride.length;
        }

        @Override
        public String toString() {
            return name + " x" + Arrays.toString(x) + " w" + Arrays.toString(w) + " s" + Arrays.toString(stride) + " p"
                    + Arrays.toString(padBefore) + "/" + Arrays.toString(padAfter) + " d" + Arrays.toString(dil) + " g" + groups;
        }
    }

    static final Fast[] FAST = {
        new Fast("3x3", a(3, 4, 9, 8), a(5, 4, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        new Fast("strided dilated", a(2, 3, 11, 10), a(4, 3, 3, 2), a(2, 3), a(1, 0), a(1, 0), a(2, 1), 1),
        new Fast("grouped", a(2, 6, 7, 8), a(9, 2, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 3),
        new Fast("grouped strided dilated", a(2, 4, 11, 9), a(6, 2, 3, 2), a(2, 1), a(1, 0), a(1, 0), a(1, 2), 2),
        new Fast("depthwise", a(2, 8, 9, 10), a(8, 1, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 8),
        new Fast("depthwise s2 d2", a(3, 5, 12, 11), a(5, 1, 3, 3), a(2, 2), a(2, 1), a(1, 2), a(2, 2), 5),
        new Fast("channel multiplier", a(2, 3, 8, 7), a(6, 1, 3, 2), a(1, 2), a(1, 0), a(0, 1), a(1, 1), 3),
        new Fast("channel multiplier 8 (GEMM path)", a(2, 2, 7, 6), a(16, 1, 3, 3), a(2, 1), a(0, 1), a(1, 0), a(1, 2), 2),
        new Fast("1d depthwise strided", a(3, 4, 19), a(4, 1, 5), a(2), a(3), a(1), a(2), 4),
        new Fast("asymmetric 'same' even kernel", a(2, 3, 7, 6), a(4, 3, 4, 2), a(1, 1), a(1, 0), a(2, 1), a(1, 1), 1),
        new Fast("asymmetric strided", a(1, 2, 13, 12), a(3, 2, 4, 5), a(3, 2), a(2, 0), a(1, 3), a(1, 1), 1),
        new Fast("1d grouped", a(4, 4, 17), a(6, 2, 4), a(3), a(2), a(0), a(2), 2),
        new Fast("3d grouped", a(2, 4, 5, 6, 7), a(4, 2, 2, 3, 2), a(2, 1, 2), a(1, 1, 0), a(0, 1, 1), a(1, 2, 1), 2),
        new Fast("3d depthwise", a(1, 3, 4, 5, 6), a(3, 1, 3, 3, 3), a(1, 2, 1), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), 3),
        new Fast("1 channel 28x28", a(2, 1, 28, 28), a(8, 1, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        // dW of short reductions, stride 1, 1-2 dims on FloatWeightGrad's shifted planes (dY read in place): odd widths,
        // batch 1, padding 0/1/2 (asymmetric), dilation, 1 d, groups (C · kernel width ≤ O)
        new Fast("shifted planes 1 channel 28x28 batch 1", a(1, 1, 28, 28), a(32, 1, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        new Fast("shifted planes 5x5 pad 2 odd", a(3, 1, 13, 11), a(6, 1, 5, 5), a(1, 1), a(2, 2), a(2, 2), a(1, 1), 1),
        new Fast("shifted planes pad 0", a(2, 2, 9, 7), a(7, 2, 3, 3), a(1, 1), a(0, 0), a(0, 0), a(1, 1), 1),
        new Fast("shifted planes asymmetric dilated", a(2, 3, 10, 9), a(6, 3, 3, 2), a(1, 1), a(2, 0), a(0, 1), a(2, 3), 1),
        new Fast("shifted planes 1d", a(2, 2, 31), a(10, 2, 5), a(1), a(2), a(2), a(1), 1),
        new Fast("shifted planes grouped batch 10", a(10, 4, 7, 5), a(12, 2, 3, 3), a(1, 1), a(1, 1), a(0, 1), a(1, 1), 2),
        // dX of few input channels per group on FloatNarrowConv (stride 1): dilated, asymmetric, 1-3 dims, grouped
        new Fast("few channels dilated 3d", a(2, 2, 5, 6, 7), a(5, 2, 2, 3, 2), a(1, 1, 1), a(1, 2, 0), a(0, 1, 1), a(1, 2, 2), 1),
        new Fast("few channels 1d dilated", a(3, 3, 40), a(4, 3, 5), a(1), a(3), a(4), a(2), 1),
        new Fast("few channels grouped 2d", a(2, 6, 19, 23), a(12, 3, 3, 5), a(1, 1), a(0, 2), a(2, 1), a(1, 1), 2),
        // weight-gradient chunks of 8 images: two full chunks and a partial one, and a grouped one across chunks
        new Fast("batch 19 (chunks 8+8+3)", a(19, 3, 6, 5), a(5, 3, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        new Fast("batch 11 grouped strided", a(11, 4, 9, 7), a(6, 2, 3, 2), a(2, 1), a(1, 0), a(0, 1), a(1, 1), 2),
        // weight gradient on the GEMM path (C/groups · kernel volume ≥ FloatWeightGrad.GEMM_MIN_K): reductions and
        // channel counts that are not whole tiles, more channels than one tile holds, every layout
        new Fast("GEMM dW 3x3 7 -> 20", a(3, 7, 9, 7), a(20, 7, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        new Fast("GEMM dW grouped", a(2, 10, 8, 9), a(12, 5, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 2),
        new Fast("GEMM dW strided dilated 34 out", a(3, 6, 13, 11), a(34, 6, 3, 2), a(2, 1), a(1, 0), a(0, 2), a(1, 2), 1),
        new Fast("GEMM dW 3d", a(2, 5, 5, 6, 7), a(9, 5, 2, 2, 2), a(1, 2, 1), a(1, 0, 1), a(0, 1, 1), a(1, 1, 2), 1),
        new Fast("GEMM dW 1d strided", a(3, 12, 20), a(7, 12, 3), a(2), a(1), a(2), a(1), 1),
        // more wide positions than one pass of the GEMM's tiles takes (tile sums carried across blocks of positions)
        new Fast("GEMM dW positions in blocks", a(3, 4, 21, 19), a(33, 4, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
        new Fast("GEMM dW positions in blocks, strided dilated grouped", a(2, 8, 41, 23), a(6, 4, 3, 3), a(2, 1), a(2, 1), a(0, 2),
                a(2, 1), 2),
        // the GEMM path's chunks of images (each summed in the tiles before one add into double): on shifted planes
        // (narrow output) 8 + 8 + 5 images, grouped, asymmetric padding; on the padded buffer (wide output) 8 + 3
        new Fast("GEMM dW shifted planes, chunks 8+8+5, grouped", a(21, 8, 6, 5), a(10, 4, 3, 3), a(1, 1), a(1, 0), a(0, 1), a(1, 1), 2),
        new Fast("GEMM dW padded buffer, chunks 8+3", a(11, 4, 6, 41), a(9, 4, 3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1),
    };

    static int[] a(int... v) {
        return v;
    }

    @Test
    void fastGradientsEqualTheGatherReferenceOnBothPathsAndThreadCounts() {
        int saved = Parallel.threads();
        int seed = 300;
        try {
            for (Fast c : FAST) {
                for (DType dt : new DType[] {DType.FLOAT64, DType.FLOAT32}) {
                    Tensor x = leaf(seed++, -1, 1, c.x()).detach().to(dt);
                    Tensor w = leaf(seed++, -1, 1, c.w()).detach().to(dt);
                    ConvSpec spec = ConvParams.function(c.dims(), false, c.stride(), c.padBefore(), c.padAfter(), null, a(0), c.dil(),
                            c.groups()).bind(x, w, null, true);
                    Tensor gy = leaf(seed++, -1, 1, spec.output().toArray()).detach().to(dt);
                    Tensor[] ref = ReferenceConvBackward.grads(x, w, true, gy, ReferenceConv.gatherIndex(spec, PaddingMode.ZEROS),
                            c.groups());
                    for (boolean vector : new boolean[] {true, false}) {
                        for (int threads : new int[] {1, 2}) {
                            Parallel.setThreads(threads);
                            Tensor[] fast = FastConvBackward.grads(spec, x, w, true, gy, true, true, vector);
                            assertThat(FastConvBackward.grads(spec, x, w, false, gy, false, true, vector)).as("only dW").satisfies(g -> {
                                assertThat(g[0]).isNull();
                                assertThat(g[2]).isNull();
                                ConvKernelsTest.assertClose(g[1], ref[1], dt, c + " dW alone");
                            });
                            assertThat(FastConvBackward.grads(spec, x, w, false, gy, true, false, vector)).as("only dX").satisfies(g -> {
                                assertThat(g[1]).as("a frozen weight's gradient is not computed").isNull();
                                assertThat(g[2]).isNull();
                                assertThat(g[0].toDoubleArray()).as(c + " dX alone: the same bits").containsExactly(fast0(spec, x, w, gy, vector));
                            });
                            for (int j = 0; j < 3; j++) {
                                ConvKernelsTest.assertClose(fast[j], ref[j], dt, c + " " + dt + " grad " + j + " vector=" + vector
                                        + " threads=" + threads);
                            }
                        }
                    }
                }
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    private static double[] fast0(ConvSpec spec, Tensor x, Tensor w, Tensor gy, boolean vector) {
        return FastConvBackward.grads(spec, x, w, true, gy, true, true, vector)[0].toDoubleArray();
    }

    /**
     * A frozen conv layer (weight and bias with requires_grad=False, as when fine-tuning only a head): x.grad is the
     * same as with the weight trainable, and the weight and bias get no gradient, as in torch.
     */
    @Test
    void aFrozenWeightGetsNoGradientAndTheInputGradientIsUnchanged() {
        for (int[] shape : new int[][] {{2, 32, 14, 14, 64}, {2, 3, 9, 10, 8}}) { // Winograd, then the direct GEMM
            Tensor x = leaf(11, -1, 1, shape[0], shape[1], shape[2], shape[3]);
            Tensor w = leaf(12, -1, 1, shape[4], shape[1], 3, 3);
            Tensor b = leaf(13, -1, 1, shape[4]);
            Tensor gy = leaf(14, -1, 1, shape[0], shape[4], shape[2], shape[3]).detach();
            F.conv2d(x, w, b, a(1, 1), a(1, 1), a(1, 1), 1).backward(gy, false);
            double[] trainable = x.grad().toDoubleArray();
            x.setGrad(null);
            w.setGrad(null);
            b.setGrad(null);
            w.requiresGrad(false);
            b.requiresGrad(false);
            F.conv2d(x, w, b, a(1, 1), a(1, 1), a(1, 1), 1).backward(gy, false);
            assertThat(x.grad().toDoubleArray()).as(Arrays.toString(shape)).containsExactly(trainable);
            assertThat(w.grad()).isNull();
            assertThat(b.grad()).isNull();
        }
    }

    /**
     * The weight gradient's per-worker partial sums cover the same images on every run (contiguous ranges, added in
     * worker order), so two threads give the same bits each time — once items went to whichever worker was free, and
     * a training run repeated in one JVM drifted in the last bits. Both paths: dot tiles (reduction 9) and the GEMM (one pass of positions, and blocks of them).
     */
    @Test
    void weightGradientHasTheSameBitsOnEveryRunAndThreadCount() {
        int saved = Parallel.threads();
        try {
            Parallel.setThreads(2);
            int seed = 900;
            for (int[] shape : new int[][] {{16, 1, 12, 12, 8}, {16, 6, 9, 9, 10}, {6, 4, 20, 20, 9}}) {
                Tensor x = leaf(seed++, -1, 1, shape[0], shape[1], shape[2], shape[3]).detach().to(DType.FLOAT32);
                Tensor w = leaf(seed++, -1, 1, shape[4], shape[1], 3, 3).detach().to(DType.FLOAT32);
                ConvSpec spec = ConvParams.function(2, false, a(1, 1), a(1, 1), a(1, 1), null, a(0), a(1, 1), 1).bind(x, w, null, true);
                Tensor gy = leaf(seed++, -1, 1, spec.output().toArray()).detach().to(DType.FLOAT32);
                float[] first = FastConvBackward.grads(spec, x, w, false, gy, false, true, true)[1].toFloatArray();
                for (int run = 0; run < 40; run++) {
                    float[] again = FastConvBackward.grads(spec, x, w, false, gy, false, true, true)[1].toFloatArray();
                    assertThat(again).as("run %d of %s", run, Arrays.toString(shape)).containsExactly(first);
                }
                // images are summed in float32 one image (or one fixed chunk) at a time, then in double: one thread gives
                // the same floats (what a study's cell running kernels inline computes)
                Parallel.setThreads(1);
                assertThat(FastConvBackward.grads(spec, x, w, false, gy, false, true, true)[1].toFloatArray()).as("1 thread, %s",
                        Arrays.toString(shape)).containsExactly(first);
                Parallel.setThreads(2);
            }
        } finally {
            Parallel.setThreads(saved);
        }
    }

    /**
     * The weight gradient keeps its worker scratches (padded inputs, transposed gradients) for the next call of the
     * same layout: calls that alternate between paddings after with the same output size but other phase-plane
     * extents (stride 2) must not reuse each other's layout. Both paths (reduction 12 and 32).
     */
    @Test
    void weightGradientAlternatingLayoutsEqualsTheReference() {
        int seed = 950;
        for (int channels : new int[] {3, 8}) {
            for (int round = 0; round < 2; round++) {
                for (int padAfter : new int[] {0, 1}) {
                    Tensor x = leaf(seed++, -1, 1, 2, channels, 9, 9).detach().to(DType.FLOAT32);
                    Tensor w = leaf(seed++, -1, 1, 4, channels, 2, 2).detach().to(DType.FLOAT32);
                    ConvSpec spec = ConvParams.function(2, false, a(2, 2), a(1, 1), a(padAfter, padAfter), null, a(0), a(1, 1), 1)
                            .bind(x, w, null, true);
                    Tensor gy = leaf(seed++, -1, 1, spec.output().toArray()).detach().to(DType.FLOAT32);
                    Tensor[] ref = ReferenceConvBackward.grads(x, w, false, gy, ReferenceConv.gatherIndex(spec, PaddingMode.ZEROS), 1);
                    ConvKernelsTest.assertClose(FastConvBackward.grads(spec, x, w, false, gy, false, true, true)[1], ref[1], DType.FLOAT32,
                            "C " + channels + " padding after " + padAfter + " round " + round);
                }
            }
        }
    }

    @Test
    void transposedGradientsMatchFiniteDifferences() {
        // {dims, stride, padding, outputPadding, dilation, groups}
        int[][] cfg = {{2, 2, 1, 1, 1, 1}, {2, 1, 0, 0, 2, 3}, {1, 3, 1, 2, 1, 2}, {2, 2, 1, 0, 2, 4}, {3, 2, 0, 1, 1, 2}};
        int seed = 700;
        for (int[] c : cfg) {
            int dims = c[0];
            int[] xs = new int[dims + 2];
            int[] ws = new int[dims + 2];
            xs[0] = 2;
            xs[1] = 2 * c[5];
            ws[0] = xs[1];
            ws[1] = c[5] == 4 ? 1 : 2;
            for (int i = 0; i < dims; i++) {
                xs[2 + i] = 3 + i;
                ws[2 + i] = 2 + (i % 2);
            }
            Tensor x = leaf(seed++, -1, 1, xs);
            Tensor w = leaf(seed++, -1, 1, ws);
            Tensor b = leaf(seed++, -1, 1, ws[1] * c[5]);
            check(Arrays.toString(c), t -> F.convTranspose(dims, t[0], t[1], t[2], a(c[1]), a(c[2]), a(c[3]), a(c[4]), c[5]), x, w, b);
        }
    }

    @Test
    void fastGradientsMatchTorchAutograd() {
        Torch.require();
        StringBuilder py = new StringBuilder(PRELUDE);
        int seed = 900;
        Tensor[][] mine = new Tensor[FAST.length][];
        for (int i = 0; i < FAST.length; i++) {
            Fast c = FAST[i];
            Tensor x = leaf(seed++, -1, 1, c.x());
            Tensor w = leaf(seed++, -1, 1, c.w());
            Tensor b = leaf(seed++, -1, 1, c.w()[0]);
            Tensor y = F.convPadded(c.dims(), x, w, b, c.stride(), c.padBefore(), c.padAfter(), c.dil(), c.groups());
            Tensor gy = leaf(seed++, -1, 1, y.shape().toArray()).detach();
            y.backward(gy, false);
            mine[i] = new Tensor[] {x.grad(), w.grad(), b.grad()};
            StringBuilder pad = new StringBuilder("(");
            for (int d = c.dims() - 1; d >= 0; d--) pad.append(c.padBefore()[d]).append(',').append(c.padAfter()[d]).append(',');
            py.append(tensors(x, w, b, gy, c.x(), c.w()))
                    .append("y = F.conv").append(c.dims()).append("d(F.pad(x, ").append(pad).append(")), w, b, stride=")
                    .append(tuple(c.stride())).append(", dilation=").append(tuple(c.dil())).append(", groups=").append(c.groups())
                    .append(")\ny.backward(gy)\npr(x.grad); pr(w.grad); pr(b.grad)\n");
        }
        compare(Torch.run(py.toString()), mine);
    }

    static final String PRELUDE = "import torch, torch.nn.functional as F\n"
            + "def t(s, shape): return torch.tensor([float.fromhex(v) for v in s.split(',') if v], dtype=torch.float64).reshape(shape).requires_grad_(True)\n"
            + "def pr(v): print(' '.join(a.hex() for a in v.detach().flatten().tolist()))\n";

    @Test
    void gradientsMatchTorchAutograd() {
        Torch.require();
        StringBuilder py = new StringBuilder(PRELUDE);
        int seed = 100;
        Tensor[][] mine = new Tensor[CASES.length][];
        for (int i = 0; i < CASES.length; i++) {
            Cfg c = CASES[i];
            Tensor x = leaf(seed++, -1, 1, c.x());
            Tensor w = leaf(seed++, -1, 1, c.w());
            Tensor b = leaf(seed++, -1, 1, c.w()[0]);
            Tensor gy = leaf(seed++, -1, 1, run(c, x.detach(), w.detach(), b.detach()).shape().toArray()).detach();
            run(c, x, w, b).backward(gy, false);
            mine[i] = new Tensor[] {x.grad(), w.grad(), b.grad()};
            String pad = c.mode() == PaddingMode.ZEROS ? tuple(c.pad()) : "0";
            py.append(tensors(x, w, b, gy, c.x(), c.w()))
                    .append("xin = x if x.dim() == ").append(c.dims() + 2).append(" else x.unsqueeze(0)\n");
            if (c.mode() != PaddingMode.ZEROS) {
                StringBuilder rev = new StringBuilder("(");
                for (int d = c.dims() - 1; d >= 0; d--) rev.append(c.pad()[d]).append(',').append(c.pad()[d]).append(',');
                py.append("xin = F.pad(xin, ").append(rev).append("), mode='").append(c.mode().torchName()).append("')\n");
            }
            py.append("y = F.conv").append(c.dims()).append("d(xin, w, b, stride=").append(tuple(c.stride())).append(", padding=")
                    .append(pad).append(", dilation=").append(tuple(c.dil())).append(", groups=").append(c.groups()).append(")\n")
                    .append("y = y if x.dim() == ").append(c.dims() + 2).append(" else y.squeeze(0)\n")
                    .append("y.backward(gy)\npr(x.grad); pr(w.grad); pr(b.grad)\n");
        }
        compare(Torch.run(py.toString()), mine);
    }

    private static String tensors(Tensor x, Tensor w, Tensor b, Tensor gy, int[] xShape, int[] wShape) {
        return "x = t('" + hex(x) + "', " + tuple(xShape) + ")\nw = t('" + hex(w) + "', " + tuple(wShape) + ")\nb = t('" + hex(b)
                + "', (" + wShape[0] + ",))\ngy = t('" + hex(gy) + "', " + tuple(gy.shape().toArray()) + ")\n";
    }

    /** Three lines of hex floats per case (x, w, b gradients) against ours, to 1e-12. */
    private static void compare(String torchOut, Tensor[][] mine) {
        String[] lines = torchOut.strip().split("\n");
        for (int i = 0; i < mine.length; i++) {
            for (int k = 0; k < 3; k++) {
                String[] parts = lines[3 * i + k].split(" ");
                double[] m = mine[i][k].toDoubleArray();
                assertThat(m).hasSize(parts.length);
                for (int j = 0; j < parts.length; j++) {
                    assertThat(Math.abs(m[j] - Double.parseDouble(parts[j]))).as("case %d grad %d [%d]", i, k, j).isLessThan(1e-12);
                }
            }
        }
    }

    private static String hex(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (double v : t.detach().toDoubleArray()) sb.append(Double.toHexString(v)).append(',');
        return sb.toString();
    }

    private static String tuple(int[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int x : v) sb.append(x).append(',');
        return sb.append(')').toString();
    }
}
