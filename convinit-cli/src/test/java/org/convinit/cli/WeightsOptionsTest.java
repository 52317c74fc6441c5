package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** The hint a strict name mismatch ends with: exact, table-driven, without files. */
class WeightsOptionsTest {
    static final Set<String> MODEL = set("conv.weight", "conv.bias", "fc.weight", "fc.bias");

    static Set<String> set(String... keys) {
        return new LinkedHashSet<>(List.of(keys));
    }

    static Set<String> prefixed(String p) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : MODEL) out.add(p + k);
        return out;
    }

    static String hint(WeightsOptions o, Set<String> file, Set<String> dicts) {
        return o.hint(file, MODEL, dicts);
    }

    @Test
    void aSharedPrefixThatIsNotADictIsStripped() {
        assertThat(hint(new WeightsOptions(), prefixed("module."), set()))
                .isEqualTo(" (the file's keys start with 'module.': try --strip-prefix module.)");
    }

    @Test
    void aSubDictIsSelectedEvenWhenItHoldsEveryTensor() {
        assertThat(hint(new WeightsOptions(), prefixed("state_dict."), set("state_dict")))
                .isEqualTo(" (the file holds the model's keys under 'state_dict': try --select state_dict)");
        Set<String> withOptimizer = prefixed("model.");
        withOptimizer.add("optimizer.state.0.momentum_buffer");
        assertThat(hint(new WeightsOptions(), withOptimizer, set("model", "optimizer", "optimizer.state", "optimizer.state.0")))
                .isEqualTo(" (the file holds the model's keys under 'model': try --select model)");
        // the same checkpoint converted to safetensors: no dicts, names alone
        assertThat(hint(new WeightsOptions(), withOptimizer, set()))
                .isEqualTo(" (the file holds the model's keys under 'model': try --select model)");
    }

    @Test
    void aSubDictOfPrefixedKeysNeedsBoth() {
        assertThat(hint(new WeightsOptions(), prefixed("state_dict.module."), set("state_dict")))
                .isEqualTo(" (the file holds the model's keys under 'state_dict', whose keys start with 'module.': "
                        + "try --select state_dict --strip-prefix module.)");
    }

    @Test
    void anOptionAlreadyGivenIsNotSuggestedAgainAndTheSelectionIsFollowed() {
        WeightsOptions selected = new WeightsOptions();
        selected.select = "state_dict";
        assertThat(hint(selected, prefixed("module."), set("state_dict")))
                .isEqualTo(" (the file's keys start with 'module.': try --strip-prefix module.)");
        WeightsOptions stripped = new WeightsOptions();
        stripped.stripPrefix = "model.";
        assertThat(hint(stripped, prefixed("module."), set())).isEmpty();
    }

    @Test
    void noHintWhenNoTopLevelNameExplainsTheMismatch() {
        assertThat(hint(new WeightsOptions(), set("conv.weight", "conv.bias", "fc.weight", "fc.bais"), set())).isEmpty();
        assertThat(hint(new WeightsOptions(), set("features.0.weight", "classifier.weight"), set("features"))).isEmpty();
        // half the keys under one name, half under another: no single prefix or sub-dict explains it
        assertThat(hint(new WeightsOptions(), set("a.conv.weight", "a.conv.bias", "b.fc.weight", "b.fc.bias"), set())).isEmpty();
    }
}
