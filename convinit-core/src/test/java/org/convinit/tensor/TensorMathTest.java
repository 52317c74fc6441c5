package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

class TensorMathTest {

    @Test
    void broadcastingArithmeticWithPromotion() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.vector(10, 20, 30);
        assertThat(a.add(b).toFloatArray()).containsExactly(11, 22, 33, 14, 25, 36);
        assertThat(a.mul(b.view(1, 3)).toFloatArray()).containsExactly(10, 40, 90, 40, 100, 180);
        Tensor d = Tensor.of(new double[] {0.5}, 1);
        Tensor sum = a.add(d);
        assertThat(sum.dtype()).isEqualTo(DType.FLOAT64);
        Tensor i = Tensor.of(new long[] {1, 2, 3}, 3);
        assertThat(i.add(2).dtype()).isEqualTo(DType.INT64);
        assertThat(i.div(2).dtype()).isEqualTo(DType.FLOAT32);
        assertThat(i.div(2).toFloatArray()).containsExactly(0.5f, 1f, 1.5f);
        assertThat(i.add(0.5).dtype()).isEqualTo(DType.FLOAT32);
        assertThatThrownBy(() -> a.add(Tensor.vector(1, 2))).hasMessageContaining(
                "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1");
    }

    @Test
    void float32ScalarOpsRoundLikeTorch() {
        // torch: torch.tensor([0.1]) * 3 == 0.3000000119 (float32 product of float(0.1) and 3)
        Tensor t = Tensor.vector(0.1f).mul(3);
        assertThat(t.toFloatArray()[0]).isEqualTo(0.1f * 3f);
        assertThat(Tensor.vector(1f).add(1e-8).toFloatArray()[0]).isEqualTo(1f);
    }

    @Test
    void reductionsWithUnbiasedFlag() {
        Tensor t = Tensor.of(new float[] {1, 2, 3, 4}, 2, 2);
        assertThat(t.sum().item()).isEqualTo(10);
        assertThat(t.mean().item()).isEqualTo(2.5);
        assertThat(t.var(true).item()).isCloseTo(1.6666666, within(1e-6));
        assertThat(t.var(false).item()).isEqualTo(1.25);
        assertThat(t.std(true).item()).isCloseTo(Math.sqrt(5.0 / 3), within(1e-6));
        assertThat(t.min().item()).isEqualTo(1);
        assertThat(t.max().item()).isEqualTo(4);
        assertThat(t.sum(0, false).toFloatArray()).containsExactly(4, 6);
        assertThat(t.sum(1, true).shape()).isEqualTo(Shape.of(2, 1));
        assertThat(t.mean(-1, false).toFloatArray()).containsExactly(1.5f, 3.5f);
        assertThat(t.amax(0, false).toFloatArray()).containsExactly(3, 4);
        assertThat(Tensor.vector(5).var(true).item()).isNaN();
        assertThat(Tensor.of(new long[] {1, 2}, 2).sum().dtype()).isEqualTo(DType.INT64);
        assertThatThrownBy(() -> Tensor.of(new long[] {1, 2}, 2).mean()).hasMessageContaining("Input dtype must be either a floating point");
        assertThatThrownBy(() -> Tensor.empty(DType.FLOAT32, 0).max()).hasMessageContaining("Specify the reduction dim");
    }

    @Test
    void matmul2d() {
        Tensor a = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Tensor b = Tensor.of(new float[] {1, 0, 0, 1, 1, 1}, 3, 2);
        assertThat(a.matmul(b).toFloatArray()).containsExactly(4, 5, 10, 11);
        assertThat(a.matmul(a.t()).toFloatArray()).containsExactly(14, 32, 32, 77);
        assertThatThrownBy(() -> a.matmul(a)).hasMessage("mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)");
        assertThatThrownBy(() -> a.matmul(b.to(DType.FLOAT64))).hasMessage("expected m1 and m2 to have the same dtype, but got: float32 != float64");
    }

    @Test
    void copyBroadcastsAndConverts() {
        Tensor dst = Tensor.zeros(DType.FLOAT32, 2, 3);
        dst.copy_(Tensor.of(new double[] {1.5, -2.25, 3}, 3));
        assertThat(dst.toFloatArray()).containsExactly(1.5f, -2.25f, 3, 1.5f, -2.25f, 3);
        Tensor ints = Tensor.zeros(DType.INT32, 3);
        ints.copy_(Tensor.vector(-1.7f, 2.9f, 0.2f));
        assertThat(ints.toLongArray()).containsExactly(-1, 2, 0);
        Tensor u8 = Tensor.zeros(DType.UINT8, 2);
        u8.copy_(Tensor.vector(-1f, 300f));
        assertThat(u8.toLongArray()).containsExactly(255, 44);
        Tensor bool = Tensor.zeros(DType.BOOL, 3);
        bool.copy_(Tensor.vector(0f, -0.5f, Float.NaN));
        assertThat(bool.toLongArray()).containsExactly(0, 1, 1);
        assertThatThrownBy(() -> dst.copy_(Tensor.vector(1, 2))).hasMessageContaining(
                "source of shape [2] cannot be broadcast to the destination shape [2, 3]");
    }

    @Test
    void overlappingCopyUsesTheSourceAsItWasBefore() {
        Tensor t = Tensor.vector(1, 2, 3, 4);
        t.narrow(0, 1, 3).copy_(t.narrow(0, 0, 3));
        assertThat(t.toFloatArray()).containsExactly(1, 1, 2, 3);
    }
}
