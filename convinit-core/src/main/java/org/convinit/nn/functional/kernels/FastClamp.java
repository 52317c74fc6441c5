package org.convinit.nn.functional.kernels;

import org.convinit.autograd.Autograd;
import org.convinit.tensor.Tensor;

/**
 * Float32 {@code hardtanh(x, lo, hi) = min(max(x, lo), hi)} (ReLU6 is {@code lo = 0, hi = 6}) on the tensor's own
 * storage, parallel in chunks; NaN propagates. Backward {@code dy} where {@code lo < x < hi}, else 0, as torch's
 * {@code hardtanh_backward}. The reference is {@code Elementwise.map} with the same formula in double.
 */
public final class FastClamp {
    private FastClamp() {}

    private static final int CHUNK = 1 << 14;

    public static Tensor hardtanh(Tensor input, float lo, float hi) {
        Dense x = Dense.of(input);
        int n = x.n;
        int[] shape = input.shape().toArray();
        Dense y = Dense.alloc(shape);
        int chunks = (n + CHUNK - 1) / CHUNK;
        LayerKernels.forEach(chunks, n, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                float v = x.a[x.off + i];
                y.a[i] = v < lo ? lo : v > hi ? hi : v; // NaN fails both tests and passes through
            }
        });
        return Autograd.record(y.tensor, "HardtanhBackward0", new Tensor[] {input}, new Tensor[0], g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.alloc(shape);
            LayerKernels.forEach(chunks, n, c -> {
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    float v = x.a[x.off + i];
                    gx.a[i] = v > lo && v < hi ? gy.a[gy.off + i] : 0f;
                }
            });
            return new Tensor[] {gx.tensor};
        });
    }
}
