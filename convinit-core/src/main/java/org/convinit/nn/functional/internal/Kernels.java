package org.convinit.nn.functional.internal;

/**
 * Chooses the inner loops once, at class initialization: the Vector API kernels when the module
 * {@code jdk.incubator.vector} is in the boot layer (the launcher adds it) and not disabled with
 * {@code -Dconvinit.kernels=scalar}; otherwise the portable scalar kernels. The vector classes are
 * only touched when the module is present, so nothing fails to link without it.
 */
public final class Kernels {
    /** Whether {@code jdk.incubator.vector} is resolved in this JVM. */
    public static final boolean VECTOR_AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
    private static final boolean USE_VECTOR = VECTOR_AVAILABLE && !"scalar".equals(System.getProperty("convinit.kernels"));

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

    /** Whether the default kernels are the Vector API ones. */
    public static boolean vectorInUse() {
        return USE_VECTOR;
    }
}
