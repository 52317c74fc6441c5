package org.convinit.nn.functional.internal;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The input and weight gradients of a channel-wise convolution (one input channel per group:
 * depthwise, or a small channel multiplier {@code m = O / C}) in one direct pass per channel plane
 * ({@link FloatDepthwise#backward}, {@link DoubleDepthwise#backward}), with 1-D and 2-D seen as 3-D:
 * for every image, output channel {@code o} of input channel {@code c = o / m} and kernel tap {@code k},
 *
 * <pre>
 * dW[o, 0, k]                       += Σ_p dY[n, o, p] · x[n, c, p·s - pb + k·d]
 * dX[n, c, p·s - pb + k·d]          += W[o, 0, k] · dY[n, o, p]
 * </pre>
 *
 * over the output positions {@code p} whose input position is inside the input (padding reads
 * zero). The GEMM formulation would spend a whole register tile on each channel's single row.
 */
final class DepthwiseBackward {
    private DepthwiseBackward() {}

    /**
     * Whether {@code spec} is a convolution this pass covers: float32 or float64 {@code dt}, one input channel
     * per group, at most 4 outputs each.
     */
    static boolean covers(ConvSpec spec, DType dt) {
        return !spec.transposed() && FastConv.onKernels(spec.dims(), dt) && spec.weight().get(1) == 1
                && spec.groups() == spec.input().get(1) && spec.output().get(1) <= 4 * spec.groups();
    }

    /** {dX (null unless {@code needInput}), dW} for dense batched {@code x}, {@code w} and {@code dy}, in their dtype. */
    static Tensor[] grads(ConvSpec spec, Tensor x, Tensor w, Tensor dy, boolean needInput, boolean vector) {
        ConvGeometry g = new ConvGeometry(x.size(1), spec.dims(), ConvSpec.spatial(spec.input()), ConvSpec.spatial(spec.weight()),
                spec.stride(), spec.padBefore(), spec.padAfter(), spec.dilation());
        Tensor dx = needInput ? Tensor.empty(x.dtype(), x.shape().toArray()) : null;
        Tensor dw = Tensor.empty(w.dtype(), w.shape().toArray());
        int n = x.size(0);
        int outCh = w.size(0);
        if (x.dtype() == DType.FLOAT32) {
            FloatDepthwise.backward(Kernels.depthwise(Kernels.floats(vector)), g, n, outCh, x.storage().floats(), x.storageOffset(),
                    w.storage().floats(), w.storageOffset(), dy.storage().floats(), dy.storageOffset(),
                    dx == null ? null : dx.storage().floats(), dw.storage().floats());
        } else {
            DoubleDepthwise.backward(Kernels.depthwise(Kernels.doubles(vector)), g, n, outCh, x.storage().doubles(), x.storageOffset(),
                    w.storage().doubles(), w.storageOffset(), dy.storage().doubles(), dy.storageOffset(),
                    dx == null ? null : dx.storage().doubles(), dw.storage().doubles());
        }
        return new Tensor[] {dx, dw};
    }
}
