package org.convinit.nn.functional;

import org.convinit.nn.PaddingMode;
import org.convinit.tensor.Tensor;

/**
 * The entry point of the fast convolution kernels. Callers pass an input that is already padded
 * for non-zero padding modes; zero padding is given as {@code padBefore}/{@code padAfter}.
 *
 * <p>For now this delegates to the reference {@link Conv#convNd}; the fast path (packed GEMM,
 * Vector API where present, multi-threaded) replaces the body with the reference kept beside it.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /** Batched convolution {@code [N, C, *S] * [O, C/groups, *K] -> [N, O, *S']}, zero padding. */
    public static Tensor conv(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore, int[] padAfter,
                              int[] dilation, int groups) {
        int dims = weight.dim() - 2;
        return Conv.convNd("conv" + dims + "d", dims, input, weight, bias, stride, padBefore, padAfter, dilation, groups,
                PaddingMode.ZEROS);
    }
}
