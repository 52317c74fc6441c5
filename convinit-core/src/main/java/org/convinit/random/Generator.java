package org.convinit.random;

/**
 * PyTorch's CPU generator ({@code CPUGeneratorImpl} over {@code at::mt19937}), reproduced bit for bit
 * as torch 1.13.1 runs it.
 *
 * <ul>
 *   <li>Seeding keeps the full 64-bit seed for {@link #initialSeed()} but initialises MT19937
 *       ({@code init_genrand}) from its <b>low 32 bits</b> only: seeds 5 and 2^32+5 give one stream.</li>
 *   <li>{@link #random()} is one tempered 32-bit MT output; {@link #random64()} is two, the first
 *       being the high word.</li>
 *   <li>A cached double normal sample (torch's {@code next_double_normal_sample_}) persists across
 *       calls until consumed or reseeded.</li>
 * </ul>
 *
 * <p>A fresh {@code new Generator()} is seeded with torch's {@code default_rng_seed_val}
 * (67280421310721). The process-wide default generator is {@link #defaultGenerator()}, reseeded by
 * {@link #manualSeed(long)} like {@code torch.manual_seed}. Not thread-safe: like torch, callers
 * that share a generator across threads must lock it (torch holds its generator mutex per call; the
 * random methods here are {@code synchronized} for the same effect).
 *
 * <p>Once the Vector API kernels are in use (see {@link VectorGate}) the twist and the batched tempering
 * run eight words at a time ({@link VectorMt}); the words are the same as the scalar loops'.
 */
public final class Generator {
    /** torch's {@code c10::detail::default_rng_seed_val}. */
    public static final long DEFAULT_SEED = 67280421310721L;

    private static final int N = 624;
    private static final int M = 397;
    private static final int MATRIX_A = 0x9908b0df;
    private static final int UPPER_MASK = 0x80000000;
    private static final int LOWER_MASK = 0x7fffffff;

    private static final ThreadLocal<Generator> SCOPED = new ThreadLocal<>();
    private static final Generator DEFAULT = new Generator(System.nanoTime() ^ Double.doubleToLongBits(Math.random()));

    private final int[] state = new int[N];
    private long seed;
    private int left;
    private int next;
    private boolean normalCached;
    private double normalCache;
    /** torch's {@code next_float_normal_sample_}: no CPU kernel uses it, but get/setState carry it. */
    private boolean floatNormalCached;
    private float floatNormalCache;

    /** A generator seeded with torch's default seed 67280421310721, as {@code torch.Generator()}. */
    public Generator() {
        this(DEFAULT_SEED);
    }

    /** A generator seeded with {@code seed}, as {@code torch.Generator().manual_seed(seed)}. */
    public Generator(long seed) {
        setSeed(seed);
    }

    /** The process-wide default generator ({@code torch.default_generator}). */
    public static Generator defaultGenerator() {
        Generator scoped = SCOPED.get();
        return scoped != null ? scoped : DEFAULT;
    }

    /**
     * Runs {@code body} with {@code generator} standing in for the default generator on this thread:
     * inside it {@link #defaultGenerator()}, {@link #manualSeed} and every draw without an explicit generator
     * use {@code generator}. Concurrent jobs (the study's cells) each get their own stream, so each draws exactly
     * what {@code torch.manual_seed(seed)} in a fresh process would, whatever runs beside it. Scopes nest; the
     * previous default is restored when {@code body} ends, normally or not. Work that {@code body} hands to other
     * threads does not inherit the scope (the library draws random numbers on the calling thread only).
     */
    public static <T> T withDefault(Generator generator, java.util.function.Supplier<T> body) {
        java.util.Objects.requireNonNull(generator, "generator");
        Generator previous = SCOPED.get();
        SCOPED.set(generator);
        try {
            return body.get();
        } finally {
            if (previous == null) SCOPED.remove();
            else SCOPED.set(previous);
        }
    }

    /**
     * Seeds the default generator, as {@code torch.manual_seed(seed)}. A negative seed is taken as its
     * two's-complement 64-bit pattern, as torch does ({@code -1} is {@code 2^64 - 1}).
     */
    public static Generator manualSeed(long seed) {
        return defaultGenerator().setSeed(seed);
    }

    /** {@code generator} if not null, else the default generator. */
    public static Generator orDefault(Generator generator) {
        return generator != null ? generator : defaultGenerator();
    }

    /** Reseeds this generator and clears its normal cache ({@code Generator.manual_seed}). */
    public synchronized Generator setSeed(long seed) {
        this.seed = seed;
        state[0] = (int) seed;
        for (int j = 1; j < N; j++) {
            int prev = state[j - 1];
            state[j] = 1812433253 * (prev ^ (prev >>> 30)) + j;
        }
        left = 1;
        next = 0;
        normalCached = false;
        normalCache = 0;
        floatNormalCached = false;
        floatNormalCache = 0;
        return this;
    }

    /** The 64-bit seed last set, as {@code initial_seed()} reports it (unsigned in torch). */
    public synchronized long initialSeed() {
        return seed;
    }

    /** One tempered 32-bit MT19937 output, as an unsigned value in a long. */
    public synchronized long random() {
        return nextInt() & 0xFFFFFFFFL;
    }

    /** Two draws: {@code (first << 32) | second}. */
    public synchronized long random64() {
        long hi = nextInt() & 0xFFFFFFFFL;
        long lo = nextInt() & 0xFFFFFFFFL;
        return (hi << 32) | lo;
    }

    /** One raw 32-bit output as a Java int (same bits as {@link #random()}). Callers hold the lock. */
    int nextInt() {
        if (--left == 0) twist();
        return temper(state[next++]);
    }

    /**
     * {@code len} raw draws into {@code out[off, off+len)}, the same as {@code len} calls of
     * {@link #nextInt()} (same outputs, same state afterwards) but without a per-draw branch. Callers
     * hold the lock.
     */
    void nextInts(int[] out, int off, int len) {
        while (len > 0) {
            int take = startBatch(len);
            if (VectorGate.FILLS.isOpen()) {
                VectorMt.temper(state, next, out, off, take);
            } else {
                int[] s = state;
                int nx = next;
                for (int i = 0; i < take; i++) out[off + i] = temper(s[nx + i]);
            }
            endBatch(take);
            off += take;
            len -= take;
        }
    }

    /**
     * Starts a run of up to {@code len} draws that need no twist: the draws are
     * {@code temper(state[next + i])} for {@code i < } the returned count, which is at least 1.
     * {@link #endBatch} must follow. After a twist {@code left} is N + 1 so that it counts the
     * draws still available plus one, exactly as {@link #nextInt()} leaves it after the same draws.
     */
    private int startBatch(int len) {
        if (left == 1) {
            twist();
            left = N + 1;
        }
        return Math.min(len, left - 1);
    }

    private void endBatch(int taken) {
        next += taken;
        left -= taken;
    }

    static int temper(int y) {
        y ^= y >>> 11;
        y ^= (y << 7) & 0x9d2c5680;
        y ^= (y << 15) & 0xefc60000;
        y ^= y >>> 18;
        return y;
    }

    private void twist() {
        if (VectorGate.FILLS.isOpen()) {
            VectorMt.twist(state);
        } else {
            twistScalar(state);
        }
        left = N;
        next = 0;
    }

    /** MT19937's twist of the 624 words of {@code s}, in place (the reference {@link VectorMt#twist} matches). */
    static void twistScalar(int[] s) {
        int kk;
        for (kk = 0; kk < N - M; kk++) {
            int y = (s[kk] & UPPER_MASK) | (s[kk + 1] & LOWER_MASK);
            s[kk] = s[kk + M] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        for (; kk < N - 1; kk++) {
            int y = (s[kk] & UPPER_MASK) | (s[kk + 1] & LOWER_MASK);
            s[kk] = s[kk + (M - N)] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
        }
        int y = (s[N - 1] & UPPER_MASK) | (s[0] & LOWER_MASK);
        s[N - 1] = s[M - 1] ^ (y >>> 1) ^ (-(y & 1) & MATRIX_A);
    }

    // ---- distributions used by the fill kernels (see Sampling) ----

    /** {@code uniform_real<float>(from, to)}: low 24 bits of one draw, fused multiply-add in float. */
    public synchronized float uniformFloat(float from, float to) {
        float x = (nextInt() & 0xFFFFFF) * 0x1p-24f;
        return Math.fma(x, to - from, from);
    }

    /** {@code uniform_real<double>(from, to)}: low 53 bits of {@link #random64()}, fused multiply-add. */
    public synchronized double uniformDouble(double from, double to) {
        double x = (random64() & ((1L << 53) - 1)) * 0x1p-53;
        return Math.fma(x, to - from, from);
    }

    /**
     * One standard-normal sample from {@code at::normal_distribution<double>} (torch 1.13: radius from
     * {@code log(1 - u2)}), using and refilling the cached second sample. Returns
     * {@code fma(z, std, mean)} like the AVX2 kernel build.
     */
    public synchronized double normalDouble(double mean, double std) {
        double ret;
        if (normalCached) {
            normalCached = false;
            ret = normalCache;
        } else {
            double u1 = (random64() & ((1L << 53) - 1)) * 0x1p-53;
            double u2 = (random64() & ((1L << 53) - 1)) * 0x1p-53;
            double r = Math.sqrt(-2.0 * Math.log(1.0 - u2));
            double theta = 2.0 * Math.PI * u1;
            normalCache = r * Math.sin(theta);
            normalCached = true;
            ret = r * Math.cos(theta);
        }
        return Math.fma(ret, std, mean);
    }

    /**
     * Fills {@code a[off, off+len)} with {@link #uniformFloat} draws, in order, under one lock. Draws come
     * in batches from {@link #nextInts} (vector tempering once {@link VectorGate} has opened; this fill
     * counts toward opening it) and are converted in a second loop the JIT vectorizes (same bits).
     */
    public synchronized void fillUniform(float[] a, int off, int len, float from, float to) {
        float range = to - from;
        int[] buf = new int[Math.min(len, N)];
        VectorGate.FILLS.admit(len);
        while (len > 0) {
            int take = Math.min(len, buf.length);
            nextInts(buf, 0, take);
            for (int i = 0; i < take; i++) a[off + i] = Math.fma((buf[i] & 0xFFFFFF) * 0x1p-24f, range, from);
            off += take;
            len -= take;
        }
    }

    /** Fills {@code a[off, off+len)} with {@link #uniformDouble} draws, in order, under one lock. */
    public synchronized void fillUniform(double[] a, int off, int len, double from, double to) {
        double range = to - from;
        for (int i = 0; i < len; i++) {
            long hi = nextInt() & 0xFFFFFFFFL;
            long lo = nextInt() & 0xFFFFFFFFL;
            a[off + i] = Math.fma((((hi << 32) | lo) & ((1L << 53) - 1)) * 0x1p-53, range, from);
        }
    }

    /**
     * {@code randperm(n)} as torch 1.13's CPU kernel computes it: the identity, then for
     * {@code i = 0 .. n-2} a swap of element {@code i} with element {@code i + random() % (n - i)}
     * (one 32-bit draw each, so {@code n - 1} draws).
     */
    public synchronized long[] randperm(int n) {
        if (n < 0) throw new IllegalArgumentException("randperm: n = " + n + ": expected n >= 0");
        long[] r = new long[n];
        for (int i = 0; i < n; i++) r[i] = i;
        for (int i = 0; i < n - 1; i++) {
            int z = (int) Long.remainderUnsigned(nextInt() & 0xFFFFFFFFL, n - i);
            long sav = r[i];
            r[i] = r[i + z];
            r[i + z] = sav;
        }
        return r;
    }

    /** Whether a cached double normal sample is waiting (torch's {@code next_double_normal_sample_}). */
    public synchronized boolean hasCachedNormal() {
        return normalCached;
    }

    /**
     * The generator state as {@code torch.Generator.get_state()} / {@code torch.get_rng_state()}
     * returns it: 5056 bytes in torch 1.13's {@code CPUGeneratorImplState} layout (see
     * {@link GeneratorState}). A state saved by torch restores here and the reverse.
     */
    public synchronized byte[] getState() {
        return GeneratorState.encode(seed, left, next, state, normalCached, normalCache,
                floatNormalCached, floatNormalCache);
    }

    /**
     * Restores a state from {@link #getState()} or torch's {@code get_state()}: the 5056-byte layout,
     * or the 5048-byte legacy {@code THGeneratorState} torch also accepts.
     *
     * @throws IllegalArgumentException for another size or an invalid MT19937 state, with torch's message
     */
    public synchronized Generator setState(byte[] bytes) {
        GeneratorState s = GeneratorState.decode(bytes);
        this.seed = s.seed();
        this.left = s.left();
        this.next = s.next();
        System.arraycopy(s.words(), 0, state, 0, N);
        this.normalCached = s.normalCached();
        this.normalCache = s.normalCache();
        this.floatNormalCached = s.floatNormalCached();
        this.floatNormalCache = s.floatNormalCache();
        return this;
    }

    /** A new generator in the same state as this one (torch: {@code Generator().set_state(g.get_state())}). */
    public synchronized Generator copy() {
        return new Generator().setState(getState());
    }

    synchronized int[] stateWords() {
        return state.clone();
    }

    synchronized int left() {
        return left;
    }

    synchronized int nextIndex() {
        return next;
    }

    synchronized double cachedNormal() {
        return normalCache;
    }
}
