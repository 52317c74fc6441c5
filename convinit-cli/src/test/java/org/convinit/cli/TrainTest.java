package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.data.DataLoader;
import org.convinit.data.FashionMnist;
import org.convinit.data.Idx;
import org.convinit.data.ImageDataset;
import org.convinit.nn.Module;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.SGD;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Training: the same CNN, seed, weights and batches in torch and convinit give the same loss curve. */
class TrainTest {
    @TempDir
    Path dir;

    static final String CNN = "Sequential(Conv2d(1, 4, 3, padding=1), ReLU(), MaxPool2d(2), Conv2d(4, 8, 3, padding=1), ReLU(), "
            + "MaxPool2d(2), Flatten(), Linear(392, 10))";

    /** Python that imports torch and reads the IDX training set in {@code sys.argv[1]} as {@code x} (in [0, 1]) and {@code y}. */
    static final String TORCH_TRAINING_DATA = String.join("\n",
            "import sys, numpy as np, torch, torch.nn.functional as F",
            "from torch.nn import *",
            "torch.set_num_threads(1)",
            "def idx(p):",
            "    b = open(p, 'rb').read(); nd = b[3]; dims = [int.from_bytes(b[4+4*i:8+4*i], 'big') for i in range(nd)]",
            "    return np.frombuffer(b, dtype=np.uint8, offset=4+4*nd).reshape(dims)",
            "x = torch.tensor(idx(sys.argv[1] + '/train-images-idx3-ubyte'), dtype=torch.float32).div(255).unsqueeze(1)",
            "y = torch.tensor(idx(sys.argv[1] + '/train-labels-idx1-ubyte'), dtype=torch.int64)");

    /** A small learnable IDX dataset: each class brightens its own horizontal band of a noisy image. */
    static void writeDataset(Path dir, int trainN, int testN) throws Exception {
        Random r = new Random(5);
        for (String prefix : new String[] {"train", "t10k"}) {
            int n = prefix.equals("train") ? trainN : testN;
            byte[] px = new byte[n * 28 * 28];
            long[] labels = new long[n];
            for (int i = 0; i < n; i++) {
                int c = r.nextInt(10);
                labels[i] = c;
                for (int y = 0; y < 28; y++) {
                    for (int x = 0; x < 28; x++) {
                        int v = r.nextInt(120) + (y / 3 == c % 9 ? 100 : 0) + (c == 9 && x < 6 ? 120 : 0);
                        px[(i * 28 + y) * 28 + x] = (byte) Math.min(255, v);
                    }
                }
            }
            Tensor images = Tensor.wrap(org.convinit.tensor.Storage.wrap(DType.UINT8, px), org.convinit.tensor.Shape.of(n, 28, 28),
                    new int[] {784, 28, 1}, 0);
            Tensor lab = Tensor.of(labels, n).to(DType.UINT8);
            Files.write(dir.resolve(prefix + "-images-idx3-ubyte"), Idx.encode(images));
            Files.write(dir.resolve(prefix + "-labels-idx1-ubyte"), Idx.encode(lab));
        }
    }

    @Test
    void lossCurveMatchesTorchOnTheSameBatches() throws Exception {
        Torch.require();
        writeDataset(dir, 640, 200);
        // convinit: the loop a PyTorch user writes
        Generator.manualSeed(7);
        Module m = Layers.build(CNN, DType.FLOAT32);
        ImageDataset train = FashionMnist.load(dir, true);
        SGD opt = new SGD(m.parameters(), SGD.options(0.05).momentum(0.9));
        List<Double> mine = new ArrayList<>();
        for (ImageDataset.Batch b : new DataLoader<>(train, DataLoader.Options.of(32).shuffle(true))) {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(m.forward(b.images()), b.labels());
            loss.backward();
            opt.step();
            mine.add(loss.item());
        }
        String out = Torch.run(String.join("\n",
                TORCH_TRAINING_DATA,
                "torch.manual_seed(7)",
                "m = " + CNN,
                "opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)",
                "loader = torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True)",
                "for xb, yb in loader:",
                "    opt.zero_grad(); loss = F.cross_entropy(m(xb), yb); loss.backward(); opt.step()",
                "    print(repr(loss.item()))"), dir.toString());
        String[] lines = out.strip().split("\n");
        assertThat(mine).hasSize(lines.length);
        for (int i = 0; i < lines.length; i++) {
            double t = Double.parseDouble(lines[i]);
            assertThat(Math.abs(mine.get(i) - t)).as("batch %d: convinit %s vs torch %s", i, mine.get(i), t)
                    .isLessThan(1e-4 * Math.max(1, Math.abs(t)));
        }
        assertThat(mine.get(mine.size() - 1)).isLessThan(mine.get(0));
    }

    @Test
    void trainCommandWritesMetricsAndWeights() throws Exception {
        writeDataset(dir, 640, 200);
        Path metrics = dir.resolve("metrics.json");
        Path weights = dir.resolve("w.safetensors");
        CliRunner r = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--epochs", "3", "--batch-size", "32",
                "--lr", "0.05", "--seed", "1", "--init", "kaiming_normal_(nonlinearity='relu')", "--metrics", metrics.toString(),
                "--out", weights.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("epoch 1: train_loss").contains("epoch 3:");
        JsonNode root = new ObjectMapper().readTree(metrics.toFile());
        assertThat(root.get("config").get("seed").asLong()).isEqualTo(1);
        assertThat(root.get("config").get("init").asText()).isEqualTo("kaiming_normal_(nonlinearity='relu')");
        JsonNode epochs = root.get("epochs");
        assertThat(epochs.size()).isEqualTo(3);
        for (String k : new String[] {"epoch", "train_loss", "test_loss", "test_accuracy", "seconds", "train_seconds"}) {
            assertThat(epochs.get(0).has(k)).as(k).isTrue();
        }
        assertThat(epochs.get(2).get("train_loss").asDouble()).isLessThan(epochs.get(0).get("train_loss").asDouble());
        assertThat(epochs.get(2).get("test_accuracy").asDouble()).isGreaterThan(0.5);
        assertThat(org.convinit.io.Checkpoints.readTensors(weights).keySet()).contains("0.weight", "7.bias");
    }

    @Test
    void badArgumentsAreUsageErrors() throws Exception {
        CliRunner r = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--optimizer", "rmsprop");
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--optimizer rmsprop: expected sgd or adam");
        CliRunner missing = CliRunner.run("train", "--model", CNN, "--data", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("convinit: ").doesNotContain("\tat ");
    }

    @Test
    void trainStartsFromWeightsAndChecksOutputsBeforeTraining() throws Exception {
        writeDataset(dir, 64, 32);
        Path w0 = dir.resolve("w0.safetensors");
        assertThat(CliRunner.run("init", "--model", CNN, "--seed", "5", "--out", w0.toString()).code()).isZero();
        Path out = dir.resolve("trained.safetensors");
        // lr 0: the weights pass through training unchanged, so the output shows what training started from
        CliRunner r = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--weights", w0.toString(), "--lr", "0",
                "--seed", "1", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        var start = org.convinit.io.Checkpoints.readTensors(w0);
        var end = org.convinit.io.Checkpoints.readTensors(out);
        assertThat(end.get("0.weight").valueEquals(start.get("0.weight"))).isTrue();

        Path wrong = dir.resolve("wrong.safetensors");
        assertThat(CliRunner.run("init", "--model", "Sequential(Conv2d(1, 3, 3))", "--seed", "0", "--out", wrong.toString()).code()).isZero();
        Path metrics = dir.resolve("m.json");
        CliRunner bad = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--weights", wrong.toString(),
                "--metrics", metrics.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err()).contains("does not fit the model").doesNotContain("epoch 1");
        assertThat(metrics).doesNotExist();

        CliRunner both = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--weights", w0.toString(),
                "--init", "zeros_");
        assertThat(both.code()).isEqualTo(2);
        assertThat(both.err()).contains("--weights replaces the model's init");

        CliRunner badOut = CliRunner.run("train", "--model", CNN, "--data", dir.toString(), "--out",
                dir.resolve("no/such/dir/w.pth").toString());
        assertThat(badOut.code()).isEqualTo(1);
        assertThat(badOut.err()).contains("--out " + dir.resolve("no/such/dir/w.pth") + ": directory").contains("does not exist").doesNotContain("epoch 1:");
        assertThat(badOut.out()).doesNotContain("epoch 1:");
    }
}
