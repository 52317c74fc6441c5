package org.convinit.tensor;

import org.convinit.internal.Strided;

/**
 * Elementwise arithmetic with broadcasting and torch's type promotion, reductions and 2-D matmul.
 * Float32 results are rounded from exact double intermediates, which for +, -, *, / and sqrt gives
 * the correctly rounded float32 result, as torch computes them.
 */
final class TensorMath {
    private TensorMath() {}

    enum Op { ADD, SUB, MUL, DIV, POW }

    enum Unary { NEG, ABS, EXP, LOG, SQRT, SIGN }

    enum Reduce { SUM, MEAN, VAR, STD, MIN, MAX }

    static double apply(Op op, double x, double y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            case DIV: return x / y;
            case POW: return Math.pow(x, y);
            default: throw new AssertionError(op);
        }
    }

    private static long applyLong(Op op, long x, long y) {
        switch (op) {
            case ADD: return x + y;
            case SUB: return x - y;
            case MUL: return x * y;
            default: throw new AssertionError(op);
        }
    }

    static double apply(Unary op, double x) {
        switch (op) {
            case NEG: return -x;
            case ABS: return Math.abs(x);
            case EXP: return Math.exp(x);
            case LOG: return Math.log(x);
            case SQRT: return Math.sqrt(x);
            case SIGN: return Math.signum(x);
            default: throw new AssertionError(op);
        }
    }

    static Tensor binary(Tensor a, Tensor b, Op op) {
        Shape s = Shape.broadcast(a.shape(), b.shape());
        DType dt = DType.promote(a.dtype(), b.dtype());
        if ((op == Op.DIV || op == Op.POW) && !dt.isFloatingPoint()) dt = DType.FLOAT32;
        if (dt == DType.BOOL && op != Op.MUL) dt = DType.INT64;
        int[] shape = s.toArray();
        Tensor out = Tensor.empty(dt, shape);
        Layout la = a.layout.expand(shape);
        Layout lb = b.layout.expand(shape);
        if (a.dtype() == dt && b.dtype() == dt && dt.isCompute()) {
            Strided.Walk w = la.walk(lb);
            Object x = a.storage.array();
            Object y = b.storage.array();
            Object z = out.storage.array();
            for (int r = 0, n = w.inner(); r < w.rows(); r++, w.next()) {
                RowKernels.binary(op, x, w.base(0), w.step(0), y, w.base(1), w.step(1), z, r * n, n);
            }
            return out;
        }
        int[] oa = la.elementOffsets();
        int[] ob = lb.elementOffsets();
        Storage sa = a.storage;
        Storage sb = b.storage;
        Storage so = out.storage;
        if (dt == DType.FLOAT32 && a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32) {
            float[] x = sa.floats();
            float[] y = sb.floats();
            float[] z = so.floats();
            for (int i = 0; i < z.length; i++) z[i] = (float) apply(op, x[oa[i]], y[ob[i]]);
        } else if (dt == DType.FLOAT32) {
            float[] z = so.floats();
            for (int i = 0; i < z.length; i++) z[i] = (float) apply(op, (float) sa.getDouble(oa[i]), (float) sb.getDouble(ob[i]));
        } else if (dt.isFloatingPoint()) {
            for (int i = 0; i < oa.length; i++) so.setDouble(i, apply(op, sa.getDouble(oa[i]), sb.getDouble(ob[i])));
        } else {
            for (int i = 0; i < oa.length; i++) so.setLong(i, applyLong(op, sa.getLong(oa[i]), sb.getLong(ob[i])));
        }
        return out;
    }

    static Tensor binaryScalar(Tensor a, double v, Op op) {
        DType dt = a.dtype();
        boolean integral = v == Math.rint(v) && !Double.isInfinite(v);
        if (!dt.isFloatingPoint() && (op == Op.DIV || !integral || (op == Op.POW && v < 0))) dt = DType.FLOAT32;
        if (dt == DType.BOOL) dt = DType.INT64;
        Tensor out = Tensor.empty(dt, a.layout.sizes());
        if (a.dtype() == dt && dt.isCompute()) {
            // the scalar is cast to the tensor's dtype first, then broadcast as a one-element operand
            Object y = dt == DType.FLOAT32 ? new float[] {(float) v} : new double[] {v};
            Strided.Walk w = a.layout.walk();
            Object x = a.storage.array();
            Object z = out.storage.array();
            for (int r = 0, n = w.inner(); r < w.rows(); r++, w.next()) {
                RowKernels.binary(op, x, w.base(0), w.step(0), y, 0, 0, z, r * n, n);
            }
            return out;
        }
        int[] oa = a.elementOffsets();
        Storage sa = a.storage;
        Storage so = out.storage;
        if (dt == DType.FLOAT32) {
            float[] z = so.floats();
            double fv = (float) v; // the scalar is cast to the tensor's dtype first
            for (int i = 0; i < z.length; i++) z[i] = (float) apply(op, sa.getDouble(oa[i]), fv);
        } else if (dt.isFloatingPoint()) {
            double cv = dt == DType.FLOAT64 ? v : (float) v;
            for (int i = 0; i < oa.length; i++) so.setDouble(i, apply(op, sa.getDouble(oa[i]), cv));
        } else if (op == Op.POW) {
            for (int i = 0; i < oa.length; i++) so.setLong(i, (long) Math.pow(sa.getLong(oa[i]), v));
        } else {
            for (int i = 0; i < oa.length; i++) so.setLong(i, applyLong(op, sa.getLong(oa[i]), (long) v));
        }
        return out;
    }

    static Tensor unary(Tensor a, Unary op) {
        DType dt = a.dtype();
        if (!dt.isFloatingPoint() && op != Unary.NEG && op != Unary.ABS && op != Unary.SIGN) dt = DType.FLOAT32;
        if (dt == DType.BOOL) {
            throw new IllegalArgumentException(op.name().toLowerCase() + " on a bool tensor is not supported; convert it first");
        }
        Tensor out = Tensor.empty(dt, a.layout.sizes());
        if (a.dtype() == dt && dt.isCompute()) {
            Strided.Walk w = a.layout.walk();
            Object x = a.storage.array();
            Object z = out.storage.array();
            for (int r = 0, n = w.inner(); r < w.rows(); r++, w.next()) RowKernels.unary(op, x, w.base(0), w.step(0), z, r * n, n);
            return out;
        }
        int[] oa = a.elementOffsets();
        Storage sa = a.storage;
        Storage so = out.storage;
        for (int i = 0; i < oa.length; i++) {
            if (!dt.isFloatingPoint()) {
                long x = sa.getLong(oa[i]);
                so.setLong(i, op == Unary.NEG ? -x : op == Unary.SIGN ? Long.signum(x) : Math.abs(x));
                continue;
            }
            so.setDouble(i, apply(op, sa.getDouble(oa[i])));
        }
        return out;
    }

    private static DType reduceDType(Tensor a, Reduce r) {
        DType dt = a.dtype();
        if ((r == Reduce.MEAN || r == Reduce.VAR || r == Reduce.STD) && !dt.isFloatingPoint()) {
            throw new IllegalArgumentException(r.name().toLowerCase() + "(): could not infer output dtype. Input dtype must be "
                    + "either a floating point or complex dtype. Got: " + dt);
        }
        if (r == Reduce.SUM && !dt.isFloatingPoint()) return DType.INT64;
        return dt;
    }

    /** Element {@code o} of {@code s} as a double: direct for float32/float64 ({@code f}/{@code d} non-null). */
    private static double at(Storage s, float[] f, double[] d, int o) {
        return f != null ? f[o] : d != null ? d[o] : s.getDouble(o);
    }

    /** Reduces the {@code n} values at {@code base + i * step} of {@code s}, in order, accumulating in double. */
    private static double reduce(Storage s, int base, int step, int n, Reduce r, boolean unbiased) {
        float[] f = s.dtype() == DType.FLOAT32 ? s.floats() : null;
        double[] d = s.dtype() == DType.FLOAT64 ? s.doubles() : null;
        if (r == Reduce.MIN || r == Reduce.MAX) {
            double best = at(s, f, d, base);
            for (int i = 1; i < n; i++) {
                double v = at(s, f, d, base + i * step);
                if (Double.isNaN(v)) return v;
                if (r == Reduce.MIN ? v < best : v > best) best = v;
            }
            return best;
        }
        double acc = 0;
        for (int i = 0; i < n; i++) acc += at(s, f, d, base + i * step);
        if (r == Reduce.SUM) return acc;
        double mean = acc / n;
        if (r == Reduce.MEAN) return mean;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            double dev = at(s, f, d, base + i * step) - mean;
            m2 += dev * dev;
        }
        int dof = unbiased ? n - 1 : n;
        double var = dof <= 0 ? Double.NaN : m2 / dof;
        return r == Reduce.VAR ? var : Math.sqrt(var);
    }

    static Tensor reduceAll(Tensor a, Reduce r, boolean unbiased) {
        DType dt = reduceDType(a, r);
        int n = (int) a.numel();
        if (n == 0 && (r == Reduce.MIN || r == Reduce.MAX)) {
            throw new IllegalArgumentException(r.name().toLowerCase() + "(): Expected reduction dim to be specified for "
                    + "input.numel() == 0. Specify the reduction dim with the 'dim' argument.");
        }
        Tensor out = Tensor.empty(dt);
        Tensor c = a;
        if (!a.isContiguous()) { // one contiguous copy (fast, see TensorData.copy) in place of an offset table
            c = TensorData.allocate(a.dtype(), a.shape());
            TensorData.copy(c, a);
        }
        Storage s = c.storage;
        int o = c.layout.offset();
        if (!dt.isFloatingPoint() && (r == Reduce.SUM || r == Reduce.MIN || r == Reduce.MAX)) {
            long acc = r == Reduce.SUM ? 0 : s.getLong(o);
            for (int i = r == Reduce.SUM ? 0 : 1; i < n; i++) {
                long v = s.getLong(o + i);
                acc = r == Reduce.SUM ? acc + v : r == Reduce.MIN ? Math.min(acc, v) : Math.max(acc, v);
            }
            out.storage.setLong(0, acc);
        } else {
            out.storage.setDouble(0, n == 0 ? (r == Reduce.SUM ? 0 : Double.NaN) : reduce(s, o, 1, n, r, unbiased));
        }
        return out;
    }

    static Tensor reduceDim(Tensor a, int dim, boolean keepdim, Reduce r, boolean unbiased) {
        DType dt = reduceDType(a, r);
        if (a.dim() == 0) return reduceAll(a, r, unbiased);
        int d = Shape.normalizeDim(dim, a.dim());
        int len = a.layout.size(d);
        if (len == 0 && (r == Reduce.MIN || r == Reduce.MAX)) {
            throw new IllegalArgumentException(r.name().toLowerCase() + "(): Expected reduction dim " + d
                    + " to have non-zero size (shape " + a.shape() + ")");
        }
        int[] sizes = a.layout.sizes();
        int[] strides = a.layout.strides();
        int[] outShape = new int[a.dim() - 1];
        int[] outStrides = new int[a.dim() - 1];
        for (int i = 0, j = 0; i < sizes.length; i++) {
            if (i == d) continue;
            outShape[j] = sizes[i];
            outStrides[j++] = strides[i];
        }
        Tensor out = Tensor.empty(dt, outShape);
        // one output element per position of the other dims; its values lie along dim d
        Strided.Walk w = Strided.walk(outShape, outStrides, a.layout.offset());
        for (int row = 0, k = 0; row < w.rows(); row++, w.next()) {
            for (int i = 0; i < w.inner(); i++, k++) {
                double v = len == 0 ? (r == Reduce.SUM ? 0 : Double.NaN)
                        : reduce(a.storage, w.base(0) + i * w.step(0), strides[d], len, r, unbiased);
                out.storage.setDouble(k, v);
            }
        }
        return keepdim ? out.unsqueeze(d) : out;
    }

    /** 1 where {@code a} equals {@code b} (broadcast), else 0, in {@code a}'s dtype. */
    static Tensor equalMask(Tensor a, Tensor b) {
        Shape s = Shape.broadcast(a.shape(), b.shape());
        Tensor out = Tensor.empty(a.dtype(), s.toArray());
        int[] oa = a.layout.expand(s.toArray()).elementOffsets();
        int[] ob = b.layout.expand(s.toArray()).elementOffsets();
        for (int i = 0; i < oa.length; i++) out.storage.setDouble(i, a.storage.getDouble(oa[i]) == b.storage.getDouble(ob[i]) ? 1 : 0);
        return out;
    }

    static Tensor matmul(Tensor a, Tensor b) {
        if (a.dim() != 2 || b.dim() != 2) {
            throw new IllegalArgumentException("matmul of shapes " + a.shape() + " and " + b.shape()
                    + ": expected two 2-D tensors");
        }
        if (a.dtype() != b.dtype()) {
            throw new IllegalArgumentException("expected m1 and m2 to have the same dtype, but got: "
                    + a.dtype().torchName() + " != " + b.dtype().torchName());
        }
        if (!a.dtype().isCompute()) {
            throw new IllegalArgumentException("matmul on " + a.dtype() + " tensors: expected float32 or float64");
        }
        int n = a.layout.size(0);
        int k = a.layout.size(1);
        int m = b.layout.size(1);
        if (b.layout.size(0) != k) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + n + "x" + k + " and "
                    + b.layout.size(0) + "x" + m + ")");
        }
        Tensor out = Tensor.empty(a.dtype(), n, m);
        Tensor ac = a.contiguous();
        Tensor bc = b.contiguous();
        if (a.dtype() == DType.FLOAT32) {
            float[] x = ac.storage.floats();
            float[] y = bc.storage.floats();
            float[] z = out.storage.floats();
            int xo = ac.layout.offset();
            int yo = bc.layout.offset();
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < k; p++) {
                    float av = x[xo + i * k + p];
                    int yr = yo + p * m;
                    int zr = i * m;
                    for (int j = 0; j < m; j++) z[zr + j] += av * y[yr + j];
                }
            }
        } else {
            double[] x = ac.storage.doubles();
            double[] y = bc.storage.doubles();
            double[] z = out.storage.doubles();
            int xo = ac.layout.offset();
            int yo = bc.layout.offset();
            for (int i = 0; i < n; i++) {
                for (int p = 0; p < k; p++) {
                    double av = x[xo + i * k + p];
                    int yr = yo + p * m;
                    int zr = i * m;
                    for (int j = 0; j < m; j++) z[zr + j] += av * y[yr + j];
                }
            }
        }
        return out;
    }
}
