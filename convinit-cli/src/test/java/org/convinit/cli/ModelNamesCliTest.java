package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.Map;

import org.convinit.io.Checkpoints;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.models.Models;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * torchvision's model names in {@code --model}: {@code init} writes exactly the state of {@link Models#create} under the
 * same seed (which ModelInitDifferentialTest pins to torchvision bit for bit), alone or nested in Sequential; unknown
 * names list the known models and an argument torchvision does not take is named.
 */
class ModelNamesCliTest {
    @TempDir
    Path dir;

    private void sameAsModels(String expr, String name, Map<String, Object> kwargs, String prefix) throws Exception {
        Path out = dir.resolve("m" + Math.abs(expr.hashCode()) + ".safetensors");
        CliRunner r = CliRunner.run("init", "--model", expr, "--seed", "3", "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        Map<String, Tensor> written = SafeTensors.read(out);
        Module m = Generator.withDefault(new Generator(3), () -> Models.create(name, kwargs, DType.FLOAT32));
        Map<String, Tensor> expected = m.stateDict();
        assertThat(written).hasSize(expected.size());
        for (Map.Entry<String, Tensor> e : expected.entrySet()) {
            Tensor w = written.get(prefix + e.getKey());
            assertThat(w).as(prefix + e.getKey()).isNotNull();
            assertThat(w.valueEquals(e.getValue())).as(prefix + e.getKey()).isTrue();
        }
    }

    @Test
    void modelNamesBuildTorchvisionsModels() throws Exception {
        sameAsModels("resnet18(num_classes=10)", "resnet18", Map.of("num_classes", 10L), "");
        sameAsModels("torchvision.models.mobilenet_v3_small(width_mult=0.75, num_classes=10)", "mobilenet_v3_small",
                Map.of("width_mult", 0.75, "num_classes", 10L), "");
        sameAsModels("Sequential(squeezenet1_1(num_classes=10), ReLU())", "squeezenet1_1", Map.of("num_classes", 10L), "0.");
    }

    @Test
    void theModelsLayersAreLayerNamesToo() {
        Module m = Layers.build("Sequential(Conv2d(3, 8, 3), ReLU6(), Hardswish(), Hardsigmoid(), SiLU(), ChannelShuffle(2), "
                + "AdaptiveMaxPool2d((3, None)), AdaptiveAvgPool3d(1))", DType.FLOAT32);
        Tensor y = m.call(Tensor.ones(DType.FLOAT32, 1, 3, 9, 9));
        assertThat(y.shape().toArray()).containsExactly(1, 1, 1, 1);
        assertThat(Layers.build("AdaptiveMaxPool1d(4)", DType.FLOAT32).call(Tensor.ones(DType.FLOAT32, 2, 3, 10)).shape().toArray())
                .containsExactly(2, 3, 4);
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> Layers.build("AdaptiveMaxPool2d(2, return_indices=True)", DType.FLOAT32))
                .hasMessageContaining("return_indices");
    }

    @Test
    void unknownNamesAndArgumentsAreNamed() {
        Path out = dir.resolve("x.safetensors");
        CliRunner unknown = CliRunner.run("init", "--model", "resnet19(num_classes=10)", "--out", out.toString());
        assertThat(unknown.code()).isNotZero();
        assertThat(unknown.err()).contains("resnet19").contains("resnet18").contains("mobilenet_v3_small").contains("Conv2d");
        CliRunner bad = CliRunner.run("init", "--model", "resnet18(width_mult=2)", "--out", out.toString());
        assertThat(bad.code()).isNotZero();
        assertThat(bad.err()).contains("width_mult");
        CliRunner positional = CliRunner.run("init", "--model", "resnet18(10)", "--out", out.toString());
        assertThat(positional.code()).isNotZero();
        assertThat(positional.err()).contains("positional");
        CliRunner block = CliRunner.run("init", "--model", "convnext_tiny(block='CNBlock(layer_scale=0.5)')", "--out", out.toString());
        assertThat(block.code()).isNotZero();
        assertThat(block.err()).contains("block='CNBlock(layer_scale=0.5)'").contains("norm_layer=...");
        CliRunner norm = CliRunner.run("init", "--model", "convnext_tiny(norm_layer='InstanceNorm2d')", "--out", out.toString());
        assertThat(norm.code()).isNotZero();
        assertThat(norm.err()).contains("unknown layer 'InstanceNorm2d'").contains("LayerNorm2d");
    }

    /** {@code forward} with another architecture's checkpoint: the full report (missing and unexpected keys), no trace. */
    @Test
    void anotherArchitecturesCheckpointGivesTheFullReport() throws Exception {
        Path w = dir.resolve("squeeze.safetensors");
        CliRunner init = CliRunner.run("init", "--model", "squeezenet1_1(num_classes=10)", "--seed", "1", "--out", w.toString());
        assertThat(init.code()).as(init.err()).isZero();
        Path x = dir.resolve("x.npy");
        Checkpoints.write(x, Map.of("x", Tensor.zeros(DType.FLOAT32, 1, 3, 32, 32)));
        CliRunner r = CliRunner.run("forward", "--model", "shufflenet_v2_x0_5(num_classes=10)", "--weights", w.toString(), "--input",
                x.toString(), "--output", dir.resolve("y.npy").toString());
        assertThat(r.code()).isNotZero();
        assertThat(r.err()).contains("Missing key(s)").contains("conv1.0.weight").contains("Unexpected key(s)")
                .contains("features.0.weight").doesNotContain("\tat ");
    }
}
