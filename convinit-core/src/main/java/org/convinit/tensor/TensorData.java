package org.convinit.tensor;

import java.util.Arrays;

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
        int[] offs = t.layout.elementOffsets();
        double[] out = new double[offs.length];
        for (int i = 0; i < offs.length; i++) out[i] = t.storage.getDouble(offs[i]);
        return out;
    }

    static float[] toFloats(Tensor t) {
        int[] offs = t.layout.elementOffsets();
        float[] out = new float[offs.length];
        if (t.dtype() == DType.FLOAT32) {
            float[] a = t.storage.floats();
            for (int i = 0; i < offs.length; i++) out[i] = a[offs[i]];
        } else {
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
        int[] dOffs = dst.layout.elementOffsets();
        int[] sOffs = sl.elementOffsets();
        Storage to = dst.storage;
        DType dt = to.dtype();
        DType st = from.dtype();
        if (dt == DType.FLOAT32 && st == DType.FLOAT32) {
            float[] d = to.floats();
            float[] a = from.floats();
            for (int i = 0; i < dOffs.length; i++) d[dOffs[i]] = a[sOffs[i]];
        } else if (dt == DType.FLOAT64 && st == DType.FLOAT64) {
            double[] d = to.doubles();
            double[] a = from.doubles();
            for (int i = 0; i < dOffs.length; i++) d[dOffs[i]] = a[sOffs[i]];
        } else if (!st.isFloatingPoint()) {
            for (int i = 0; i < dOffs.length; i++) to.setLong(dOffs[i], from.getLong(sOffs[i]));
        } else {
            for (int i = 0; i < dOffs.length; i++) to.setDouble(dOffs[i], from.getDouble(sOffs[i]));
        }
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
