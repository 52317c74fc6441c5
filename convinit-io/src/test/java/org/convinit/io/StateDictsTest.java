package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.pth.PthWriter;
import org.convinit.nn.Conv2d;
import org.convinit.nn.LoadReport;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.StateDictException;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class StateDictsTest {
    @TempDir
    Path dir;

    static Sequential model() {
        return new Sequential(new Conv2d(3, 4, 3), new ReLU(), new Conv2d(4, 2, 1));
    }

    /** A DataParallel-style training checkpoint: {'epoch': 3, 'state_dict': {'module.0.weight': ...}, 'optimizer': {...}}. */
    private Path trainingCheckpoint(Sequential source) throws Exception {
        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        root.put("state_dict", StateDicts.addPrefix(source.stateDict(), "module."));
        LinkedHashMap<String, Object> opt = new LinkedHashMap<>();
        opt.put("state", Map.of(0L, Map.of("momentum_buffer", Tensor.zeros(DType.FLOAT32, 4, 3, 3, 3))));
        root.put("optimizer", opt);
        Path f = dir.resolve("ckpt.pth");
        PthWriter.write(f, root);
        return f;
    }

    @Test
    void loadsASubDictWithThePrefixStripped() throws Exception {
        Generator.manualSeed(1);
        Sequential source = model();
        Path f = trainingCheckpoint(source);
        Generator.manualSeed(2);
        Sequential target = model();
        LoadReport r = StateDicts.load(target, f, StateDicts.Options.DEFAULT.select("state_dict").stripPrefix("module."));
        assertThat(r.isExactMatch()).isTrue();
        for (String k : source.stateDict().keySet()) {
            assertThat(target.tensor(k).toDoubleArray()).as(k).containsExactly(source.tensor(k).toDoubleArray());
        }
    }

    @Test
    void strictLoadWithoutMappingChangesNothingAndReportsEveryKey() throws Exception {
        Generator.manualSeed(1);
        Path f = trainingCheckpoint(model());
        Generator.manualSeed(2);
        Sequential target = model();
        double[] before = target.tensor("0.weight").toDoubleArray();
        assertThatThrownBy(() -> StateDicts.load(target, f, StateDicts.Options.DEFAULT.select("state_dict")))
                .isInstanceOfSatisfying(StateDictException.class, e -> {
                    assertThat(e.report().missing()).containsExactly("0.weight", "0.bias", "2.weight", "2.bias");
                    assertThat(e.report().unexpected()).containsExactly("module.0.weight", "module.0.bias", "module.2.weight", "module.2.bias");
                    assertThat(e.getMessage()).startsWith("Error(s) in loading state_dict for Sequential:\n\tMissing key(s) in state_dict: \"0.weight\"");
                });
        assertThat(target.tensor("0.weight").toDoubleArray()).containsExactly(before);
    }

    @Test
    void shapeMismatchNamesBothShapesAndLoadsNothing() throws Exception {
        Path f = dir.resolve("sd.safetensors");
        LinkedHashMap<String, Tensor> sd = model().stateDict();
        sd.put("2.weight", Tensor.zeros(DType.FLOAT32, 3, 4, 1, 1));
        Checkpoints.write(f, sd);
        Sequential target = model();
        double[] before = target.tensor("0.bias").toDoubleArray();
        assertThatThrownBy(() -> StateDicts.load(target, f, StateDicts.Options.DEFAULT.strict(false)))
                .isInstanceOfSatisfying(StateDictException.class, e -> assertThat(e.getMessage()).isEqualTo(
                        "Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 2.weight: copying a param with shape [3, 4, 1, 1]"
                                + " from checkpoint, the shape in current model is [2, 4, 1, 1]."));
        assertThat(target.tensor("0.bias").toDoubleArray()).containsExactly(before);
        LoadReport check = StateDicts.check(target, f, StateDicts.Options.DEFAULT);
        assertThat(check.shapeMismatches()).hasSize(1);
    }

    @Test
    void nonStrictLoadReportsMissingAndDtypeConversions() throws Exception {
        Sequential source = model();
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("features.0.weight", source.tensor("0.weight").to(DType.FLOAT64));
        sd.put("extra", Tensor.zeros(DType.FLOAT32, 1));
        Path f = dir.resolve("sd.npz");
        Checkpoints.write(f, sd);
        Sequential target = model();
        LoadReport r = StateDicts.load(target, f, StateDicts.Options.DEFAULT.rename("^features\\.", "").strict(false));
        assertThat(r.missing()).containsExactly("0.bias", "2.weight", "2.bias");
        assertThat(r.unexpected()).containsExactly("extra");
        assertThat(r.dtypeConversions()).singleElement().hasToString("0.weight: torch.float64 converted to torch.float32");
        assertThat(target.tensor("0.weight").toDoubleArray()).containsExactly(source.tensor("0.weight").toDoubleArray());
    }

    @Test
    void mappingHelpersCheckTheirArguments() {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("module.a", Tensor.scalar(1));
        sd.put("a", Tensor.scalar(2));
        assertThatThrownBy(() -> StateDicts.stripPrefix(sd, "module."))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("key mapping sends 'a' to 'a', which another key already maps to");
        assertThatThrownBy(() -> StateDicts.select(sd, "model"))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sub-dict 'model': no key starts with 'model.'; the keys are [module.a, a]");
        assertThat(StateDicts.rename(sd, "^module\\.(\\w+)", "net.$1").keySet()).containsExactly("net.a", "a");
        assertThat(StateDicts.addPrefix(sd, "m.").keySet()).containsExactly("m.module.a", "m.a");
    }

    @Test
    void loadsASingleKeyIntoASingleParameter() throws Exception {
        Sequential source = model();
        Path f = dir.resolve("w.pth");
        Checkpoints.write(f, source.stateDict());
        Conv2d conv = new Conv2d(3, 4, 3);
        try (CheckpointReader r = Checkpoints.open(f)) {
            conv.loadTensor("weight", r.tensor("0.weight"));
            assertThatThrownBy(() -> conv.loadTensor("bias", r.tensor("2.bias")))
                    .isInstanceOf(IllegalArgumentException.class)
                    .hasMessage("size mismatch for bias: copying a param with shape [2] from checkpoint, the shape in current model is [4].");
        }
        assertThat(conv.weight().toDoubleArray()).containsExactly(source.tensor("0.weight").toDoubleArray());
    }
}
