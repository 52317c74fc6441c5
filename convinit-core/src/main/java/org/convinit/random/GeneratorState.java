package org.convinit.random;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

/**
 * torch 1.13's CPU generator state bytes ({@code CPUGeneratorImplState}, 5056 bytes, little-endian),
 * as {@code torch.get_rng_state()} and {@code Generator.get_state()} return them:
 *
 * <table>
 *   <caption>layout</caption>
 *   <tr><th>offset</th><th>type</th><th>field</th></tr>
 *   <tr><td>0</td><td>uint64</td><td>the_initial_seed</td></tr>
 *   <tr><td>8</td><td>int32</td><td>left</td></tr>
 *   <tr><td>12</td><td>int32</td><td>seeded (1)</td></tr>
 *   <tr><td>16</td><td>uint64</td><td>next</td></tr>
 *   <tr><td>24</td><td>uint64[624]</td><td>MT state, one untempered 32-bit word per entry</td></tr>
 *   <tr><td>5016</td><td>double</td><td>normal_x (written 0)</td></tr>
 *   <tr><td>5024</td><td>double</td><td>normal_y: the cached double normal sample</td></tr>
 *   <tr><td>5032</td><td>double</td><td>normal_rho (written 0)</td></tr>
 *   <tr><td>5040</td><td>int32</td><td>normal_is_valid (+4 padding bytes)</td></tr>
 *   <tr><td>5048</td><td>float</td><td>next_float_normal_sample</td></tr>
 *   <tr><td>5052</td><td>bool</td><td>is_next_float_normal_sample_valid (+3 padding bytes)</td></tr>
 * </table>
 *
 * <p>The first 5048 bytes are the legacy {@code THGeneratorState}, which torch's {@code set_state}
 * also accepts; there the cached sample is rebuilt as {@code normal_rho * sin(2π · normal_x)}.
 * Padding bytes are written as zero (torch leaves them uninitialised) and ignored when read.
 */
final class GeneratorState {
    private final long seed;
    private final int left;
    private final int next;
    private final int[] words;
    private final boolean normalCached;
    private final double normalCache;
    private final boolean floatNormalCached;
    private final float floatNormalCache;

    private GeneratorState(long seed, int left, int next, int[] words, boolean normalCached, double normalCache,
                           boolean floatNormalCached, float floatNormalCache) {
        this.seed = seed;
        this.left = left;
        this.next = next;
        this.words = words;
        this.normalCached = normalCached;
        this.normalCache = normalCache;
        this.floatNormalCached = floatNormalCached;
        this.floatNormalCache = floatNormalCache;
    }

    long seed() {
        return seed;
    }

    int left() {
        return left;
    }

    int next() {
        return next;
    }

    /** The 624 MT words (a copy). */
    int[] words() {
        return words.clone();
    }

    boolean normalCached() {
        return normalCached;
    }

    double normalCache() {
        return normalCache;
    }

    boolean floatNormalCached() {
        return floatNormalCached;
    }

    float floatNormalCache() {
        return floatNormalCache;
    }

    /** Size of torch's {@code CPUGeneratorImplState}. */
    static final int SIZE = 5056;
    /** Size of the legacy {@code THGeneratorState} ({@code CPUGeneratorImplStateLegacy}). */
    static final int LEGACY_SIZE = 5048;
    private static final int N = 624;

    static byte[] encode(long seed, int left, int next, int[] words, boolean normalCached, double normalCache,
                         boolean floatNormalCached, float floatNormalCache) {
        ByteBuffer b = ByteBuffer.allocate(SIZE).order(ByteOrder.LITTLE_ENDIAN);
        b.putLong(0, seed);
        b.putInt(8, left);
        b.putInt(12, 1);
        b.putLong(16, next & 0xFFFFFFFFL);
        for (int i = 0; i < N; i++) b.putLong(24 + 8 * i, words[i] & 0xFFFFFFFFL);
        b.putDouble(5016, 0.0);
        b.putDouble(5024, normalCached ? normalCache : 0.0);
        b.putDouble(5032, 0.0);
        b.putInt(5040, normalCached ? 1 : 0);
        b.putFloat(5048, floatNormalCached ? floatNormalCache : 0f);
        b.put(5052, (byte) (floatNormalCached ? 1 : 0));
        return b.array();
    }

    static GeneratorState decode(byte[] bytes) {
        if (bytes == null) throw new IllegalArgumentException("state: null; expected " + SIZE + " bytes");
        if (bytes.length != SIZE && bytes.length != LEGACY_SIZE) {
            throw new IllegalArgumentException("Expected either a CPUGeneratorImplStateLegacy of size " + LEGACY_SIZE
                    + " or a CPUGeneratorImplState of size " + SIZE
                    + " but found the input RNG state size to be " + bytes.length);
        }
        ByteBuffer b = ByteBuffer.wrap(bytes).order(ByteOrder.LITTLE_ENDIAN);
        long seed = b.getLong(0);
        int left = b.getInt(8);
        int seeded = b.getInt(12);
        long next = b.getLong(16) & 0xFFFFFFFFL; // torch casts to uint32
        int[] words = new int[N];
        for (int i = 0; i < N; i++) words[i] = (int) b.getLong(24 + 8 * i);
        boolean valid = b.getInt(5040) != 0;
        boolean cached = false;
        double cache = 0;
        boolean fCached = false;
        float fCache = 0;
        if (bytes.length == LEGACY_SIZE) {
            if (valid) {
                double rho = b.getDouble(5032);
                double theta = 2.0 * Math.PI * b.getDouble(5016);
                cached = true;
                cache = rho * Math.sin(theta);
            }
        } else {
            if (b.get(5052) != 0) {
                fCached = true;
                fCache = b.getFloat(5048);
            }
            if (valid) {
                cached = true;
                cache = b.getDouble(5024);
            }
        }
        // at::mt19937::is_valid: seeded, 0 < left <= 624, next <= 624
        if (seeded == 0 || left <= 0 || left > N || next > N) {
            throw new IllegalArgumentException("Invalid mt19937 state (seeded=" + seeded + ", left=" + left
                    + ", next=" + next + "; expected seeded != 0, 0 < left <= 624, next <= 624)");
        }
        return new GeneratorState(seed, left, (int) next, words, cached, cache, fCached, fCache);
    }
}
