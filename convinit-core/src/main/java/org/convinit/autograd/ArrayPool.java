package org.convinit.autograd;

import java.util.ArrayDeque;
import java.util.HashMap;
import java.util.Iterator;
import java.util.Map;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * One thread's free arrays of {@link GradBuffers} or {@link ActivationBuffers}, by element type and length, each
 * stamped with the pass (or forward) that gave it back, so arrays no one took for a while can be dropped. Not
 * thread-safe: each owner keeps one per thread.
 */
final class ArrayPool {
    /** An array with the stamp of its last return to the pool. */
    static final class Entry {
        final Object array;
        int stamp;
        /** Whether the array was in the pool (holds old values) rather than new (zeroed). */
        boolean used;

        Entry(Object array) {
            this.array = array;
        }

        /** A contiguous tensor of this shape on the array (a float[] or double[] of the shape's element count). */
        Tensor tensor(int[] shape) {
            Storage s = array instanceof float[] ? Storage.wrap((float[]) array) : Storage.wrap((double[]) array);
            Shape sh = Shape.of(shape);
            return Tensor.wrap(s, sh, sh.contiguousStrides(), 0);
        }
    }

    /** The element count of {@code shape}. */
    static long elements(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }

    /** A pool's on/off switch: a system property ({@code true} unless {@code false}), settable by tests. */
    static final class Switch {
        private volatile boolean on;

        Switch(String property) {
            on = !"false".equalsIgnoreCase(System.getProperty(property, "true"));
        }

        boolean on() {
            return on;
        }

        /** Sets the switch; returns the old setting. */
        boolean set(boolean value) {
            boolean old = on;
            on = value;
            return old;
        }
    }

    private final Map<Long, ArrayDeque<Entry>> free = new HashMap<>();

    /** Whether {@link #take} keeps arrays of this dtype: float32, float64 and int32. */
    static boolean pooled(DType dtype) {
        return dtype == DType.FLOAT32 || dtype == DType.FLOAT64 || dtype == DType.INT32;
    }

    /** A free array of this dtype and length, or a new (zeroed) one when there is none. */
    Entry take(DType dtype, int n) {
        ArrayDeque<Entry> d = free.get(key(dtype, n));
        Entry e = d == null ? null : d.poll();
        if (e != null) return e;
        Object a = dtype == DType.FLOAT32 ? new float[n] : dtype == DType.FLOAT64 ? new double[n] : new int[n];
        return new Entry(a);
    }

    /** Returns an array, stamped {@code stamp}. */
    void give(Entry e, int stamp) {
        e.stamp = stamp;
        e.used = true;
        free.computeIfAbsent(key(e.array), k -> new ArrayDeque<>()).push(e);
    }

    /** Drops the free arrays stamped before {@code stamp}. */
    void dropBefore(int stamp) {
        for (Iterator<ArrayDeque<Entry>> it = free.values().iterator(); it.hasNext();) {
            ArrayDeque<Entry> d = it.next();
            d.removeIf(e -> e.stamp < stamp);
            if (d.isEmpty()) it.remove();
        }
    }

    /** How many arrays are free. */
    int size() {
        int n = 0;
        for (ArrayDeque<Entry> d : free.values()) n += d.size();
        return n;
    }

    private static long key(DType dtype, long n) {
        return 4 * n + (dtype == DType.FLOAT32 ? 0 : dtype == DType.FLOAT64 ? 1 : 2);
    }

    private static long key(Object array) {
        if (array instanceof float[]) return key(DType.FLOAT32, ((float[]) array).length);
        if (array instanceof double[]) return key(DType.FLOAT64, ((double[]) array).length);
        return key(DType.INT32, ((int[]) array).length);
    }
}
