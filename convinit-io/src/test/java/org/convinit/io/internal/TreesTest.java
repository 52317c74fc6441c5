package org.convinit.io.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Flattened names of non-string dict keys read as Python's {@code str(key)}. */
class TreesTest {

    @Test
    void keyNamesArePythonReprs() {
        assertThat(Trees.keyName(1e-5)).isEqualTo("1e-05");
        assertThat(Trees.keyName(0.5)).isEqualTo("0.5");
        assertThat(Trees.keyName(1e16)).isEqualTo("1e+16");
        assertThat(Trees.keyName(Double.NaN)).isEqualTo("nan");
        assertThat(Trees.keyName(3L)).isEqualTo("3");
        assertThat(Trees.keyName(true)).isEqualTo("True");
        assertThat(Trees.keyName(null)).isEqualTo("None");
        assertThat(Trees.keyName(List.of(2.0, "a"))).isEqualTo("(2.0, 'a')");
        assertThat(Trees.keyName(Arrays.asList(100.0))).isEqualTo("(100.0,)");
    }
}
