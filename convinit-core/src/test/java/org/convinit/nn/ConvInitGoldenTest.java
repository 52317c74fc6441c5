package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * {@code torch.manual_seed(s); model = ...; model.state_dict()} bit for bit (torch 1.13.1,
 * tools/golden/gen_conv.py): Conv1d/3d, ConvTranspose1d/2d/3d with groups and bias=False, Linear
 * (including an empty Linear whose bias still draws), BatchNorm, and a
 * Sequential(conv, bn, relu, conv, flatten, linear) — every key, dtype, shape and bit.
 */
class ConvInitGoldenTest {

    @Test
    void stateDictsMatchTorchBitForBit() {
        JsonNode cases = Golden.load("conv_init.json").get("cases");
        assertThat(cases.size()).isGreaterThanOrEqualTo(20);
        for (JsonNode c : cases) {
            DType dtype = DType.parse(c.get("dtype").asText());
            Generator.manualSeed(c.get("seed").asLong());
            Module m = Specs.build(c.get("spec"), dtype, null);
            check(m, c);
        }
    }

    @Test
    void anExplicitGeneratorGivesTheSameBitsAsTheSeededDefault() {
        for (JsonNode c : Golden.load("conv_init.json").get("cases")) {
            DType dtype = DType.parse(c.get("dtype").asText());
            Module m = Specs.build(c.get("spec"), dtype, new Generator(c.get("seed").asLong()));
            check(m, c);
        }
    }

    static void check(Module m, JsonNode c) {
        String what = c.get("repr").asText() + " seed " + c.get("seed");
        assertThat(m.toString()).as(what).isEqualTo(c.get("repr").asText());
        Map<String, Tensor> sd = m.stateDict();
        List<String> keys = new ArrayList<>();
        for (JsonNode e : c.get("state")) keys.add(e.get("key").asText());
        assertThat(new ArrayList<>(sd.keySet())).as(what).isEqualTo(keys);
        for (JsonNode e : c.get("state")) {
            Tensor t = sd.get(e.get("key").asText());
            String w = what + " " + e.get("key").asText();
            assertThat(t.dtype().torchName()).as(w).isEqualTo(e.get("dtype").asText());
            assertThat(t.shape()).as(w).isEqualTo(Shape.of(Golden.ints(e.get("shape"))));
            if (t.dtype() == DType.FLOAT32) {
                int[] exp = Golden.floatBits(e.get("bits"));
                float[] v = t.toFloatArray();
                for (int i = 0; i < exp.length; i++) {
                    assertThat(Float.floatToRawIntBits(v[i])).as("%s element %d", w, i).isEqualTo(exp[i]);
                }
            } else if (t.dtype() == DType.FLOAT64) {
                long[] exp = Golden.doubleBits(e.get("bits"));
                double[] v = t.toDoubleArray();
                for (int i = 0; i < exp.length; i++) {
                    assertThat(Double.doubleToRawLongBits(v[i])).as("%s element %d", w, i).isEqualTo(exp[i]);
                }
            } else {
                long[] v = t.toLongArray();
                for (int i = 0; i < v.length; i++) assertThat(v[i]).as(w).isEqualTo(e.get("values").get(i).asLong());
            }
        }
    }
}
