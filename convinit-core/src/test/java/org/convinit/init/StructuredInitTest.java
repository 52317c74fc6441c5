package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Consumer;

import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.RawFloats;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** delta_orthogonal_, icnr_, zero_init_, gabor_ and dct_: their defining properties, checked in convinit and in torch. */
class StructuredInitTest {
    @TempDir
    Path dir;

    static final int DEPTH = 100;
    static final int C = 8;

    /** The 100 weights of a stack of 3×3 convs C→C initialized by {@code init}, from seed 0. */
    static List<Tensor> stack(Consumer<Tensor> init) {
        Generator.manualSeed(0);
        List<Tensor> ws = new ArrayList<>();
        for (int l = 0; l < DEPTH; l++) {
            Tensor w = Tensor.empty(DType.FLOAT32, C, C, 3, 3);
            init.accept(w);
            ws.add(w);
        }
        return ws;
    }

    static double norm(Tensor t) {
        double s = 0;
        for (double v : t.toDoubleArray()) s += v * v;
        return Math.sqrt(s);
    }

    /** ‖y‖/‖x‖ through the identity-activation stack, in convinit. */
    static double ratio(List<Tensor> ws, Tensor x) {
        Tensor y = x;
        for (Tensor w : ws) y = F.conv2d(y, w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1);
        return norm(y) / norm(x);
    }

    @Test
    void deltaOrthogonalStackPreservesTheNormInConvinitAndInTorchHeNormalDrifts() throws Exception {
        Torch.require();
        Tensor x = Tensor.empty(DType.FLOAT32, 2, C, 10, 10).normal_(0, 1, new Generator(99));
        List<Tensor> delta = stack(w -> StructuredInit.deltaOrthogonal(w, 1.0, StructuredInit.Center.JAX, null));
        List<Tensor> he = stack(w -> Init.kaimingNormal(w, 0, FanMode.FAN_IN, Nonlinearity.RELU, null));
        List<Tensor> linear = stack(w -> Init.kaimingNormal(w, 0, FanMode.FAN_IN, Nonlinearity.LINEAR, null));
        double[] java = {ratio(delta, x), ratio(he, x), ratio(linear, x)};
        List<Tensor> all = new ArrayList<>(List.of(x));
        all.addAll(delta);
        all.addAll(he);
        all.addAll(linear);
        Path f = RawFloats.write(dir, "stack.bin", all);
        String py = String.join("\n",
                "import sys, numpy as np, torch, torch.nn.functional as F",
                "a = torch.from_numpy(np.fromfile(sys.argv[1], dtype='<f4'))",
                "x = a[:2*8*100].reshape(2, 8, 10, 10); off = 2*8*100",
                "out = []",
                "for s in range(3):",
                "    y = x",
                "    for l in range(100):",
                "        w = a[off:off+8*8*9].reshape(8, 8, 3, 3); off += 8*8*9",
                "        y = F.conv2d(y, w, padding=1)",
                "    out.append(repr((y.double().norm() / x.double().norm()).item()))",
                "print(' '.join(out))");
        String[] torch = Torch.run(py, f.toString()).strip().split(" ");
        double torchDelta = Double.parseDouble(torch[0]);
        System.out.printf("delta-orthogonal 100-layer ||y||/||x||: convinit %.9f, torch %.9f; He normal (relu gain): convinit %.4g, "
                + "torch %s; kaiming_normal_(linear): convinit %.4g, torch %s%n", java[0], torchDelta, java[1], torch[1], java[2], torch[2]);
        assertThat(Math.abs(java[0] - 1)).isLessThan(1e-4);
        assertThat(Math.abs(torchDelta - 1)).isLessThan(1e-4);
        assertThat(Double.parseDouble(torch[1])).isGreaterThan(1e6); // 2^(100/2) in expectation: He's gain 2 per layer without ReLU
        assertThat(Math.abs(Double.parseDouble(torch[1]) / java[1] - 1)).isLessThan(1e-3);
        assertThat(Math.abs(Double.parseDouble(torch[2]) / java[2] - 1)).isLessThan(1e-3);
    }

    @Test
    void deltaOrthogonalHasOneTapAnOrthonormalBlockAndBothCentres() {
        Tensor w = StructuredInit.deltaOrthogonal(Tensor.empty(DType.FLOAT32, 6, 4, 4, 4), 2.0, StructuredInit.Center.JAX, new Generator(1));
        Tensor t = StructuredInit.deltaOrthogonal(Tensor.empty(DType.FLOAT32, 6, 4, 4, 4), 2.0, StructuredInit.Center.TORCH, new Generator(1));
        for (int o = 0; o < 6; o++) {
            for (int i = 0; i < 4; i++) {
                for (int y = 0; y < 4; y++) {
                    for (int z = 0; z < 4; z++) {
                        if (y != 1 || z != 1) assertThat(w.get(o, i, y, z)).isZero(); // (k-1)//2 = 1
                        if (y != 2 || z != 2) assertThat(t.get(o, i, y, z)).isZero(); // k//2 = 2
                    }
                }
                assertThat(t.get(o, i, 2, 2)).isEqualTo(w.get(o, i, 1, 1));
            }
        }
        // QᵀQ = gain² I over the centre block (orthonormal columns, in <= out)
        for (int a = 0; a < 4; a++) {
            for (int b = 0; b < 4; b++) {
                double dot = 0;
                for (int o = 0; o < 6; o++) dot += w.get(o, a, 1, 1) * w.get(o, b, 1, 1);
                assertThat(dot).isCloseTo(a == b ? 4.0 : 0.0, org.assertj.core.data.Offset.offset(1e-5));
            }
        }
        assertThatThrownBy(() -> StructuredInit.deltaOrthogonal(Tensor.empty(DType.FLOAT32, 3, 4, 3, 3), 1, StructuredInit.Center.JAX, null))
                .hasMessageContaining("needs size(1) (in_channels = 4) <= size(0) (out_channels = 3)");
        assertThatThrownBy(() -> StructuredInit.Center.parse("middle")).hasMessageContaining("'jax'");
    }

    @Test
    void icnrGivesZeroCheckerboardEnergyAfterPixelShuffleInConvinitAndInTorch() throws Exception {
        Torch.require();
        int r = 3;
        Tensor w = StructuredInit.icnr(Tensor.empty(DType.FLOAT32, 2 * r * r, 3, 3, 3), r, false, new Generator(5));
        Tensor x = Tensor.empty(DType.FLOAT32, 2, 3, 7, 6).normal_(0, 1, new Generator(6));
        Tensor y = F.pixelShuffle(F.conv2d(x, w, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1), r);
        assertThat(y.shape().toArray()).containsExactly(2, 2, 21, 18);
        assertThat(checkerboard(y, r)).isZero();
        // the default init of the same layer is far from it
        Tensor d = Init.kaimingNormal(Tensor.empty(DType.FLOAT32, 2 * r * r, 3, 3, 3), 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, new Generator(5));
        assertThat(checkerboard(F.pixelShuffle(F.conv2d(x, d, null, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1), r), r))
                .isGreaterThan(0.1);
        // the sub-kernel is torch's kaiming_normal_ on [C, in, k, k] with the same draws
        Generator.manualSeed(5);
        Tensor sub = Init.kaimingNormal(Tensor.empty(DType.FLOAT32, 2, 3, 3, 3));
        for (int c = 0; c < 2 * r * r; c++) assertThat(w.select(0, c).valueEquals(sub.select(0, c / (r * r)))).isTrue();
        Path f = RawFloats.write(dir, "icnr.bin", List.of(x, w));
        String py = String.join("\n",
                "import sys, numpy as np, torch, torch.nn as nn",
                "a = torch.from_numpy(np.fromfile(sys.argv[1], dtype='<f4'))",
                "x = a[:2*3*7*6].reshape(2, 3, 7, 6); w = a[2*3*7*6:].reshape(18, 3, 3, 3)",
                "conv = nn.Conv2d(3, 18, 3, padding=1); nn.init.zeros_(conv.bias)",
                "with torch.no_grad(): conv.weight.copy_(w)",
                "y = nn.PixelShuffle(3)(conv(x)).detach()",
                "blocks = y.reshape(2, 2, 7, 3, 6, 3)",
                "print(repr((blocks - blocks[:, :, :, :1, :, :1]).abs().max().item()))");
        assertThat(Double.parseDouble(Torch.run(py, f.toString()).strip())).isZero();
    }

    /** max |y[.., h·r+i, w·r+j] − y[.., h·r, w·r]|: 0 when every r×r block is constant. */
    static double checkerboard(Tensor y, int r) {
        double m = 0;
        for (int n = 0; n < y.size(0); n++) {
            for (int c = 0; c < y.size(1); c++) {
                for (int h = 0; h < y.size(2); h++) {
                    for (int w = 0; w < y.size(3); w++) {
                        m = Math.max(m, Math.abs(y.get(n, c, h, w) - y.get(n, c, h - h % r, w - w % r)));
                    }
                }
            }
        }
        return m;
    }

    @Test
    void icnrForATransposedConvMakesEveryOutputPhaseEqual() {
        Tensor w = StructuredInit.icnr(Tensor.empty(DType.FLOAT32, 3, 4, 4, 4), 2, true, new Generator(8));
        Tensor x = Tensor.empty(DType.FLOAT32, 1, 3, 5, 5).normal_(0, 1, new Generator(9));
        Tensor y = F.convTranspose2d(x, w, null, new int[] {2, 2}, new int[] {0, 0}, new int[] {0, 0}, 1, new int[] {1, 1});
        assertThat(y.shape().toArray()).containsExactly(1, 4, 12, 12);
        assertThat(checkerboard(y, 2)).isZero();
        assertThatThrownBy(() -> StructuredInit.icnr(Tensor.empty(DType.FLOAT32, 3, 4, 3, 3), 2, true, null))
                .hasMessageContaining("kernel size 3 is not divisible by upscale_factor 2");
        assertThatThrownBy(() -> StructuredInit.icnr(Tensor.empty(DType.FLOAT32, 6, 4, 3, 3), 2, false, null))
                .hasMessageContaining("out_channels 6 is not divisible by upscale_factor² = 4");
    }

    /** Sylvester's construction, independently of the bit-parity formula. */
    static int[][] sylvester(int p) {
        int[][] h = {{1}};
        while (h.length < p) {
            int n = h.length;
            int[][] g = new int[2 * n][2 * n];
            for (int i = 0; i < n; i++) {
                for (int j = 0; j < n; j++) {
                    g[i][j] = h[i][j];
                    g[i][j + n] = h[i][j];
                    g[i + n][j] = h[i][j];
                    g[i + n][j + n] = -h[i][j];
                }
            }
            h = g;
        }
        return h;
    }

    @Test
    void zerOIsTheSameForEverySeedAndEqualsTheFormula() {
        int[][] shapes = {{12, 5}, {16, 16}, {5, 12}, {20, 7, 3, 3}, {4, 9, 3}, {64, 33}};
        for (int[] s : shapes) {
            Generator.manualSeed(0);
            Tensor a = StructuredInit.zerO(Tensor.empty(DType.FLOAT32, s));
            Generator.manualSeed(12345);
            Tensor b = StructuredInit.zerO(Tensor.empty(DType.FLOAT32, s));
            assertThat(a.valueEquals(b)).isTrue();
            int out = s[0];
            int in = s[1];
            int p = Integer.highestOneBit(out - 1) * 2;
            if (out == 1) p = 1;
            int[][] h = sylvester(Math.max(p, 1));
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    double expect = out <= in ? (o == i ? 1 : 0) : h[o][i] / Math.sqrt(p);
                    double got = s.length == 2 ? a.get(o, i) : s.length == 3 ? a.get(o, i, 1) : a.get(o, i, 1, 1);
                    assertThat(got).as("%s [%d, %d]", java.util.Arrays.toString(s), o, i).isEqualTo((double) (float) expect);
                }
            }
        }
        // a ZerO draw consumes nothing: the default generator continues as if it had not run
        Generator.manualSeed(3);
        StructuredInit.zerO(Tensor.empty(DType.FLOAT32, 8, 4));
        double after = Tensor.empty(DType.FLOAT32, 1).uniform_(0, 1).item();
        Generator.manualSeed(3);
        assertThat(Tensor.empty(DType.FLOAT32, 1).uniform_(0, 1).item()).isEqualTo(after);
        // out = p: c·H_p is orthogonal, so WᵀW = I
        double[] m = StructuredInit.zerOMatrix(16, 16);
        assertThat(m[0]).isEqualTo(1.0); // 16 = in: the identity
        double[] tall = StructuredInit.zerOMatrix(16, 9);
        for (int a2 = 0; a2 < 9; a2++) {
            for (int b2 = 0; b2 < 9; b2++) {
                double dot = 0;
                for (int o = 0; o < 16; o++) dot += tall[o * 9 + a2] * tall[o * 9 + b2];
                assertThat(dot).isCloseTo(a2 == b2 ? 1 : 0, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
    }

    @Test
    void dctIsAnOrthonormalBasisAndGaborFiltersAreOrientedUnitFilters() {
        Tensor d = FilterBanks.dct(Tensor.empty(DType.FLOAT64, 9, 1, 3, 3));
        for (int a = 0; a < 9; a++) {
            for (int b = 0; b < 9; b++) {
                double dot = 0;
                for (int y = 0; y < 3; y++) for (int x = 0; x < 3; x++) dot += d.get(a, 0, y, x) * d.get(b, 0, y, x);
                assertThat(dot).isCloseTo(a == b ? 1 : 0, org.assertj.core.data.Offset.offset(1e-12));
            }
        }
        assertThat(d.get(0, 0, 0, 0)).isCloseTo(1 / 3.0, org.assertj.core.data.Offset.offset(1e-15)); // DC first
        Tensor g = FilterBanks.gabor(Tensor.empty(DType.FLOAT64, 8, 2, 7, 7), 4);
        for (int o = 0; o < 8; o++) {
            double sum = 0;
            double sq = 0;
            for (int i = 0; i < 2; i++) {
                for (int y = 0; y < 7; y++) {
                    for (int x = 0; x < 7; x++) {
                        sum += g.get(o, i, y, x);
                        sq += g.get(o, i, y, x) * g.get(o, i, y, x);
                    }
                }
            }
            assertThat(sum).isCloseTo(0, org.assertj.core.data.Offset.offset(1e-12));
            assertThat(sq).isCloseTo(1, org.assertj.core.data.Offset.offset(1e-12));
        }
        // θ = π/2 is θ = 0 turned by 90°: the transpose (filters 0 and 2 of 4 orientations)
        for (int y = 0; y < 7; y++) {
            for (int x = 0; x < 7; x++) assertThat(g.get(2, 0, y, x)).isCloseTo(g.get(0, 0, x, y), org.assertj.core.data.Offset.offset(1e-12));
        }
        assertThatThrownBy(() -> FilterBanks.dct(Tensor.empty(DType.FLOAT32, 4, 4))).hasMessageContaining("Conv2d weight");
    }

    @Test
    void initCallKnowsEveryNewName() {
        Tensor w = Tensor.empty(DType.FLOAT32, 8, 2, 3, 3);
        for (String call : List.of("delta_orthogonal_", "icnr_", "zero_init_", "gabor_", "dct_")) {
            InitCall.of(call, java.util.Map.of()).apply(w, new Generator(1));
        }
        assertThat(InitCall.of("icnr_", java.util.Map.of("upscale_factor", 2, "transposed", false)).toString())
                .isEqualTo("icnr_(upscale_factor=2, transposed=False)");
        assertThatThrownBy(() -> InitCall.of("lsuv_", java.util.Map.of()).apply(w, null)).hasMessageContaining("whole model");
        assertThatThrownBy(() -> InitCall.of("icnr_", java.util.Map.of("transposed", 1))).hasMessageContaining("expected True or False");
        assertThat(InitCall.names()).contains("variance_scaling_", "lecun_normal_", "lecun_uniform_", "trunc_normal_tf_",
                "delta_orthogonal_", "icnr_", "lsuv_", "zero_init_", "gabor_", "dct_");
    }
}
