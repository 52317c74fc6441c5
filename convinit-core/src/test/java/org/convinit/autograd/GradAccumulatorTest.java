package org.convinit.autograd;

import static org.assertj.core.api.Assertions.assertThat;

import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Gradient accumulation into leaves: the direct loop gives the bits of the tensor-op path
 * ({@code grad.copy_(grad.add(g))}) for contiguous, offset, transposed and broadcast gradients in float32 and
 * float64; the first gradient is copied (never shared with the incoming tensor), later ones are added into
 * the same {@code grad} tensor, with a version bump.
 */
class GradAccumulatorTest {
    private static final int[][] SHAPES = {{1}, {7}, {3, 5}, {4, 3, 3, 3}, {64, 10}};

    private static Tensor random(DType dtype, int[] shape, Generator g) {
        return Tensor.empty(dtype, shape).uniform_(-1, 1, g);
    }

    /** The gradient in several layouts with the same values: contiguous, at an offset, and transposed-then-copied back. */
    private static Tensor[] layouts(Tensor g) {
        int n = (int) g.numel();
        Tensor padded = Tensor.empty(g.dtype(), n + 3).narrow(0, 3, n).reshape(g.shape().toArray());
        padded.copy_(g);
        Tensor strided = g;
        if (g.dim() == 2) {
            strided = Tensor.empty(g.dtype(), g.size(1), g.size(0)).t();
            strided.copy_(g);
        }
        return new Tensor[] {g, padded, strided};
    }

    @Test
    void inPlaceLoopMatchesTensorOpsBitForBit() {
        Generator gen = new Generator(3);
        for (DType dtype : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int[] shape : SHAPES) {
                Tensor first = random(dtype, shape, gen);
                Tensor second = random(dtype, shape, gen);
                for (Tensor g : layouts(second)) {
                    Tensor expected = first.clone();
                    expected.copy_(expected.add(g));
                    Tensor prev = first.clone();
                    long version = prev.storage().version();
                    boolean direct = GradAccumulator.addInPlace(prev, g);
                    assertThat(direct).as("direct loop for contiguous %s %s", dtype, g.isContiguous()).isEqualTo(g.isContiguous());
                    if (!direct) prev.copy_(prev.add(g));
                    assertThat(prev.storage().version()).isGreaterThan(version);
                    assertThat(bits(prev)).as("%s %s", dtype, prev.shape()).containsExactly(bits(expected));
                }
            }
        }
    }

    private static long[] bits(Tensor t) {
        double[] v = t.toDoubleArray();
        long[] b = new long[v.length];
        for (int i = 0; i < v.length; i++) b[i] = Double.doubleToRawLongBits(v[i]);
        return b;
    }

    @Test
    void firstGradientIsCopiedThenAccumulatedInPlace() {
        Parameter p = new Parameter(Tensor.vector(1, 2, 3));
        Tensor g1 = Tensor.vector(0.5f, -1f, 2f);
        GradAccumulator.accumulate(p, g1);
        Tensor grad = p.grad();
        assertThat(grad).isNotSameAs(g1);
        assertThat(grad.storage()).isNotSameAs(g1.storage());
        assertThat(grad.isContiguous()).isTrue();
        GradAccumulator.accumulate(p, Tensor.vector(0.25f, 1f, -3f));
        assertThat(p.grad()).isSameAs(grad);
        assertThat(grad.toFloatArray()).containsExactly(0.75f, 0f, -1f);
        assertThat(g1.toFloatArray()).as("the first gradient is not changed by later accumulation").containsExactly(0.5f, -1f, 2f);
    }

    @Test
    void broadcastAndOffsetGradientsTakeTheTensorPath() {
        Parameter p = new Parameter(Tensor.of(new float[6], 2, 3));
        Tensor row = Tensor.vector(1, 2, 3);
        GradAccumulator.accumulate(p, row.expand(2, 3)); // stride 0: copied element by element
        GradAccumulator.accumulate(p, row.expand(2, 3));
        assertThat(p.grad().toFloatArray()).containsExactly(2f, 4f, 6f, 2f, 4f, 6f);
        Tensor offset = Tensor.vector(9, 1, 1, 1, 1, 1, 1).narrow(0, 1, 6).reshape(2, 3);
        GradAccumulator.accumulate(p, offset); // contiguous at an offset: the direct loop
        assertThat(p.grad().toFloatArray()).containsExactly(3f, 5f, 7f, 3f, 5f, 7f);
    }

    @Test
    void sharedGradientsAreNotAliased() {
        // AddBackward hands the same tensor to both inputs: each leaf must get its own grad
        Parameter a = new Parameter(Tensor.vector(1, 2));
        Parameter b = new Parameter(Tensor.vector(3, 4));
        a.add(b).sum().backward();
        assertThat(a.grad().storage()).isNotSameAs(b.grad().storage());
        a.add(b).sum().backward();
        assertThat(a.grad().toFloatArray()).containsExactly(2f, 2f);
        assertThat(b.grad().toFloatArray()).containsExactly(2f, 2f);
    }
}
