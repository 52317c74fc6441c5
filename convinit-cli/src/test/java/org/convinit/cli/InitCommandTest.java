package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InitCommandTest {
    @TempDir
    Path dir;

    @Test
    void conv2dSeedZeroEqualsTorchBitForBit() throws Exception {
        Path out = dir.resolve("conv.safetensors");
        CliRunner r = CliRunner.run("init", "--model", "Conv2d(3, 16, 3, padding=1)", "--seed", "0", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        LinkedHashMap<String, Tensor> sd = SafeTensors.read(out);
        assertThat(sd.keySet()).containsExactlyInAnyOrder("weight", "bias");
        JsonNode golden = Golden.load("foundation.json").get("conv2d").get(0);
        assertThat(golden.get("kwargs").toString()).isEqualTo("{\"padding\":1}");
        assertBits(sd.get("weight"), Golden.floatBits(golden.get("weight")));
        assertBits(sd.get("bias"), Golden.floatBits(golden.get("bias")));
        try (SafeTensors.Reader reader = SafeTensors.open(out)) {
            assertThat(reader.metadata()).containsEntry("convinit.seed", "0")
                    .containsEntry("convinit.model", "Conv2d(3, 16, 3, padding=1)")
                    .containsEntry("convinit.torch_semantics", "1.13.1");
        }
    }

    static void assertBits(Tensor t, int[] expected) {
        float[] v = t.toFloatArray();
        assertThat(v).hasSize(expected.length);
        for (int i = 0; i < v.length; i++) assertThat(Float.floatToRawIntBits(v[i])).as("element %d", i).isEqualTo(expected[i]);
    }

    /** Writes the file with convinit, builds the same model in torch, and compares every key bit for bit. */
    private void sameAsTorch(String model, String torchModel, long seed, String... extra) throws Exception {
        Torch.require();
        Path out = dir.resolve("m" + Math.abs((model + seed + String.join("", extra)).hashCode()) + ".safetensors");
        String[] full = new String[7 + extra.length];
        System.arraycopy(new String[] {"init", "--model", model, "--seed", Long.toString(seed), "--out", out.toString()}, 0, full, 0, 7);
        System.arraycopy(extra, 0, full, 7, extra.length);
        CliRunner r = CliRunner.run(full);
        assertThat(r.code()).as(r.err()).isZero();
        String py = String.join("\n",
                "import json, struct, sys, torch, torch.nn as nn",
                "from torch.nn import *",
                "from torch.nn.init import *",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "h = json.loads(b[8:8+n])",
                "T = {'F32': torch.float32, 'F64': torch.float64, 'I64': torch.int64}",
                "torch.manual_seed(int(sys.argv[2]))",
                "m = " + torchModel,
                "sd = m.state_dict()",
                "keys = [k for k in h if k != '__metadata__']",
                "assert sorted(keys) == sorted(sd.keys()), (keys, list(sd.keys()))",
                "for k, t in sd.items():",
                "    s, e = h[k]['data_offsets']",
                "    x = torch.frombuffer(bytearray(b[8+n+s:8+n+e]), dtype=T[h[k]['dtype']]).reshape(h[k]['shape'])",
                "    assert x.dtype == t.dtype, (k, x.dtype, t.dtype)",
                "    print(k, torch.equal(x, t))");
        String res = Torch.run(py, out.toString(), Long.toString(seed));
        assertThat(res.strip().split("\n")).allMatch(l -> l.endsWith(" True"), res);
    }

    @Test
    void sequentialMatchesTorch() throws Exception {
        sameAsTorch("Sequential(Conv2d(3, 8, 3, stride=2, bias=False), ReLU(), Conv2d(8, 4, (1, 3), groups=2))",
                "nn.Sequential(nn.Conv2d(3, 8, 3, stride=2, bias=False), nn.ReLU(), nn.Conv2d(8, 4, (1, 3), groups=2))", 5);
    }

    @Test
    void negativeAndLargeSeedsMatchTorch() throws Exception {
        sameAsTorch("nn.Conv2d(4, 4, 3, groups=4)", "nn.Conv2d(4, 4, 3, groups=4)", -7);
        sameAsTorch("Conv2d(2, 6, (3, 1), dilation=2, padding='same')", "nn.Conv2d(2, 6, (3, 1), dilation=2, padding='same')", (1L << 32) + 5);
    }

    @Test
    void reinitWithInitFunctionsMatchesTorchLoop() throws Exception {
        String loop = "(lambda m: ([(kaiming_uniform_(x.weight, mode='fan_out', nonlinearity='relu'), "
                + "zeros_(x.bias) if x.bias is not None else None) for x in m.modules() if isinstance(x, nn.Conv2d)], m)[1])(";
        sameAsTorch("Sequential(Conv2d(3, 8, 3), ReLU(), Conv2d(8, 8, 3, bias=False))",
                loop + "nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 8, 3, bias=False)))", 3,
                "--init", "kaiming_uniform_(mode='fan_out', nonlinearity='relu')", "--bias-init", "torch.nn.init.zeros_");
        String loop2 = "(lambda m: ([uniform_(x.weight, a=-0.1, b=0.1) for x in m.modules() if isinstance(x, nn.Conv2d)], m)[1])(";
        sameAsTorch("Conv2d(3, 16, 3)", loop2 + "nn.Conv2d(3, 16, 3))", 0, "--init", "uniform_(a=-0.1, b=0.1)");
    }

    @Test
    void float64MatchesTorchWithDtypeArgument() throws Exception {
        sameAsTorch("Conv2d(3, 4, 3)", "nn.Conv2d(3, 4, 3, dtype=torch.float64)", 11, "--dtype", "float64");
    }

    @Test
    void withoutSeedARandomSeedIsRecorded() throws Exception {
        Path out = dir.resolve("r.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 1, 1)", "--out", out.toString()).code()).isZero();
        try (SafeTensors.Reader reader = SafeTensors.open(out)) {
            String seed = reader.metadata().get("convinit.seed");
            Path again = dir.resolve("again.safetensors");
            assertThat(CliRunner.run("init", "--model", "Conv2d(1, 1, 1)", "--seed", seed, "--out", again.toString()).code()).isZero();
            assertThat(SafeTensors.read(again).get("weight").valueEquals(reader.tensor("weight"))).isTrue();
        }
    }

    private static void oneLineError(CliRunner r, int code, String message) {
        assertThat(r.code()).isEqualTo(code);
        assertThat(r.err()).startsWith("convinit: " + message);
        assertThat(r.err()).doesNotContain("\tat ").doesNotContain("Exception");
        assertThat(r.err().strip().split("\n").length).isLessThanOrEqualTo(2);
    }

    @Test
    void badInputExitsWithOneClearLine() {
        Path out = dir.resolve("x.safetensors");
        oneLineError(CliRunner.run("init", "--model", "Conv9d(3)", "--out", out.toString()), 2,
                "unknown layer 'Conv9d'; known layers: AdaptiveAvgPool1d, AdaptiveAvgPool2d, AdaptiveAvgPool3d, AdaptiveMaxPool1d, "
                + "AdaptiveMaxPool2d, AdaptiveMaxPool3d, AvgPool1d, AvgPool2d, AvgPool3d, BatchNorm1d, BatchNorm2d, BatchNorm3d, ChannelShuffle, "
                + "Conv1d, Conv2d, Conv3d, ConvTranspose1d, ConvTranspose2d, ConvTranspose3d, Dropout, Embedding, Flatten, GELU, GroupNorm, "
                + "Hardsigmoid, Hardswish, Identity, LayerNorm, LeakyReLU, Linear, MaxPool1d, MaxPool2d, MaxPool3d, PixelShuffle, PixelUnshuffle, "
                + "ReLU, ReLU6, Sequential, SiLU, Sigmoid, Tanh; torchvision models: alexnet, convnext_small, convnext_tiny, densenet121, "
                + "densenet161, densenet169, densenet201, "
                + "efficientnet_b0, efficientnet_b1, efficientnet_b2, efficientnet_b3, efficientnet_b4, efficientnet_b5, "
                + "efficientnet_b6, efficientnet_b7, efficientnet_v2_l, efficientnet_v2_m, efficientnet_v2_s, mobilenet_v2, "
                + "mobilenet_v3_large, mobilenet_v3_small, regnet_x_16gf, regnet_x_1_6gf, regnet_x_32gf, regnet_x_3_2gf, regnet_x_400mf, "
                + "regnet_x_800mf, regnet_x_8gf, regnet_y_128gf, regnet_y_16gf, regnet_y_1_6gf, regnet_y_32gf, regnet_y_3_2gf, "
                + "regnet_y_400mf, regnet_y_800mf, regnet_y_8gf, resnet101, resnet152, resnet18, resnet34, resnet50, resnext101_32x8d, "
                + "resnext101_64x4d, resnext50_32x4d, shufflenet_v2_x0_5, shufflenet_v2_x1_0, shufflenet_v2_x1_5, shufflenet_v2_x2_0, "
                + "squeezenet1_0, squeezenet1_1, vgg11, vgg11_bn, vgg13, vgg13_bn, vgg16, vgg16_bn, vgg19, vgg19_bn, wide_resnet101_2, "
                + "wide_resnet50_2");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3, paddin=1)", "--out", out.toString()), 2,
                "Conv2d() got an unexpected keyword argument 'paddin'");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16)", "--out", out.toString()), 2,
                "Conv2d() missing 1 required positional argument: 'kernel_size'");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3, groups=2)", "--out", out.toString()), 2,
                "Conv2d: in_channels (3) must be divisible by groups (2)");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 'x')", "--out", out.toString()), 2,
                "Conv2d(): argument 'kernel_size' is 'x', expected an int or a tuple of ints");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3", "--out", out.toString()), 2,
                "cannot parse 'Conv2d(3, 16, 3' at column 16: expected ')' but the text ended");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)", "--init", "lecun_normal()", "--out", out.toString()), 2,
                "unknown init function 'lecun_normal'; did you mean lecun_normal_");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)", "--init", "kaiming_uniform_(mode='fan_mid')", "--out",
                out.toString()), 2, "Mode fan_mid not supported, please use one of ['fan_in', 'fan_out']");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)", "--out", dir.resolve("x.txt").toString()), 2,
                "--out " + dir.resolve("x.txt") + ": unsupported extension");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)", "--dtype", "int8", "--out", out.toString()), 2,
                "--dtype int8: expected float32 or float64");
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)"), 2, "Missing required option: '--out=FILE'");
        CliRunner unknown = CliRunner.run("frobnicate"); // picocli adds its "Did you mean: init?" line
        assertThat(unknown.code()).isEqualTo(2);
        assertThat(unknown.err()).startsWith("convinit: Unmatched argument").doesNotContain("\tat ");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void unwritableOutputFailsWithStatusOneAndNoTrace() {
        oneLineError(CliRunner.run("init", "--model", "Conv2d(3, 16, 3)", "--out", dir.resolve("no/such/dir/x.safetensors").toString()),
                1, "cannot write " + dir.resolve("no/such/dir/x.safetensors"));
        CliRunner verbose = CliRunner.run("init", "--verbose", "--model", "Conv2d(3, 16, 3)", "--out",
                dir.resolve("no/such/dir/x.safetensors").toString());
        assertThat(verbose.code()).isEqualTo(1);
        assertThat(verbose.err()).contains("\tat ");
    }

    @Test
    void helpAndVersion() {
        CliRunner help = CliRunner.run("--help");
        assertThat(help.code()).isZero();
        assertThat(help.out()).contains("Usage: convinit").contains("init");
        CliRunner initHelp = CliRunner.run("init", "--help");
        assertThat(initHelp.out()).contains("--model=EXPR").contains("--seed=N").contains("--init=[GLOB=]FN").contains("--set=KEY=SOURCE").contains("--init-plan=PLAN.json").contains("--bias-init=FN");
        assertThat(CliRunner.run("--version").out()).startsWith("convinit 0.1.0");
        assertThat(CliRunner.run().code()).isEqualTo(2);
    }

    @Test
    void float64OutputKeepsItsDtype() throws Exception {
        Path out = dir.resolve("d.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 2, 1)", "--dtype", "float64", "--seed", "1", "--out", out.toString()).code())
                .isZero();
        assertThat(SafeTensors.read(out).get("weight").dtype()).isEqualTo(DType.FLOAT64);
    }
}
