package org.convinit.nn.functional;

import org.convinit.internal.Parallel;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convinit.nn.functional.ConvKernelsTest.a;
import static org.convinit.nn.functional.ConvKernelsTest.assertClose;
import static org.convinit.nn.functional.ConvKernelsTest.random;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.stream.Stream;

import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.FastConv;
import org.convinit.nn.functional.internal.reference.ReferenceConvTranspose;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** The fast transposed convolution (GEMM + col2im) against the naive {@link ReferenceConvTranspose}. */
class ConvTransposeKernelsTest {
    private final int savedThreads = Parallel.threads();

    @AfterEach
    void restoreThreads() {
        Parallel.setThreads(savedThreads);
    }

    record Case(String name, int n, int cin, int cout, int groups, int[] in, int[] k, int[] stride, int[] pad, int[] outPad,
                int[] dilation, boolean bias) {
        @Override
        public String toString() {
            return name + " N" + n + " Cin" + cin + " Cout" + cout + " g" + groups + " in" + Arrays.toString(in) + " k"
                    + Arrays.toString(k) + " s" + Arrays.toString(stride) + " p" + Arrays.toString(pad) + " op"
                    + Arrays.toString(outPad) + " d" + Arrays.toString(dilation) + (bias ? " bias" : "");
        }
    }

    static List<Case> cases() {
        List<Case> cs = new ArrayList<>();
        cs.add(new Case("k4 s2 p1", 2, 6, 5, 1, a(7, 6), a(4, 4), a(2, 2), a(1, 1), a(0, 0), a(1, 1), true));
        cs.add(new Case("k3 s2 op1", 1, 4, 8, 1, a(5, 5), a(3, 3), a(2, 2), a(1, 1), a(1, 1), a(1, 1), true));
        cs.add(new Case("groups", 2, 6, 9, 3, a(4, 5), a(3, 2), a(1, 2), a(0, 1), a(0, 1), a(1, 1), false));
        cs.add(new Case("depthwise", 1, 5, 5, 5, a(6, 6), a(3, 3), a(2, 2), a(1, 1), a(0, 0), a(1, 1), true));
        cs.add(new Case("dilation", 2, 3, 4, 1, a(5, 4), a(3, 3), a(1, 2), a(2, 1), a(0, 1), a(2, 2), true));
        cs.add(new Case("stride 3", 1, 2, 3, 1, a(4, 3), a(2, 5), a(3, 3), a(0, 2), a(2, 1), a(1, 1), true));
        cs.add(new Case("1d", 3, 4, 6, 2, a(9), a(5), a(2), a(2), a(1), a(1), true));
        cs.add(new Case("1d k1", 2, 7, 3, 1, a(6), a(1), a(1), a(0), a(0), a(1), false));
        cs.add(new Case("3d", 1, 3, 4, 1, a(3, 4, 3), a(3, 2, 3), a(2, 1, 2), a(1, 0, 1), a(1, 0, 0), a(1, 2, 1), true));
        cs.add(new Case("many rows", 2, 9, 20, 1, a(6, 7), a(4, 4), a(2, 2), a(1, 1), a(0, 0), a(1, 1), true));
        Random r = new Random(777);
        for (int i = 0; i < 12; i++) {
            int dims = 1 + r.nextInt(3);
            int groups = 1 + r.nextInt(3);
            int[] in = new int[dims], k = new int[dims], s = new int[dims], p = new int[dims], op = new int[dims], d = new int[dims];
            for (int j = 0; j < dims; j++) {
                in[j] = 1 + r.nextInt(dims == 3 ? 4 : 8);
                k[j] = 1 + r.nextInt(4);
                s[j] = 1 + r.nextInt(3);
                d[j] = 1 + r.nextInt(2);
                op[j] = r.nextInt(Math.max(s[j], d[j]));
                int full = (in[j] - 1) * s[j] + d[j] * (k[j] - 1) + op[j] + 1;
                p[j] = r.nextInt(Math.max(1, Math.min(3, (full - 1) / 2 + 1)));
            }
            cs.add(new Case("random " + i, 1 + r.nextInt(3), groups * (1 + r.nextInt(3)), groups * (1 + r.nextInt(4)), groups, in, k,
                    s, p, op, d, r.nextBoolean()));
        }
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
    void fastMatchesReferenceOnBothPathsAndThreadCounts(Case c, DType dt) {
        Random r = new Random(c.toString().hashCode());
        int dims = c.in.length;
        int[] xs = new int[dims + 2];
        xs[0] = c.n;
        xs[1] = c.cin;
        System.arraycopy(c.in, 0, xs, 2, dims);
        int[] wsh = new int[dims + 2];
        wsh[0] = c.cin;
        wsh[1] = c.cout / c.groups;
        System.arraycopy(c.k, 0, wsh, 2, dims);
        Tensor x = random(r, dt, xs);
        Tensor w = random(r, dt, wsh);
        Tensor b = c.bias ? random(r, dt, c.cout) : null;
        Tensor ref = ReferenceConvTranspose.convTranspose(dims, x, w, b, c.stride, c.pad, c.outPad, c.dilation, c.groups);
        var spec = ConvParams.function(dims, true, c.stride, c.pad, c.pad, null, c.outPad, c.dilation, c.groups).bind(x, w, b, false);
        for (boolean vector : new boolean[] {true, false}) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                Tensor got = FastConv.run(spec, x, w, b, vector);
                assertClose(got, ref, dt, (vector ? "vector" : "scalar") + " threads=" + threads);
            }
        }
    }

    @Test
    void referenceFollowsTheDefinitionOnAHandExample() {
        // x = [1, 2] (1 channel, length 2), w = [1, 10, 100], stride 2: out = [1, 10, 100+2, 20, 200]
        Tensor x = Tensor.of(new double[] {1, 2}, 1, 1, 2);
        Tensor w = Tensor.of(new double[] {1, 10, 100}, 1, 1, 3);
        Tensor got = ConvKernels.convTranspose(x, w, null, a(2), a(0), a(0), a(1), 1);
        assertThat(got.toDoubleArray()).containsExactly(1, 10, 102, 20, 200);
        Tensor ref = ReferenceConvTranspose.convTranspose(1, x, w, null, a(2), a(0), a(0), a(1), 1);
        assertThat(ref.toDoubleArray()).containsExactly(1, 10, 102, 20, 200);
        // padding 1 crops one element from each end, output padding 1 gives the last one back
        Tensor cropped = ConvKernels.convTranspose(x, w, Tensor.vector(0.5f).to(DType.FLOAT64), a(2), a(1), a(1), a(1), 1);
        assertThat(cropped.toDoubleArray()).containsExactly(10.5, 102.5, 20.5, 200.5);
    }

    @Test
    void outputSizeFollowsTheFormula() {
        // (in-1)*stride - 2*padding + dilation*(k-1) + output_padding + 1
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 4, 28, 28);
        Tensor w = Tensor.zeros(DType.FLOAT32, 4, 3, 4, 4);
        assertThat(ConvKernels.convTranspose(x, w, null, a(2, 2), a(1, 1), a(0, 0), a(1, 1), 1).shape().toArray())
                .containsExactly(2, 3, 56, 56);
        assertThat(ConvKernels.convTranspose(x, w, null, a(3, 2), a(0, 2), a(2, 1), a(1, 2), 2).shape().toArray())
                .containsExactly(2, 6, 27 * 3 + 3 + 2 + 1, 27 * 2 - 4 + 6 + 1 + 1);
        // unbatched
        assertThat(ConvKernels.convTranspose(x.select(0, 0), w, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 1).shape().toArray())
                .containsExactly(3, 31, 31);
    }

    @Test
    void checksNameTheProblem() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 8, 32, 28, 28);
        Tensor w = Tensor.zeros(DType.FLOAT32, 64, 32, 4, 4);
        assertThatThrownBy(() -> ConvKernels.convTranspose(x, w, null, a(2, 2), a(1, 1), a(0, 0), a(1, 1), 1))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Given transposed=1, weight of size [64, 32, 4, 4], expected input[8, 32, 28, 28] to have 64 channels, but got 32 channels instead");
        Tensor w32 = Tensor.zeros(DType.FLOAT32, 32, 8, 4, 4);
        assertThatThrownBy(() -> ConvKernels.convTranspose(x, w32, Tensor.zeros(DType.FLOAT32, 8), a(2, 2), a(1, 1), a(0, 0), a(1, 1), 2))
                .hasMessage("Given transposed=1, weight of size [32, 8, 4, 4], expected bias to be 1-dimensional with 16 elements, but got bias of size [8] instead");
        assertThatThrownBy(() -> ConvKernels.convTranspose(x, w32, null, a(2, 2), a(1, 1), a(0, 0), a(1, 1), 3))
                .hasMessage("Given groups=3, expected weight to be divisible by 3 at dimension 0, but got weight of size [32, 8, 4, 4] instead");
        assertThatThrownBy(() -> ConvKernels.convTranspose(x, w32, null, a(2, 2), a(1, 1), a(2, 0), a(1, 1), 1))
                .hasMessage("output padding must be smaller than either stride or dilation, but got output_padding=[2, 0], stride=[2, 2], "
                        + "dilation=[1, 1]");
        Tensor tiny = Tensor.zeros(DType.FLOAT32, 1, 32, 1, 1);
        assertThatThrownBy(() -> ConvKernels.convTranspose(tiny, w32, null, a(1, 1), a(3, 3), a(0, 0), a(1, 1), 1))
                .hasMessage("Given input size per channel: (1 x 1). Calculated output size per channel: (-2 x -2). Output size is too small");
        assertThatThrownBy(() -> ConvKernels.convTranspose(Tensor.zeros(DType.FLOAT32, 28, 28), w32, null, a(1, 1), a(0, 0), a(0, 0), a(1, 1), 1))
                .hasMessage("Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [28, 28]");
        assertThatThrownBy(() -> ConvKernels.convTranspose(x, w32, null, a(2, 2), a(-1, 1), a(0, 0), a(1, 1), 1))
                .hasMessage("negative padding is not supported (padding=[-1, 1])");
    }
}
