package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.HexFormat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * {@code getState}/{@code setState} in torch's 5056-byte layout, both directions: bytes saved by torch
 * 1.13.1 restore here and continue torch's stream (including a cached normal sample and the legacy
 * 5048-byte layout), and the bytes convinit writes equal torch's (padding aside). The live round trip
 * through torch is in {@code GeneratorStateDifferentialTest}.
 */
class GeneratorStateTest {
    static final JsonNode STATE = Golden.load("init.json").get("state");

    static byte[] bytes(JsonNode node) {
        return HexFormat.of().parseHex(node.asText());
    }

    /** Zeroes torch's uninitialised padding bytes (5044..5047 and 5053..5055). */
    static byte[] withoutPadding(byte[] b) {
        byte[] c = b.clone();
        if (c.length == GeneratorState.SIZE) {
            for (int i = 5044; i < 5048; i++) c[i] = 0;
            for (int i = 5053; i < 5056; i++) c[i] = 0;
        }
        return c;
    }

    @Test
    void aStateSavedByTorchRestoresAndContinuesTorchsStream() {
        for (String key : new String[] {"cached", "plain"}) {
            JsonNode c = STATE.get(key);
            Generator g = new Generator(1).setState(bytes(c.get("state")));
            Bits.assertBitsEqual(Tensor.empty(DType.FLOAT32, 3).normal_(0, 1, g), c.get("normal3"), key + " normal");
            Bits.assertBitsEqual(Tensor.empty(DType.FLOAT32, 700).uniform_(0, 1, g), c.get("uniform700"), key + " uniform");
        }
    }

    @Test
    void theBytesConvinitWritesAreTorchs() {
        Generator g = new Generator(123);
        Tensor.empty(DType.FLOAT32, 7).normal_(0, 1, g);
        Tensor.empty(DType.FLOAT32, 1000).uniform_(0, 1, g);
        assertThat(g.hasCachedNormal()).isTrue();
        assertThat(withoutPadding(g.getState())).isEqualTo(withoutPadding(bytes(STATE.get("cached").get("state"))));

        Generator h = new Generator(-7);
        Tensor.empty(DType.FLOAT32, 624 * 3 + 5).uniform_(0, 1, h);
        assertThat(withoutPadding(h.getState())).isEqualTo(withoutPadding(bytes(STATE.get("plain").get("state"))));

        JsonNode fresh = STATE.get("fresh");
        assertThat(withoutPadding(new Generator(fresh.get("seed").asLong()).getState()))
                .isEqualTo(withoutPadding(bytes(fresh.get("state"))));
        assertThat(h.getState()).hasSize(5056);
    }

    @Test
    void theLegacyLayoutRebuildsTheCachedSampleFromRhoAndX() {
        JsonNode c = STATE.get("legacy");
        byte[] b = bytes(c.get("state"));
        assertThat(b).hasSize(5048);
        Generator g = new Generator().setState(b);
        Tensor t = Tensor.empty(DType.FLOAT64, 3).normal_(0, 1, g);
        double[] exp = Bits.values(DType.FLOAT64, c.get("normal3"));
        double[] got = t.toDoubleArray();
        for (int i = 0; i < 3; i++) {
            assertThat(Math.abs(Double.doubleToRawLongBits(got[i]) - Double.doubleToRawLongBits(exp[i]))).isLessThanOrEqualTo(2);
        }
    }

    @Test
    void roundTripPreservesStreamAndCache() {
        Generator g = new Generator(31);
        Tensor.empty(DType.FLOAT32, 3).normal_(0, 1, g);
        Generator copy = g.copy();
        assertThat(copy.hasCachedNormal()).isTrue();
        assertThat(copy.initialSeed()).isEqualTo(31);
        for (int i = 0; i < 2000; i++) assertThat(copy.random()).isEqualTo(g.random());
        assertThat(copy.normalDouble(0, 1)).isEqualTo(g.normalDouble(0, 1));
    }

    @Test
    void badStatesFailWithTorchsMessages() {
        Generator g = new Generator(3);
        assertThatThrownBy(() -> g.setState(new byte[100])).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Expected either a CPUGeneratorImplStateLegacy of size 5048 or a CPUGeneratorImplState "
                        + "of size 5056 but found the input RNG state size to be 100");
        byte[] s = g.getState();
        s[12] = 0; // seeded = 0
        assertThatThrownBy(() -> g.setState(s)).isInstanceOf(IllegalArgumentException.class)
                .hasMessageStartingWith("Invalid mt19937 state");
        byte[] t = g.getState();
        t[8] = 0; // left = 0
        assertThatThrownBy(() -> g.setState(t)).hasMessageStartingWith("Invalid mt19937 state");
        byte[] u = g.getState();
        u[16] = 113;
        u[17] = 2; // next = 625
        assertThatThrownBy(() -> g.setState(u)).hasMessageStartingWith("Invalid mt19937 state");
        // a failed setState changes nothing
        assertThat(g.random()).isEqualTo(new Generator(3).random());
    }
}
