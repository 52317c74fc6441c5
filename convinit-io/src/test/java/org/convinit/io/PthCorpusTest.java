package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.nn.Parameter;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.junit.jupiter.api.Test;

/** Every tensor of the torch 1.13.1 corpus read equal to torch's, bit for bit, with layout and sharing. */
class PthCorpusTest {

    @ParameterizedTest
    @ValueSource(strings = {"dtypes.pth", "views.pth", "special.pth", "nested.pth", "state_dict.pth", "state_dict_proto4.pth",
            "my.model-v1.pth", "buffer_prefix.pth", "deflated.pth", "legacy_dtypes.pth", "legacy_views.pth", "legacy_nested.pth"})
    void readsEveryTensorAndValueAsTorchDoes(String name) throws Exception {
        Path f = CorpusFixtures.file(name);
        compare(f, CorpusFixtures.expected().get(name), name);
        assertThat(Checkpoints.detect(f)).isEqualTo(name.startsWith("legacy") ? Format.PTH_LEGACY : Format.PTH_ZIP);
    }

    /** Compares a file with the generator's description of torch.load's result. */
    static void compare(Path f, JsonNode expected, String name) throws CheckpointException {
        List<String> tensorNames = new ArrayList<>();
        for (JsonNode rec : expected) if (rec.get("kind").asText().equals("tensor")) tensorNames.add(rec.get("name").asText());
        LinkedHashMap<String, Tensor> tensors;
        try (CheckpointReader r = Checkpoints.open(f)) {
            assertThat(r.keys()).as(name).containsExactlyElementsOf(tensorNames);
            tensors = r.readAll();
        }
        Map<Integer, Storage> groups = new HashMap<>();
        IdentityHashMap<Storage, Integer> seen = new IdentityHashMap<>();
        LinkedHashMap<String, Object> values = CorpusFixtures.flatten(Checkpoints.read(f));
        for (JsonNode rec : expected) {
            String key = rec.get("name").asText();
            if (!rec.get("kind").asText().equals("tensor")) {
                assertThat(values).as(name + " " + key).containsKey(key);
                assertThat(CorpusFixtures.describe(values.get(key))).as(name + " " + key).isEqualTo(CorpusFixtures.describe(rec));
                continue;
            }
            Tensor t = tensors.get(key);
            String as = name + " " + key;
            assertThat(t.dtype().torchName()).as(as).isEqualTo(rec.get("dtype").asText());
            assertThat(t.shape().toArray()).as(as).containsExactly(Golden.ints(rec.get("shape")));
            assertThat(CorpusFixtures.sha256(t)).as(as).isEqualTo(rec.get("sha256").asText());
            assertThat(t.requiresGrad()).as(as).isEqualTo(rec.get("requires_grad").asBoolean());
            assertThat(t instanceof Parameter).as(as).isEqualTo(rec.get("parameter").asBoolean());
            if (t.numel() > 0) {
                assertThat(t.strides()).as(as).containsExactly(Golden.ints(rec.get("stride")));
                assertThat(t.storageOffset()).as(as).isEqualTo(rec.get("offset").asInt());
                assertThat(t.storage().size()).as(as).isEqualTo(rec.get("storage_numel").asInt());
                int gid = rec.get("storage").asInt();
                Storage prior = groups.putIfAbsent(gid, t.storage());
                if (prior != null) assertThat(t.storage()).as(as + " shares its storage").isSameAs(prior);
                Integer g2 = seen.putIfAbsent(t.storage(), gid);
                if (g2 != null) assertThat(g2).as(as + " does not share a storage torch keeps apart").isEqualTo(gid);
            }
        }
        // materialized tree and flat read agree
        for (String k : tensorNames) assertThat(((Tensor) values.get(k)).valueEquals(tensors.get(k)) || tensors.get(k).numel() == 0 || hasNaN(tensors.get(k))).as(k).isTrue();
    }

    private static boolean hasNaN(Tensor t) {
        for (double d : t.toDoubleArray()) if (Double.isNaN(d)) return true;
        return false;
    }

    @Test
    void refusesTorchScriptSayingWhatItIs() {
        Path f = CorpusFixtures.file("torchscript.pt");
        assertThatThrownBy(() -> Checkpoints.open(f)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
            assertThat(e.getMessage()).contains("This is a TorchScript archive (torch.jit.save), not a torch.save checkpoint")
                    .contains("torch.save(torch.jit.load(path).state_dict(), 'weights.pt')");
        });
        assertThatThrownBy(() -> org.convinit.io.pth.PthReader.open(f)).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT));
    }

    @Test
    void refusesAPickledModuleNamingItsClasses() {
        assertThatThrownBy(() -> Checkpoints.readTensors(CorpusFixtures.file("whole_module.pth"))).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSAFE);
            assertThat(e.getMessage()).contains("pickle references globals outside the allow-list: torch.nn.modules.container.Sequential")
                    .contains("torch.nn.modules.conv.Conv2d").endsWith("This looks like a pickled nn.Module: in Python, save model.state_dict() instead");
        });
    }

    @Test
    void listsComplexTensorsButRefusesToReadThem() throws Exception {
        try (CheckpointReader r = Checkpoints.open(CorpusFixtures.file("complex.pth"))) {
            assertThat(r.entries()).singleElement().satisfies(i -> {
                assertThat(i.dtype()).isNull();
                assertThat(i.dtypeName()).isEqualTo("ComplexFloatStorage");
            });
            assertThatThrownBy(() -> r.tensor("c")).isInstanceOfSatisfying(CheckpointException.class,
                    e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_DTYPE));
        }
    }

    @Test
    void nestedCheckpointKeepsPlainValuesAsJavaValues() throws Exception {
        Map<String, Object> m = Checkpoints.read(CorpusFixtures.file("nested.pth"));
        assertThat(m.get("epoch")).isEqualTo(3L);
        @SuppressWarnings("unchecked")
        Map<String, Object> meta = (Map<String, Object>) m.get("meta");
        assertThat(meta.get("big")).isEqualTo(java.math.BigInteger.ONE.shiftLeft(70));
        assertThat(meta.get("neg")).isEqualTo(-5L);
        assertThat(meta.get("pair")).isEqualTo(List.of(1L, "two"));
        @SuppressWarnings("unchecked")
        Map<String, Object> opt = (Map<String, Object>) m.get("optimizer");
        @SuppressWarnings("unchecked")
        Map<String, Object> group = (Map<String, Object>) ((List<Object>) opt.get("param_groups")).get(0);
        assertThat(group.get("lr")).isEqualTo(0.1);
        assertThat(group.get("foreach")).isNull();
        assertThat(group).containsKey("foreach");
    }

    @Test
    void missingKeyNamesTheKeyAndSuggests() throws Exception {
        try (CheckpointReader r = Checkpoints.open(CorpusFixtures.file("nested.pth"))) {
            assertThatThrownBy(() -> r.tensor("0.weight")).isInstanceOfSatisfying(CheckpointException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.MISSING_KEY);
                assertThat(e.getMessage()).endsWith(": no tensor named '0.weight'; did you mean [state_dict.0.weight]?");
            });
        }
    }
}
