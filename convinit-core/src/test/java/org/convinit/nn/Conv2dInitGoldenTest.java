package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** {@code torch.manual_seed(s); nn.Conv2d(...)} bit for bit, torch 1.13.1. */
class Conv2dInitGoldenTest {

    static Conv2d build(JsonNode rec) {
        JsonNode args = rec.get("args");
        JsonNode k = args.get(2);
        int[] kernel = k.isArray() ? Golden.ints(k) : new int[] {k.asInt()};
        ConvOptions o = ConvOptions.DEFAULT;
        for (Map.Entry<String, JsonNode> kw : (Iterable<Map.Entry<String, JsonNode>>) () -> rec.get("kwargs").fields()) {
            JsonNode v = kw.getValue();
            switch (kw.getKey()) {
                case "padding": o = o.padding(v.asInt()); break;
                case "stride": o = o.stride(v.asInt()); break;
                case "dilation": o = o.dilation(v.asInt()); break;
                case "groups": o = o.groups(v.asInt()); break;
                case "bias": o = o.bias(v.asBoolean()); break;
                default: throw new IllegalStateException(kw.getKey());
            }
        }
        return new Conv2d(args.get(0).asInt(), args.get(1).asInt(), kernel, o);
    }

    static void assertBits(Tensor t, JsonNode hex) {
        int[] exp = Golden.floatBits(hex);
        float[] v = t.toFloatArray();
        assertThat(v).hasSize(exp.length);
        for (int i = 0; i < exp.length; i++) assertThat(Float.floatToRawIntBits(v[i])).as("element %d", i).isEqualTo(exp[i]);
    }

    @Test
    void defaultInitMatchesTorchForSeedsAndConfigurations() {
        JsonNode convs = Golden.load("foundation.json").get("conv2d");
        assertThat(convs.size()).isGreaterThanOrEqualTo(7);
        for (JsonNode rec : convs) {
            Generator.manualSeed(rec.get("seed").asLong());
            Conv2d m = build(rec);
            assertThat(m.weight().shape()).isEqualTo(Shape.of(Golden.ints(rec.get("weight_shape"))));
            assertBits(m.weight(), rec.get("weight"));
            if (rec.get("bias").isNull()) {
                assertThat(m.bias()).isNull();
                assertThat(m.stateDict()).containsOnlyKeys("weight");
            } else {
                assertBits(m.bias(), rec.get("bias"));
            }
        }
    }

    @Test
    void float64ModuleMatchesTorch() {
        JsonNode rec = Golden.load("foundation.json").get("conv2d_f64");
        Generator.manualSeed(rec.get("seed").asLong());
        Conv2d m = new Conv2d(2, 4, new int[] {3}, ConvOptions.DEFAULT, DType.FLOAT64, null);
        long[] w = Golden.doubleBits(rec.get("weight"));
        double[] v = m.weight().toDoubleArray();
        for (int i = 0; i < w.length; i++) assertThat(Double.doubleToRawLongBits(v[i])).isEqualTo(w[i]);
        long[] b = Golden.doubleBits(rec.get("bias"));
        double[] bv = m.bias().toDoubleArray();
        for (int i = 0; i < b.length; i++) assertThat(Double.doubleToRawLongBits(bv[i])).isEqualTo(b[i]);
    }

    @Test
    void explicitGeneratorGivesTheSameBitsAsTheSeededDefault() {
        Generator.manualSeed(0);
        Conv2d a = new Conv2d(3, 16, 3);
        Conv2d b = new Conv2d(3, 16, new int[] {3}, ConvOptions.DEFAULT, DType.FLOAT32, new Generator(0));
        assertThat(a.weight().valueEquals(b.weight())).isTrue();
        assertThat(a.bias().valueEquals(b.bias())).isTrue();
    }
}
