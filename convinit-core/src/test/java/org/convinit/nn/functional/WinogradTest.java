package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convinit.nn.functional.ConvKernelsTest.a;
import static org.convinit.nn.functional.ConvKernelsTest.assertClose;
import static org.convinit.nn.functional.ConvKernelsTest.random;

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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The Winograd F(2×2, 3×3) path ({@code FloatWinograd} / {@code DoubleWinograd}, chosen by {@link FastConv#usesWinograd})
 * against the literal references: its rounding differs from the direct GEMM's, so within 1e-5 (float32) or 1e-12
 * (float64) of the output's scale, and with the same bits at 1 and 2 threads.
 */
class WinogradTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    record Case(int n, int c, int o, int h, int w, int[] padBefore, int[] padAfter, boolean bias) {
        @Override
        public String toString() {
            return "N" + n + " C" + c + " O" + o + " " + h + "x" + w + " p" + padBefore[0] + "," + padBefore[1] + "/" + padAfter[0] + ","
                    + padAfter[1] + (bias ? " bias" : "");
        }

        ConvSpec spec(Tensor x, Tensor wt, Tensor b) {
            return ConvParams.function(2, false, a(1, 1), padBefore, padAfter, null, a(0), a(1, 1), 1).bind(x, wt, b, false);
        }
    }

    /**
     * Channel counts around the thresholds, sizes 1..9 (odd and even, one tile and partial tiles), padding 0..2, and one
     * wide input; fewer than 64 outputs take the path only from an output 28 wide, so those cases are 28 columns wider.
     */
    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case(2, 64, 64, 8, 8, a(1, 1), a(1, 1), true));
        cs.add(new Case(1, 32, 64, 7, 9, a(1, 1), a(1, 1), false));
        cs.add(new Case(3, 65, 33, 5, 6 + 28, a(0, 0), a(0, 0), true));
        cs.add(new Case(1, 64, 32, 1, 1 + 28, a(1, 1), a(1, 1), true));
        cs.add(new Case(2, 40, 70, 2, 3, a(2, 2), a(2, 2), false));
        cs.add(new Case(1, 64, 40, 3, 3 + 28, a(0, 0), a(0, 0), true));
        cs.add(new Case(2, 33, 66, 9, 4, a(2, 0), a(0, 1), true));
        Random r = new Random(2023);
        int[] channels = {32, 33, 40, 63, 64, 65, 72};
        for (int i = 0; i < 14; i++) {
            int c = channels[r.nextInt(channels.length)];
            int o = channels[r.nextInt(channels.length)];
            if (Math.max(c, o) < 64) o = 64 + r.nextInt(3);
            int[] pb = {r.nextInt(3), r.nextInt(3)};
            int[] pa = r.nextBoolean() ? pb.clone() : new int[] {r.nextInt(3), r.nextInt(3)};
            int h = Math.max(1, 3 - pb[0] - pa[0]) + r.nextInt(8);
            int w = Math.max(1, 3 - pb[1] - pa[1]) + r.nextInt(8) + (o < 64 ? 28 : 0);
            cs.add(new Case(1 + r.nextInt(3), c, o, h, w, pb, pa, r.nextBoolean()));
        }
        // runs of more than a vector of tiles (19 per row, odd width), several blocks, runs split across blocks
        cs.add(new Case(2, 32, 64, 20, 37, a(1, 1), a(1, 1), true));
        // narrow maps (two tile rows to a vector): blocks of whole tile rows across images, odd sizes, short rows
        cs.add(new Case(12, 32, 64, 14, 14, a(1, 1), a(1, 1), true));
        cs.add(new Case(9, 33, 64, 13, 11, a(1, 1), a(1, 1), false));
        cs.add(new Case(12, 64, 64, 5, 3, a(1, 0), a(0, 1), true));
        return cs;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases()) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) args.add(Arguments.of(c, dt));
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void forwardMatchesTheReferenceWithTheSameBitsAtEveryThreadCount(Case c, DType dt) {
        Random r = new Random(c.toString().hashCode());
        Tensor x = random(r, dt, c.n, c.c, c.h, c.w);
        Tensor w = random(r, dt, c.o, c.c, 3, 3);
        Tensor b = c.bias ? random(r, dt, c.o) : null;
        ConvSpec spec = c.spec(x, w, b);
        assertThat(FastConv.usesWinograd(spec)).as("takes the Winograd path").isTrue();
        Tensor ref = ReferenceConv.conv(2, x, w, b, a(1, 1), c.padBefore, c.padAfter, a(1, 1), 1, PaddingMode.ZEROS);
        for (boolean vector : new boolean[] {true, false}) {
            Parallel.setThreads(1);
            Tensor one = FastConv.run(spec, x, w, b, vector);
            assertClose(one, ref, dt, (vector ? "vector" : "scalar") + " 1 thread");
            Parallel.setThreads(2);
            assertThat(FastConv.run(spec, x, w, b, vector).toDoubleArray()).as("2 threads, vector " + vector)
                    .containsExactly(one.toDoubleArray());
        }
    }

    /** The fixed cases (the literal backward reference is slow): dX runs on the same Winograd convolution. */
    static Stream<Arguments> gradientMatrix() {
        List<Arguments> args = new ArrayList<>();
        List<Case> cs = new ArrayList<>(cases().subList(0, 7));
        // 588 tiles: the weight gradient in lanes of whole blocks (FloatWinogradGrad.LANES), the last lane's last block short
        cs.add(new Case(12, 32, 64, 14, 14, a(1, 1), a(1, 1), true));
        for (Case c : cs) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) args.add(Arguments.of(c, dt));
        }
        return args.stream();
    }

    /**
     * dX is a convolution of dY (flipped, channel-swapped weight, full padding), Winograd where {@code usesWinograd} takes it: within tolerance of the
     * reference, the same bits at 1, 2 and 3 threads; dW too (its sums run over the tiles in an order the channel counts
     * and the batch set, not the threads).
     */
    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("gradientMatrix")
    void gradientsMatchTheReference(Case c, DType dt) {
        Random r = new Random(c.toString().hashCode() + 1);
        Tensor x = random(r, dt, c.n, c.c, c.h, c.w);
        Tensor w = random(r, dt, c.o, c.c, 3, 3);
        ConvSpec spec = c.spec(x, w, null);
        Tensor gy = random(r, dt, spec.output().toArray());
        Tensor[] ref = ReferenceConvBackward.grads(x, w, false, gy, ReferenceConv.gatherIndex(spec, PaddingMode.ZEROS), 1);
        for (boolean vector : new boolean[] {true, false}) {
            Parallel.setThreads(1);
            Tensor[] one = FastConvBackward.grads(spec, x, w, false, gy, true, true, vector);
            assertClose(one[0], ref[0], dt, "dX vector=" + vector);
            assertClose(one[1], ref[1], dt, "dW vector=" + vector);
            for (int threads = 2; threads <= 3; threads++) {
                Parallel.setThreads(threads);
                Tensor[] more = FastConvBackward.grads(spec, x, w, false, gy, true, true, vector);
                assertThat(more[0].toDoubleArray()).as("dX at %d threads", threads).containsExactly(one[0].toDoubleArray());
                assertThat(more[1].toDoubleArray()).as("dW at %d threads", threads).containsExactly(one[1].toDoubleArray());
            }
        }
    }

    @Test
    void onlyWideStride1Unit3x3ConvolutionsTakeIt() {
        Random r = new Random(5);
        assertThat(winograd(r, 64, 64, a(3, 3), a(1, 1), a(1, 1), 1, false)).isTrue();
        assertThat(winograd(r, 32, 64, a(3, 3), a(1, 1), a(1, 1), 1, false)).isTrue();
        assertThat(winograd(r, 32, 63, a(3, 3), a(1, 1), a(1, 1), 1, false)).as("no side reaches 64").isFalse();
        assertThat(winograd(r, 31, 256, a(3, 3), a(1, 1), a(1, 1), 1, false)).as("31 inputs").isFalse();
        assertThat(winograd(r, 256, 16, a(3, 3), a(1, 1), a(1, 1), 1, false)).as("16 outputs").isFalse();
        assertThat(winograd(r, 64, 32, 20, a(3, 3), a(1, 1), a(1, 1), 1, false)).as("32 outputs, 20 wide").isFalse();
        assertThat(winograd(r, 64, 32, 9, a(3, 3), a(1, 1), a(1, 1), 1, false)).as("32 outputs, 9 wide")
                .isEqualTo(9 <= FastConv.WINOGRAD_NARROW_MAX_WIDTH);
        assertThat(winograd(r, 64, 64, a(3, 3), a(2, 1), a(1, 1), 1, false)).as("stride 2").isFalse();
        assertThat(winograd(r, 64, 64, a(3, 3), a(1, 1), a(1, 2), 1, false)).as("dilation 2").isFalse();
        assertThat(winograd(r, 64, 64, a(3, 5), a(1, 1), a(1, 1), 1, false)).as("3x5").isFalse();
        assertThat(winograd(r, 128, 128, a(3, 3), a(1, 1), a(1, 1), 2, false)).as("groups").isFalse();
        assertThat(winograd(r, 64, 64, a(3, 3), a(1, 1), a(1, 1), 1, true)).as("transposed").isFalse();
    }

    private static boolean winograd(Random r, int c, int o, int[] k, int[] s, int[] d, int groups, boolean transposed) {
        return winograd(r, c, o, 9, k, s, d, groups, transposed);
    }

    private static boolean winograd(Random r, int c, int o, int width, int[] k, int[] s, int[] d, int groups, boolean transposed) {
        Tensor x = random(r, DType.FLOAT32, 1, c, 9, width);
        Tensor w = transposed ? random(r, DType.FLOAT32, c, o / groups, k[0], k[1]) : random(r, DType.FLOAT32, o, c / groups, k[0], k[1]);
        return FastConv.usesWinograd(ConvParams.function(2, transposed, s, a(1, 1), a(1, 1), null, a(0, 0), d, groups).bind(x, w, null, false));
    }
}
