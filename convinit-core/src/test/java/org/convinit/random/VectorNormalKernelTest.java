package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.internal.VectorSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/**
 * The Vector API Box–Muller kernel and fill against the scalar lane reference: every one of the 2^24
 * uniforms in both the radius and the angle lanes, the edge values, and whole fills of many lengths
 * through both paths. Surefire runs with {@code --add-modules jdk.incubator.vector}, so the vector path
 * must be there: these tests fail, not skip, without it.
 */
class VectorNormalKernelTest {

    @BeforeAll
    static void vectorPathIsAvailable() {
        assertThat(VectorSupport.AVAILABLE).as("jdk.incubator.vector in the test JVM").isTrue();
        assertThat(VectorNormalKernel.NATIVE).as("256-bit vectors on the test machine").isTrue();
    }

    /** Runs both kernels on {@code raw} (a whole number of blocks of 16) and compares every bit. */
    private static void assertSameAsReference(int[] raw, float mean, float std, String what) {
        int n = raw.length;
        float[] vec = new float[n + 5];
        VectorNormalKernel.blocks(raw, 0, vec, 5, n / 16, mean, std);
        float[] ref = new float[n];
        for (int i = 0; i < n; i++) ref[i] = (raw[i] & 0xFFFFFF) * 0x1p-24f;
        for (int b = 0; b < n / 16; b++) NormalKernels.fill16Reference(ref, 16 * b, mean, std);
        for (int i = 0; i < n; i++) {
            if (Float.floatToRawIntBits(vec[5 + i]) != Float.floatToRawIntBits(ref[i])) {
                int lane = i % 8;
                int block = i / 16;
                assertThat(Float.floatToRawIntBits(vec[5 + i]))
                        .as("%s: element %d (u1 raw %08x, u2 raw %08x)", what, i, raw[16 * block + lane], raw[16 * block + 8 + lane])
                        .isEqualTo(Float.floatToRawIntBits(ref[i]));
            }
        }
    }

    @Test
    void everyUniformInBothLanesGivesTheReferenceBits() {
        // all 2^24 radius inputs, paired with all 2^24 angle inputs (a permutation: odd multiplier),
        // the high byte of the raw draw set to junk the kernel must mask off
        int chunk = 1 << 16;
        int[] raw = new int[2 * chunk];
        for (int base = 0; base < 1 << 24; base += chunk) {
            for (int i = 0; i < chunk; i++) {
                int u = base + i;
                int b = i / 8;
                int lane = i % 8;
                raw[16 * b + lane] = u | (u * 0x9E3779B9 & 0xFF000000);
                raw[16 * b + 8 + lane] = (u * 0x2545F491) & 0xFFFFFF | 0x5A000000;
            }
            assertSameAsReference(raw, 0.0f, 1.0f, "exhaustive chunk at " + base);
        }
    }

    @Test
    void edgeValuesAndRandomBlocksWithMeanAndStd() {
        SplittableRandom r = new SplittableRandom(11);
        int blocks = 40_000;
        int[] raw = new int[16 * blocks];
        for (int i = 0; i < raw.length; i++) raw[i] = r.nextInt();
        // u = 0 (u1 = 1), u = 1 - 2^-24 (u1 = 2^-24), powers of two, angles at multiples of π/4 and next to them
        int[] special = {0, 0xFFFFFF, 0x800000, 0x400000, 0xC00000, 0x200000, 1, 0xB504F3 >> 1,
                0x1FFFFF, 0x200001, 0x5FFFFF, 0x600000, 0x600001, 0x9FFFFF, 0xA00000, 0xE00000, 0xFFFFFE, 2};
        for (int i = 0; i < special.length; i++) {
            for (int j = 0; j < special.length; j++) {
                int b = i * special.length + j;
                raw[16 * (b / 8) + b % 8] = special[i];
                raw[16 * (b / 8) + 8 + b % 8] = special[j];
            }
        }
        assertSameAsReference(raw, 0.25f, 1.5f, "mean 0.25 std 1.5");
        assertSameAsReference(raw, -3.0f, 0.01f, "mean -3 std 0.01");
        assertSameAsReference(raw, 0.0f, 0.0f, "std 0");
    }

    @Test
    void vectorFillMatchesTorchOnTheGoldenCases() {
        int cases = 0;
        for (JsonNode c : NormalGoldenTest.GOLDEN.get("normal")) {
            int n = c.get("n").asInt();
            if (!"float32".equals(c.get("dtype").asText()) || n < 16) continue;
            float[] a = new float[n];
            NormalKernels.fillFloat(new Generator(c.get("seed").asLong()), a, 0, n,
                    (float) c.get("mean").asDouble(), (float) c.get("std").asDouble(), true);
            for (int i = 0; i < n; i++) {
                assertThat(String.format("%08x", Float.floatToRawIntBits(a[i])))
                        .as("n = %d, element %d", n, i).isEqualTo(c.get("bits").get(i).asText());
            }
            cases++;
        }
        assertThat(cases).isGreaterThanOrEqualTo(6);
    }

    @Test
    void vectorAndScalarFillsGiveTheSameValuesAndGeneratorState() {
        int[] lengths = {16, 17, 31, 32, 33, 100, 623, 624, 625, 8191, 8192, 8193, 8208, 16384 + 15, 30011, 100_003};
        Generator gv = new Generator(2024);
        Generator gs = new Generator(2024);
        int skip = 0;
        for (int n : lengths) {
            // move both generators off the twist boundary by a different amount each time
            skip = (skip + 137) % 624;
            for (int i = 0; i < skip; i++) {
                gv.random();
                gs.random();
            }
            float[] v = new float[n + 2];
            float[] s = new float[n + 2];
            NormalKernels.fillFloat(gv, v, 1, n, 0.5f, 2.0f, true);
            NormalKernels.fillFloat(gs, s, 1, n, 0.5f, 2.0f, false);
            for (int i = 0; i < n + 2; i++) {
                assertThat(Float.floatToRawIntBits(v[i])).as("n = %d, element %d", n, i).isEqualTo(Float.floatToRawIntBits(s[i]));
            }
            assertThat(v[0]).isZero();
            assertThat(v[n + 1]).isZero();
            assertThat(gv.getState()).as("state after n = %d", n).isEqualTo(gs.getState());
        }
    }
}
