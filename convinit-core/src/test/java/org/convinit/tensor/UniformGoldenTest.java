package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** uniform_ bit for bit against torch 1.13.1 for several seeds, sizes, bounds and both compute dtypes. */
class UniformGoldenTest {

    @Test
    void uniformMatchesTorchBitForBit() {
        JsonNode cases = Golden.load("foundation.json").get("uniform");
        assertThat(cases.size()).isGreaterThanOrEqualTo(8);
        for (JsonNode c : cases) {
            DType dt = DType.parse(c.get("dtype").asText());
            Generator.manualSeed(c.get("seed").asLong());
            Tensor t = Tensor.empty(dt, c.get("n").asInt()).uniform_(c.get("a").asDouble(), c.get("b").asDouble());
            if (dt == DType.FLOAT32) {
                int[] exp = Golden.floatBits(c.get("bits"));
                float[] v = t.toFloatArray();
                for (int i = 0; i < exp.length; i++) {
                    assertThat(Float.floatToRawIntBits(v[i])).as("%s element %d", c, i).isEqualTo(exp[i]);
                }
            } else {
                long[] exp = Golden.doubleBits(c.get("bits"));
                double[] v = t.toDoubleArray();
                for (int i = 0; i < exp.length; i++) {
                    assertThat(Double.doubleToRawLongBits(v[i])).as("%s element %d", c, i).isEqualTo(exp[i]);
                }
            }
        }
    }

    @Test
    void nonContiguousViewsAreFilledInStorageOrder() {
        JsonNode c = Golden.load("foundation.json").get("uniform_noncontiguous");
        Generator.manualSeed(c.get("seed").asLong());
        Tensor base = Tensor.zeros(DType.FLOAT32, 4, 6);
        base.t().uniform_(-1, 1);
        int[] exp = Golden.floatBits(c.get("bits"));
        float[] v = base.toFloatArray();
        for (int i = 0; i < exp.length; i++) assertThat(Float.floatToRawIntBits(v[i])).isEqualTo(exp[i]);
    }

    @Test
    void explicitGeneratorDoesNotTouchTheDefault() {
        Generator.manualSeed(11);
        Tensor a = Tensor.empty(DType.FLOAT32, 10).uniform_(0, 1, new Generator(3));
        Tensor b = Tensor.empty(DType.FLOAT32, 10).uniform_(0, 1);
        Generator.manualSeed(11);
        assertThat(Tensor.empty(DType.FLOAT32, 10).uniform_(0, 1).valueEquals(b)).isTrue();
        assertThat(Tensor.empty(DType.FLOAT32, 10).uniform_(0, 1, new Generator(3)).valueEquals(a)).isTrue();
    }

    @Test
    void reversedBoundsFailLikeTorch() {
        assertThatThrownBy(() -> Tensor.empty(DType.FLOAT32, 3).uniform_(1, 0))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uniform_ expects to return a [from, to) range, but found from=1.0 > to=0.0");
    }

    @Test
    void integerTensorsAreRefused() {
        assertThatThrownBy(() -> Tensor.empty(DType.INT64, 3).uniform_(0, 1))
                .hasMessageContaining("expected a floating point tensor");
    }
}
