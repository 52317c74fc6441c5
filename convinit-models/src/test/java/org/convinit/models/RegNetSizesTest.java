package org.convinit.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.tensor.DType;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/**
 * Every RegNet size torchvision 0.14 lists has torchvision's stages (width, depth, group width), computed in float32 and
 * in float64 as the default dtype, against {@code BlockParams.from_init_params} itself. The state dicts of the sizes up
 * to 8GF are compared bit for bit in {@link ModelInitDifferentialTest}; the 16GF-128GF ones (84M-645M parameters) only
 * here, through their stage parameters, to keep the suite cheap.
 */
class RegNetSizesTest {
    @Test
    void everySizeHasTorchvisionsStages() {
        Torch.require();
        List<String> names = new ArrayList<>(RegNet.Params.SIZES.keySet());
        assertThat(names).hasSize(15).contains("regnet_y_128gf", "regnet_x_32gf").allMatch(Models::contains);
        Map<String, Object> req = new LinkedHashMap<>();
        req.put("id", "stages");
        req.put("kind", "regnet_stages");
        req.put("names", names);
        JsonNode rep = TorchModels.run(List.of(req)).get("stages");
        assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
        for (String name : names) {
            for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
                List<List<Integer>> mine = new ArrayList<>();
                for (int[] st : RegNet.stages(RegNet.Params.SIZES.get(name), dt)) mine.add(List.of(st[0], st[1], st[2]));
                List<List<Integer>> theirs = new ArrayList<>();
                for (JsonNode st : rep.get("stages").get(name + " " + dt.torchName())) {
                    theirs.add(List.of(st.get(0).asInt(), st.get(1).asInt(), st.get(2).asInt()));
                }
                assertThat(mine).as("%s %s", name, dt).isEqualTo(theirs);
            }
        }
    }
}
