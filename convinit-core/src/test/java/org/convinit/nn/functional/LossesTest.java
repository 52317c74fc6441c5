package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import org.convinit.nn.functional.Losses.Reduction;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

class LossesTest {
    static final Tensor TARGET = Tensor.of(new long[] {2, 0, 4, -100, 1}, 5);

    @Test
    void derivativesMatchFiniteDifferences() {
        Tensor x = leaf(1, -3, 3, 5, 5);
        Tensor y = leaf(2, -1, 1, 5, 5);
        check("log_softmax", a -> Losses.logSoftmax(a[0], 1), x);
        check("softmax dim 0", a -> Losses.softmax(a[0], 0), x);
        for (Reduction r : Reduction.values()) {
            check("nll " + r, a -> Losses.nllLoss(Losses.logSoftmax(a[0], 1), TARGET, r, -100), x);
            check("ce smoothing " + r, a -> Losses.crossEntropy(a[0], TARGET, r, -100, 0.1), x);
            check("mse " + r, a -> Losses.mseLoss(a[0], a[1], r), x, y);
        }
    }

    @Test
    void valuesAndGradientsMatchTorch() {
        Torch.require();
        Tensor x = leaf(3, -3, 3, 5, 5);
        StringBuilder vals = new StringBuilder();
        for (double v : x.detach().toDoubleArray()) vals.append(Double.toHexString(v)).append(',');
        String out = Torch.run(String.join("\n",
                "import sys, torch, torch.nn.functional as F",
                "x = torch.tensor([float.fromhex(v) for v in sys.argv[1].split(',') if v], dtype=torch.float64).reshape(5, 5)",
                "t = torch.tensor([2, 0, 4, -100, 1])",
                "for red in ['mean', 'sum', 'none']:",
                "  for ls in [0.0, 0.2]:",
                "    xx = x.clone().requires_grad_(True)",
                "    l = F.cross_entropy(xx, t, reduction=red, label_smoothing=ls)",
                "    l.sum().backward()",
                "    print(' '.join(v.hex() for v in l.flatten().tolist()))",
                "    print(' '.join(v.hex() for v in xx.grad.flatten().tolist()))"), vals.toString());
        String[] lines = out.strip().split("\n");
        int k = 0;
        for (Reduction r : new Reduction[] {Reduction.MEAN, Reduction.SUM, Reduction.NONE}) {
            for (double ls : new double[] {0.0, 0.2}) {
                Tensor xx = x.detach().clone().requiresGrad(true);
                Tensor l = Losses.crossEntropy(xx, TARGET, r, -100, ls);
                l.sum().backward();
                assertClose(l.toDoubleArray(), lines[k++], r + " " + ls + " value");
                assertClose(xx.grad().toDoubleArray(), lines[k++], r + " " + ls + " grad");
            }
        }
    }

    private static void assertClose(double[] mine, String line, String what) {
        String[] parts = line.split(" ");
        assertThat(mine).as(what).hasSize(parts.length);
        for (int i = 0; i < parts.length; i++) {
            double e = Double.parseDouble(parts[i]);
            assertThat(Math.abs(mine[i] - e)).as("%s [%d]: %s vs torch %s", what, i, mine[i], e).isLessThan(1e-12 * Math.max(1, Math.abs(e)));
        }
    }

    @Test
    void badTargetsAreRefused() {
        Tensor x = Tensor.zeros(DType.FLOAT32, 2, 3);
        assertThatThrownBy(() -> Losses.crossEntropy(x, Tensor.of(new long[] {0, 3}, 2)))
                .hasMessage("cross_entropy: target 3 at position 1 is out of bounds; expected a class index in [0, 3) or ignore_index -100");
        assertThatThrownBy(() -> Losses.crossEntropy(x, Tensor.of(new long[] {0}, 1)))
                .hasMessage("cross_entropy: target of shape [1] for input of shape [2, 3], expected [2]");
        assertThatThrownBy(() -> Losses.crossEntropy(x, Tensor.vector(0, 1)))
                .hasMessage("cross_entropy: target dtype torch.float32, expected class indices (int64)");
        assertThatThrownBy(() -> Losses.crossEntropy(x, Tensor.of(new long[] {0, 1}, 2), Reduction.MEAN, -100, 1.5))
                .hasMessage("label_smoothing must be between 0.0 and 1.0. Got: 1.5");
        assertThatThrownBy(() -> Losses.mseLoss(x, Tensor.zeros(DType.FLOAT32, 3), Reduction.MEAN))
                .hasMessageContaining("expected the same shape");
    }
}
