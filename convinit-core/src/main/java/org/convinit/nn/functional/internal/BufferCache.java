package org.convinit.nn.functional.internal;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Keeps the last padded-input buffer for reuse, so repeated convolutions of the same geometry
 * (a network's forward pass, a benchmark) neither allocate nor re-zero it: {@link ConvGeometry#fill}
 * writes exactly the interior positions, so the zero padding of a buffer laid out for the same
 * geometry is still zero. One slot per dtype; concurrent callers that find it empty allocate.
 */
final class BufferCache {
    /** Buffers above this many elements are not kept. */
    private static final int MAX_KEPT = 16 << 20;
    private static final AtomicReference<Entry> FLOATS = new AtomicReference<>();
    private static final AtomicReference<Entry> DOUBLES = new AtomicReference<>();

    private BufferCache() {}

    /** A buffer whose layout key and array travel together. */
    static final class Entry {
        final int[] key;
        final Object array;

        Entry(int[] key, Object array) {
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

    /** A zeroed-outside-the-interior float buffer of at least {@code len} elements for layout {@code key}. */
    static Entry floats(int[] key, int len) {
        Entry e = FLOATS.getAndSet(null);
        if (e != null && Arrays.equals(e.key, key)) return e;
        if (e != null && ((float[]) e.array).length >= len) {
            Arrays.fill((float[]) e.array, 0, len, 0f);
            return new Entry(key, e.array);
        }
        return new Entry(key, new float[len]);
    }

    static Entry doubles(int[] key, int len) {
        Entry e = DOUBLES.getAndSet(null);
        if (e != null && Arrays.equals(e.key, key)) return e;
        if (e != null && ((double[]) e.array).length >= len) {
            Arrays.fill((double[]) e.array, 0, len, 0d);
            return new Entry(key, e.array);
        }
        return new Entry(key, new double[len]);
    }

    static void release(Entry e) {
        if (e.array instanceof float[]) {
            if (((float[]) e.array).length <= MAX_KEPT) FLOATS.set(e);
        } else if (((double[]) e.array).length <= MAX_KEPT) {
            DOUBLES.set(e);
        }
    }
}
