package org.convinit.nn.functional;

import org.convinit.internal.Parallel;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.FastConv;
import org.convinit.nn.functional.internal.Kernels;
import org.convinit.tensor.Tensor;

/**
 * The entry point of the fast convolution kernels. Callers pass an input that is already padded
 * for non-zero padding modes; zero padding is given as {@code padBefore}/{@code padAfter}.
 *
 * <p>float32 and float64 run an implicit GEMM (polyphase-packed input, register-tiled kernel,
 * direct loop for depthwise), multi-threaded on the shared pool; other dtypes fall back to the
 * references. Arguments are checked once, by {@code ConvSpec}, with the messages of {@link F}; no
 * autograd is recorded (use {@link F} for that). The inner loops use the Vector API when the JVM has
 * {@code jdk.incubator.vector} (the launcher adds it) and plain Java otherwise; set
 * {@code -Dconvinit.kernels=scalar} to force the latter. Threads: {@code -Dconvinit.threads=N}
 * or {@link #setThreads(int)}; the default is the number of available processors.
 */
public final class ConvKernels {
    private ConvKernels() {}

    /**
     * Convolution {@code [N, C, *S] * [O, C/groups, *K] -> [N, O, *S']} (or unbatched {@code [C, *S]}),
     * zero padding; the spatial dims are the weight's.
     */
    public static Tensor conv(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore, int[] padAfter,
                              int[] dilation, int groups) {
        ConvParams p = ConvParams.function(weight.dim() - 2, false, stride, padBefore, padAfter, null, new int[] {0}, dilation, groups);
        return FastConv.run(p.bind(input, weight, bias, false), input, weight, bias, Kernels.vectorInUse());
    }

    /**
     * Batched transposed convolution {@code [N, Cin, *S] * [Cin, Cout/groups, *K] -> [N, Cout, *S']}
     * with {@code S' = (S - 1)·stride - 2·padding + dilation·(K - 1) + outputPadding + 1}.
     */
    public static Tensor convTranspose(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                       int[] dilation, int groups) {
        ConvParams p = ConvParams.function(weight.dim() - 2, true, stride, padding, padding, null, outputPadding, dilation, groups);
        return FastConv.run(p.bind(input, weight, bias, false), input, weight, bias, Kernels.vectorInUse());
    }

    /** The number of threads the kernels use. */
    public static int threads() {
        return Parallel.threads();
    }

    /** Sets the number of threads the kernels use (at least 1). */
    public static void setThreads(int threads) {
        Parallel.setThreads(threads);
    }

    /** The inner loops in use, e.g. {@code vector-512} or {@code scalar}. */
    public static String kernelName() {
        return Kernels.floats().name();
    }
}
