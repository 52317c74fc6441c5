package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.convinit.internal.Parallel;
import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.ConvSpec;
import org.convinit.nn.functional.internal.FastConv;
import org.convinit.nn.functional.internal.FastConvBackward;
import org.convinit.nn.functional.internal.reference.ReferenceConv;
import org.convinit.nn.functional.internal.reference.ReferenceConvBackward;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The channel-wise convolution (FloatDepthwise / DoubleDepthwise) forward and backward against the
 * references, over kernel 3, 5 and 7, stride 1 and 2, padding 0-3, dilation 1 and 2, channel multiplier
 * 1, 2, 3, 5 and 7, batches of 1-3, odd sizes whose rows are shorter and longer than a vector, both dtypes,
 * vector and scalar loops, 1 and 2 threads (which give the same bits).
 */
class DepthwiseKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    record Case(int n, int c, int m, int h, int w, int k, int s, int p, int d) {
        int[] x() {
            return new int[] {n, c, h, w};
        }

        int[] weight() {
            return new int[] {c * m, 1, k, k};
        }

        ConvSpec spec(Tensor x, Tensor w, Tensor b) {
            int[] two = {1, 1};
            return ConvParams.function(2, false, mul(two, s), mul(two, p), mul(two, p), null, new int[] {0}, mul(two, d), c)
                    .bind(x, w, b, b != null);
        }

        private static int[] mul(int[] a, int v) {
            return new int[] {a[0] * v, a[1] * v};
        }
    }

    static Stream<Arguments> matrix() {
        int[][] sizes = {{9, 11}, {13, 19}, {21, 37}, {7, 17}, {33, 23}, {6, 75}};
        List<Arguments> args = new ArrayList<>();
        int i = 0;
        for (int k : new int[] {3, 5}) {
            for (int s : new int[] {1, 2}) {
                for (int p = 0; p <= 2; p++) {
                    for (int m = 1; m <= 2; m++, i++) {
                        int[] hw = sizes[i % sizes.length];
                        int d = i % 5 == 4 ? 2 : 1;
                        Case c = new Case(1 + i % 3, 2 + i % 4, m, hw[0], hw[1], k, s, p, d);
                        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) args.add(Arguments.of(c, dt));
                    }
                }
            }
        }
        // padding wider than the kernel's reach: output rows and columns that read no input at all
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) args.add(Arguments.of(new Case(2, 3, 1, 6, 40, 3, 1, 3, 1), dt));
        // 7 x 7: 49 taps (passes of five and four single taps); stride 2 gives phases of 16, 12, 12 and 9 taps
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            args.add(Arguments.of(new Case(2, 3, 2, 15, 45, 7, 1, 3, 1), dt));
            args.add(Arguments.of(new Case(1, 2, 1, 19, 70, 7, 2, 3, 1), dt));
        }
        // multipliers the forward runs channel-wise below one GEMM row panel (3 for the scalar kernel's 4 rows, 5 for AVX2's 6, 7 for AVX-512's 8)
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            args.add(Arguments.of(new Case(2, 3, 3, 13, 19, 3, 1, 1, 1), dt));
            args.add(Arguments.of(new Case(1, 2, 5, 21, 37, 3, 2, 1, 1), dt));
            args.add(Arguments.of(new Case(3, 2, 7, 9, 11, 5, 1, 2, 1), dt));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void forwardAndGradientsMatchTheReferences(Case c, DType dt) {
        Random r = new Random(c.hashCode());
        Tensor x = ConvKernelsTest.random(r, dt, c.x());
        Tensor w = ConvKernelsTest.random(r, dt, c.weight());
        Tensor b = ConvKernelsTest.random(r, dt, c.c * c.m);
        ConvSpec spec = c.spec(x, w, b);
        Tensor ref = ReferenceConv.forward(spec, x, w, b);
        Tensor gy = ConvKernelsTest.random(r, dt, spec.output().toArray());
        Tensor[] refGrads = ReferenceConvBackward.grads(x, w, true, gy, ReferenceConv.gatherIndex(spec, PaddingMode.ZEROS), c.c);
        for (boolean vector : new boolean[] {true, false}) {
            List<double[]> oneThread = new ArrayList<>();
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                String what = c + " " + dt + (vector ? " vector" : " scalar") + " threads=" + threads;
                ConvKernelsTest.assertClose(FastConv.run(spec, x, w, b, vector), ref, dt, what + " forward");
                Tensor[] g = FastConvBackward.grads(spec, x, w, true, gy, true, true, vector);
                ConvKernelsTest.assertClose(g[0], refGrads[0], dt, what + " dX");
                ConvKernelsTest.assertClose(g[1], refGrads[1], dt, what + " dW");
                Tensor[] onlyW = FastConvBackward.grads(spec, x, w, false, gy, false, true, vector);
                assertThat(onlyW[0]).as(what + " no dX").isNull();
                ConvKernelsTest.assertClose(onlyW[1], refGrads[1], dt, what + " dW alone");
                Tensor[] results = {FastConv.run(spec, x, w, b, vector), g[0], g[1], onlyW[1]};
                for (int j = 0; j < results.length; j++) {
                    if (threads == 1) oneThread.add(results[j].toDoubleArray());
                    else assertThat(results[j].toDoubleArray()).as(what + " result " + j + " equals 1 thread's").isEqualTo(oneThread.get(j));
                }
            }
        }
    }
}
