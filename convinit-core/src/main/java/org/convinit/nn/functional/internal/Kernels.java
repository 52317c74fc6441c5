package org.convinit.nn.functional.internal;

import org.convinit.internal.VectorSupport;

/**
 * Chooses the convolution inner loops: the Vector API kernels when {@link VectorSupport#ENABLED} (module
 * {@code jdk.incubator.vector} present, not disabled with {@code -Dconvinit.kernels=scalar}); otherwise the
 * portable scalar kernels.
 */
public final class Kernels {
    /** Whether {@code jdk.incubator.vector} is resolved in this JVM. */
    public static final boolean VECTOR_AVAILABLE = VectorSupport.AVAILABLE;
    private static final boolean USE_VECTOR = VectorSupport.ENABLED;

    private Kernels() {}

    /** The float32 kernel in use. */
    public static FloatKernel floats() {
        return floats(USE_VECTOR);
    }

    /** The float64 kernel in use. */
    public static DoubleKernel doubles() {
        return doubles(USE_VECTOR);
    }

    /** The float32 kernel, vector if asked and available (tests use this to run both paths). */
    public static FloatKernel floats(boolean vector) {
        return vector && VECTOR_AVAILABLE ? VectorFloatKernel.INSTANCE : ScalarFloatKernel.INSTANCE;
    }

    /** The float64 kernel, vector if asked and available. */
    public static DoubleKernel doubles(boolean vector) {
        return vector && VECTOR_AVAILABLE ? VectorDoubleKernel.INSTANCE : ScalarDoubleKernel.INSTANCE;
    }

    /** The float32 channel-wise loops matching {@code kernel}: the Vector API ones unless it is the scalar kernel. */
    static FloatDepthwiseKernel depthwise(FloatKernel kernel) {
        return kernel != ScalarFloatKernel.INSTANCE && VECTOR_AVAILABLE ? VectorFloatDepthwiseKernel.INSTANCE : FloatDepthwiseKernel.SCALAR;
    }

    /** The float64 channel-wise loops matching {@code kernel}. */
    static DoubleDepthwiseKernel depthwise(DoubleKernel kernel) {
        return kernel != ScalarDoubleKernel.INSTANCE && VECTOR_AVAILABLE ? VectorDoubleDepthwiseKernel.INSTANCE
                : DoubleDepthwiseKernel.SCALAR;
    }

    /** The float32 Winograd transforms matching {@code kernel}: the Vector API ones unless it is the scalar kernel. */
    static FloatWinogradKernel winograd(FloatKernel kernel) {
        return kernel != ScalarFloatKernel.INSTANCE && VECTOR_AVAILABLE ? VectorFloatWinogradKernel.INSTANCE : FloatWinogradKernel.SCALAR;
    }

    /** The float64 Winograd transforms matching {@code kernel}. */
    static DoubleWinogradKernel winograd(DoubleKernel kernel) {
        return kernel != ScalarDoubleKernel.INSTANCE && VECTOR_AVAILABLE ? VectorDoubleWinogradKernel.INSTANCE : DoubleWinogradKernel.SCALAR;
    }

    /** Whether the default kernels are the Vector API ones. */
    public static boolean vectorInUse() {
        return USE_VECTOR;
    }
}
