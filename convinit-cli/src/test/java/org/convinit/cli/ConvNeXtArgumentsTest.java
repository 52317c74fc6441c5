package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;
import java.util.TreeMap;

import org.convinit.io.Checkpoints;
import org.convinit.io.numpy.Npy;
import org.convinit.models.ConvNeXt;
import org.convinit.models.Models;
import org.convinit.models.NormLayer;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Errors;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * ConvNeXt's callable arguments {@code block} and {@code norm_layer} against torchvision 0.14: {@code convnext_small}
 * with a GroupNorm(1, C) as the model's norm (stem, downsamplings, classifier) and {@code CNBlock}s whose norm is
 * {@code LayerNorm(eps=1e-5)} (a block's norm runs on NHWC, so it must normalize the last dim: torchvision rejects a
 * GroupNorm there at the first forward), built through the library's typed options and through the command line's
 * expression. The state dict equals torchvision's bit for bit (float32; float64 within 1e-13 of the largest value,
 * libm's erfinv), and the forward equals torchvision's on 2x3x32x32 in train mode (stochastic depth 0.4 drawn from the
 * generator where the init left it) and in eval mode: 1e-4 (float32) and 1e-10 (float64) of the largest logit.
 * The CLI's {@code init} writes the same bits and its {@code forward} gives the same eval output. One python process.
 */
class ConvNeXtArgumentsTest {
    private static final long SEED = 5;
    private static final String EXPR = "convnext_small(num_classes=10, norm_layer='GroupNorm(1)', "
            + "block='CNBlock(norm_layer=LayerNorm(eps=1e-05))')";

    @TempDir
    Path dir;

    private static final String TORCH = String.join("\n",
            "import functools, sys, numpy as np, torch, torchvision",
            "from torchvision.models import convnext",
            "torch.set_num_threads(1)",
            "d, seed = sys.argv[1], int(sys.argv[2])",
            "for name, dt in (('f32', torch.float32), ('f64', torch.float64)):",
            "    torch.set_default_dtype(dt)",
            "    torch.manual_seed(seed)",
            "    m = torchvision.models.convnext_small(num_classes=10, norm_layer=functools.partial(torch.nn.GroupNorm, 1),",
            "        block=functools.partial(convnext.CNBlock, norm_layer=functools.partial(torch.nn.LayerNorm, eps=1e-5)))",
            "    torch.set_default_dtype(torch.float32)",
            "    assert isinstance(m.features[0][1], torch.nn.GroupNorm) and isinstance(m.features[1][0].block[2], torch.nn.LayerNorm)",
            "    torch.save(m.state_dict(), '%s/torch_%s.pth' % (d, name))",
            "    x = torch.randn(2, 3, 32, 32, generator=torch.Generator().manual_seed(100), dtype=dt)",
            "    m.train()",
            "    y_train = m(x).detach()",
            "    m.eval()",
            "    with torch.no_grad():",
            "        y_eval = m(x)",
            "    for k, v in (('x', x), ('y_train', y_train), ('y_eval', y_eval)):",
            "        np.save('%s/%s_%s.npy' % (d, k, name), v.numpy())",
            "print('ok')");

    @Test
    void convnextSmallWithBlockAndNormLayerEqualsTorchvision() throws Exception {
        Torch.require();
        assertThat(Torch.run(TORCH, dir.toString(), Long.toString(SEED)).strip()).isEqualTo("ok");
        ConvNeXt.Options options = ConvNeXt.Options.DEFAULT.numClasses(10).normLayer(NormLayer.groupNorm(1))
                .block(ConvNeXt.Block.cnBlock(NormLayer.layerNorm(1e-5)));
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            String n = dt == DType.FLOAT32 ? "f32" : "f64";
            double tol = dt == DType.FLOAT32 ? 1e-4 : 1e-10;
            Map<String, Tensor> torchSd = Checkpoints.readTensors(dir.resolve("torch_" + n + ".pth"));
            Tensor x = Npy.read(dir.resolve("x_" + n + ".npy"));
            Tensor[] out = Generator.withDefault(new Generator(SEED), () -> {
                ConvNeXt m = Models.convnextSmall(options, dt);
                assertSameState(m.stateDict(), torchSd, "library " + n);
                m.train(true);
                Tensor yTrain = m.call(x).detach();
                m.train(false);
                return new Tensor[] {yTrain, m.call(x).detach()};
            });
            assertThat(relError(out[0], Npy.read(dir.resolve("y_train_" + n + ".npy")))).as("library train " + n).isLessThanOrEqualTo(tol);
            assertThat(relError(out[1], Npy.read(dir.resolve("y_eval_" + n + ".npy")))).as("library eval " + n).isLessThanOrEqualTo(tol);
        }

        Path weights = dir.resolve("cli.safetensors");
        CliRunner init = CliRunner.run("init", "--model", EXPR, "--seed", Long.toString(SEED), "--out", weights.toString());
        assertThat(init.code()).as(init.err()).isZero();
        // a safetensors file keeps its keys sorted: the CLI's are compared as a set
        Map<String, Tensor> cli = new TreeMap<>(Checkpoints.readTensors(weights));
        assertSameState(cli, new TreeMap<>(Checkpoints.readTensors(dir.resolve("torch_f32.pth"))), "CLI init");
        Path y = dir.resolve("y_cli.npy");
        CliRunner fwd = CliRunner.run("forward", "--model", EXPR, "--weights", weights.toString(), "--input",
                dir.resolve("x_f32.npy").toString(), "--output", y.toString());
        assertThat(fwd.code()).as(fwd.err()).isZero();
        assertThat(relError(Npy.read(y), Npy.read(dir.resolve("y_eval_f32.npy")))).as("CLI forward").isLessThanOrEqualTo(1e-4);
    }

    /** Keys in order and shapes; float32 bit for bit, float64 within 1e-13 of the tensor's largest value. */
    private static void assertSameState(Map<String, Tensor> mine, Map<String, Tensor> torch, String what) {
        assertThat(mine.keySet()).as(what).containsExactlyElementsOf(torch.keySet());
        for (Map.Entry<String, Tensor> e : torch.entrySet()) {
            Tensor a = mine.get(e.getKey());
            Tensor b = e.getValue();
            assertThat(a.dtype()).as("%s %s", what, e.getKey()).isEqualTo(b.dtype());
            assertThat(a.shape()).as("%s %s", what, e.getKey()).isEqualTo(b.shape());
            if (b.dtype() == DType.FLOAT32) {
                float[] av = a.toFloatArray();
                float[] bv = b.toFloatArray();
                for (int i = 0; i < bv.length; i++) {
                    if (Float.floatToRawIntBits(av[i]) != Float.floatToRawIntBits(bv[i])) {
                        throw new AssertionError(what + " " + e.getKey() + " element " + i + ": " + av[i] + " vs torch " + bv[i]);
                    }
                }
            } else if (b.dtype() == DType.FLOAT64) {
                assertThat(relError(a, b)).as("%s %s", what, e.getKey()).isLessThanOrEqualTo(1e-13);
            } else {
                assertThat(a.valueEquals(b)).as("%s %s", what, e.getKey()).isTrue();
            }
        }
    }

    /** Max |a - e| over max |e| ({@link Errors#relError}), of tensors of the same shape. */
    private static double relError(Tensor actual, Tensor expected) {
        assertThat(actual.shape()).isEqualTo(expected.shape());
        return Errors.relError(actual, expected);
    }
}
