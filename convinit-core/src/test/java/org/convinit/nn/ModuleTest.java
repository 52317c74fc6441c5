package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class ModuleTest {

    static Sequential model() {
        Generator.manualSeed(0);
        return new Sequential(new Conv2d(3, 8, 3, ConvOptions.DEFAULT.padding(1)), new ReLU(),
                new Conv2d(8, 4, new int[] {1, 3}, ConvOptions.DEFAULT.groups(2).bias(false)));
    }

    @Test
    void stateDictHasTorchKeysInRegistrationOrder() {
        Sequential m = model();
        assertThat(m.stateDict().keySet()).containsExactly("0.weight", "0.bias", "2.weight");
        assertThat(m.namedParameters().keySet()).containsExactly("0.weight", "0.bias", "2.weight");
        assertThat(m.namedModules().keySet()).containsExactly("", "0", "1", "2");
        assertThat(m.stateDict().get("2.weight").shape()).isEqualTo(Shape.of(4, 4, 1, 3));
        // state dict values share storage with the parameters, like torch's detached tensors
        assertThat(m.stateDict().get("0.weight").sharesStorageWith(((Conv2d) m.get(0)).weight())).isTrue();
    }

    @Test
    void applyVisitsChildrenBeforeTheParentAndTrainEvalPropagates() {
        Sequential m = model();
        List<String> seen = new ArrayList<>();
        m.apply(x -> seen.add(x.name()));
        assertThat(seen).containsExactly("Conv2d", "ReLU", "Conv2d", "Sequential");
        m.eval();
        assertThat(m.modules()).allMatch(x -> !x.isTraining());
        m.train(true);
        assertThat(m.get(2).isTraining()).isTrue();
    }

    @Test
    void reprMatchesTorch() {
        assertThat(model().toString()).isEqualTo(String.join("\n",
                "Sequential(",
                "  (0): Conv2d(3, 8, kernel_size=(3, 3), stride=(1, 1), padding=(1, 1))",
                "  (1): ReLU()",
                "  (2): Conv2d(8, 4, kernel_size=(1, 3), stride=(1, 1), groups=2, bias=False)",
                ")"));
        assertThat(new Conv2d(2, 2, 4, ConvOptions.DEFAULT.padding("same").dilation(2).paddingMode(PaddingMode.REFLECT)).toString())
                .isEqualTo("Conv2d(2, 2, kernel_size=(4, 4), stride=(1, 1), padding=same, dilation=(2, 2), padding_mode=reflect)");
    }

    @Test
    void strictLoadOfAMatchingStateDictCopiesEverything() {
        Sequential a = model();
        Generator.manualSeed(1);
        Sequential b = new Sequential(new Conv2d(3, 8, 3, ConvOptions.DEFAULT.padding(1)), new ReLU(),
                new Conv2d(8, 4, new int[] {1, 3}, ConvOptions.DEFAULT.groups(2).bias(false)));
        LoadReport r = b.loadStateDict(a.stateDict(), true);
        assertThat(r.isExactMatch()).isTrue();
        for (String k : a.stateDict().keySet()) {
            assertThat(b.stateDict().get(k).valueEquals(a.stateDict().get(k))).isTrue();
        }
    }

    @Test
    void strictLoadWithMissingAndUnexpectedKeysChangesNothing() {
        Sequential m = model();
        Map<String, Tensor> before = snapshot(m);
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("module.0.weight", Tensor.zeros(DType.FLOAT32, 8, 3, 3, 3));
        sd.put("0.bias", Tensor.zeros(DType.FLOAT32, 8));
        assertThatThrownBy(() -> m.loadStateDict(sd, true)).isInstanceOf(StateDictException.class)
                .hasMessage("Error(s) in loading state_dict for Sequential:\n"
                        + "\tMissing key(s) in state_dict: \"0.weight\", \"2.weight\".\n"
                        + "\tUnexpected key(s) in state_dict: \"module.0.weight\".")
                .satisfies(e -> assertThat(((StateDictException) e).report().missing()).containsExactly("0.weight", "2.weight"));
        assertUnchanged(m, before);
    }

    /** torch's {@code _NormBase} rule: no saved version, or one below 2, fills {@code num_batches_tracked} with 0. */
    @Test
    void aBatchNormSavedWithoutAVersionGetsNumBatchesTracked() {
        Sequential m = new Sequential(new Conv2d(3, 4, 1), new BatchNorm2d(4));
        Map<String, Tensor> sd = new LinkedHashMap<>(m.stateDict());
        m.stateDict().get("1.num_batches_tracked").copy_(Tensor.of(new long[] {3}));
        sd.remove("1.num_batches_tracked");
        assertThat(m.checkStateDict(sd, Map.of("1", 2)).missing()).containsExactly("1.num_batches_tracked");
        assertThatThrownBy(() -> m.loadStateDict(sd, Map.of("", 1, "1", 2), true)).isInstanceOf(StateDictException.class)
                .hasMessageContaining("Missing key(s) in state_dict: \"1.num_batches_tracked\"");
        assertThat(m.stateDict().get("1.num_batches_tracked").toLongArray()).containsExactly(3);
        for (Map<String, Integer> versions : List.of(Map.<String, Integer>of(), Map.of("1", 1), Map.of("", 2))) {
            m.stateDict().get("1.num_batches_tracked").copy_(Tensor.of(new long[] {3}));
            assertThat(m.loadStateDict(sd, versions, true).isExactMatch()).as("%s", versions).isTrue();
            assertThat(m.stateDict().get("1.num_batches_tracked").toLongArray()).containsExactly(0);
        }
        m.stateDict().get("1.num_batches_tracked").copy_(Tensor.of(new long[] {3}));
        assertThat(m.loadStateDict(sd, true).missing()).as("a plain map has no _metadata").isEmpty();
        assertThat(m.stateDict().get("1.num_batches_tracked").toLongArray()).containsExactly(0);
        assertThat(sd).doesNotContainKey("1.num_batches_tracked");
    }

    @Test
    void nonStrictLoadReportsAndLoadsWhatMatches() {
        Sequential m = model();
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("0.bias", Tensor.zeros(DType.FLOAT64, 8));
        sd.put("extra", Tensor.zeros(DType.FLOAT32, 1));
        LoadReport r = m.loadStateDict(sd, false);
        assertThat(r.missing()).containsExactly("0.weight", "2.weight");
        assertThat(r.unexpected()).containsExactly("extra");
        assertThat(r.dtypeConversions()).hasSize(1);
        assertThat(r.dtypeConversions().get(0).toString()).isEqualTo("0.bias: torch.float64 converted to torch.float32");
        assertThat(((Conv2d) m.get(0)).bias().toFloatArray()).containsOnly(0f);
        assertThat(((Conv2d) m.get(0)).bias().dtype()).isEqualTo(DType.FLOAT32);
    }

    @Test
    void shapeMismatchFailsEvenWhenNotStrictAndChangesNothing() {
        Sequential m = model();
        Map<String, Tensor> before = snapshot(m);
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>(m.stateDict());
        sd.put("0.bias", Tensor.ones(DType.FLOAT32, 8)); // would load if the other key were right
        sd.put("2.weight", Tensor.zeros(DType.FLOAT32, 4, 8, 1, 3));
        for (boolean strict : new boolean[] {true, false}) {
            assertThatThrownBy(() -> m.loadStateDict(sd, strict)).isInstanceOf(StateDictException.class)
                    .hasMessage("Error(s) in loading state_dict for Sequential:\n\tsize mismatch for 2.weight: copying a param "
                            + "with shape [4, 8, 1, 3] from checkpoint, the shape in current model is [4, 4, 1, 3].");
            assertUnchanged(m, before);
        }
    }

    @Test
    void checkStateDictOnlyReports() {
        Sequential m = model();
        Map<String, Tensor> before = snapshot(m);
        LoadReport r = m.checkStateDict(Map.of("0.weight", Tensor.zeros(DType.FLOAT32, 8, 3, 5, 5)));
        assertThat(r.shapeMismatches()).hasSize(1);
        assertThat(r.shapeMismatches().get(0).checkpoint()).isEqualTo(Shape.of(8, 3, 5, 5));
        assertThat(r.shapeMismatches().get(0).model()).isEqualTo(Shape.of(8, 3, 3, 3));
        assertUnchanged(m, before);
    }

    static Map<String, Tensor> snapshot(Module m) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> out.put(k, v.clone()));
        return out;
    }

    static void assertUnchanged(Module m, Map<String, Tensor> before) {
        m.stateDict().forEach((k, v) -> assertThat(v.valueEquals(before.get(k))).as(k).isTrue());
    }
}
