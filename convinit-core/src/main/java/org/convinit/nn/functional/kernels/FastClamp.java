package org.convinit.nn.functional.kernels;

import org.convinit.tensor.Tensor;

/**
 * Float32 {@code hardtanh(x, lo, hi) = min(max(x, lo), hi)} (ReLU6 is {@code lo = 0, hi = 6}) on the tensor's own
 * storage, parallel in chunks; NaN propagates. Backward {@code dy} where {@code lo < y < hi} (the same cells as
 * {@code lo < x < hi}), else 0, as torch's {@code hardtanh_backward} of the result. The reference is {@code Elementwise.map} with the same formula in double.
 */
public final class FastClamp {
    private FastClamp() {}

    /** {@code hardtanh} of a float32 input with the kernel in use; in place as {@code hardtanh_} when asked. */
    public static Tensor hardtanh(Tensor input, float lo, float hi, boolean inplace) {
        FloatLayerKernel k = LayerKernels.floats();
        return FastActivations.fromResult(input, inplace, "hardtanh", "HardtanhBackward0",
                (x, xo, y, yo, n) -> k.hardtanh(x, xo, lo, hi, y, yo, n),
                (gy, go, y, yo, gx, gxo, n) -> k.hardtanhBackward(gy, go, y, yo, lo, hi, gx, gxo, n));
    }
}
