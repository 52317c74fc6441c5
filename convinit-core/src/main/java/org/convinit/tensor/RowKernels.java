package org.convinit.tensor;

/**
 * Tight loops over one row of a {@link org.convinit.internal.Strided.Walk} for float32 and float64
 * arrays: element {@code i} of an operand is at {@code offset + i * step} (step 0: broadcast), the
 * output row is contiguous. Float32 arithmetic is done in float: for +, -, *, / the correctly rounded
 * float result equals the double result rounded to float (double has more than 2 × 24 + 2 bits), which
 * is how the general path and torch compute it. Every method returns false for array types it does
 * not handle, and the caller takes the general path.
 */
final class RowKernels {
    private RowKernels() {}

    /** {@code d[o + i*ds] = s[i0 + i*ss]} with float/double conversion as a Java cast (torch's static_cast). */
    static boolean copy(Object d, int o, int ds, Object s, int i0, int ss, int n) {
        if (d instanceof float[] && s instanceof float[]) {
            float[] z = (float[]) d;
            float[] x = (float[]) s;
            for (int i = 0; i < n; i++) z[o + i * ds] = x[i0 + i * ss];
        } else if (d instanceof double[] && s instanceof double[]) {
            double[] z = (double[]) d;
            double[] x = (double[]) s;
            for (int i = 0; i < n; i++) z[o + i * ds] = x[i0 + i * ss];
        } else if (d instanceof double[] && s instanceof float[]) {
            double[] z = (double[]) d;
            float[] x = (float[]) s;
            for (int i = 0; i < n; i++) z[o + i * ds] = x[i0 + i * ss];
        } else if (d instanceof float[] && s instanceof double[]) {
            float[] z = (float[]) d;
            double[] x = (double[]) s;
            for (int i = 0; i < n; i++) z[o + i * ds] = (float) x[i0 + i * ss];
        } else {
            return false;
        }
        return true;
    }

    /** {@code z[zo + i] = x op y} for a row of {@code n}; float32 POW is rounded from double. */
    static boolean binary(TensorMath.Op op, Object x, int xo, int xs, Object y, int yo, int ys, Object z, int zo, int n) {
        if (x instanceof float[] && y instanceof float[] && z instanceof float[]) {
            binary(op, (float[]) x, xo, xs, (float[]) y, yo, ys, (float[]) z, zo, n);
        } else if (x instanceof double[] && y instanceof double[] && z instanceof double[]) {
            binary(op, (double[]) x, xo, xs, (double[]) y, yo, ys, (double[]) z, zo, n);
        } else {
            return false;
        }
        return true;
    }

    private static void binary(TensorMath.Op op, float[] x, int xo, int xs, float[] y, int yo, int ys, float[] z, int zo, int n) {
        switch (op) {
            case ADD: for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] + y[yo + i * ys]; break;
            case SUB: for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] - y[yo + i * ys]; break;
            case MUL: for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] * y[yo + i * ys]; break;
            case DIV: for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] / y[yo + i * ys]; break;
            case POW: for (int i = 0; i < n; i++) z[zo + i] = (float) Math.pow(x[xo + i * xs], y[yo + i * ys]); break;
            default: throw new AssertionError(op);
        }
    }

    private static void binary(TensorMath.Op op, double[] x, int xo, int xs, double[] y, int yo, int ys, double[] z, int zo, int n) {
        if (op == TensorMath.Op.ADD) {
            for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] + y[yo + i * ys];
        } else if (op == TensorMath.Op.MUL) {
            for (int i = 0; i < n; i++) z[zo + i] = x[xo + i * xs] * y[yo + i * ys];
        } else {
            for (int i = 0; i < n; i++) z[zo + i] = TensorMath.apply(op, x[xo + i * xs], y[yo + i * ys]);
        }
    }

    /** {@code z[zo + i] = op(x)} for a row of {@code n}; float32 values are computed in double and rounded once. */
    static boolean unary(TensorMath.Unary op, Object x, int xo, int xs, Object z, int zo, int n) {
        if (x instanceof float[] && z instanceof float[]) {
            float[] a = (float[]) x;
            float[] c = (float[]) z;
            for (int i = 0; i < n; i++) c[zo + i] = (float) TensorMath.apply(op, a[xo + i * xs]);
        } else if (x instanceof double[] && z instanceof double[]) {
            double[] a = (double[]) x;
            double[] c = (double[]) z;
            for (int i = 0; i < n; i++) c[zo + i] = TensorMath.apply(op, a[xo + i * xs]);
        } else {
            return false;
        }
        return true;
    }
}
