package org.convinit.random;

import java.util.concurrent.atomic.AtomicLong;
import java.util.function.BooleanSupplier;

import org.convinit.internal.VectorSupport;

/**
 * When the random fills switch to their Vector API kernels ({@link VectorNormalKernel}, {@link VectorMt}).
 * Until C2 has compiled them, Vector API code runs interpreted or in C1, thousands of times slower than
 * compiled (every lane operation allocates), and loading the API's classes takes ~0.1 s: a cold
 * {@code normal_} of 36k floats took 0.77 s on the vector path against 0.03 s on the scalar one, and
 * of 64M floats 1.9 s against 0.9 s, although the compiled vector kernel is 8x faster. So the fills stay
 * scalar until the process has asked for {@link #THRESHOLD} values in bulk fills (about a second of
 * scalar work), then switch for good: a process that fills little never pays the warm-up, one that fills
 * a lot pays it once (the ski-rental rule: at most about twice the better of the two). Both paths give
 * the same bits, so the switch is invisible but for the time. Off entirely without
 * {@code jdk.incubator.vector}, with {@code -Dconvinit.kernels=scalar}, or without 256-bit vectors.
 */
final class VectorGate {
    /** Values drawn through bulk fills before the vector kernels take over: 2^27 (two 64M fills). */
    static final long THRESHOLD = 1L << 27;

    /** The gate of the fills; checks for native 256-bit vectors (which loads the API) only when it opens. */
    static final VectorGate FILLS = new VectorGate(VectorSupport.ENABLED, THRESHOLD, () -> VectorNormalKernel.NATIVE);

    private final long threshold;
    private final BooleanSupplier usable;
    private final AtomicLong volume = new AtomicLong();
    private volatile boolean enabled;
    private volatile boolean open;

    /**
     * A gate that opens once {@code threshold} values have been admitted, if {@code enabled} and then
     * {@code usable}.
     */
    VectorGate(boolean enabled, long threshold, BooleanSupplier usable) {
        this.enabled = enabled;
        this.threshold = threshold;
        this.usable = usable;
    }

    /** Counts a bulk fill of {@code n} values and says whether it runs on the vector kernels. */
    boolean admit(long n) {
        if (open) return true;
        if (!enabled) return false;
        if (volume.addAndGet(n) >= threshold) {
            if (usable.getAsBoolean()) open = true;
            else enabled = false;
        }
        return open;
    }

    /** Whether the vector kernels are in use (for work that is not counted, like a single draw's twist). */
    boolean isOpen() {
        return open;
    }
}
