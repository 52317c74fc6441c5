package org.convinit.tensor;

/**
 * The tensor package's element loops as they were before the fast paths: every element read through
 * an offset table and {@link Storage#getDouble}, computed in double, rounded once into the result's
 * dtype. The fast paths must agree with it bit for bit (TensorFastPathTest).
 */
final class ElementwiseReference {
    private ElementwiseReference() {}

    /** The elements of {@code t} in row-major order, as the stored values read as doubles. */
    static double[] values(Tensor t) {
        int[] offs = t.elementOffsets();
        double[] out = new double[offs.length];
        for (int i = 0; i < offs.length; i++) out[i] = t.storage().getDouble(offs[i]);
        return out;
    }

    /** A contiguous tensor of {@code dtype} and {@code shape} holding {@code v}, each value stored as setDouble stores it. */
    static Tensor tensor(DType dtype, int[] shape, double[] v) {
        Tensor out = Tensor.empty(dtype, shape);
        for (int i = 0; i < v.length; i++) out.storage().setDouble(i, v[i]);
        return out;
    }

    static Tensor binary(Tensor a, Tensor b, TensorMath.Op op) {
        int[] s = Shape.broadcast(a.shape(), b.shape()).toArray();
        double[] x = values(a.expand(s));
        double[] y = values(b.expand(s));
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) z[i] = TensorMath.apply(op, x[i], y[i]);
        return tensor(a.dtype(), s, z);
    }

    static Tensor scalar(Tensor a, double v, TensorMath.Op op) {
        double c = a.dtype() == DType.FLOAT32 ? (float) v : v;
        double[] x = values(a);
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) z[i] = TensorMath.apply(op, x[i], c);
        return tensor(a.dtype(), a.layout().sizes(), z);
    }

    static Tensor unary(Tensor a, TensorMath.Unary op) {
        double[] x = values(a);
        double[] z = new double[x.length];
        for (int i = 0; i < z.length; i++) z[i] = TensorMath.apply(op, x[i]);
        return tensor(a.dtype(), a.layout().sizes(), z);
    }

    /** The reduction of {@code x} as the old loops did it: in order, in double. */
    static double reduce(double[] x, TensorMath.Reduce r, boolean unbiased) {
        int n = x.length;
        if (n == 0) return r == TensorMath.Reduce.SUM ? 0 : Double.NaN;
        if (r == TensorMath.Reduce.MIN || r == TensorMath.Reduce.MAX) {
            double best = x[0];
            for (int i = 1; i < n; i++) {
                if (Double.isNaN(x[i])) return x[i];
                if (r == TensorMath.Reduce.MIN ? x[i] < best : x[i] > best) best = x[i];
            }
            return best;
        }
        double acc = 0;
        for (double v : x) acc += v;
        if (r == TensorMath.Reduce.SUM) return acc;
        double mean = acc / n;
        if (r == TensorMath.Reduce.MEAN) return mean;
        double m2 = 0;
        for (double v : x) m2 += (v - mean) * (v - mean);
        int dof = unbiased ? n - 1 : n;
        double var = dof <= 0 ? Double.NaN : m2 / dof;
        return r == TensorMath.Reduce.VAR ? var : Math.sqrt(var);
    }

    /** Reduction over {@code dim} (kept as size 1 if {@code keepdim}). */
    static Tensor reduceDim(Tensor a, int dim, boolean keepdim, TensorMath.Reduce r, boolean unbiased) {
        int d = Shape.normalizeDim(dim, a.dim());
        int[] perm = new int[a.dim()];
        for (int i = 0, j = 0; i < a.dim(); i++) if (i != d) perm[j++] = i;
        perm[a.dim() - 1] = d;
        double[] x = values(a.permute(perm));
        int len = a.size(d);
        int[] outShape = new int[a.dim() - 1];
        for (int i = 0; i < outShape.length; i++) outShape[i] = a.size(perm[i]);
        double[] z = new double[len == 0 ? (int) Shape.of(outShape).numel() : x.length / len];
        for (int row = 0; row < z.length; row++) {
            z[row] = reduce(java.util.Arrays.copyOfRange(x, row * len, row * len + len), r, unbiased);
        }
        Tensor out = tensor(a.dtype(), outShape, z);
        return keepdim ? out.unsqueeze(d) : out;
    }
}
