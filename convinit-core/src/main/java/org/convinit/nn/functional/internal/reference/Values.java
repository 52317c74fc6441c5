package org.convinit.nn.functional.internal.reference;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** Flat double arrays to tensors and index arithmetic for the references. */
final class Values {
    private Values() {}

    /** A new tensor of {@code dtype} (any) holding {@code v}, rounded once to it. */
    static Tensor tensor(double[] v, DType dtype, int... shape) {
        Tensor t = Tensor.of(v, shape);
        return dtype == DType.FLOAT64 ? t : t.to(dtype);
    }

    static int volume(int[] sizes) {
        int v = 1;
        for (int s : sizes) v *= s;
        return v;
    }

    /** Row-major coordinates of {@code flat} over {@code sizes}. */
    static void unravel(int flat, int[] sizes, int[] out) {
        for (int d = sizes.length - 1; d >= 0; d--) {
            out[d] = flat % sizes[d];
            flat /= sizes[d];
        }
    }
}
