package org.convinit.nn.functional.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.convinit.internal.Parallel;
import org.convinit.nn.functional.ConvKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The convolutions' outputs allocated ahead on the pool: fresh, zero, never handed out twice; same results as at one thread. */
class ZeroedOutputsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    @Test
    void everyOutputIsAFreshZeroArray() throws InterruptedException {
        Parallel.setThreads(2);
        Map<Object, Boolean> seen = new IdentityHashMap<>();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (int i = 0; i < 12; i++) {
                Tensor t = ZeroedOutputs.empty(dt, new int[] {2, 3, 300, 300});
                assertThat(t.shape().toArray()).containsExactly(2, 3, 300, 300);
                assertThat(t.dtype()).isEqualTo(dt);
                Object array = dt == DType.FLOAT32 ? t.storage().floats() : t.storage().doubles();
                assertThat(seen.put(array, true)).as("array handed out before").isNull();
                double[] v = t.toDoubleArray();
                for (double x : v) assertThat(x).isZero();
                // dirty it as a convolution would, then give the pool time to allocate the next one (or not)
                if (dt == DType.FLOAT32) java.util.Arrays.fill(t.storage().floats(), 1f);
                else java.util.Arrays.fill(t.storage().doubles(), 1d);
                if (i % 3 == 0) Thread.sleep(20);
            }
        }
    }

    @Test
    void largeOutputsAtTwoThreadsEqualOneThreads() {
        Random r = new Random(7);
        // 1 → 32 channels at 96² (295K outputs) and depthwise 16 at 144² (332K): above the size taken ahead
        Tensor x1 = random(r, 1, 1, 96, 96);
        Tensor w1 = random(r, 32, 1, 3, 3);
        Tensor x2 = random(r, 1, 16, 144, 144);
        Tensor w2 = random(r, 16, 1, 3, 3);
        int[] one = {1, 1};
        List<float[]> ref = new ArrayList<>();
        for (int threads : new int[] {1, 2, 3}) {
            Parallel.setThreads(threads);
            for (int rep = 0; rep < 4; rep++) {
                float[][] got = {ConvKernels.conv(x1, w1, null, one, one, one, one, 1).toFloatArray(),
                        ConvKernels.conv(x2, w2, null, one, one, one, one, 16).toFloatArray()};
                for (int j = 0; j < got.length; j++) {
                    if (threads == 1 && rep == 0) ref.add(got[j]);
                    else assertThat(got[j]).as("threads " + threads + " call " + rep + " layer " + j).isEqualTo(ref.get(j));
                }
            }
        }
    }

    private static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.empty(DType.FLOAT32, shape);
        float[] a = t.storage().floats();
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
        return t;
    }
}
