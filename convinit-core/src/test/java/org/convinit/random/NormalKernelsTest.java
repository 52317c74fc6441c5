package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import org.junit.jupiter.api.Test;

/** The structure-of-arrays Box–Muller kernel against the literal lane code, on every kind of input. */
class NormalKernelsTest {

    @Test
    void structureOfArraysKernelEqualsTheLiteralLaneCode() {
        SplittableRandom r = new SplittableRandom(5);
        int blocks = 70_000;
        float[] a = new float[16 * blocks];
        for (int i = 0; i < a.length; i++) a[i] = (r.nextInt() & 0xFFFFFF) * 0x1p-24f;
        // edges: u = 0 (u1 = 1), u = 1 - 2^-24 (u1 = 2^-24), angles at multiples of π/4
        int[] special = {0, 0xFFFFFF, 0x800000, 0x400000, 0xC00000, 0x200000, 1, 0xB504F3 >> 1};
        for (int i = 0; i < special.length; i++) {
            a[i] = special[i] * 0x1p-24f;
            a[8 + i] = special[i] * 0x1p-24f;
        }
        float[] b = a.clone();
        NormalKernels.fillBlocks(a, 0, blocks, 0.25f, 1.5f);
        for (int k = 0; k < blocks; k++) NormalKernels.fill16Reference(b, 16 * k, 0.25f, 1.5f);
        for (int i = 0; i < a.length; i++) {
            assertThat(Float.floatToRawIntBits(a[i])).as("element %d", i).isEqualTo(Float.floatToRawIntBits(b[i]));
        }
    }

    @Test
    void literalLanesMatchCephesOnKnownValues() {
        assertThat(NormalKernels.log256(1.0f)).isEqualTo(0.0f);
        assertThat(NormalKernels.log256(0.5f)).isCloseTo((float) Math.log(0.5), org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(NormalKernels.log256(0f)).isNaN();
        long sc = NormalKernels.sincos256(1.0f);
        assertThat(Float.intBitsToFloat((int) (sc >>> 32))).isCloseTo((float) Math.sin(1), org.assertj.core.data.Offset.offset(1e-7f));
        assertThat(Float.intBitsToFloat((int) sc)).isCloseTo((float) Math.cos(1), org.assertj.core.data.Offset.offset(1e-7f));
    }
}
