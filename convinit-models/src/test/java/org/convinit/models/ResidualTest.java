package org.convinit.models;

import static org.assertj.core.api.Assertions.assertThat;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@link Residual}: the same bits as {@link Tensor#add(Tensor)}; {@code +=} writes into {@code out} only when no
 * graph is recorded; under autograd the sum keeps its gradient; views and other dtypes take the general path.
 */
class ResidualTest {
    private static Tensor randn(long seed, DType dt, int... shape) {
        return Tensor.empty(dt, shape).normal_(0, 1, new Generator(seed));
    }

    @Test
    void inPlaceWithoutGradWritesIntoOutWithTheBitsOfAdd() {
        for (int[] shape : new int[][] {{2, 3, 5, 7}, {4, 64, 28, 28}, {3, 100_001}}) {
            Tensor out = randn(1, DType.FLOAT32, shape);
            Tensor identity = randn(2, DType.FLOAT32, shape);
            Tensor expected = out.add(identity);
            Tensor got;
            try (var g = GradMode.noGrad()) {
                got = Residual.addInPlace(out, identity);
            }
            assertThat(got).isSameAs(out);
            assertThat(got.toFloatArray()).isEqualTo(expected.toFloatArray());
        }
    }

    @Test
    void outOfPlaceLeavesItsOperands() {
        Tensor a = randn(3, DType.FLOAT32, 4, 64, 28, 28);
        Tensor b = randn(4, DType.FLOAT32, 4, 64, 28, 28);
        float[] before = a.toFloatArray();
        Tensor got = Residual.add(a, b);
        assertThat(got).isNotSameAs(a);
        assertThat(a.toFloatArray()).isEqualTo(before);
        assertThat(got.toFloatArray()).isEqualTo(a.add(b).toFloatArray());
    }

    @Test
    void underAutogradTheSumIsANewTensorWithItsGradient() {
        Tensor out = randn(5, DType.FLOAT32, 2, 8, 16, 16).requiresGrad(true);
        Tensor identity = randn(6, DType.FLOAT32, 2, 8, 16, 16);
        Tensor y = Residual.addInPlace(out, identity);
        assertThat(y).isNotSameAs(out);
        y.sum().backward();
        assertThat(out.grad().toFloatArray()).containsOnly(1f);
    }

    @Test
    void viewsAndFloat64TakeTheGeneralPath() {
        Tensor base = randn(7, DType.FLOAT32, 2, 8, 16, 16);
        Tensor view = base.transpose(2, 3);
        Tensor other = randn(8, DType.FLOAT32, 2, 8, 16, 16);
        try (var g = GradMode.noGrad()) {
            Tensor got = Residual.addInPlace(view, other);
            assertThat(got.toFloatArray()).isEqualTo(view.add(other).toFloatArray());
            Tensor d = randn(9, DType.FLOAT64, 2, 8, 16, 16);
            Tensor e = randn(10, DType.FLOAT64, 2, 8, 16, 16);
            assertThat(Residual.addInPlace(d, e).toDoubleArray()).isEqualTo(d.add(e).toDoubleArray());
        }
    }
}
