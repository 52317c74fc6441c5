package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.tensor.DType;
import org.convinit.testing.Bits;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** float32 erfinv against torch 1.13.1 (non-MKL build) on 10,000 values incl. the branch edges. */
class ErfinvTest {

    @Test
    void float32IsBitExact() {
        JsonNode c = Golden.load("init.json").get("erfinv");
        double[] y = Bits.values(DType.FLOAT32, c.get("y"));
        for (int i = 0; i < y.length; i++) {
            float got = Erfinv.erfinv((float) y[i]);
            assertThat(Bits.hex(DType.FLOAT32, got)).as("erfinv(%s)", (float) y[i]).isEqualTo(c.get("erfinv").get(i).asText());
        }
    }

    @Test
    void edges() {
        assertThat(Erfinv.erfinv(1f)).isEqualTo(Float.POSITIVE_INFINITY);
        assertThat(Erfinv.erfinv(-1f)).isEqualTo(Float.NEGATIVE_INFINITY);
        assertThat(Erfinv.erfinv(1.5f)).isNaN();
        assertThat(Erfinv.erfinv(0f)).isEqualTo(0f);
        assertThat(Erfinv.erfinv(0.5)).isCloseTo(0.4769362762044699, org.assertj.core.data.Offset.offset(1e-15));
    }
}
