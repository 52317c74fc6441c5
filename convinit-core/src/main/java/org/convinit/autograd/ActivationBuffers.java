package org.convinit.autograd;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Iterator;
import java.util.List;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Forward arrays (layer outputs, a max pooling's argmax) a training step takes from the arrays the previous step's
 * backward freed, instead of new ones: the steady state of a step allocates none of them and zeroes none
 * (a lending op writes every element). With {@code -Dconvinit.activationBuffers=false} every array is new.
 *
 * <p>Java keeps no count of who holds an array, so the lending is confined to where the holders are known.
 * {@code nn.Sequential} opens a <em>scope</em> around its forward ({@link #begin}) and lets only its own built-in
 * layers without hooks borrow ({@link #lend}): such a layer's output goes only to the next layer, and what its ops
 * keep is held by the autograd nodes they record. Every node recorded inside the scope joins the scope's
 * <em>group</em>. A borrowed array goes back to the pool only when all of that holds:
 * <ul>
 * <li>it never reached code outside the scope's built-in layers: the tensor handed to a layer that may keep it (a
 *     user module, a layer with hooks, a nested container) and the scope's result, with every view of their storage,
 *     are {@link #keep kept} — their arrays never return;</li>
 * <li>every node of the group has been freed by a backward without {@code retainGraph} ({@link Node#release}): the
 *     saved tensors and the closures that read the array are gone. A graph kept for a second backward
 *     ({@code retainGraph}), a graph never backpropagated, or one part of it a backward did not reach keeps its
 *     arrays, which the collector takes as before;</li>
 * <li>no node of the group has shown its inputs to anyone ({@link Node#inputs()}).</li>
 * </ul>
 * A forward recording no node (no grad; inputs and parameters not requiring grad) returns each layer's input array
 * as soon as the next layer has consumed it ({@link #consumed}) and the rest when the scope ends: no one holds them. A scope that ends by an exception returns none.
 *
 * <p>The pool is per thread: a forward borrows from its thread's pool, and the thread that frees a group's last
 * node gets its arrays. An array no forward took in the last two scopes is dropped (a last, smaller batch does not
 * pin the full batch's arrays); arrays above {@value #MAX_LENT} elements are never lent. The cost: between steps the
 * pool holds one forward's arrays (as {@link GradBuffers} holds one backward's), which the collector would free.
 */
public final class ActivationBuffers {
    private static final ArrayPool.Switch ENABLED = new ArrayPool.Switch("convinit.activationBuffers");
    /** Tests: fill every array taken from the pool with garbage, so a lending op that does not write every element shows. */
    static volatile boolean poison;
    /** Arrays above this many elements are always new (the pool would pin e.g. a 1000-image evaluation's 100 MB outputs). */
    static final int MAX_LENT = 16 << 20;
    private static final ThreadLocal<ActivationBuffers> LOCAL = ThreadLocal.withInitial(ActivationBuffers::new);

    private final ArrayPool free = new ArrayPool();
    private Group open;
    private boolean lending;
    private int scopes;

    private ActivationBuffers() {}

    /** The arrays lent in one scope and its nodes not yet freed. */
    static final class Group {
        private final List<ArrayPool.Entry> lent = new ArrayList<>();
        private int live;
        private int recorded;
        private boolean ended;
        private boolean exposed;

        /** A node of this group was freed. */
        void released() {
            live--;
            giveBackIfDone();
        }

        /** A node of this group showed its inputs: the arrays may be held anywhere now. */
        void expose() {
            exposed = true;
        }

        private void giveBackIfDone() {
            if (!ended || live > 0 || exposed || lent.isEmpty()) return;
            ActivationBuffers b = LOCAL.get();
            for (ArrayPool.Entry e : lent) b.free.give(e, b.scopes);
            lent.clear();
        }
    }

    /**
     * Opens a scope on this thread unless one is open or the pool is off; returns whether it did (the caller then
     * calls {@link #end} or {@link #abandon}).
     */
    public static boolean begin() {
        if (!ENABLED.on()) return false;
        ActivationBuffers b = LOCAL.get();
        if (b.open != null) return false;
        b.scopes++;
        b.free.dropBefore(b.scopes - 2);
        b.open = new Group();
        b.lending = false;
        return true;
    }

    /** Whether the ops that run next in this thread's scope may borrow (a built-in layer without hooks runs). */
    public static void lend(boolean on) {
        ActivationBuffers b = LOCAL.get();
        if (b.open != null) b.lending = on;
    }

    /** {@code t}'s array (shared with every view of it) leaves the scope: it never goes back to the pool. */
    public static void keep(Tensor t) {
        ActivationBuffers b = LOCAL.get();
        Object a = b.open == null ? null : array(t);
        if (a != null) b.open.lent.removeIf(e -> e.array == a);
    }

    /**
     * A layer that borrowed has turned {@code in} into {@code out}: while the scope has recorded no node (a forward
     * without grad), nothing holds {@code in} any more unless {@code out} is a view of it, so its array goes back
     * to the pool now, for the next layer (the forward holds two layers' arrays at a time, not all of them).
     */
    public static void consumed(Tensor in, Tensor out) {
        ActivationBuffers b = LOCAL.get();
        if (b.open == null || !b.lending || b.open.recorded > 0) return;
        Object a = array(in);
        if (a == null || a == array(out)) return;
        for (Iterator<ArrayPool.Entry> it = b.open.lent.iterator(); it.hasNext();) {
            ArrayPool.Entry e = it.next();
            if (e.array == a) {
                it.remove();
                b.free.give(e, b.scopes);
                return;
            }
        }
    }

    private static Object array(Tensor t) {
        if (t == null || (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64)) return null;
        return t.dtype() == DType.FLOAT32 ? t.storage().floats() : t.storage().doubles();
    }

    /** Ends the scope {@link #begin} opened, whose result is {@code result} (kept: the caller hands it out). */
    public static void end(Tensor result) {
        keep(result);
        ActivationBuffers b = LOCAL.get();
        Group g = b.open;
        b.open = null;
        b.lending = false;
        g.ended = true;
        g.giveBackIfDone();
    }

    /** Ends the scope {@link #begin} opened without returning any of its arrays (its forward threw). */
    public static void abandon() {
        ActivationBuffers b = LOCAL.get();
        if (b.open != null) b.open.lent.clear();
        b.open = null;
        b.lending = false;
    }

    /** The group a node recorded now joins, or null outside a scope. */
    static Group joining() {
        ActivationBuffers b = LOCAL.get();
        if (b.open == null) return null;
        b.open.live++;
        b.open.recorded++;
        return b.open;
    }

    /**
     * A float32 or float64 tensor of this shape for an op's output that writes every element: borrowed while a
     * scope lends, else new ({@link Tensor#empty}).
     */
    public static Tensor empty(DType dtype, int... shape) {
        ArrayPool.Entry e = dtype == DType.FLOAT32 || dtype == DType.FLOAT64 ? borrow(dtype, shape) : null;
        return e == null ? Tensor.empty(dtype, shape) : e.tensor(shape);
    }

    /** An int array of {@code n} elements an op writes every element of and keeps for its backward only. */
    public static int[] ints(int n) {
        ArrayPool.Entry e = borrow(DType.INT32, n);
        return e == null ? new int[n] : (int[]) e.array;
    }

    private static ArrayPool.Entry borrow(DType dtype, int... shape) {
        long n = ArrayPool.elements(shape);
        if (n <= 0 || n > MAX_LENT || !ArrayPool.pooled(dtype)) return null;
        ActivationBuffers b = LOCAL.get();
        if (!b.lending) return null;
        ArrayPool.Entry e = b.free.take(dtype, (int) n);
        if (poison && e.used) {
            if (e.array instanceof float[]) Arrays.fill((float[]) e.array, Float.NaN);
            else if (e.array instanceof double[]) Arrays.fill((double[]) e.array, Double.NaN);
            else Arrays.fill((int[]) e.array, Integer.MIN_VALUE / 2);
        }
        b.open.lent.add(e);
        return e;
    }

    /** Turns the pool on or off for the whole JVM (tests: the same steps with and without); returns the old setting. */
    static boolean enabled(boolean on) {
        return ENABLED.set(on);
    }

    /** Arrays in this thread's pool that are free now (tests). */
    static int freeCount() {
        return LOCAL.get().free.size();
    }
}
