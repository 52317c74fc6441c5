package org.convinit.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.io.Checkpoints;
import org.convinit.io.StateDicts;
import org.convinit.nn.LoadReport;
import org.convinit.nn.Module;
import org.convinit.nn.StateDictException;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Checkpoints both ways: torchvision state dicts saved by torch load strictly (DenseNet's legacy names through
 * {@link DenseNet#remapLegacyKeys}) and equal convinit's own build with that seed; state dicts written by convinit load
 * into torchvision with {@code load_state_dict(strict=True)} via {@code torch.load(weights_only=True)}. Another
 * architecture's state dict fails with the full report; bad names and arguments are named.
 */
class ModelCheckpointTest {
    @TempDir
    Path dir;

    private static final List<String> NAMES = List.of("resnet18", "mobilenet_v3_small", "densenet121", "shufflenet_v2_x0_5");

    private static Map<String, Object> request(String id, String kind, String name, long seed, Path path) {
        Map<String, Object> r = new LinkedHashMap<>();
        r.put("id", id);
        r.put("kind", kind);
        r.put("name", name);
        r.put("kwargs", Map.of("num_classes", 10));
        r.put("seed", seed);
        r.put("path", path.toString());
        return r;
    }

    @Test
    void torchvisionCheckpointsLoadStrictlyAndConvinitCheckpointsLoadIntoTorchvision() throws Exception {
        Torch.require();
        List<Map<String, Object>> save = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) save.add(request("s" + i, "save", NAMES.get(i), 40 + i, dir.resolve("torch-" + i + ".pth")));
        Map<String, Object> legacy = request("legacy", "save", "densenet121", 77, dir.resolve("legacy.pth"));
        legacy.put("legacy_densenet_keys", true);
        save.add(legacy);
        Map<String, JsonNode> saved = TorchModels.run(save);
        for (JsonNode r : saved.values()) assertThat(r.has("error")).as("torch failed: %s", r.path("error").asText()).isFalse();

        List<Map<String, Object>> load = new ArrayList<>();
        for (int i = 0; i < NAMES.size(); i++) {
            String name = NAMES.get(i);
            Map<String, Tensor> fromTorch = Checkpoints.readTensors(dir.resolve("torch-" + i + ".pth"));
            Module m = TorchModels.build(name, Map.of("num_classes", 10), 999, DType.FLOAT32);
            LoadReport report = m.loadStateDict(fromTorch, true);
            assertThat(report.isExactMatch()).as(name).isTrue();
            assertStateEquals(m, TorchModels.build(name, Map.of("num_classes", 10), 40 + i, DType.FLOAT32), name);
            Module mine = TorchModels.build(name, Map.of("num_classes", 10), 60 + i, DType.FLOAT32);
            Path out = dir.resolve("convinit-" + i + ".pth");
            Checkpoints.write(out, mine.stateDict());
            load.add(request("l" + i, "load", name, 60 + i, out));
        }
        Map<String, Tensor> old = Checkpoints.readTensors(dir.resolve("legacy.pth"));
        assertThat(old).containsKey("features.denseblock1.denselayer1.norm.1.weight");
        Module dense = TorchModels.build("densenet121", Map.of("num_classes", 10), 5, DType.FLOAT32);
        assertThatThrownBy(() -> dense.loadStateDict(old, true)).isInstanceOf(StateDictException.class)
                .hasMessageContaining("features.denseblock1.denselayer1.norm1.weight");
        dense.loadStateDict(DenseNet.remapLegacyKeys(old), true);
        assertStateEquals(dense, TorchModels.build("densenet121", Map.of("num_classes", 10), 77, DType.FLOAT32), "legacy densenet121");

        Map<String, JsonNode> loaded = TorchModels.run(load);
        for (JsonNode r : loaded.values()) {
            assertThat(r.has("error")).as("torch failed: %s", r.path("error").asText()).isFalse();
            assertThat(r.get("equal").asBoolean()).as(r.get("id").asText()).isTrue();
        }
    }

    /**
     * torch's rule for state dicts without {@code num_batches_tracked} ({@code _NormBase._load_from_state_dict}): filled
     * with 0 when the batch norm's saved version is missing (no {@code _metadata}) or below 2, a missing key otherwise.
     * The files are saved by torch, and torch's own strict verdict on each is checked against convinit's.
     */
    @Test
    void checkpointsWithoutNumBatchesTrackedLoadAsInTorch() throws Exception {
        Torch.require();
        List<String> metadata = List.of("none", "v1", "v2");
        List<Map<String, Object>> save = new ArrayList<>();
        for (String meta : metadata) {
            Map<String, Object> r = request(meta, "save", "resnet18", 21, dir.resolve("old-" + meta + ".pth"));
            r.put("drop_num_batches_tracked", true);
            r.put("metadata", meta);
            save.add(r);
        }
        Map<String, JsonNode> replies = TorchModels.run(save);
        Module expected = TorchModels.build("resnet18", Map.of("num_classes", 10), 21, DType.FLOAT32);
        for (String meta : metadata) {
            JsonNode rep = replies.get(meta);
            assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
            boolean torchLoads = !meta.equals("v2");
            assertThat(rep.get("strict").asBoolean()).as("torch's verdict, %s", meta).isEqualTo(torchLoads);
            Path file = dir.resolve("old-" + meta + ".pth");
            assertThat(Checkpoints.readTensors(file)).doesNotContainKey("bn1.num_batches_tracked").containsKey("bn1.running_var");
            Module m = TorchModels.build("resnet18", Map.of("num_classes", 10), 5, DType.FLOAT32);
            m.stateDict().forEach((k, v) -> {
                if (k.endsWith("num_batches_tracked")) v.copy_(Tensor.of(new long[] {7}));
            });
            if (torchLoads) {
                assertThat(StateDicts.load(m, file, StateDicts.Options.DEFAULT).isExactMatch()).as(meta).isTrue();
                assertStateEquals(m, expected, "resnet18 without num_batches_tracked, " + meta);
            } else {
                assertThatThrownBy(() -> StateDicts.load(m, file, StateDicts.Options.DEFAULT)).as(meta)
                        .isInstanceOf(StateDictException.class).hasMessageContaining("bn1.num_batches_tracked")
                        .hasMessageContaining("layer4.1.bn2.num_batches_tracked");
                assertThat(rep.get("message").asText()).contains("\"bn1.num_batches_tracked\"");
                assertThat(m.tensor("bn1.num_batches_tracked").toLongArray()).as("unchanged").containsExactly(7);
            }
        }
    }

    private static void assertStateEquals(Module actual, Module expected, String what) {
        Map<String, Tensor> a = actual.stateDict();
        Map<String, Tensor> e = expected.stateDict();
        assertThat(a.keySet()).containsExactlyElementsOf(e.keySet());
        for (String k : e.keySet()) assertThat(a.get(k).valueEquals(e.get(k))).as("%s %s", what, k).isTrue();
    }

    @Test
    void anotherArchitecturesStateDictGivesTheFullReport() {
        Module resnet = Models.create("resnet18", Map.of("num_classes", 10), DType.FLOAT32);
        Module mobile = Models.create("mobilenet_v2", Map.of("num_classes", 10), DType.FLOAT32);
        assertThatThrownBy(() -> mobile.loadStateDict(resnet.stateDict(), true)).isInstanceOf(StateDictException.class)
                .satisfies(t -> {
                    LoadReport r = ((StateDictException) t).report();
                    assertThat(r.missing()).contains("features.0.0.weight", "classifier.1.bias");
                    assertThat(r.unexpected()).contains("conv1.weight", "layer4.1.bn2.running_var", "fc.weight");
                    assertThat(t.getMessage()).contains("Missing key(s)", "Unexpected key(s)", "features.0.0.weight", "conv1.weight");
                });
        Module thousand = Models.create("resnet18", Map.of(), DType.FLOAT32);
        assertThatThrownBy(() -> thousand.loadStateDict(resnet.stateDict(), true))
                .hasMessageContaining("fc.weight").hasMessageContaining("[10, 512]").hasMessageContaining("[1000, 512]");
    }

    @Test
    void badNamesAndArgumentsAreNamed() {
        assertThatThrownBy(() -> Models.create("resnet19", Map.of(), DType.FLOAT32))
                .hasMessageContaining("unknown model 'resnet19'").hasMessageContaining("resnet18, resnet34")
                .hasMessageContaining("mobilenet_v3_small").hasMessageContaining("densenet121");
        assertThatThrownBy(() -> Models.create("resnet18", Map.of("width_mult", 0.5), DType.FLOAT32))
                .hasMessageContaining("resnet18() got an unexpected keyword argument 'width_mult'")
                .hasMessageContaining("num_classes, zero_init_residual");
        assertThatThrownBy(() -> Models.create("resnext50_32x4d", Map.of("groups", 16), DType.FLOAT32))
                .hasMessageContaining("The parameter 'groups' expected value 32 but got 16 instead.");
        assertThatThrownBy(() -> Models.create("resnet18", Map.of("groups", 2), DType.FLOAT32))
                .hasMessageContaining("BasicBlock only supports groups=1 and base_width=64");
        assertThatThrownBy(() -> Models.create("mobilenet_v2", Map.of("weights", "IMAGENET1K_V1"), DType.FLOAT32))
                .hasMessageContaining("weights=None");
        assertThatThrownBy(() -> Models.create("mobilenet_v2", Map.of("num_classes", 2.5), DType.FLOAT32))
                .hasMessageContaining("num_classes=2.5, expected an int");
        assertThat(Models.parameters("densenet121")).containsExactly("weights", "progress", "num_classes", "bn_size", "drop_rate",
                "memory_efficient");
    }
}
