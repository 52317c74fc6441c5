package org.convinit.models;

import org.convinit.autograd.GradMode;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The residual sums of the families: torchvision's {@code out += identity} (ResNet, MobileNetV3, EfficientNet,
 * ConvNeXt) and {@code x + y} (MobileNetV2, RegNet). When no graph is recorded and both are dense float32 tensors
 * of one shape, the sum runs over the shared pool in chunks, and {@code +=} writes into {@code out} itself as
 * torch does (no new tensor); otherwise it is {@link Tensor#add(Tensor)}. The values are the same either way:
 * one float addition per element.
 */
final class Residual {
    /** Elements per work item. */
    private static final int CHUNK = 1 << 14;

    private Residual() {}

    /** {@code out += identity}: {@code out} itself when the sum can be taken in place, else a new tensor. */
    static Tensor addInPlace(Tensor out, Tensor identity) {
        return fast(out, identity) ? sum(out, identity, out) : out.add(identity);
    }

    /** {@code a + b}: always a new tensor. */
    static Tensor add(Tensor a, Tensor b) {
        return fast(a, b) ? sum(a, b, Tensor.empty(DType.FLOAT32, a.shape().toArray())) : a.add(b);
    }

    private static boolean fast(Tensor a, Tensor b) {
        return a.dtype() == DType.FLOAT32 && b.dtype() == DType.FLOAT32 && a.shape().equals(b.shape()) && a.isContiguous()
                && b.isContiguous() && a.numel() <= Integer.MAX_VALUE
                && (a.storage() != b.storage() || a.storageOffset() == b.storageOffset())
                && (!GradMode.isEnabled() || !a.requiresGrad() && !b.requiresGrad());
    }

    /** {@code z = a + b} elementwise on dense storage; {@code z} may be {@code a}. */
    private static Tensor sum(Tensor a, Tensor b, Tensor z) {
        float[] x = a.storage().floats();
        float[] y = b.storage().floats();
        float[] r = z.storage().floats();
        int xo = a.storageOffset();
        int yo = b.storageOffset();
        int ro = z.storageOffset();
        int n = (int) a.numel();
        LayerKernels.forEach((n + CHUNK - 1) / CHUNK, n, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) r[ro + i] = x[xo + i] + y[yo + i];
        });
        return z;
    }
}
