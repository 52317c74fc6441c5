package org.convinit.nn.functional;

import org.convinit.internal.Parallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.FastConv;
import org.convinit.nn.functional.internal.reference.ReferenceConv;
import org.convinit.nn.functional.internal.Kernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast kernels against the naive reference {@link ReferenceConv}, over a matrix of shapes. */
class ConvKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    /** One convolution problem; arrays have one entry per spatial dim. */
    record Case(String name, int n, int c, int o, int groups, int[] in, int[] k, int[] stride, int[] padBefore, int[] padAfter,
                int[] dilation, boolean bias) {
        int dims() {
            return in.length;
        }

        @Override
        public String toString() {
            return name + " N" + n + " C" + c + " O" + o + " g" + groups + " in" + Arrays.toString(in) + " k" + Arrays.toString(k)
                    + " s" + Arrays.toString(stride) + " p" + Arrays.toString(padBefore) + "/" + Arrays.toString(padAfter) + " d"
                    + Arrays.toString(dilation) + (bias ? " bias" : "");
        }
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case("3x3", 2, 5, 11, 1, a(9, 10), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("1x1", 3, 17, 9, 1, a(7, 5), a(1, 1), a(1, 1), a(0, 0), a(0, 0), a(1, 1), true));
        cs.add(new Case("1x1 stride", 1, 6, 20, 1, a(9, 8), a(1, 1), a(2, 3), a(0, 0), a(0, 0), a(1, 1), false));
        cs.add(new Case("7x7 s2 p3", 2, 3, 10, 1, a(23, 20), a(7, 7), a(2, 2), a(3, 3), a(3, 3), a(1, 1), true));
        cs.add(new Case("depthwise", 2, 12, 12, 12, a(11, 13), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("depthwise s2 d2", 1, 8, 8, 8, a(15, 12), a(3, 3), a(2, 2), a(2, 1), a(1, 2), a(2, 2), false));
        cs.add(new Case("channel multiplier", 2, 4, 12, 4, a(10, 9), a(3, 2), a(1, 2), a(1, 0), a(0, 1), a(1, 1), true));
        cs.add(new Case("channel multiplier 8", 1, 2, 16, 2, a(6, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("groups", 2, 12, 18, 3, a(8, 9), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("dilation", 1, 4, 9, 1, a(14, 13), a(3, 3), a(1, 1), a(2, 2), a(2, 2), a(2, 3), true));
        cs.add(new Case("stride 3 asym pad", 2, 3, 7, 1, a(17, 16), a(4, 5), a(3, 2), a(2, 0), a(1, 3), a(1, 1), true));
        cs.add(new Case("kernel = input", 2, 3, 5, 1, a(5, 4), a(5, 4), a(1, 1), a(0, 0), a(0, 0), a(1, 1), true));
        cs.add(new Case("1 channel", 4, 1, 10, 1, a(12, 12), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("width 1", 2, 3, 9, 1, a(10, 1), a(3, 1), a(1, 1), a(1, 0), a(1, 0), a(1, 1), true));
        cs.add(new Case("many panels", 1, 3, 40, 1, a(40, 41), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("deep K", 1, 70, 34, 1, a(6, 7), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        // a reduction over 2048 long with few output channels is computed in blocks of k
        cs.add(new Case("blocked K", 2, 240, 9, 1, a(5, 6), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("1d", 3, 6, 10, 1, a(30), a(5), a(2), a(2), a(1), a(1), true));
        cs.add(new Case("1d depthwise", 2, 6, 6, 6, a(25), a(3), a(1), a(1), a(1), a(3), true));
        cs.add(new Case("1d groups", 2, 8, 12, 2, a(21), a(4), a(3), a(0), a(2), a(2), false));
        cs.add(new Case("3d", 2, 3, 9, 1, a(5, 6, 7), a(3, 3, 3), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), true));
        cs.add(new Case("3d stride dil", 1, 4, 10, 2, a(7, 8, 9), a(2, 3, 2), a(2, 1, 3), a(1, 0, 2), a(0, 1, 1), a(2, 1, 2), true));
        cs.add(new Case("3d depthwise", 2, 5, 5, 5, a(4, 6, 5), a(3, 3, 3), a(1, 2, 1), a(1, 1, 1), a(1, 1, 1), a(1, 1, 1), false));
        // short reductions with output rows near a multiple of the tile width take the row-aligned GEMM
        cs.add(new Case("row tiles", 2, 3, 10, 1, a(5, 30), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("row tiles 1d", 2, 4, 17, 1, a(60), a(3), a(1), a(1), a(1), a(1), true));
        cs.add(new Case("row tiles 3d", 1, 2, 9, 1, a(3, 4, 29), a(2, 2, 2), a(1, 1, 1), a(1, 0, 0), a(0, 1, 0), a(1, 1, 1), false));
        cs.add(new Case("row tiles strided", 1, 1, 32, 1, a(7, 124), a(3, 5), a(2, 4), a(1, 2), a(1, 1), a(1, 1), true));
        // rows whose last positions fill at most half a tile (105 = 3·32 + 9 = 26·4 + 1, 104 = 6·16 + 8) take the half
        // tile; a strided width keeps the row-aligned GEMM up to a reduction of 160 (here 3·7·7 = 147, as ResNet's stem)
        cs.add(new Case("row tiles half", 2, 2, 10, 1, a(4, 105), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("row tiles half stem 105", 2, 3, 10, 1, a(5, 209), a(7, 7), a(2, 2), a(3, 3), a(3, 3), a(1, 1), true));
        cs.add(new Case("row tiles half stem 104", 1, 3, 9, 1, a(6, 207), a(7, 7), a(2, 2), a(3, 3), a(3, 3), a(1, 1), false));
        // batches of at least 4 work items per thread: each (image, group) item fills its own padded channels
        cs.add(new Case("item fill groups s2 d2", 5, 6, 10, 2, a(11, 9), a(3, 3), a(2, 2), a(1, 2), a(2, 1), a(2, 2), true));
        cs.add(new Case("item fill row tiles", 9, 1, 12, 1, a(6, 30), a(3, 3), a(1, 1), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("item fill 1d odd", 8, 3, 7, 1, a(37), a(4), a(1), a(2), a(1), a(1), false));
        Random r = new Random(4242);
        for (int i = 0; i < 24; i++) {
            int dims = 1 + r.nextInt(3);
            int groups = 1 + r.nextInt(3);
            int c = groups * (1 + r.nextInt(4));
            int o = groups * (1 + r.nextInt(r.nextBoolean() ? 12 : 3));
            int[] in = new int[dims], k = new int[dims], s = new int[dims], pb = new int[dims], pa = new int[dims], d = new int[dims];
            for (int j = 0; j < dims; j++) {
                k[j] = 1 + r.nextInt(dims == 3 ? 3 : 5);
                s[j] = 1 + r.nextInt(3);
                d[j] = 1 + r.nextInt(2);
                pb[j] = r.nextInt(3);
                pa[j] = r.nextInt(3);
                int span = d[j] * (k[j] - 1) + 1;
                in[j] = Math.max(1, span - pb[j] - pa[j]) + r.nextInt(dims == 3 ? 5 : 12);
            }
            cs.add(new Case("random " + i, 1 + r.nextInt(3), c, o, groups, in, k, s, pb, pa, d, r.nextBoolean()));
        }
        return cs;
    }

    static Stream<Arguments> matrix() {
        List<Arguments> args = new ArrayList<>();
        for (Case c : cases()) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                args.add(Arguments.of(c, dt));
            }
        }
        return args.stream();
    }

    @ParameterizedTest(name = "{0} {1}")
    @MethodSource("matrix")
    void fastMatchesReferenceOnBothPathsAndThreadCounts(Case c, DType dt) {
        Random r = new Random(c.toString().hashCode());
        Tensor x = random(r, dt, concat(c.n, c.c, c.in));
        Tensor w = random(r, dt, concat(c.o, c.c / c.groups, c.k));
        Tensor b = c.bias ? random(r, dt, c.o) : null;
        Tensor ref = ReferenceConv.conv(c.dims(), x, w, b, c.stride, c.padBefore, c.padAfter, c.dilation, c.groups, PaddingMode.ZEROS);
        var spec = ConvParams.function(c.dims(), false, c.stride, c.padBefore, c.padAfter, null, a(0), c.dilation, c.groups)
                .bind(x, w, b, false);
        for (boolean vector : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                Tensor got = FastConv.run(spec, x, w, b, vector);
                assertClose(got, ref, dt, (vector ? "vector" : "scalar") + " threads=" + threads);
            }
        }
    }

    /**
     * Each output element's sum order does not depend on the thread count, and the buffers kept between calls (padded
     * input, packed weights) carry nothing over: a convolution gives the same bits at 1 and 2 threads and again after
     * others of different shapes (more output channels, then fewer than a tile's rows) reused those buffers.
     */
    @Test
    void sameBitsAtEveryThreadCountAndAfterOtherShapesReuseTheBuffers() {
        for (Case c : cases()) {
            Random r = new Random(c.toString().hashCode());
            Tensor x = random(r, DType.FLOAT32, concat(c.n, c.c, c.in));
            Tensor w = random(r, DType.FLOAT32, concat(c.o, c.c / c.groups, c.k));
            Tensor b = c.bias ? random(r, DType.FLOAT32, c.o) : null;
            var spec = ConvParams.function(c.dims(), false, c.stride, c.padBefore, c.padAfter, null, a(0), c.dilation, c.groups)
                    .bind(x, w, b, false);
            Parallel.setThreads(1);
            float[] first = FastConv.run(spec, x, w, b, true).toFloatArray();
            Parallel.setThreads(2);
            assertThat(FastConv.run(spec, x, w, b, true).toFloatArray()).as(c + " at 2 threads").containsExactly(first);
            // a wider layer fills the kept buffers with other values; then the first again
            Tensor wide = random(r, DType.FLOAT32, concat(c.n, 3 * c.c, c.in));
            Tensor wWide = random(r, DType.FLOAT32, concat(37, 3 * c.c, c.k));
            ConvKernels.conv(wide, wWide, null, c.stride, c.padBefore, c.padAfter, c.dilation, 1);
            assertThat(FastConv.run(spec, x, w, b, true).toFloatArray()).as(c + " after another shape").containsExactly(first);
        }
    }

    @Test
    void vectorPathIsExercisedWhenTheModuleIsPresent() {
        // surefire runs with --add-modules jdk.incubator.vector, so both kernels are really tested
        assertThat(Kernels.VECTOR_AVAILABLE).isTrue();
        assertThat(Kernels.floats(true).name()).startsWith("vector-");
        assertThat(Kernels.floats(false).name()).isEqualTo("scalar");
        assertThat(Kernels.doubles(true).name()).startsWith("vector-");
        assertThat(Kernels.doubles(false).name()).isEqualTo("scalar");
    }

    @Test
    void entryPointHandlesUnbatchedNonContiguousInputAndDefaultKernels() {
        Random r = new Random(7);
        Tensor x = random(r, DType.FLOAT32, 9, 4, 8).permute(1, 2, 0); // [4, 8, 9], non-contiguous
        Tensor w = random(r, DType.FLOAT32, 6, 4, 3, 3);
        Tensor ref = ReferenceConv.conv(2, x, w, null, a(1, 2), a(1, 0), a(0, 1), a(1, 1), 1, PaddingMode.ZEROS);
        Tensor got = ConvKernels.conv(x, w, null, a(1, 2), a(1, 0), a(0, 1), a(1, 1), 1);
        assertThat(got.shape()).isEqualTo(ref.shape());
        assertClose(got, ref, DType.FLOAT32, "unbatched");
    }

    @Test
    void emptyBatchesAndChannelsGiveTheReferenceResult() {
        Random r = new Random(11);
        Tensor b = random(r, DType.FLOAT32, 3);
        Tensor noChannels = ConvKernels.conv(Tensor.zeros(DType.FLOAT32, 2, 0, 5, 5), Tensor.zeros(DType.FLOAT32, 3, 0, 3, 3), b,
                a(1, 1), a(1, 1), a(1, 1), a(1, 1), 1);
        assertThat(noChannels.shape().toArray()).containsExactly(2, 3, 5, 5);
        assertThat(noChannels.get(1, 2, 4, 4)).isEqualTo(b.get(2));
        Tensor noImages = ConvKernels.conv(Tensor.zeros(DType.FLOAT32, 0, 4, 5, 5), random(r, DType.FLOAT32, 3, 4, 3, 3), b,
                a(1, 1), a(0, 0), a(0, 0), a(1, 1), 1);
        assertThat(noImages.shape().toArray()).containsExactly(0, 3, 3, 3);
    }

    @Test
    void otherDtypesFallBackToTheReference() {
        Tensor x = Tensor.of(new long[] {1, 2, 3, 4, 5}, 1, 1, 5);
        Tensor w = Tensor.of(new long[] {1, -1}, 1, 1, 2);
        Tensor got = ConvKernels.conv(x, w, null, a(1), a(0), a(0), a(1), 1);
        assertThat(got.toDoubleArray()).containsExactly(-1, -1, -1, -1);
    }

    @Test
    void checksGiveTheReferenceMessages() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 5, 32, 32);
        Tensor w = Tensor.zeros(DType.FLOAT32, 8, 3, 3, 3);
        assertThatThrownBy(() -> ConvKernels.conv(x, w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 2))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Given groups=2, weight of size [8, 3, 3, 3], expected input[1, 5, 32, 32] to have 6 channels, but got 5 channels instead");
        Tensor x6 = Tensor.zeros(DType.FLOAT32, 1, 6, 2, 2);
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 2))
                .hasMessage("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). Kernel size can't be greater than actual input size");
        assertThatThrownBy(() -> ConvKernels.conv(Tensor.zeros(DType.FLOAT32, 6, 2), w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 2))
                .hasMessage("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [6, 2]");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, Tensor.zeros(DType.FLOAT32, 7), a(1, 1), a(1, 1), a(1, 1), a(1, 1), 2))
                .hasMessage("Given weight of size [8, 3, 3, 3], expected bias to be 1-dimensional with 8 elements, but got bias of size [7] instead");
        Tensor w9 = Tensor.zeros(DType.FLOAT32, 9, 3, 3, 3);
        assertThatThrownBy(() -> ConvKernels.conv(x6, w9, null, a(1, 1), a(1, 1), a(1, 1), a(1, 1), 2))
                .hasMessage("Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [9, 3, 3, 3] instead");
        assertThatThrownBy(() -> ConvKernels.conv(x6.to(DType.FLOAT64), w, null, a(1, 1), a(1, 1), a(1, 1), a(1, 1), 2))
                .hasMessage("conv2d: input dtype torch.float64 and weight dtype torch.float32 differ; expected the same dtype (convert the "
                        + "input with .to(torch.float32) or the weight with .to(torch.float64))");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 0), a(1, 1), a(1, 1), a(1, 1), 2))
                .hasMessage("non-positive stride is not supported (stride=[1, 0])");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 1), a(1, 1, 1), a(1, 1), a(1, 1), 2))
                .hasMessage("conv2d: expected padding to be a single integer value or a list of 2 values to match the convolution "
                        + "dimensions, but got padding=[1, 1, 1]");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 1), a(1, 1), a(-1, 1), a(1, 1), 2))
                .hasMessage("negative padding is not supported (padding=[-1, 1])");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 1), a(1, 1), a(1, 1), a(0, 1), 2))
                .hasMessage("dilation should be greater than zero, but got [0, 1]");
        assertThatThrownBy(() -> ConvKernels.conv(x6, w, null, a(1, 1), a(1, 1), a(1, 1), a(1, 1), 0))
                .hasMessage("non-positive groups is not supported (groups=0)");
    }

    @Test
    void checksMatchTheReferenceWordForWord() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 1, 5, 32, 32);
        Tensor w = Tensor.zeros(DType.FLOAT32, 8, 3, 3, 3);
        Throwable fast = catchIt(() -> ConvKernels.conv(x, w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 2));
        Throwable ref = catchIt(() -> ReferenceConv.conv(2, x, w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 2, PaddingMode.ZEROS));
        Throwable function = catchIt(() -> F.conv2d(x, w, null, a(1, 1), a(0, 0), a(1, 1), 2));
        assertThat(fast).hasMessage(ref.getMessage());
        assertThat(function).hasMessage(ref.getMessage());
    }

    // ------------------------------------------------------------------ helpers

    static Throwable catchIt(Runnable r) {
        try {
            r.run();
        } catch (RuntimeException e) {
            return e;
        }
        throw new AssertionError("expected an exception");
    }

    static int[] a(int... v) {
        return v;
    }

    static int[] concat(int a, int b, int[] rest) {
        int[] s = new int[rest.length + 2];
        s[0] = a;
        s[1] = b;
        System.arraycopy(rest, 0, s, 2, rest.length);
        return s;
    }

    static Tensor random(Random r, DType dt, int... shape) {
        Tensor t = Tensor.empty(dt, shape);
        for (int i = 0; i < t.numel(); i++) t.storage().setDouble(i, r.nextDouble() * 2 - 1);
        return t;
    }

    /** {@code |got - ref| <= tol · max|ref|} elementwise, tol 1e-5 (float32) or 1e-12 (float64). */
    static void assertClose(Tensor got, Tensor ref, DType dt, String what) {
        assertThat(got.shape()).as(what).isEqualTo(ref.shape());
        assertThat(got.dtype()).as(what).isEqualTo(dt);
        double[] g = got.toDoubleArray();
        double[] e = ref.toDoubleArray();
        double scale = 0;
        for (double v : e) scale = Math.max(scale, Math.abs(v));
        double tol = (dt == DType.FLOAT32 ? 1e-5 : 1e-12) * Math.max(scale, 1e-30);
        for (int i = 0; i < g.length; i++) {
            if (!(Math.abs(g[i] - e[i]) <= tol)) {
                throw new AssertionError(what + ": element " + i + " is " + g[i] + ", reference " + e[i] + " (tolerance " + tol
                        + ", output scale " + scale + ")");
            }
        }
    }
}
