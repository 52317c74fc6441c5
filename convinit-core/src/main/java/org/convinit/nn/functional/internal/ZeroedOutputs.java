package org.convinit.nn.functional.internal;

import java.util.ArrayDeque;
import java.util.Iterator;
import org.convinit.internal.Parallel;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * Output tensors of the convolutions whose array the pool allocated ahead. A new Java array is zeroed by the thread that
 * allocates it: for a large output (a 12.8 MB depthwise, a 3.2 MB first layer) that memset is a serial section of every call,
 * run by the calling thread while the pool's workers idle (measured: a third of the 1→32 first layer's time, a ninth of the
 * depthwise 128 at 56²). At more than one thread, each call of a large size therefore takes the array allocated for it in the
 * background after the last call of the same size (if it is ready), and hands the pool the allocation of the next one, which
 * then runs beside the call's own work. One spare per (dtype, length), at most {@link #MAX_KEPT_ELEMS} elements in all, the
 * least recently used dropped first. Nothing changes at one thread.
 */
final class ZeroedOutputs {
    /** Outputs smaller than this many elements are allocated by the caller (a shorter memset than the handing over). */
    private static final long MIN_ELEMS = 256 * 1024;
    /** Elements the spares may hold in all. */
    private static final long MAX_KEPT_ELEMS = 16L << 20;
    /** The spares, most recently used last. */
    private static final ArrayDeque<Spare> SPARES = new ArrayDeque<>();

    private ZeroedOutputs() {}

    /** One size's spare: its array once the pool has allocated it, null while it is pending or taken. */
    private static final class Spare {
        final DType dtype;
        final int length;
        Object array;
        boolean pending;

        Spare(DType dtype, int length) {
            this.dtype = dtype;
            this.length = length;
        }
    }

    /** A zero-filled contiguous tensor of {@code dtype} (float32 or float64) and {@code shape}: {@link Tensor#empty} in effect. */
    static Tensor empty(DType dtype, int[] shape) {
        long n = 1;
        for (int d : shape) n *= d;
        if (Parallel.threads() < 2 || n < MIN_ELEMS || n > MAX_KEPT_ELEMS || (dtype != DType.FLOAT32 && dtype != DType.FLOAT64)) {
            return Tensor.empty(dtype, shape);
        }
        Object array = takeAndRefill(dtype, (int) n);
        if (array == null) return Tensor.empty(dtype, shape);
        Shape s = Shape.of(shape);
        Storage st = dtype == DType.FLOAT32 ? Storage.wrap((float[]) array) : Storage.wrap((double[]) array);
        return Tensor.wrap(st, s, s.contiguousStrides(), 0);
    }

    /** The ready spare of this size (or null), after asking the pool for the next one unless it is already pending. */
    private static Object takeAndRefill(DType dtype, int length) {
        Spare spare;
        Object array;
        synchronized (SPARES) {
            spare = null;
            for (Iterator<Spare> it = SPARES.iterator(); it.hasNext(); ) {
                Spare s = it.next();
                if (s.dtype == dtype && s.length == length) {
                    spare = s;
                    it.remove();
                    break;
                }
            }
            if (spare == null) spare = new Spare(dtype, length);
            SPARES.addLast(spare);
            long kept = 0;
            for (Spare s : SPARES) kept += s.length;
            while (kept > MAX_KEPT_ELEMS) kept -= SPARES.removeFirst().length;
            array = spare.array;
            spare.array = null;
            if (spare.pending) return array;
            spare.pending = true;
        }
        Spare target = spare;
        Parallel.background(() -> {
            Object fresh = null;
            try {
                fresh = target.dtype == DType.FLOAT32 ? new float[target.length] : new double[target.length];
            } catch (OutOfMemoryError e) {
                // no spare: the next call allocates its own
            }
            synchronized (SPARES) {
                target.array = fresh;
                target.pending = false;
            }
        });
        return array;
    }
}
