package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import org.convinit.autograd.GradMode;
import org.convinit.init.Init;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** Derivatives of LayerNorm, GroupNorm and Embedding: finite differences in float64, and torch autograd. */
class NormEmbeddingGradTest {

    private static void randomAffine(Parameter w, Parameter b, long seed) {
        try (var g = GradMode.noGrad()) {
            Init.uniform(w, 0.5, 1.5, new Generator(seed));
            Init.uniform(b, -0.5, 0.5, new Generator(seed + 1));
        }
    }

    @Test
    void finiteDifferences() {
        LayerNorm ln = new LayerNorm(new int[] {3, 4}, 1e-5, true, DType.FLOAT64);
        randomAffine(ln.weight(), ln.bias(), 1);
        check("layer_norm affine", x -> ln.forward(x[0]), leaf(2, -2, 2, 2, 3, 4), ln.weight(), ln.bias());
        LayerNorm plain = new LayerNorm(new int[] {5}, 1e-3, false, DType.FLOAT64);
        check("layer_norm plain", x -> plain.forward(x[0]), leaf(3, -2, 2, 3, 5));
        GroupNorm gn = new GroupNorm(2, 4, 1e-5, true, DType.FLOAT64);
        randomAffine(gn.weight(), gn.bias(), 4);
        check("group_norm", x -> gn.forward(x[0]), leaf(5, -2, 2, 2, 4, 3, 2), gn.weight(), gn.bias());
        Embedding emb = new Embedding(6, 3, 2, DType.FLOAT64, new Generator(6));
        Tensor idx = Tensor.of(new long[] {0, 2, 5, 0, 3, 2}, 2, 3);
        check("embedding", x -> emb.forward(idx).mul(x[0]), leaf(7, -1, 1, 2, 3, 3));
        emb.weight().setGrad(null);
        emb.forward(idx).sum().backward();
        double[] g = emb.weight().grad().toDoubleArray();
        assertThat(new double[] {g[0], g[3], g[6], g[9], g[15]}).containsExactly(2, 0, 0, 1, 1); // row 2 is padding
    }

    @Test
    void gradientsMatchTorch() {
        Torch.require();
        LayerNorm ln = new LayerNorm(new int[] {4}, 1e-5, true, DType.FLOAT64);
        randomAffine(ln.weight(), ln.bias(), 10);
        GroupNorm gn = new GroupNorm(3, 6, 1e-5, true, DType.FLOAT64);
        randomAffine(gn.weight(), gn.bias(), 12);
        Tensor x1 = leaf(13, -2, 2, 3, 4);
        Tensor x2 = leaf(14, -2, 2, 2, 6, 5);
        ln.forward(x1).pow(2).sum().backward();
        gn.forward(x2).pow(3).sum().backward();
        String out = Torch.run(String.join("\n",
                "import sys, torch",
                "def t(s, shape): return torch.tensor([float.fromhex(v) for v in s.split(',') if v], dtype=torch.float64).reshape(shape)",
                "def pr(v): print(' '.join(a.hex() for a in v.flatten().tolist()))",
                "ln = torch.nn.LayerNorm(4, dtype=torch.float64); gn = torch.nn.GroupNorm(3, 6, dtype=torch.float64)",
                "with torch.no_grad():",
                "    ln.weight.copy_(t(sys.argv[1], (4,))); ln.bias.copy_(t(sys.argv[2], (4,)))",
                "    gn.weight.copy_(t(sys.argv[3], (6,))); gn.bias.copy_(t(sys.argv[4], (6,)))",
                "x1 = t(sys.argv[5], (3, 4)).requires_grad_(True); x2 = t(sys.argv[6], (2, 6, 5)).requires_grad_(True)",
                "ln(x1).pow(2).sum().backward(); gn(x2).pow(3).sum().backward()",
                "for v in [x1.grad, ln.weight.grad, ln.bias.grad, x2.grad, gn.weight.grad, gn.bias.grad]: pr(v)"),
                hex(ln.weight()), hex(ln.bias()), hex(gn.weight()), hex(gn.bias()), hex(x1), hex(x2));
        String[] lines = out.strip().split("\n");
        Tensor[] mine = {x1.grad(), ln.weight().grad(), ln.bias().grad(), x2.grad(), gn.weight().grad(), gn.bias().grad()};
        for (int k = 0; k < mine.length; k++) {
            String[] parts = lines[k].split(" ");
            double[] m = mine[k].toDoubleArray();
            assertThat(m).hasSize(parts.length);
            for (int i = 0; i < m.length; i++) {
                double e = Double.parseDouble(parts[i]);
                assertThat(Math.abs(m[i] - e)).as("grad %d [%d]: %s vs torch %s", k, i, m[i], e).isLessThan(1e-10 * Math.max(1, Math.abs(e)));
            }
        }
    }

    private static String hex(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (double v : t.detach().toDoubleArray()) sb.append(Double.toHexString(v)).append(',');
        return sb.toString();
    }
}
