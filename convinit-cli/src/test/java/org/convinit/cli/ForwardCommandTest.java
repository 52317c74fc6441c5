package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convinit forward (and --grads) against torch 1.13.1 on the same weights and inputs. */
class ForwardCommandTest {
    @TempDir
    Path dir;

    static final String MODEL = "Sequential(Conv2d(3, 8, 3, padding=1), BatchNorm2d(8), ReLU(), MaxPool2d(2), "
            + "Conv2d(8, 4, (3, 1), stride=2, groups=2, padding_mode='reflect', padding=1), GELU(), AdaptiveAvgPool2d((2, 3)), "
            + "Flatten(), Dropout(0.3), Linear(24, 5), Tanh())";

    private void compare(String dtype, double tol) throws Exception {
        Torch.require();
        Path w = dir.resolve("w.pth");
        Path x = dir.resolve("x.npy");
        Path g = dir.resolve("g.npy");
        Path ref = dir.resolve("ref.npz");
        Torch.run(String.join("\n",
                "import sys, numpy as np, torch",
                "from torch.nn import *",
                "torch.manual_seed(3)",
                "dt = getattr(torch, sys.argv[5])",
                "m = " + MODEL,
                "with torch.no_grad():",
                "    m[1].running_mean.uniform_(-0.5, 0.5); m[1].running_var.uniform_(0.5, 2.0); m[1].weight.uniform_(0.5, 1.5)",
                "torch.save(m.state_dict(), sys.argv[1])",
                "m = m.to(dt).eval()",
                "x = torch.randn(2, 3, 10, 12, dtype=dt, requires_grad=True)",
                "y = m(x)",
                "gy = torch.randn(*y.shape, dtype=dt)",
                "y.backward(gy)",
                "np.save(sys.argv[2], x.detach().numpy()); np.save(sys.argv[3], gy.numpy())",
                "d = {'output': y.detach().numpy(), 'input': x.grad.numpy()}",
                "for k, p in m.named_parameters(): d[k] = p.grad.numpy()",
                "np.savez(sys.argv[4], **d)"), w.toString(), x.toString(), g.toString(), ref.toString(), dtype);
        Path y = dir.resolve("y.npy");
        Path grads = dir.resolve("grads.npz");
        CliRunner r = CliRunner.run("forward", "--model", MODEL, "--weights", w.toString(), "--input", x.toString(), "--output",
                y.toString(), "--grad-output", g.toString(), "--grads", grads.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Tensor> expected = Checkpoints.readTensors(ref);
        Map<String, Tensor> mineGrads = Checkpoints.readTensors(grads);
        Tensor out = Checkpoints.readTensors(y).values().iterator().next();
        assertClose("output", out, expected.get("output"), tol);
        assertThat(mineGrads.keySet()).containsAll(expected.keySet().stream().filter(k -> !k.equals("output")).toList());
        for (String k : expected.keySet()) {
            if (!k.equals("output")) assertClose(k, mineGrads.get(k), expected.get(k), tol);
        }
        assertThat(out.dtype().torchName()).isEqualTo(dtype);
    }

    static void assertClose(String what, Tensor mine, Tensor torch, double tol) {
        assertThat(mine.shape()).as(what).isEqualTo(torch.shape());
        double[] a = mine.toDoubleArray();
        double[] b = torch.toDoubleArray();
        double scale = 0;
        for (double v : b) scale = Math.max(scale, Math.abs(v));
        for (int i = 0; i < a.length; i++) {
            assertThat(Math.abs(a[i] - b[i])).as("%s[%d]: %s vs torch %s", what, i, a[i], b[i]).isLessThanOrEqualTo(tol * Math.max(scale, 1e-30));
        }
    }

    @Test
    void float32OutputsAndGradientsMatchTorch() throws Exception {
        compare("float32", 1e-4);
    }

    @Test
    void float64OutputsAndGradientsMatchTorch() throws Exception {
        compare("float64", 1e-10);
    }

    @Test
    void missingWeightsAndBadPairsAreClear() throws Exception {
        Path st = dir.resolve("w.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--seed", "0", "--out", st.toString()).code()).isZero();
        Path x = dir.resolve("x.npy");
        Checkpoints.write(x, Map.of("x", Tensor.zeros(org.convinit.tensor.DType.FLOAT32, 1, 1, 5, 5)));
        CliRunner wrong = CliRunner.run("forward", "--model", "Conv2d(1, 4, 3)", "--weights", st.toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString());
        assertThat(wrong.code()).isEqualTo(1);
        assertThat(wrong.err()).contains("size mismatch for weight").doesNotContain("\tat ");
        CliRunner half = CliRunner.run("forward", "--model", "Conv2d(1, 2, 3)", "--weights", st.toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString(), "--grads", dir.resolve("g.npz").toString());
        assertThat(half.code()).isEqualTo(2);
        assertThat(half.err()).contains("--grad-output and --grads go together");
        CliRunner ok = CliRunner.run("forward", "--model", "Conv2d(1, 2, 3)", "--weights", st.toString(), "--input", x.toString(),
                "--output", dir.resolve("y.npy").toString());
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Checkpoints.readTensors(dir.resolve("y.npy")).values().iterator().next().shape().toString()).isEqualTo("[1, 2, 3, 3]");
    }
}
