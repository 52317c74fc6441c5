package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import org.convinit.nn.PaddingMode;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** Gradients of the reference convolution: finite differences in float64, and torch autograd. */
class ConvBackwardTest {

    record Cfg(int dims, int[] x, int[] w, int[] stride, int[] pad, int[] dil, int groups, PaddingMode mode, boolean bias) {}

    static final Cfg[] CASES = {
        new Cfg(2, new int[] {2, 4, 5, 6}, new int[] {6, 2, 3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 2}, 2, PaddingMode.ZEROS, true),
        new Cfg(1, new int[] {2, 3, 7}, new int[] {3, 1, 3}, new int[] {1}, new int[] {2}, new int[] {1}, 3, PaddingMode.REFLECT, false),
        new Cfg(2, new int[] {1, 2, 4, 4}, new int[] {3, 2, 3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.CIRCULAR, true),
        new Cfg(2, new int[] {1, 2, 4, 5}, new int[] {2, 2, 2, 2}, new int[] {2, 2}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.REPLICATE, true),
        new Cfg(3, new int[] {1, 2, 3, 4, 3}, new int[] {2, 1, 2, 2, 2}, new int[] {1, 2, 1}, new int[] {1, 0, 1}, new int[] {1, 1, 2}, 2, PaddingMode.ZEROS, true),
        new Cfg(2, new int[] {3, 5, 5}, new int[] {2, 3, 3, 3}, new int[] {1, 1}, new int[] {0, 0}, new int[] {1, 1}, 1, PaddingMode.ZEROS, true),
    };

    static Tensor run(Cfg c, Tensor x, Tensor w, Tensor b) {
        return Conv.convNd("conv" + c.dims() + "d", c.dims(), x, w, b, c.stride(), c.pad(), c.pad(), c.dil(), c.groups(), c.mode());
    }

    @Test
    void gradientsMatchFiniteDifferences() {
        int seed = 0;
        for (Cfg c : CASES) {
            Tensor x = leaf(seed++, -1, 1, c.x());
            Tensor w = leaf(seed++, -1, 1, c.w());
            Tensor b = c.bias() ? leaf(seed++, -1, 1, c.w()[0]) : null;
            if (b != null) check(c.toString(), a -> run(c, a[0], a[1], a[2]), x, w, b);
            else check(c.toString(), a -> run(c, a[0], a[1], null), x, w);
        }
    }

    @Test
    void gemmGradientsEqualTheNaiveOnes() {
        int seed = 300;
        for (Cfg c : CASES) {
            if (c.mode() != PaddingMode.ZEROS) continue;
            for (org.convinit.tensor.DType dt : new org.convinit.tensor.DType[] {org.convinit.tensor.DType.FLOAT64, org.convinit.tensor.DType.FLOAT32}) {
                Tensor x = leaf(seed++, -1, 1, c.x()).detach().to(dt);
                if (x.dim() == c.dims() + 1) x = x.unsqueeze(0);
                Tensor w = leaf(seed++, -1, 1, c.w()).detach().to(dt);
                Tensor y = run(c, x, w, null);
                Tensor gy = leaf(seed++, -1, 1, y.shape().toArray()).detach().to(dt);
                int[] in = new int[c.dims()];
                int[] k = new int[c.dims()];
                int[] os = new int[c.dims()];
                for (int i = 0; i < c.dims(); i++) {
                    in[i] = x.size(2 + i);
                    k[i] = w.size(2 + i);
                    os[i] = y.size(2 + i);
                }
                int[][] gather = Conv.gatherIndex(in, k, os, c.stride(), c.pad(), c.dil(), PaddingMode.ZEROS);
                Tensor[] naive = ConvBackward.grads(x, w, true, gy, gather, c.groups());
                Tensor[] gemm = ConvBackward.gradsGemm(x, w, true, gy, gather, c.groups());
                double tol = dt == org.convinit.tensor.DType.FLOAT64 ? 1e-12 : 1e-5;
                for (int j = 0; j < 3; j++) {
                    assertThat(gemm[j].dtype()).isEqualTo(dt);
                    assertThat(gemm[j].allClose(naive[j], tol, tol)).as("%s %s grad %d", c, dt, j).isTrue();
                }
            }
        }
    }

    @Test
    void kernelGradientsEqualTheGemmOnes() {
        Cfg[] cfgs = {
            new Cfg(2, new int[] {3, 4, 9, 8}, new int[] {5, 4, 3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.ZEROS, true),
            new Cfg(2, new int[] {2, 3, 11, 10}, new int[] {4, 3, 3, 2}, new int[] {2, 3}, new int[] {1, 0}, new int[] {2, 1}, 1, PaddingMode.ZEROS, true),
            new Cfg(1, new int[] {4, 2, 17}, new int[] {3, 2, 4}, new int[] {3}, new int[] {2}, new int[] {2}, 1, PaddingMode.ZEROS, false),
            new Cfg(3, new int[] {2, 2, 5, 6, 7}, new int[] {3, 2, 2, 3, 2}, new int[] {2, 1, 2}, new int[] {1, 1, 0}, new int[] {1, 2, 1}, 1, PaddingMode.ZEROS, true),
            new Cfg(2, new int[] {1, 1, 28, 28}, new int[] {8, 1, 3, 3}, new int[] {1, 1}, new int[] {1, 1}, new int[] {1, 1}, 1, PaddingMode.ZEROS, true),
        };
        int seed = 500;
        for (Cfg c : cfgs) {
            for (org.convinit.tensor.DType dt : new org.convinit.tensor.DType[] {org.convinit.tensor.DType.FLOAT64, org.convinit.tensor.DType.FLOAT32}) {
                Tensor x = leaf(seed++, -1, 1, c.x()).detach().to(dt);
                Tensor w = leaf(seed++, -1, 1, c.w()).detach().to(dt);
                Tensor y = run(c, x, w, null);
                Tensor gy = leaf(seed++, -1, 1, y.shape().toArray()).detach().to(dt);
                int[] in = new int[c.dims()];
                int[] k = new int[c.dims()];
                int[] os = new int[c.dims()];
                for (int i = 0; i < c.dims(); i++) {
                    in[i] = x.size(2 + i);
                    k[i] = w.size(2 + i);
                    os[i] = y.size(2 + i);
                }
                Tensor[] gemm = ConvBackward.gradsGemm(x, w, c.bias(), gy,
                        Conv.gatherIndex(in, k, os, c.stride(), c.pad(), c.dil(), PaddingMode.ZEROS), 1);
                Tensor[] fast = ConvBackward.gradsKernels(x, w, c.bias(), gy, c.stride(), c.pad(), c.pad(), c.dil(), 1);
                assertThat(fast).as("%s covered", c).isNotNull();
                double tol = dt == org.convinit.tensor.DType.FLOAT64 ? 1e-12 : 1e-4;
                for (int j = 0; j < 3; j++) {
                    if (gemm[j] == null) {
                        assertThat(fast[j]).isNull();
                        continue;
                    }
                    assertThat(fast[j].shape()).isEqualTo(gemm[j].shape());
                    assertThat(fast[j].dtype()).isEqualTo(dt);
                    assertThat(fast[j].allClose(gemm[j], tol, tol)).as("%s %s grad %d", c, dt, j).isTrue();
                }
            }
        }
        Tensor x = leaf(1, -1, 1, 1, 4, 6, 6).detach();
        Tensor w = leaf(2, -1, 1, 4, 2, 3, 3).detach();
        Tensor gy = leaf(3, -1, 1, 1, 4, 4, 4).detach();
        assertThat(ConvBackward.gradsKernels(x, w, false, gy, new int[] {1, 1}, new int[] {0, 0}, new int[] {0, 0}, new int[] {1, 1}, 2))
                .as("grouped convolutions fall back").isNull();
        assertThat(ConvBackward.gradsKernels(x.narrow(1, 0, 2), w, false, leaf(4, -1, 1, 1, 4, 5, 5).detach(), new int[] {1, 1},
                new int[] {0, 0}, new int[] {1, 1}, new int[] {1, 1}, 1)).as("asymmetric padding falls back").isNull();
    }

    @Test
    void gradientsMatchTorchAutograd() {
        Torch.require();
        StringBuilder py = new StringBuilder("import torch, torch.nn.functional as F\n"
                + "def t(s, shape): return torch.tensor([float.fromhex(v) for v in s.split(',') if v], dtype=torch.float64).reshape(shape).requires_grad_(True)\n"
                + "def pr(v): print(' '.join(a.hex() for a in v.detach().flatten().tolist()))\n");
        int seed = 100;
        Tensor[][] mine = new Tensor[CASES.length][];
        for (int i = 0; i < CASES.length; i++) {
            Cfg c = CASES[i];
            Tensor x = leaf(seed++, -1, 1, c.x());
            Tensor w = leaf(seed++, -1, 1, c.w());
            Tensor b = leaf(seed++, -1, 1, c.w()[0]);
            Tensor gy = leaf(seed++, -1, 1, run(c, x.detach(), w.detach(), b.detach()).shape().toArray()).detach();
            run(c, x, w, b).backward(gy, false);
            mine[i] = new Tensor[] {x.grad(), w.grad(), b.grad()};
            String pad = c.mode() == PaddingMode.ZEROS ? tuple(c.pad()) : "0";
            py.append("x = t('").append(hex(x)).append("', ").append(tuple(c.x())).append(")\n")
                    .append("w = t('").append(hex(w)).append("', ").append(tuple(c.w())).append(")\n")
                    .append("b = t('").append(hex(b)).append("', (").append(c.w()[0]).append(",))\n")
                    .append("gy = t('").append(hex(gy)).append("', ").append(tuple(gy.shape().toArray())).append(")\n")
                    .append("xin = x if x.dim() == ").append(c.dims() + 2).append(" else x.unsqueeze(0)\n");
            if (c.mode() != PaddingMode.ZEROS) {
                StringBuilder rev = new StringBuilder("(");
                for (int d = c.dims() - 1; d >= 0; d--) rev.append(c.pad()[d]).append(',').append(c.pad()[d]).append(',');
                py.append("xin = F.pad(xin, ").append(rev).append("), mode='").append(c.mode().torchName()).append("')\n");
            }
            py.append("y = F.conv").append(c.dims()).append("d(xin, w, b, stride=").append(tuple(c.stride())).append(", padding=")
                    .append(pad).append(", dilation=").append(tuple(c.dil())).append(", groups=").append(c.groups()).append(")\n")
                    .append("y = y if x.dim() == ").append(c.dims() + 2).append(" else y.squeeze(0)\n")
                    .append("y.backward(gy)\npr(x.grad); pr(w.grad); pr(b.grad)\n");
        }
        String[] lines = Torch.run(py.toString()).strip().split("\n");
        for (int i = 0; i < CASES.length; i++) {
            for (int k = 0; k < 3; k++) {
                String[] parts = lines[3 * i + k].split(" ");
                double[] m = mine[i][k].toDoubleArray();
                assertThat(m).hasSize(parts.length);
                for (int j = 0; j < parts.length; j++) {
                    assertThat(Math.abs(m[j] - Double.parseDouble(parts[j]))).as("case %d grad %d [%d]", i, k, j).isLessThan(1e-12);
                }
            }
        }
    }

    private static String hex(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (double v : t.detach().toDoubleArray()) sb.append(Double.toHexString(v)).append(',');
        return sb.toString();
    }

    private static String tuple(int[] v) {
        StringBuilder sb = new StringBuilder("(");
        for (int x : v) sb.append(x).append(',');
        return sb.append(')').toString();
    }
}
