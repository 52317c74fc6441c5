package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The batched draw paths give exactly the draws and state of one-at-a-time calls, across twists. */
class BatchedDrawsTest {

    @Test
    void nextIntsEqualsRepeatedNextIntAcrossTwistBoundaries() {
        int[] lengths = {1, 622, 1, 1, 624, 625, 3, 1247, 5000, 17};
        Generator a = new Generator(8);
        Generator b = new Generator(8);
        for (int len : lengths) {
            int[] out = new int[len + 3];
            synchronized (a) {
                a.nextInts(out, 3, len);
            }
            for (int i = 0; i < len; i++) {
                synchronized (b) {
                    assertThat(out[3 + i]).isEqualTo(b.nextInt());
                }
            }
            assertThat(a.getState()).isEqualTo(b.getState());
        }
    }

    @Test
    void fillUniformEqualsUniformFloatOneByOne() {
        Generator a = new Generator(77);
        Generator b = new Generator(77);
        for (int len : new int[] {5, 619, 624, 1, 2000}) {
            float[] out = new float[len];
            a.fillUniform(out, 0, len, -0.5f, 0.25f);
            for (int i = 0; i < len; i++) {
                assertThat(Float.floatToRawIntBits(out[i])).isEqualTo(Float.floatToRawIntBits(b.uniformFloat(-0.5f, 0.25f)));
            }
            assertThat(a.getState()).isEqualTo(b.getState());
        }
    }
}
