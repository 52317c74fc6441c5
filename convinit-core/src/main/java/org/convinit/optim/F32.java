package org.convinit.optim;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * A float32 tensor's elements as (array, offset): the tensor's own storage when it is contiguous,
 * otherwise a copy that {@link #writeBack()} scatters back.
 */
final class F32 {
    final float[] a;
    final int off;
    final int n;
    private final Tensor source;

    private F32(float[] a, int off, int n, Tensor source) {
        this.a = a;
        this.off = off;
        this.n = n;
        this.source = source;
    }

    /** Direct access to a float32 tensor's elements (a copy if it is not contiguous). */
    static F32 of(Tensor t) {
        if (t.dtype() != DType.FLOAT32) throw new IllegalStateException("expected a float32 tensor, got " + t.dtype());
        int n = (int) t.numel();
        if (t.isContiguous()) return new F32(t.storage().floats(), t.storageOffset(), n, null);
        return new F32(copy(t), 0, n, t);
    }

    /** A fresh contiguous copy of a float32 tensor's elements in row-major order. */
    static float[] copy(Tensor t) {
        int n = (int) t.numel();
        float[] src = t.storage().floats();
        if (t.isContiguous()) {
            float[] out = new float[n];
            System.arraycopy(src, t.storageOffset(), out, 0, n);
            return out;
        }
        int[] offs = t.elementOffsets();
        float[] out = new float[n];
        for (int i = 0; i < n; i++) out[i] = src[offs[i]];
        return out;
    }

    /** Writes a copied view's values back into the tensor (no-op when direct). */
    void writeBack() {
        if (source == null) return;
        float[] dst = source.storage().floats();
        int[] offs = source.elementOffsets();
        for (int i = 0; i < n; i++) dst[offs[i]] = a[i];
    }
}
