package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.SplittableRandom;

import org.convinit.internal.VectorSupport;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** MT19937's vector twist and tempering against the scalar loops, word for word. */
class VectorMtTest {

    @BeforeAll
    static void vectorPathIsAvailable() {
        assertThat(VectorSupport.AVAILABLE).as("jdk.incubator.vector in the test JVM").isTrue();
    }

    @Test
    void twistEqualsTheScalarTwist() {
        SplittableRandom r = new SplittableRandom(3);
        int[][] states = new int[2003][];
        for (int k = 0; k < 2000; k++) states[k] = r.ints(624).toArray();
        states[2000] = new int[624];
        states[2001] = new int[624];
        Arrays.fill(states[2001], -1);
        states[2002] = new Generator(5).stateWords();
        for (int k = 0; k < states.length; k++) {
            int[] v = states[k].clone();
            int[] s = states[k].clone();
            // several twists in a row: the second reads words the first rewrote
            for (int t = 0; t < 3; t++) {
                VectorMt.twist(v);
                Generator.twistScalar(s);
                assertThat(v).as("state %d after %d twists", k, t + 1).isEqualTo(s);
            }
        }
    }

    @Test
    void temperEqualsTheScalarTemperAtEveryOffsetAndLength() {
        SplittableRandom r = new SplittableRandom(4);
        int[] words = r.ints(624).toArray();
        words[0] = 0;
        words[1] = -1;
        words[2] = Integer.MIN_VALUE;
        words[3] = Integer.MAX_VALUE;
        for (int from : new int[] {0, 1, 7, 8, 300, 616, 617, 623}) {
            for (int len = 0; from + len <= 624; len += len < 20 ? 1 : 97) {
                int[] out = new int[len + 4];
                VectorMt.temper(words, from, out, 3, len);
                for (int i = 0; i < len; i++) {
                    assertThat(out[3 + i]).as("from %d len %d word %d", from, len, i).isEqualTo(Generator.temper(words[from + i]));
                }
                assertThat(out[2]).isZero();
                assertThat(out[len + 3]).isZero();
            }
        }
        for (int k = 0; k < 2000; k++) {
            int[] w = r.ints(624).toArray();
            int[] out = new int[624];
            VectorMt.temper(w, 0, out, 0, 624);
            for (int i = 0; i < 624; i++) assertThat(out[i]).isEqualTo(Generator.temper(w[i]));
        }
    }
}
