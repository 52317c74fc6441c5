package org.convinit.internal;

/**
 * Whether convinit's Vector API code may run, decided once: the module {@code jdk.incubator.vector} must
 * be in the boot layer (the launcher and the build add it) and {@code -Dconvinit.kernels=scalar} must not
 * be set. Both the convolution kernels and the random fills read this, and each keeps its scalar path
 * for the other case; classes that use the API are only touched when it is available, so nothing fails
 * to link without the module.
 */
public final class VectorSupport {
    private VectorSupport() {}

    /** Whether {@code jdk.incubator.vector} is resolved in this JVM. */
    public static final boolean AVAILABLE = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();

    /** Whether the Vector API code is used by default: available and not disabled. */
    public static final boolean ENABLED = AVAILABLE && !"scalar".equals(System.getProperty("convinit.kernels"));
}
