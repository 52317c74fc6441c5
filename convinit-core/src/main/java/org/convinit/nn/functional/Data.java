package org.convinit.nn.functional;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/** Moving values between tensors and flat double arrays for the reference (non-kernel) functions. */
final class Data {
    private Data() {}

    /**
     * A new contiguous tensor of {@code dtype} holding {@code v} (rounded once to float32 if asked).
     * A float64 result takes ownership of {@code v}: callers pass arrays they no longer touch.
     */
    static Tensor tensor(double[] v, DType dtype, int... shape) {
        Shape s = Shape.of(shape);
        if (s.numel() != v.length) {
            throw new IllegalArgumentException("data of " + v.length + " values for shape " + s + ": expected " + s.numel());
        }
        if (dtype == DType.FLOAT64) return Tensor.wrap(Storage.wrap(v), s, s.contiguousStrides(), 0);
        if (dtype != DType.FLOAT32) throw new IllegalArgumentException("dtype " + dtype + ": expected float32 or float64");
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.wrap(Storage.wrap(f), s, s.contiguousStrides(), 0);
    }

    /** The elements in row-major order as a new double array (a direct copy for contiguous float tensors). */
    static double[] read(Tensor t) {
        if (t.isContiguous() && (t.dtype() == DType.FLOAT32 || t.dtype() == DType.FLOAT64)) {
            int n = (int) t.numel();
            int off = t.storageOffset();
            double[] out = new double[n];
            if (t.dtype() == DType.FLOAT64) {
                System.arraycopy(t.storage().doubles(), off, out, 0, n);
            } else {
                float[] a = t.storage().floats();
                for (int i = 0; i < n; i++) out[i] = a[off + i];
            }
            return out;
        }
        return t.toDoubleArray();
    }

    /** Fails unless {@code t} is float32 or float64. */
    static void requireFloating(String op, String what, Tensor t) {
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException(op + ": " + what + " has dtype " + t.dtype() + "; expected float32 or float64");
        }
    }

    /** Fails unless {@code other} has the dtype of {@code input}. */
    static void requireSameDType(String op, Tensor input, String what, Tensor other) {
        if (other != null && other.dtype() != input.dtype()) {
            throw new IllegalArgumentException(op + ": input dtype " + input.dtype() + " and " + what + " dtype " + other.dtype()
                    + " differ; expected the same dtype (convert the input with .to(" + other.dtype() + ") or the " + what
                    + " with .to(" + input.dtype() + "))");
        }
    }

    static String join(int[] v, String sep) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(sep);
            sb.append(v[i]);
        }
        return sb.toString();
    }

    static long prod(int[] v) {
        long p = 1;
        for (int x : v) p *= x;
        return p;
    }

    static void unravel(int flat, int[] sizes, int[] out) {
        for (int d = sizes.length - 1; d >= 0; d--) {
            out[d] = flat % sizes[d];
            flat /= sizes[d];
        }
    }
}
