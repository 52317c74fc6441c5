package org.convinit.internal;

import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;

/**
 * The sum of a vector's lanes in lane order, {@code ((0 + v0) + v1) + ... + v(L-1)}, on every JDK and
 * in every compilation tier. {@code reduceLanes(ADD)} may add floating-point lanes in any order (its
 * specification says so): JDK 17's C2 adds them in lane order, JDK 24's and later C2 may compile a call
 * site into a tree sum while the interpreter and C1 keep lane order, so the same kernel's float32 result
 * changed with the JIT's timing (tools/spark/ReduceLanesOrder.java shows it). Kernels sum lanes here
 * instead: JDK 17's results stay bit for bit what they were, and a later JDK gives the same bits.
 * Only loaded by the Vector API kernels (see {@link VectorSupport}).
 */
public final class OrderedLanes {
    private static final ThreadLocal<float[]> FLOATS = ThreadLocal.withInitial(() -> new float[FloatVector.SPECIES_MAX.length()]);
    private static final ThreadLocal<double[]> DOUBLES = ThreadLocal.withInitial(() -> new double[DoubleVector.SPECIES_MAX.length()]);

    private OrderedLanes() {}

    /** The lanes of {@code v} summed in lane order. */
    public static float sum(FloatVector v) {
        return sum(v, FLOATS.get());
    }

    /** {@link #sum(FloatVector)} through the caller's {@code scratch} (at least {@code v.length()} long). */
    public static float sum(FloatVector v, float[] scratch) {
        v.intoArray(scratch, 0);
        return sum(scratch, 0, v.length());
    }

    /** {@code lanes[at .. at+n)} summed in lane order: a vector's lanes a kernel stored there. */
    public static float sum(float[] lanes, int at, int n) {
        float s = 0f;
        for (int i = 0; i < n; i++) {
            s += lanes[at + i];
        }
        return s;
    }

    /** The lanes of {@code v} summed in lane order. */
    public static double sum(DoubleVector v) {
        return sum(v, DOUBLES.get());
    }

    /** {@link #sum(DoubleVector)} through the caller's {@code scratch} (at least {@code v.length()} long). */
    public static double sum(DoubleVector v, double[] scratch) {
        v.intoArray(scratch, 0);
        return sum(scratch, 0, v.length());
    }

    /** {@code lanes[at .. at+n)} summed in lane order: a vector's lanes a kernel stored there. */
    public static double sum(double[] lanes, int at, int n) {
        double s = 0d;
        for (int i = 0; i < n; i++) {
            s += lanes[at + i];
        }
        return s;
    }

    /** A scratch array for {@link #sum(FloatVector, float[])} for any species. */
    public static float[] floatScratch() {
        return new float[FloatVector.SPECIES_MAX.length()];
    }

    /** A scratch array for {@link #sum(DoubleVector, double[])} for any species. */
    public static double[] doubleScratch() {
        return new double[DoubleVector.SPECIES_MAX.length()];
    }
}
