package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** ReLU6's float32 kernel against its reference in double: values and gradients over a matrix of shapes and layouts. */
class FastClampTest {
    @Test
    void fastRelu6EqualsTheReferenceOnEveryShapeAndLayout() {
        Random r = new Random(7);
        int[][] shapes = {{1}, {7}, {3, 5}, {2, 3, 4, 5}, {1, 16, 33, 33}, {2, 40000}};
        for (int[] shape : shapes) {
            for (boolean transposed : new boolean[] {false, true}) {
                if (transposed && shape.length < 2) continue;
                int n = 1;
                for (int d : shape) n *= d;
                float[] v = new float[n];
                for (int i = 0; i < n; i++) {
                    int k = r.nextInt(20);
                    v[i] = k == 0 ? Float.NaN : k == 1 ? 0f : k == 2 ? 6f : k == 3 ? -0f : (float) (r.nextGaussian() * 5);
                }
                Tensor base = Tensor.of(v, shape);
                Tensor x = transposed ? base.transpose(0, shape.length - 1) : base;
                Tensor a = x.clone().requiresGrad(true);
                Tensor b = x.clone().requiresGrad(true);
                Tensor fast = Activations.relu6(a, false);
                Tensor ref = Activations.relu6Reference(b);
                String what = java.util.Arrays.toString(shape) + (transposed ? " transposed" : "");
                assertSame(fast.toFloatArray(), ref.toFloatArray(), what);
                Tensor g = Tensor.empty(DType.FLOAT32, fast.shape().toArray()).normal_(0, 1, new org.convinit.random.Generator(n));
                fast.mul(g).sum().backward();
                ref.mul(g).sum().backward();
                assertSame(a.grad().toFloatArray(), b.grad().toFloatArray(), "gradient " + what);
            }
        }
    }

    /** Equal values (a zero gradient is +0 in the kernel, as torch's hardtanh_backward, and dy·0 in the reference), NaN to NaN. */
    private static void assertSame(float[] a, float[] b, String what) {
        assertThat(a).hasSameSizeAs(b);
        for (int i = 0; i < a.length; i++) {
            assertThat(a[i] == b[i] || (Float.isNaN(a[i]) && Float.isNaN(b[i]))).as("%s element %d: %s vs %s", what, i, a[i], b[i]).isTrue();
        }
    }
}
