package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.atomic.AtomicInteger;

import org.junit.jupiter.api.Test;

/** The switch from the scalar to the vector fills after a volume of bulk draws. */
class VectorGateTest {

    @Test
    void opensOnceTheThresholdIsReachedAndStaysOpen() {
        AtomicInteger checks = new AtomicInteger();
        VectorGate g = new VectorGate(true, 100, () -> checks.incrementAndGet() > 0);
        assertThat(g.isOpen()).isFalse();
        assertThat(g.admit(60)).isFalse();
        assertThat(checks).hasValue(0);
        assertThat(g.isOpen()).isFalse();
        assertThat(g.admit(40)).isTrue();
        assertThat(g.isOpen()).isTrue();
        assertThat(g.admit(1)).isTrue();
        assertThat(checks).hasValue(1);
    }

    @Test
    void neverOpensWhenDisabledOrWithoutNativeVectors() {
        VectorGate off = new VectorGate(false, 0, () -> true);
        assertThat(off.admit(1L << 40)).isFalse();
        assertThat(off.isOpen()).isFalse();
        AtomicInteger checks = new AtomicInteger();
        VectorGate unusable = new VectorGate(true, 10, () -> checks.incrementAndGet() < 0);
        assertThat(unusable.admit(10)).isFalse();
        assertThat(unusable.admit(10)).isFalse();
        assertThat(unusable.isOpen()).isFalse();
        assertThat(checks).hasValue(1);
    }
}
