package org.convinit.optim;

import org.convinit.autograd.GradMode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * A float64 tensor's elements as (array, offset), as {@link F32} is for float32: the tensor's own storage when it is
 * contiguous, otherwise a contiguous copy that {@link #writeBack()} copies back.
 */
final class F64 {
    final double[] a;
    final int off;
    final int n;
    private final Tensor source;
    private final Tensor copy;

    private F64(Tensor view, Tensor source) {
        this.a = view.storage().doubles();
        this.off = view.storageOffset();
        this.n = (int) view.numel();
        this.source = source;
        this.copy = view;
    }

    static F64 of(Tensor t) {
        if (t.dtype() != DType.FLOAT64) throw new IllegalStateException("expected a float64 tensor, got " + t.dtype());
        if (t.isContiguous()) return new F64(t, null);
        try (var g = GradMode.noGrad()) {
            return new F64(t.detach().contiguous(), t);
        }
    }

    /** Writes a copied view's values back into the tensor (no-op when direct). */
    void writeBack() {
        if (source == null) return;
        try (var g = GradMode.noGrad()) {
            source.detach().copy_(copy);
        }
    }
}
