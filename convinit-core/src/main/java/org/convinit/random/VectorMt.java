package org.convinit.random;

import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * MT19937's twist and tempering on the Vector API, eight words at a time, producing exactly the words
 * of {@link Generator#twistScalar} and {@link Generator#temper}. The twist can take eight words at once
 * because each new word {@code s[k]} reads {@code s[k + 1]} (not yet rewritten) and {@code s[k + 397]}
 * or {@code s[k - 227]} (227 words back: already rewritten, as the sequential loop has it). Loaded only
 * when {@code jdk.incubator.vector} is in the boot layer (see {@link VectorGate}).
 */
final class VectorMt {
    private VectorMt() {}

    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int L = 8;
    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    /** The full twist of {@code s} (624 words) in place. */
    static void twist(int[] s) {
        int kk = 0;
        for (; kk + L <= N - M; kk += L) {
            step(s, kk, kk + M);
        }
        for (; kk < N - M; kk++) {
            int y = (s[kk] & UPPER_MASK) | (s[kk + 1] & LOWER_MASK);
            s[kk] = s[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk + L <= N - 1; kk += L) {
            step(s, kk, kk + (M - N));
        }
        for (; kk < N - 1; kk++) {
            int y = (s[kk] & UPPER_MASK) | (s[kk + 1] & LOWER_MASK);
            s[kk] = s[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        int y = (s[N - 1] & UPPER_MASK) | (s[0] & LOWER_MASK);
        s[N - 1] = s[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }

    /** {@code s[kk, kk+8)} from {@code s[kk, kk+9)} and {@code s[m, m+8)}. */
    private static void step(int[] s, int kk, int m) {
        IntVector y = IntVector.fromArray(I, s, kk).and(UPPER_MASK).or(IntVector.fromArray(I, s, kk + 1).and(LOWER_MASK));
        IntVector mag = y.and(1).neg().and(MATRIX_A);
        IntVector.fromArray(I, s, m)
                .lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 1))
                .lanewise(VectorOperators.XOR, mag)
                .intoArray(s, kk);
    }

    /** {@code out[off + i] = temper(s[from + i])} for {@code i < len}. */
    static void temper(int[] s, int from, int[] out, int off, int len) {
        int i = 0;
        for (; i + L <= len; i += L) {
            IntVector y = IntVector.fromArray(I, s, from + i);
            y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 11));
            y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHL, 7).and(0x9d2c5680));
            y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHL, 15).and(0xefc60000));
            y = y.lanewise(VectorOperators.XOR, y.lanewise(VectorOperators.LSHR, 18));
            y.intoArray(out, off + i);
        }
        for (; i < len; i++) out[off + i] = Generator.temper(s[from + i]);
    }
}
