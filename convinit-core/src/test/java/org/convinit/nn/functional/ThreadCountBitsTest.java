package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import java.util.function.Supplier;
import org.convinit.internal.Parallel;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * The conv forward, conv backward (input and weight gradients, bias gradient) and linear forward and backward give
 * the same bits at 1, 2 and 3 threads: however the work is split (images, column chunks, blocks of output channels,
 * weight-gradient tiles, linear output columns), each output is computed by the same operations in the same order.
 * Batch sizes on both sides of the small-batch splits (fewer than 4 images per worker).
 */
class ThreadCountBitsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** n, C, O, H, W, k, stride, pad, groups. */
    private static final int[][] CONVS = {
        {1, 64, 64, 6, 6, 3, 1, 1, 1}, // deep and small: blocks of output channels
        {2, 128, 64, 7, 7, 3, 1, 1, 1}, // weights packed in parallel
        {3, 16, 40, 20, 18, 3, 1, 1, 1},
        {9, 32, 48, 9, 11, 3, 2, 1, 1}, // images at 1-2 threads, tiles at 3 in the weight gradient
        {1, 32, 24, 12, 12, 1, 1, 0, 1}, // 1x1
        {5, 3, 16, 30, 29, 7, 2, 3, 1},
        {2, 24, 36, 10, 10, 3, 1, 1, 3}, // groups
        {1, 8, 8, 16, 16, 3, 1, 1, 8}, // depthwise
        {8, 64, 64, 14, 14, 3, 1, 1, 1},
        {6, 32, 64, 15, 13, 3, 1, 1, 1}, // Winograd: blocks taken in turn by the workers, runs split across blocks and images
        {19, 1, 32, 28, 28, 3, 1, 1, 1}, // a first layer: short reduction (9), weight gradient on shifted planes; bias gradient over the workers
        {1, 2, 12, 9, 13, 3, 1, 2, 1}, // batch 1, padding 2, odd width
        {45, 8, 16, 14, 14, 3, 1, 1, 1}, // weight gradient on shifted planes in 6 chunks of images (the last short): chunks over the workers
        {12, 8, 8, 20, 44, 3, 1, 1, 1}, // wide output: weight gradient on the padded buffer in 4 chunks of 3 images
        {12, 32, 64, 14, 14, 3, 1, 1, 1}, // Winograd weight gradient in lanes of whole blocks (588 tiles)
    };

    @Test
    void convForwardAndBackwardSameBitsAtAnyThreadCount() {
        for (int[] c : CONVS) {
            Random r = new Random(c[0] * 31 + c[1]);
            float[] x = random(r, c[0] * c[1] * c[3] * c[4]);
            float[] w = random(r, c[2] * (c[1] / c[8]) * c[5] * c[5]);
            float[] b = random(r, c[2]);
            int oh = (c[3] + 2 * c[7] - c[5]) / c[6] + 1;
            int ow = (c[4] + 2 * c[7] - c[5]) / c[6] + 1;
            float[] gy = random(r, c[0] * c[2] * oh * ow);
            sameBitsAtOneTwoAndThreeThreads(java.util.Arrays.toString(c), () -> {
                Tensor xt = Tensor.of(x.clone(), c[0], c[1], c[3], c[4]).requiresGrad(true);
                Tensor wt = Tensor.of(w.clone(), c[2], c[1] / c[8], c[5], c[5]).requiresGrad(true);
                Tensor bt = Tensor.of(b.clone(), c[2]).requiresGrad(true);
                Tensor y = F.conv2d(xt, wt, bt, new int[] {c[6], c[6]}, new int[] {c[7], c[7]}, new int[] {1, 1}, c[8]);
                y.backward(Tensor.of(gy.clone(), c[0], c[2], oh, ow), false);
                return new Tensor[] {y, xt.grad(), wt.grad(), bt.grad()};
            });
        }
    }

    /** rows, in, out. */
    private static final int[][] LINEARS = {{1, 300, 257}, {3, 512, 100}, {8, 3136, 10}, {37, 50, 33}, {130, 200, 64}};

    @Test
    void linearForwardAndBackwardSameBitsAtAnyThreadCount() {
        for (int[] c : LINEARS) {
            Random r = new Random(c[0] * 17 + c[2]);
            float[] x = random(r, c[0] * c[1]);
            float[] w = random(r, c[2] * c[1]);
            float[] b = random(r, c[2]);
            float[] gy = random(r, c[0] * c[2]);
            sameBitsAtOneTwoAndThreeThreads(java.util.Arrays.toString(c), () -> {
                Tensor xt = Tensor.of(x.clone(), c[0], c[1]).requiresGrad(true);
                Tensor wt = Tensor.of(w.clone(), c[2], c[1]).requiresGrad(true);
                Tensor bt = Tensor.of(b.clone(), c[2]).requiresGrad(true);
                Tensor y = F.linear(xt, wt, bt);
                y.backward(Tensor.of(gy.clone(), c[0], c[2]), false);
                return new Tensor[] {y, xt.grad(), wt.grad(), bt.grad()};
            });
        }
    }

    /** Runs {@code step} (returning y, dx, dw, db) at 1, 2 and 3 threads and asserts each result's bits equal the 1-thread run's. */
    private static void sameBitsAtOneTwoAndThreeThreads(String label, Supplier<Tensor[]> step) {
        String[] names = {"y", "dx", "dw", "db"};
        int[][] ref = null;
        for (int t = 1; t <= 3; t++) {
            Parallel.setThreads(t);
            Tensor[] out = step.get();
            int[][] bits = new int[out.length][];
            for (int i = 0; i < out.length; i++) bits[i] = bits(out[i]);
            if (ref == null) {
                ref = bits;
            } else {
                for (int i = 0; i < bits.length; i++) assertThat(bits[i]).as("%s %s at %d threads", label, names[i], t).isEqualTo(ref[i]);
            }
        }
    }

    private static float[] random(Random r, int n) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = (float) r.nextGaussian();
        return a;
    }

    private static int[] bits(Tensor t) {
        float[] a = t.contiguous().toFloatArray();
        int[] b = new int[a.length];
        for (int i = 0; i < a.length; i++) b[i] = Float.floatToRawIntBits(a[i]);
        return b;
    }
}
