package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.convinit.data.FashionMnist;
import org.convinit.data.ImageDataset;
import org.convinit.io.Checkpoints;
import org.convinit.lab.train.Checkpointing;
import org.convinit.lab.train.OptimizerKind;
import org.convinit.lab.train.TrainingLoop;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code train --checkpoint/--resume}: what is refused and how, and what a checkpoint means to torch. */
class TrainCheckpointTest {
    @TempDir
    Path dir;

    List<String> train(String... more) {
        List<String> a = new ArrayList<>(List.of("train", "--model", TrainTest.CNN, "--data", dir.toString(), "--epochs", "2",
                "--batch-size", "32", "--seed", "7"));
        if (!List.of(more).contains("--lr")) a.addAll(List.of("--lr", "0.05"));
        a.addAll(List.of(more));
        return a;
    }

    static CliRunner run(List<String> args) {
        return CliRunner.run(args.toArray(String[]::new));
    }

    static List<String> lines(String err) {
        return err.strip().lines().filter(l -> !l.startsWith("WARNING: Using incubator")).toList();
    }

    @Test
    void usageMistakesAndRefusedResumesAreOneLine() throws Exception {
        TrainTest.writeDataset(dir, 200, 50);
        Path ck = dir.resolve("ck.pth");
        CliRunner missing = run(train("--resume", dir.resolve("nope.pth").toString()));
        assertThat(missing.code()).isEqualTo(2);
        assertThat(lines(missing.err()).get(0)).isEqualTo("convinit: --resume " + dir.resolve("nope.pth") + ": no such file");
        CliRunner everyAlone = run(train("--checkpoint-every", "3"));
        assertThat(everyAlone.code()).isEqualTo(2);
        assertThat(lines(everyAlone.err()).get(0)).isEqualTo("convinit: --checkpoint-every needs --checkpoint FILE");
        CliRunner notPth = run(train("--checkpoint", dir.resolve("ck.safetensors").toString()));
        assertThat(notPth.code()).isEqualTo(2);
        assertThat(lines(notPth.err()).get(0)).contains("expected a .pth file");

        Path out = dir.resolve("w.pth");
        CliRunner first = run(train("--checkpoint", ck.toString(), "--checkpoint-every", "3", "--out", out.toString()));
        assertThat(first.code()).as(first.err()).isZero();
        assertThat(first.err()).containsPattern("checkpoints: 6 written to " + java.util.regex.Pattern.quote(ck.toString())
                + " \\(\\d+\\.\\d KiB\\), \\d+\\.\\d ms per checkpoint");
        byte[] weights = Files.readAllBytes(out);

        CliRunner otherLr = run(train("--lr", "0.02", "--resume", ck.toString()));
        assertThat(otherLr.code()).isEqualTo(2);
        assertThat(lines(otherLr.err()).get(0)).isEqualTo("convinit: --resume " + ck
                + ": the checkpoint was written by a run with --lr 0.05, not --lr 0.02; resume with the same arguments");
        CliRunner otherModel = run(List.of("train", "--model", "Sequential(Flatten(), Linear(784, 10))", "--data", dir.toString(),
                "--epochs", "2", "--batch-size", "32", "--seed", "7", "--lr", "0.05", "--resume", ck.toString()));
        assertThat(otherModel.code()).isEqualTo(2);
        assertThat(lines(otherModel.err()).get(0)).startsWith("convinit: --resume " + ck + ": the checkpoint was written by a run with --model Sequential(Conv2d");

        // resuming the finished run: nothing to train, the same epochs reported and the same weights written
        Files.delete(out);
        CliRunner again = run(train("--resume", ck.toString(), "--out", out.toString()));
        assertThat(again.code()).as(again.err()).isZero();
        assertThat(again.out().replaceAll("\\(\\d+\\.\\d s\\)", "")).isEqualTo(first.out().replaceAll("\\(\\d+\\.\\d s\\)", ""));
        assertThat(Files.readAllBytes(out)).isEqualTo(weights);

        byte[] bytes = Files.readAllBytes(ck);
        bytes[bytes.length / 2] ^= 0x10;
        Path damaged = dir.resolve("damaged.pth");
        Files.write(damaged, bytes);
        CliRunner bad = run(train("--resume", damaged.toString()));
        assertThat(bad.code()).isEqualTo(1);
        assertThat(lines(bad.err())).hasSize(1);
        assertThat(bad.err()).contains("is damaged").doesNotContain("\tat ");
    }

    /**
     * torch continues a run from a convinit checkpoint taken in the middle of epoch 2: it loads the model and the
     * optimizer, replays its {@code DataLoader} from {@code epoch_rng_state}, skips the trained batches, sets
     * {@code rng_state} and trains to the end; its losses are convinit's uninterrupted run's (to 1e-4, the
     * convolutions' rounding), so the checkpoint's position and generator states mean in torch what they mean here.
     */
    @Test
    void torchResumesAConvinitCheckpointOnTheSameBatches() throws Exception {
        Torch.require();
        TrainTest.writeDataset(dir, 640, 64);
        ImageDataset trainSet = FashionMnist.load(dir, true);
        ImageDataset testSet = FashionMnist.load(dir, false);
        Path mid = dir.resolve("mid.pth");
        double[] whole = null;
        for (int stopAfter : new int[] {Integer.MAX_VALUE, 27}) {
            Generator.manualSeed(7);
            Module m = Layers.build(TrainTest.CNN, DType.FLOAT32);
            int[] polls = {0};
            TrainingLoop.Result r = TrainingLoop.run(m, OptimizerKind.SGD.create(m.parameters(), 0.05), trainSet, testSet,
                    TrainingLoop.Options.of(2, 32).cancelled(() -> ++polls[0] > stopAfter), TrainingLoop.SILENT,
                    stopAfter == Integer.MAX_VALUE ? null : new Checkpointing(mid, 5, Map.of()), null);
            if (whole == null) whole = r.stepLosses();
        }
        Map<String, Object> ck = Checkpoints.read(mid);
        assertThat(List.of(ck.get("epoch"), ck.get("batch"), ck.get("step"))).containsExactly(2L, 5L, 25L);
        String out = Torch.run(String.join("\n",
                TrainTest.TORCH_TRAINING_DATA,
                "ck = torch.load(sys.argv[2])",
                "m = " + TrainTest.CNN,
                "m.load_state_dict(ck['model'])",
                "opt = torch.optim.SGD(m.parameters(), lr=0.05, momentum=0.9)",
                "opt.load_state_dict(ck['optimizer'])",
                "params = dict(m.named_parameters())",
                "for n in ck['grads']: params[n].grad = torch.zeros_like(params[n])",
                "torch.set_rng_state(ck['epoch_rng_state'])",
                "it = iter(torch.utils.data.DataLoader(torch.utils.data.TensorDataset(x, y), batch_size=32, shuffle=True))",
                "for _ in range(ck['batch']): next(it)",
                "torch.set_rng_state(ck['rng_state'])",
                "for xb, yb in it:",
                "    opt.zero_grad(); loss = F.cross_entropy(m(xb), yb); loss.backward(); opt.step()",
                "    print(repr(loss.item()))"), dir.toString(), mid.toString());
        String[] torchLosses = out.strip().split("\n");
        assertThat(torchLosses).hasSize(15);
        for (int i = 0; i < torchLosses.length; i++) {
            double t = Double.parseDouble(torchLosses[i]);
            double mine = whole[25 + i];
            assertThat(Math.abs(mine - t)).as("step %d: convinit %s vs torch %s", 26 + i, mine, t).isLessThan(1e-4 * Math.max(1, Math.abs(t)));
        }
        Tensor losses = (Tensor) ck.get("step_losses");
        assertThat(losses.toDoubleArray()).containsExactly(java.util.Arrays.copyOf(whole, 25));
    }
}
