package org.convinit.autograd;

import java.util.Arrays;

import org.convinit.tensor.DType;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * torch's {@code AccumulateGrad} for a leaf, outside grad mode: the first gradient is copied into a new
 * contiguous {@code grad} (the incoming tensor may be shared with other inputs, so it is never adopted), and
 * later ones are added in place, {@code grad += g}, with the same float32 (or float64) rounding as
 * {@code grad.copy_(grad.add(g))}. Contiguous float tensors of the same dtype take a direct loop over the
 * arrays; anything else (strided or broadcast gradients, other dtypes) goes through the tensor ops.
 */
final class GradAccumulator {
    private GradAccumulator() {}

    /** Accumulates {@code g} (already of the leaf's shape and dtype) into {@code leaf.grad()}. */
    static void accumulate(Tensor leaf, Tensor g) {
        Tensor prev = leaf.grad();
        if (prev == null) {
            leaf.setGrad(copyOf(leaf, g));
        } else if (!addInPlace(prev, g)) {
            prev.copy_(prev.add(g));
        }
    }

    /** A new contiguous tensor of the leaf's dtype and shape holding {@code g}'s values. */
    private static Tensor copyOf(Tensor leaf, Tensor g) {
        if (g.isContiguous() && g.dtype() == leaf.dtype()) {
            int n = (int) g.numel();
            int off = g.storageOffset();
            if (g.dtype() == DType.FLOAT32) {
                return wrap(Storage.wrap(Arrays.copyOfRange(g.storage().floats(), off, off + n)), leaf);
            }
            if (g.dtype() == DType.FLOAT64) {
                return wrap(Storage.wrap(Arrays.copyOfRange(g.storage().doubles(), off, off + n)), leaf);
            }
        }
        Tensor copy = Tensor.empty(leaf.dtype(), leaf.shape().toArray());
        copy.copy_(g);
        return copy;
    }

    private static Tensor wrap(Storage s, Tensor like) {
        return Tensor.wrap(s, like.shape(), like.shape().contiguousStrides(), 0);
    }

    /** {@code prev += g} by a direct loop when both are contiguous and of the same float dtype; false otherwise. */
    static boolean addInPlace(Tensor prev, Tensor g) {
        if (!prev.isContiguous() || !g.isContiguous() || prev.dtype() != g.dtype() || prev.requiresGrad()
                || prev.storage() == g.storage() || !prev.shape().equals(g.shape())) {
            return false;
        }
        int n = (int) prev.numel();
        int po = prev.storageOffset();
        int go = g.storageOffset();
        if (prev.dtype() == DType.FLOAT32) {
            float[] p = prev.storage().floats();
            float[] a = g.storage().floats();
            for (int i = 0; i < n; i++) p[po + i] = p[po + i] + a[go + i];
        } else if (prev.dtype() == DType.FLOAT64) {
            double[] p = prev.storage().doubles();
            double[] a = g.storage().doubles();
            for (int i = 0; i < n; i++) p[po + i] = p[po + i] + a[go + i];
        } else {
            return false;
        }
        prev.storage().bumpVersion(); // an in-place change, as copy_ records it
        return true;
    }
}
