package org.convinit.nn.functional.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.IntFunction;
import java.util.function.ObjIntConsumer;
import java.util.function.ToIntFunction;

/**
 * Keeps the last padded-input buffer for reuse, so repeated convolutions of the same geometry
 * (a network's forward pass, a benchmark) neither allocate nor re-zero it: {@link ConvGeometry#fill}
 * writes exactly the interior positions, so the zero padding of a buffer laid out for the same
 * geometry is still zero. One cache (one slot) per array type, held by the generated
 * {@code FloatConv}/{@code DoubleConv}; concurrent callers that find the slot empty allocate.
 *
 * @param <A> the array type ({@code float[]}, {@code double[]})
 */
final class BufferCache<A> {
    /** Buffers above this many elements are not kept. */
    private static final int MAX_KEPT = 16 << 20;
    private final AtomicReference<Entry<A>> slot = new AtomicReference<>();
    private final IntFunction<A> allocate;
    private final ToIntFunction<A> length;
    private final ObjIntConsumer<A> zeroPrefix;

    /**
     * @param allocate   a new zeroed array of a length ({@code float[]::new})
     * @param length     an array's length
     * @param zeroPrefix zeroes an array's first {@code len} elements
     */
    BufferCache(IntFunction<A> allocate, ToIntFunction<A> length, ObjIntConsumer<A> zeroPrefix) {
        this.allocate = allocate;
        this.length = length;
        this.zeroPrefix = zeroPrefix;
    }

    /** A buffer whose layout key and array travel together. */
    static final class Entry<A> {
        final int[] key;
        final A array;

        Entry(int[] key, A array) {
            this.key = key;
            this.array = array;
        }
    }

    static int[] key(ConvGeometry g, int n) {
        int[] k = new int[14];
        k[0] = n;
        k[1] = g.channels;
        for (int d = 0; d < 3; d++) {
            k[2 + d] = g.in[d];
            k[5 + d] = g.stride[d];
            k[8 + d] = g.padBefore[d];
            k[11 + d] = g.phase[d];
        }
        return k;
    }

    /** A buffer of at least {@code len} elements, zero outside the interior of layout {@code key}. */
    Entry<A> acquire(int[] key, int len) {
        Entry<A> e = slot.getAndSet(null);
        if (e != null && Arrays.equals(e.key, key)) return e;
        if (e != null && length.applyAsInt(e.array) >= len) {
            zeroPrefix.accept(e.array, len);
            return new Entry<>(key, e.array);
        }
        return new Entry<>(key, allocate.apply(len));
    }

    /** A buffer of at least {@code len} elements with whatever it last held: for callers that write all they read. */
    Entry<A> acquireScratch(int len) {
        Entry<A> e = slot.getAndSet(null);
        return e != null && length.applyAsInt(e.array) >= len ? e : new Entry<>(null, allocate.apply(len));
    }

    /** Offers a buffer back for the next {@link #acquire}. */
    void release(Entry<A> e) {
        if (length.applyAsInt(e.array) <= MAX_KEPT) slot.set(e);
    }
}
