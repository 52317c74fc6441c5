package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** {@code torch.randperm(n)} on CPU, 1.13.1: Fisher–Yates with one 32-bit draw per swap. */
class RandpermTest {

    @Test
    void matchesTorchAndConsumesNMinusOneDraws() {
        for (JsonNode c : Golden.load("init.json").get("randperm")) {
            int n = c.get("n").asInt();
            Generator g = new Generator(c.get("seed").asLong());
            long[] p = g.randperm(n);
            long[] exp = new long[n];
            for (int i = 0; i < n; i++) exp[i] = c.get("perm").get(i).asLong();
            assertThat(p).as("randperm(%d) seed %s", n, c.get("seed")).containsExactly(exp);
            Generator h = new Generator(c.get("seed").asLong());
            for (int i = 0; i < n - 1; i++) h.random();
            assertThat(g.random()).isEqualTo(h.random());
        }
    }

    @Test
    void zeroAndNegative() {
        assertThat(new Generator(0).randperm(0)).isEmpty();
        assertThatThrownBy(() -> new Generator(0).randperm(-1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("randperm: n = -1: expected n >= 0");
    }
}
