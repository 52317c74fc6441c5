package org.convinit.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Gradient arrays the engine lends to backward functions and takes back when the backward pass ends, so a
 * training step's intermediate gradients reuse the previous step's arrays instead of allocating new ones (the
 * steady state of a step allocates none of them). Every gradient the engine passes between nodes is dead once
 * {@link Autograd#backward} returns: a leaf's {@code grad} is a copy ({@link GradAccumulator} never adopts an
 * incoming gradient), the graph runs without grad, and nothing else is handed out. So a backward function may take
 * the array of the gradient it returns from {@link #empty} (it writes every element) or {@link #zeros}
 * (it scatters into it); outside a backward pass, or with {@code -Dconvinit.gradBuffers=false}, these allocate as
 * {@link Tensor#empty} does.
 *
 * <p>The pool is per thread (a backward runs on the thread that calls it); arrays go back to it only at the end
 * of the outermost pass, and an array no pass has taken for two passes in a row is dropped (a last, smaller batch
 * does not pin the full batch's arrays forever). Code that keeps a gradient it was given past the pass (a module's
 * backward hook; a custom backward that stores its {@code gradOutput}) calls {@link #keepThisPass()}: that pass's
 * arrays are then left to the collector instead of being reused.
 */
public final class GradBuffers {
    private static final ArrayPool.Switch ENABLED = new ArrayPool.Switch("convinit.gradBuffers");
    private static final ThreadLocal<GradBuffers> POOL = ThreadLocal.withInitial(GradBuffers::new);

    private final ArrayPool free = new ArrayPool();
    private final List<ArrayPool.Entry> lent = new ArrayList<>();
    private int depth;
    private int pass;
    private boolean keep;

    private GradBuffers() {}

    /** A float32 or float64 tensor of this shape whose values are unspecified (the caller writes them all). */
    public static Tensor empty(DType dtype, int... shape) {
        return take(dtype, shape, false);
    }

    /** A tensor of zeros of this shape (the caller accumulates into it). */
    public static Tensor zeros(DType dtype, int... shape) {
        return take(dtype, shape, true);
    }

    /** The gradients handed out in the current backward pass may be kept past it: do not reuse their arrays. */
    public static void keepThisPass() {
        GradBuffers p = POOL.get();
        if (p.depth > 0) p.keep = true;
    }

    /** Turns the pool on or off for the whole JVM (tests: the same steps with and without); returns the old setting. */
    static boolean enabled(boolean on) {
        return ENABLED.set(on);
    }

    /** Arrays in this thread's pool that are free now (tests). */
    static int freeCount() {
        return POOL.get().free.size();
    }

    /** A backward pass starts on this thread. */
    static void begin() {
        POOL.get().depth++;
    }

    /** The backward pass started by the matching {@link #begin} ends: the outermost one takes the lent arrays back. */
    static void end() {
        GradBuffers p = POOL.get();
        if (--p.depth > 0) return;
        p.pass++;
        p.free.dropBefore(p.pass - 1);
        if (!p.keep) {
            for (ArrayPool.Entry e : p.lent) p.free.give(e, p.pass);
        }
        p.lent.clear();
        p.keep = false;
    }

    private static Tensor take(DType dtype, int[] shape, boolean zero) {
        long n = ArrayPool.elements(shape);
        GradBuffers p = ENABLED.on() && (dtype == DType.FLOAT32 || dtype == DType.FLOAT64) && n > 0 ? POOL.get() : null;
        if (p == null || p.depth == 0) return Tensor.empty(dtype, shape);
        ArrayPool.Entry e = p.free.take(dtype, (int) n);
        if (zero && e.used) {
            if (e.array instanceof float[]) Arrays.fill((float[]) e.array, 0f);
            else Arrays.fill((double[]) e.array, 0d);
        }
        p.lent.add(e);
        return e.tensor(shape);
    }
}
