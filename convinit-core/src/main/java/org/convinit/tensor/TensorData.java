package org.convinit.tensor;

import java.util.Arrays;

import org.convinit.internal.Strided;

/**
 * Reading, writing and copying a tensor's elements through its layout, with torch's dtype conversions
 * ({@link Storage}). No autograd here: {@link Tensor} checks in-place rules and records operations.
 */
final class TensorData {
    private TensorData() {}

    /** A new contiguous base tensor of {@code dtype} over zeroed storage. */
    static Tensor allocate(DType dtype, Shape shape) {
        return new Tensor(Storage.allocate(dtype, shape.numel()), Layout.contiguous(shape), null);
    }

    /** A contiguous tensor over {@code storage}, which must hold exactly {@code shape}'s elements. */
    static Tensor wrapExact(Storage storage, int length, int[] shape) {
        Shape s = Shape.of(shape);
        if (s.numel() != length) {
            throw new IllegalArgumentException("data of " + length + " values for shape " + s
                    + ": expected " + s.numel() + " values");
        }
        return new Tensor(storage, Layout.contiguous(s), null);
    }

    /** {@link Tensor#wrap}: every element the layout reaches must lie inside the storage. */
    static Tensor wrapChecked(Storage storage, Layout layout) {
        long max = layout.maxIndex();
        if (max >= storage.size()) {
            throw new IllegalArgumentException("view of shape " + layout.shape() + ", strides "
                    + Arrays.toString(layout.strides()) + ", offset " + layout.offset() + " reaches element " + max
                    + ", but the storage holds " + storage.size() + " elements");
        }
        return new Tensor(storage, layout, null);
    }

    static double[] toDoubles(Tensor t) {
        double[] out = new double[(int) t.numel()];
        copy(new Tensor(Storage.wrap(out), Layout.contiguous(t.shape()), null), t);
        return out;
    }

    static float[] toFloats(Tensor t) {
        float[] out = new float[(int) t.numel()];
        if (t.dtype().isCompute()) {
            copy(new Tensor(Storage.wrap(out), Layout.contiguous(t.shape()), null), t);
        } else { // through double, as ever (for int64 beyond 2^24 this can differ from copy_'s direct cast)
            int[] offs = t.layout.elementOffsets();
            for (int i = 0; i < offs.length; i++) out[i] = (float) t.storage.getDouble(offs[i]);
        }
        return out;
    }

    static long[] toLongs(Tensor t) {
        int[] offs = t.layout.elementOffsets();
        long[] out = new long[offs.length];
        for (int i = 0; i < offs.length; i++) out[i] = t.storage.getLong(offs[i]);
        return out;
    }

    /** Sets every element of {@code t} to {@code value}, converted to its dtype. */
    static void fill(Tensor t, double value) {
        Layout l = t.layout;
        if (l.numel() == 0) return; // an empty view's offset may lie past its storage's end (row 4 of a [10, 0] tensor)
        int from = l.offset();
        int to = from + (int) l.numel();
        if (l.isContiguous() && t.dtype() == DType.FLOAT32) {
            Arrays.fill(t.storage.floats(), from, to, (float) value);
        } else if (l.isContiguous() && t.dtype() == DType.FLOAT64) {
            Arrays.fill(t.storage.doubles(), from, to, value);
        } else {
            for (int o : l.elementOffsets()) t.storage.setDouble(o, value);
        }
    }

    /** Copies {@code src}, broadcast to {@code dst}'s shape and converted to its dtype; overlap is handled. */
    static void copy(Tensor dst, Tensor src) {
        Layout sl;
        try {
            sl = src.layout.expand(dst.layout.sizes());
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("copy_: source of shape " + src.shape()
                    + " cannot be broadcast to the destination shape " + dst.shape(), e);
        }
        Storage from = src.storage;
        if (from == dst.storage) {
            Tensor copy = allocate(src.dtype(), src.shape());
            copy(copy, src);
            from = copy.storage;
            sl = copy.layout.expand(dst.layout.sizes());
        }
        if (copyRows(dst.storage, dst.layout, from, sl)) return;
        int[] dOffs = dst.layout.elementOffsets();
        int[] sOffs = sl.elementOffsets();
        Storage to = dst.storage;
        if (!from.dtype().isFloatingPoint()) {
            for (int i = 0; i < dOffs.length; i++) to.setLong(dOffs[i], from.getLong(sOffs[i]));
        } else {
            for (int i = 0; i < dOffs.length; i++) to.setDouble(dOffs[i], from.getDouble(sOffs[i]));
        }
    }

    /**
     * The copy without offset tables, row by row of a {@link Strided.Walk}: same-dtype rows that are
     * contiguous on both sides by {@code System.arraycopy}, float32/float64 rows by a strided loop.
     * False (nothing copied) where the general path must do it.
     */
    private static boolean copyRows(Storage to, Layout dl, Storage from, Layout sl) {
        Strided.Walk w = dl.walk(sl);
        int n = w.inner();
        int ds = w.step(0);
        int ss = w.step(1);
        boolean block = ds == 1 && ss == 1 && to.dtype() == from.dtype();
        if (!block && !(to.dtype().isCompute() && from.dtype().isCompute())) return false;
        Object d = to.array();
        Object s = from.array();
        for (int r = 0; r < w.rows(); r++, w.next()) {
            if (block) System.arraycopy(s, w.base(1), d, w.base(0), n);
            else RowKernels.copy(d, w.base(0), ds, s, w.base(1), ss, n);
        }
        return true;
    }

    /** {@code torch.equal}: same shape and the same values (NaN never equals). */
    static boolean valueEquals(Tensor a, Tensor b) {
        if (!a.shape().equals(b.shape())) return false;
        double[] x = toDoubles(a);
        double[] y = toDoubles(b);
        for (int i = 0; i < x.length; i++) if (x[i] != y[i]) return false;
        return true;
    }

    /** {@code torch.allclose}: |a - b| <= atol + rtol * |b| elementwise, shapes broadcast. */
    static boolean allClose(Tensor a, Tensor b, double rtol, double atol) {
        int[] s = Shape.broadcast(a.shape(), b.shape()).toArray();
        double[] x = toDoubles(new Tensor(a.storage, a.layout.expand(s), null));
        double[] y = toDoubles(new Tensor(b.storage, b.layout.expand(s), null));
        for (int i = 0; i < x.length; i++) {
            if (Double.isNaN(x[i]) || Double.isNaN(y[i])) return false;
            if (x[i] == y[i]) continue;
            if (Math.abs(x[i] - y[i]) > atol + rtol * Math.abs(y[i])) return false;
        }
        return true;
    }
}
