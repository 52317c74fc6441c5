package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * A Sequential's fused BatchNorm → ReLU against the same two layers called one by one (unfused): output, input,
 * weight and bias gradients and running statistics bit for bit, over ranks, train and eval, affine or not, tracked
 * statistics or not, float32 (fused) and float64 (two ops either way); hooks turn the fusion off.
 */
class SequentialFusionTest {
    private long seed = 11;

    private BatchNormNd bn(int rank, int c, boolean affine, boolean track, DType dtype) {
        BatchNormNd m = rank == 3 ? new BatchNorm1d(c, 1e-5, 0.2, affine, track, dtype)
                : rank == 4 ? new BatchNorm2d(c, 1e-5, 0.2, affine, track, dtype) : new BatchNorm3d(c, 1e-5, 0.2, affine, track, dtype);
        if (affine) {
            m.weight().detach().uniform_(0.5, 1.5, new Generator(seed++));
            m.bias().detach().uniform_(-0.5, 0.5, new Generator(seed++));
        }
        return m;
    }

    /** Output, gradients and buffers of two steps (train: the running statistics move between them). */
    private List<Tensor> run(int[] shape, boolean affine, boolean track, boolean training, DType dtype, boolean fused, boolean hook) {
        long s0 = seed;
        BatchNormNd norm = bn(shape.length, shape[1], affine, track, dtype);
        ReLU relu = new ReLU();
        Sequential seq = new Sequential(norm, relu);
        seq.train(training);
        if (hook) relu.registerForwardHook((m, in, out) -> null);
        List<Tensor> out = new ArrayList<>();
        for (int step = 0; step < 2; step++) {
            Tensor x = Tensor.empty(dtype, shape).uniform_(-2, 2, new Generator(seed++)).requiresGrad(true);
            Tensor y = fused ? seq.call(x) : relu.call(norm.call(x));
            y.backward(Tensor.empty(dtype, shape).uniform_(-1, 1, new Generator(seed++)), false);
            out.add(y.detach());
            out.add(x.grad());
            if (affine) {
                out.add(norm.weight().grad());
                out.add(norm.bias().grad());
            }
        }
        if (track) {
            out.add(norm.runningMean().clone());
            out.add(norm.runningVar().clone());
        }
        seed = s0;
        return out;
    }

    @Test
    void fusedBatchNormReluMatchesTheTwoLayersBitForBit() {
        int[][] shapes = {{4, 3, 17}, {2, 5, 7, 9}, {3, 2, 33, 20}, {2, 3, 2, 3, 4}, {64, 4, 14, 14}};
        for (int[] shape : shapes) {
            for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                for (boolean training : new boolean[] {true, false}) {
                    for (boolean affine : new boolean[] {true, false}) {
                        for (boolean track : new boolean[] {true, false}) {
                            String what = java.util.Arrays.toString(shape) + " " + dtype + " training=" + training + " affine=" + affine
                                    + " track=" + track;
                            List<Tensor> want = run(shape, affine, track, training, dtype, false, false);
                            for (boolean hook : new boolean[] {false, true}) {
                                List<Tensor> got = run(shape, affine, track, training, dtype, true, hook);
                                assertThat(got).hasSameSizeAs(want);
                                for (int i = 0; i < want.size(); i++) {
                                    assertThat(bits(got.get(i))).as("%s hook=%s: tensor %d %s vs %s", what, hook, i, got.get(i),
                                            want.get(i)).containsExactly(bits(want.get(i)));
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    private static long[] bits(Tensor t) {
        return java.util.Arrays.stream(t.toDoubleArray()).mapToLong(Double::doubleToRawLongBits).toArray();
    }

    /** Fused: one node named as ReLU's whose input is the Sequential's input; with a hook, the two nodes. */
    @Test
    void fusedNodeIsOneReluBackward() {
        ReLU relu = new ReLU();
        Sequential seq = new Sequential(new BatchNorm2d(3), relu);
        Tensor x = Tensor.empty(DType.FLOAT32, 2, 3, 4, 4).uniform_(-1, 1, new Generator(1)).requiresGrad(true);
        Tensor y = seq.call(x);
        assertThat(y.gradFn().name()).isEqualTo("ReluBackward0");
        assertThat(y.gradFn().inputs().get(0)).isSameAs(x);
        relu.registerForwardHook((m, in, out) -> null);
        Tensor z = seq.call(x);
        assertThat(z.gradFn().inputs().get(0).gradFn().name()).isEqualTo("NativeBatchNormBackward0");
    }
}
