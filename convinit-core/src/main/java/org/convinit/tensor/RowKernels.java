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

    /** {@code z[zo + i] = x op y} for a row of {@code n}; false for arrays other than all float[] or all double[]. */
    static boolean binary(TensorMath.Op op, Object x, int xo, int xs, Object y, int yo, int ys, Object z, int zo, int n) {
        if (x instanceof float[] && y instanceof float[] && z instanceof float[]) {
            float[] a = (float[]) x;
            float[] b = (float[]) y;
            float[] c = (float[]) z;
            if (xs != 1 || ys > 1 || !unitRow(op, a, xo, b, yo, ys == 0, c, zo, n)) {
                for (int i = 0; i < n; i++) c[zo + i] = (float) TensorMath.apply(op, a[xo + i * xs], b[yo + i * ys]);
            }
        } else if (x instanceof double[] && y instanceof double[] && z instanceof double[]) {
            double[] a = (double[]) x;
            double[] b = (double[]) y;
            double[] c = (double[]) z;
            for (int i = 0; i < n; i++) c[zo + i] = TensorMath.apply(op, a[xo + i * xs], b[yo + i * ys]);
        } else {
            return false;
        }
        return true;
    }

    /**
     * The float32 rows worth a vector loop, one loop per operation so the JIT can vectorize it:
     * unit-stride operands, or a unit-stride left one and a broadcast right one ({@code scalar}).
     * False for POW, which the caller computes in double.
     */
    private static boolean unitRow(TensorMath.Op op, float[] x, int xo, float[] y, int yo, boolean scalar, float[] z, int zo, int n) {
        float v = y[yo];
        switch (op) {
            case ADD:
                if (scalar) for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] + v;
                else for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] + y[yo + i];
                return true;
            case SUB:
                if (scalar) for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] - v;
                else for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] - y[yo + i];
                return true;
            case MUL:
                if (scalar) for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] * v;
                else for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] * y[yo + i];
                return true;
            case DIV:
                if (scalar) for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] / v;
                else for (int i = 0; i < n; i++) z[zo + i] = x[xo + i] / y[yo + i];
                return true;
            default:
                return false;
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
