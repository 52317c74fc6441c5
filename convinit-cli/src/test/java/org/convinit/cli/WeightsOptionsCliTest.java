package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * --select, --strip-prefix and --non-strict on real files saved by torch 1.13.1: a DataParallel state
 * dict, a nested training checkpoint and a torchvision ResNet-18; without the option the error names it.
 */
class WeightsOptionsCliTest {
    @TempDir
    Path dir;

    static final String SMALL = "Sequential(Conv2d(1, 4, 3), ReLU(), Flatten(), Linear(2704, 10))";

    /** Saves SMALL (seed 0) wrapped as `how` ('dp' or 'nested') and a 2x1x28x28 input with torch's output. */
    private Path saveSmall(String how) {
        Torch.require();
        Path w = dir.resolve(how + ".pth");
        Torch.run(String.join("\n",
                "import sys, numpy as np, torch",
                "from torch.nn import *",
                "torch.manual_seed(0)",
                "m = " + SMALL,
                "opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)",
                "m(torch.randn(2, 1, 28, 28)).sum().backward(); opt.step()",
                "if sys.argv[2] == 'dp': torch.save(torch.nn.DataParallel(m).state_dict(), sys.argv[1])",
                "else: torch.save({'state_dict': m.state_dict(), 'optimizer': opt.state_dict(), 'epoch': 3}, sys.argv[1])",
                "x = torch.randn(2, 1, 28, 28)",
                "np.save(sys.argv[3], x.numpy())",
                "with torch.no_grad(): np.save(sys.argv[4], m.eval()(x).numpy())"),
                w.toString(), how, dir.resolve(how + "-x.npy").toString(), dir.resolve(how + "-y.npy").toString());
        return w;
    }

    private CliRunner forward(String model, Path w, String how, String... extra) {
        String[] base = {"forward", "--model", model, "--weights", w.toString(), "--input", dir.resolve(how + "-x.npy").toString(),
            "--output", dir.resolve(how + "-mine.npy").toString()};
        String[] args = java.util.Arrays.copyOf(base, base.length + extra.length);
        System.arraycopy(extra, 0, args, base.length, extra.length);
        return CliRunner.run(args);
    }

    private void assertTorchOutput(String how) throws Exception {
        Tensor mine = Checkpoints.readTensors(dir.resolve(how + "-mine.npy")).values().iterator().next();
        Tensor torch = Checkpoints.readTensors(dir.resolve(how + "-y.npy")).values().iterator().next();
        ForwardCommandTest.assertClose(how, mine, torch, 1e-4);
    }

    @Test
    void dataParallelStateDictNeedsStripPrefixAndTheErrorSaysSo() throws Exception {
        Path w = saveSmall("dp");
        CliRunner plain = forward(SMALL, w, "dp");
        assertThat(plain.code()).as(plain.err()).isEqualTo(1);
        assertThat(plain.err().strip()).doesNotContain("\n").contains("Missing key(s) in state_dict")
                .endsWith("(the file's keys start with 'module.': try --strip-prefix module.)");
        assertThat(dir.resolve("dp-mine.npy")).doesNotExist();
        CliRunner ok = forward(SMALL, w, "dp", "--strip-prefix", "module.");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(ok.err()).isEmpty();
        assertTorchOutput("dp");
    }

    @Test
    void nestedCheckpointNeedsSelectAndTheErrorSaysSo() throws Exception {
        Path w = saveSmall("nested");
        CliRunner plain = forward(SMALL, w, "nested");
        assertThat(plain.code()).as(plain.err()).isEqualTo(1);
        assertThat(plain.err().strip()).doesNotContain("\n")
                .endsWith("(the file holds the model's keys under 'state_dict': try --select state_dict)");
        CliRunner ok = forward(SMALL, w, "nested", "--select", "state_dict");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertTorchOutput("nested");
        CliRunner typo = forward(SMALL, w, "nested", "--select", "state");
        assertThat(typo.code()).as(typo.err()).isEqualTo(2);
        assertThat(typo.err()).contains("--select state").contains("no key starts with 'state.'");
    }

    @Test
    void nonStrictReportsIncompatibleKeysAndStillRefusesShapes() throws Exception {
        Path w = saveSmall("dp");
        CliRunner loose = forward(SMALL, w, "dp", "--non-strict");
        assertThat(loose.code()).as(loose.err()).isZero();
        assertThat(loose.err().strip()).startsWith("_IncompatibleKeys(missing_keys=['0.weight', '0.bias', '3.weight', '3.bias'], "
                + "unexpected_keys=['module.0.weight', 'module.0.bias', 'module.3.weight', 'module.3.bias'])");
        CliRunner shapes = forward("Sequential(Conv2d(1, 5, 3), ReLU(), Flatten(), Linear(2704, 10))", w, "dp", "--non-strict",
                "--strip-prefix", "module.");
        assertThat(shapes.code()).isEqualTo(1);
        assertThat(shapes.err()).contains("size mismatch for 0.weight").doesNotContain("try --");
    }

    @Test
    void diagnoseTakesTheSameOptions() {
        Path w = saveSmall("dp");
        CliRunner plain = CliRunner.run("diagnose", "--model", SMALL, "--weights", w.toString(), "--batch-size", "8");
        assertThat(plain.code()).isEqualTo(1);
        assertThat(plain.err()).contains("try --strip-prefix module.");
        CliRunner ok = CliRunner.run("diagnose", "--model", SMALL, "--weights", w.toString(), "--strip-prefix", "module.",
                "--batch-size", "8");
        assertThat(ok.code()).as(ok.err()).isZero();
        CliRunner alone = CliRunner.run("diagnose", "--model", SMALL, "--strip-prefix", "module.", "--batch-size", "8");
        assertThat(alone.code()).isEqualTo(2);
        assertThat(alone.err()).contains("apply to --weights");
    }

    @Test
    void torchvisionResNet18UnderStateDictAndModulePrefix() throws Exception {
        Torch.require();
        Path w = dir.resolve("resnet.pth");
        Torch.run(String.join("\n",
                "import sys, numpy as np, torch, torchvision",
                "torch.manual_seed(0)",
                "m = torchvision.models.resnet18(num_classes=10)",
                "with torch.no_grad():",
                "    for mod in m.modules():",
                "        if isinstance(mod, torch.nn.BatchNorm2d):",
                "            mod.running_mean.uniform_(-0.2, 0.2); mod.running_var.uniform_(0.5, 1.5)",
                "torch.save({'state_dict': torch.nn.DataParallel(m).state_dict(), 'epoch': 3}, sys.argv[1])",
                "x = torch.randn(2, 3, 32, 32)",
                "np.save(sys.argv[2], x.numpy())",
                "with torch.no_grad(): np.save(sys.argv[3], m.eval()(x).numpy())"),
                w.toString(), dir.resolve("rn-x.npy").toString(), dir.resolve("rn-y.npy").toString());
        String model = "resnet18(num_classes=10)";
        CliRunner plain = forward(model, w, "rn");
        assertThat(plain.code()).as(plain.err()).isEqualTo(1);
        assertThat(plain.err().strip()).doesNotContain("\n").endsWith("(the file holds the model's keys under 'state_dict', "
                + "whose keys start with 'module.': try --select state_dict --strip-prefix module.)");
        CliRunner half = forward(model, w, "rn", "--select", "state_dict");
        assertThat(half.err().strip()).endsWith("(the file's keys start with 'module.': try --strip-prefix module.)");
        CliRunner ok = forward(model, w, "rn", "--select", "state_dict", "--strip-prefix", "module.");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertTorchOutput("rn");
    }

    @Test
    void convertKeepsPlainValuesInPthAndReportsThemElsewhere() throws Exception {
        Path w = saveSmall("nested");
        Path st = dir.resolve("all.safetensors");
        CliRunner flat = CliRunner.run("convert", w.toString(), st.toString());
        assertThat(flat.code()).as(flat.err()).isZero();
        assertThat(flat.err()).contains("convert: dropped non-tensor entry 'epoch' (int): safetensors holds tensors only\n")
                .contains("convert: dropped non-tensor entry 'optimizer.param_groups.0.lr' (float): safetensors holds tensors only");
        assertThat(Checkpoints.readTensors(st)).containsKeys("state_dict.0.weight", "optimizer.state.0.momentum_buffer");

        Path pth = dir.resolve("all.pth");
        CliRunner kept = CliRunner.run("convert", w.toString(), pth.toString());
        assertThat(kept.code()).as(kept.err()).isZero();
        assertThat(kept.err()).doesNotContain("dropped");
        String loaded = Torch.run(String.join("\n",
                "import sys, torch",
                "d = torch.load(sys.argv[1])",
                "print(d['epoch'], d['optimizer.param_groups.0.lr'], d['optimizer.param_groups.0.nesterov'], tuple(d['state_dict.0.weight'].shape))"),
                pth.toString());
        assertThat(loaded.strip()).isEqualTo("3 0.1 False (4, 1, 3, 3)");

        Path sd = dir.resolve("sd.safetensors");
        CliRunner selected = CliRunner.run("convert", w.toString(), sd.toString(), "--select", "state_dict");
        assertThat(selected.code()).as(selected.err()).isZero();
        assertThat(selected.err()).doesNotContain("dropped");
        assertThat(Checkpoints.readTensors(sd).keySet()).containsExactlyInAnyOrder("0.weight", "0.bias", "3.weight", "3.bias");
        CliRunner fwd = forward(SMALL, sd, "nested");
        assertThat(fwd.code()).as(fwd.err()).isZero();
        assertTorchOutput("nested");
    }

    @Test
    void convertStripsPrefixAndRefusesAMissingSubDict() throws Exception {
        Path w = saveSmall("dp");
        Path sd = dir.resolve("plain.npz");
        CliRunner ok = CliRunner.run("convert", w.toString(), sd.toString(), "--strip-prefix", "module.");
        assertThat(ok.code()).as(ok.err()).isZero();
        assertThat(Checkpoints.readTensors(sd).keySet()).containsExactly("0.weight", "0.bias", "3.weight", "3.bias");
        Path none = dir.resolve("none.safetensors");
        CliRunner bad = CliRunner.run("convert", w.toString(), none.toString(), "--select", "state_dict");
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).contains("--select state_dict").contains("no key starts with 'state_dict.'");
        assertThat(none).doesNotExist();
    }
}
