package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.DType;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** {@code train --bias-init}, {@code --dtype} and {@code --log-every}, against the loop a PyTorch user writes. */
class TrainOptionsTest {
    @TempDir
    Path dir;

    /** torch's loss per batch for TrainTest's CNN, seed 7, SGD(0.05, momentum=0.9), batches of 32, in {@code dtype}, biases by {@code biasInit}. */
    private List<Double> torchLosses(String dtype, String biasInit, int epochs) {
        String out = Torch.run(String.join("\n",
                "import sys, numpy as np, torch, torch.nn.functional as F",
                "from torch.nn import *",
                "torch.set_num_threads(1)",
                "dt = getattr(torch, sys.argv[2])",
                "def idx(p):",
                "    b = open(p, 'rb').read(); nd = b[3]; dims = [int.from_bytes(b[4+4*i:8+4*i], 'big') for i in range(nd)]",
                "    return np.frombuffer(b, dtype=np.uint8, offset=4+4*nd).reshape(dims)",
                "x = torch.tensor(idx(sys.argv[1] + '/train-images-idx3-ubyte'), dtype=torch.float32).div(255).unsqueeze(1).to(dt)",
                "y = torch.tensor(idx(sys.argv[1] + '/train-labels-idx1-ubyte'), dtype=torch.int64)",
                "torch.manual_seed(7)",
                "torch.set_default_dtype(dt)  # as dtype=dt passed to every constructor",
                "m = " + TrainTest.CNN,
                "for mod in m.modules():",
                "    if sys.argv[3] != 'none' and isinstance(mod, (Conv2d, Linear)): eval('torch.nn.init.' + sys.argv[3].replace('(', '(mod.bias, ', 1))",
                "opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)",
                "loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)",
                "for epoch in range(int(sys.argv[4])):",
                "    for xb, yb in loader:",
                "        opt.zero_grad(); loss = F.cross_entropy(m(xb), yb); loss.backward(); opt.step()",
                "        print(repr(loss.item()))",
                "xt = torch.tensor(idx(sys.argv[1] + '/t10k-images-idx3-ubyte'), dtype=torch.float32).div(255).unsqueeze(1).to(dt)",
                "yt = torch.tensor(idx(sys.argv[1] + '/t10k-labels-idx1-ubyte'), dtype=torch.int64)",
                "m.eval()",
                "with torch.no_grad(): z = m(xt)",
                "print(repr(F.cross_entropy(z, yt).item()), repr((z.argmax(1) == yt).double().mean().item()))"),
                dir.toString(), dtype, biasInit, Integer.toString(epochs));
        List<Double> losses = new ArrayList<>();
        for (String l : out.strip().split("\n")) {
            for (String x : l.split(" ")) losses.add(Double.parseDouble(x));
        }
        return losses; // the batch losses, then the last test loss and accuracy
    }

    @Test
    void logEveryRecordsTheMeanOfEachWindowOfBatches() throws Exception {
        Torch.require();
        TrainTest.writeDataset(dir, 640, 100);
        Path metrics = dir.resolve("m.json");
        CliRunner r = CliRunner.run("train", "--model", TrainTest.CNN, "--data", dir.toString(), "--epochs", "2", "--batch-size", "32",
                "--lr", "0.05", "--seed", "7", "--log-every", "3", "--metrics", metrics.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<Double> torch = torchLosses("float32", "none", 2).subList(0, 40);
        JsonNode root = new ObjectMapper().readTree(metrics.toFile());
        assertThat(root.get("config").get("log_every").asInt()).isEqualTo(3);
        JsonNode logged = root.get("batch_losses");
        assertThat(logged.size()).isEqualTo(14); // 13 windows of 3 and the run's last batch
        for (int w = 0; w < logged.size(); w++) {
            JsonNode e = logged.get(w);
            int first = 3 * w;
            int last = Math.min(first + 3, 40);
            double mean = torch.subList(first, last).stream().mapToDouble(Double::doubleValue).average().orElseThrow();
            assertThat(e.get("step").asLong()).isEqualTo(last);
            assertThat(e.get("epoch").asInt()).isEqualTo(last <= 20 ? 1 : 2);
            assertThat(e.get("batches").asInt()).isEqualTo(last - first);
            assertThat(e.get("loss").asDouble()).as("window ending at step %d", last).isCloseTo(mean, org.assertj.core.data.Offset.offset(1e-4));
        }
        assertThat(r.out()).contains(String.format(java.util.Locale.ROOT, "step 3 (epoch 1): loss %.4f (mean of 3 batches)",
                logged.get(0).get("loss").asDouble())).contains("step 40 (epoch 2): loss").contains("(mean of 1 batch)");
        assertThat(r.out().indexOf("step 18 (epoch 1)")).isLessThan(r.out().indexOf("epoch 1: train_loss"));
    }

    /** float32 within torch's float32 rounding; float64 to 1e-12 (the same operations in double). */
    @ParameterizedTest
    @CsvSource({"float32, 1e-4, 0.02", "float64, 1e-12, 0"})
    void dtypeAndBiasInitTrainAsTorchDoes(String dtype, double tolerance, double accuracyTolerance) throws Exception {
        Torch.require();
        TrainTest.writeDataset(dir, 320, 100);
        Path metrics = dir.resolve("m.json");
        Path out = dir.resolve("w.safetensors");
        CliRunner r = CliRunner.run("train", "--model", TrainTest.CNN, "--data", dir.toString(), "--batch-size", "32", "--lr", "0.05",
                "--seed", "7", "--dtype", dtype, "--bias-init", "constant_(val=0.01)", "--log-every", "1",
                "--metrics", metrics.toString(), "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        List<Double> all = torchLosses(dtype, "constant_(val=0.01)", 1);
        List<Double> torch = all.subList(0, 10);
        JsonNode root = new ObjectMapper().readTree(metrics.toFile());
        assertThat(root.get("config").get("dtype").asText()).isEqualTo(dtype);
        assertThat(root.get("config").get("bias_init").asText()).isEqualTo("constant_(val=0.01)");
        JsonNode logged = root.get("batch_losses");
        assertThat(logged.size()).isEqualTo(torch.size()).isEqualTo(10);
        for (int i = 0; i < torch.size(); i++) {
            assertThat(logged.get(i).get("loss").asDouble()).as("step %d", i + 1)
                    .isCloseTo(torch.get(i), org.assertj.core.data.Offset.offset(tolerance));
        }
        JsonNode epoch = root.get("epochs").get(0);
        assertThat(epoch.get("test_loss").asDouble()).as("test loss, in eval mode on batches of the model's dtype")
                .isCloseTo(all.get(10), org.assertj.core.data.Offset.offset(tolerance));
        assertThat(epoch.get("test_accuracy").asDouble()).isCloseTo(all.get(11), org.assertj.core.data.Offset.offset(accuracyTolerance));
        assertThat(Checkpoints.readTensors(out).get("7.weight").dtype()).isEqualTo(DType.parse(dtype));
    }

    @Test
    void biasInitAloneSetsEveryBias() throws Exception {
        TrainTest.writeDataset(dir, 64, 32);
        Path out = dir.resolve("w.safetensors");
        // lr 0: the output holds what training started from
        CliRunner r = CliRunner.run("train", "--model", TrainTest.CNN, "--data", dir.toString(), "--lr", "0", "--bias-init", "constant_(val=0.25)",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var sd = Checkpoints.readTensors(out);
        for (String k : new String[] {"0.bias", "3.bias", "7.bias"}) {
            for (float v : sd.get(k).toFloatArray()) assertThat(v).as(k).isEqualTo(0.25f);
        }
        assertThat(sd.get("0.weight").dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void badValuesAreOneLineUsageErrors() throws Exception {
        TrainTest.writeDataset(dir, 64, 32);
        for (String[] extra : new String[][] {{"--log-every", "0"}, {"--log-every", "-3"}, {"--dtype", "float16"},
                {"--bias-init", "nonsense_"}, {"--weights", dir.resolve("w.pth").toString(), "--bias-init", "zeros_"}}) {
            CliRunner r = train(extra);
            assertThat(r.code()).as(String.join(" ", extra) + ": " + r.err()).isEqualTo(2);
            assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("convinit: ").doesNotContain("\tat ");
            assertThat(r.out()).doesNotContain("epoch 1:");
        }
        assertThat(train("--log-every", "0").err()).contains("--log-every 0: expected a positive integer");
        assertThat(train("--dtype", "float16").err()).contains("--dtype float16: expected float32 or float64");
    }

    private CliRunner train(String... extra) {
        List<String> args = new ArrayList<>(List.of("train", "--model", TrainTest.CNN, "--data", dir.toString()));
        args.addAll(List.of(extra));
        return CliRunner.run(args.toArray(String[]::new));
    }
}
