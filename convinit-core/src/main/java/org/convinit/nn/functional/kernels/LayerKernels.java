package org.convinit.nn.functional.kernels;

import org.convinit.internal.Parallel;
import org.convinit.internal.VectorSupport;

/**
 * Chooses the float32 layer loops: {@link VectorLayerKernel} when {@link VectorSupport#ENABLED}, else
 * the scalar {@link FloatLayerKernel}; and runs work over the shared pool only when it is large enough
 * to pay for waking it.
 */
public final class LayerKernels {
    /** Elements below which a layer runs on the calling thread. */
    static final long SERIAL_ELEMS = 1 << 15;

    private LayerKernels() {}

    /** The kernel in use. */
    public static FloatLayerKernel floats() {
        return floats(VectorSupport.ENABLED);
    }

    /** The vector kernel if asked and available, else the scalar one (tests run both in one JVM). */
    public static FloatLayerKernel floats(boolean vector) {
        return vector && VectorSupport.AVAILABLE ? VectorLayerKernel.INSTANCE : FloatLayerKernel.SCALAR;
    }

    /** {@code body(i)} for {@code i < count}, over {@link Parallel} when the {@code elems} touched are many. */
    public static void forEach(int count, long elems, java.util.function.IntConsumer body) {
        if (elems < SERIAL_ELEMS || count < 2) {
            for (int i = 0; i < count; i++) body.accept(i);
        } else {
            Parallel.forEach(count, body);
        }
    }

    /** {@link #forEach(int, long, java.util.function.IntConsumer)} with per-worker scratch from {@code scratch}. */
    public static <S> void forEach(int count, long elems, java.util.function.Supplier<S> scratch, Parallel.ItemBody<S> body) {
        if (elems < SERIAL_ELEMS || count < 2) {
            S s = scratch.get();
            for (int i = 0; i < count; i++) body.run(i, s);
        } else {
            Parallel.forEach(count, scratch, body);
        }
    }
}
