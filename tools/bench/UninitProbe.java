import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.management.ManagementFactory;
import java.util.Arrays;
import java.util.Locale;

/**
 * Whether {@code jdk.internal.misc.Unsafe.allocateUninitializedArray} skips zeroing a float array of a given size on
 * this JVM, and what a fresh array costs: per size, the calling thread's CPU time per allocation (plain
 * {@code new float[n]}, the uninitialized one, each also followed by a full write as an op's output gets) and how
 * many of the uninitialized arrays came back with a non-zero element where the previous ones were written (garbage:
 * zeroing skipped). Found 2026-12-02 (JDK 17.0.15 and Temurin 25.0.3, G1, 4 MB regions): arrays that fit the thread's
 * allocation buffer (TLAB; 78 KB: 1923 of 2000) come back with garbage, larger ones almost never (390 KB: 8 of 2000)
 * or never (the 3.2 MB conv output: 0 of 2000, G1 humongous) and cost the same as {@code new float[n]}
 * (0.16-0.19 ms for 3.2 MB, 0.23-0.27 ms with the write). C2's intrinsic only marks the inline TLAB allocation as initialized,
 * its slow path (the VM runtime call every array above the TLAB takes) zeroes unless the allocation is followed by an
 * arraycopy that fills it (PhaseMacroExpand::expand_allocate_array). So the flag does not remove the zeroing of large
 * outputs, where it costs (tools/bench/profiles/2026-12-02-c1-28-alloc.md).
 * Run: java --add-exports java.base/jdk.internal.misc=ALL-UNNAMED tools/bench/UninitProbe.java [n ...]
 */
public final class UninitProbe {
    private static final MethodHandle UNINIT = lookup();
    private static final int CALLS = 2000;
    private static long sink;

    private static MethodHandle lookup() {
        try {
            Class<?> c = Class.forName("jdk.internal.misc.Unsafe");
            Object u = c.getMethod("getUnsafe").invoke(null);
            return MethodHandles.lookup().findVirtual(c, "allocateUninitializedArray", MethodType.methodType(Object.class, Class.class, int.class))
                    .bindTo(u);
        } catch (ReflectiveOperationException | RuntimeException e) {
            System.out.println("no uninitialized allocation (run with --add-exports java.base/jdk.internal.misc=ALL-UNNAMED): " + e);
            return null;
        }
    }

    static float[] uninit(int n) {
        try {
            return (float[]) (Object) UNINIT.invokeExact((Class<?>) float.class, n);
        } catch (Throwable t) {
            throw new IllegalStateException(t);
        }
    }

    /** CPU ms per allocation; {@code garbage[0]} counts arrays that held a non-zero value at a probed position. */
    static double run(boolean un, boolean write, int n, long[] garbage) {
        var mx = ManagementFactory.getThreadMXBean();
        long dirty = 0;
        long c0 = mx.getCurrentThreadCpuTime();
        for (int i = 0; i < CALLS; i++) {
            float[] x = un ? uninit(n) : new float[n];
            if (x[0] != 0 || x[n / 2] != 0 || x[n - 1] != 0) dirty++;
            if (write) Arrays.fill(x, 1f);
            x[0] = 1f;
            x[n / 2] = 2f;
            x[n - 1] = 3f;
            sink += x.length;
        }
        garbage[0] = dirty;
        return (mx.getCurrentThreadCpuTime() - c0) / 1e6 / CALLS;
    }

    public static void main(String[] args) {
        if (UNINIT == null) System.exit(1);
        int[] sizes = args.length == 0 ? new int[] {20_000, 100_000, 802_816} : Arrays.stream(args).mapToInt(Integer::parseInt).toArray();
        System.out.println("java " + System.getProperty("java.version") + ", " + ManagementFactory.getGarbageCollectorMXBeans().get(0).getName());
        long[] g = new long[1];
        for (int n : sizes) {
            double[] best = {Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE, Double.MAX_VALUE};
            long dirty = 0;
            for (int round = 0; round < 6; round++) {
                for (int v = 0; v < 4; v++) {
                    double ms = run(v % 2 == 1, v >= 2, n, g);
                    if (round >= 2) best[v] = Math.min(best[v], ms);
                    if (v == 1 && round >= 2) dirty = Math.max(dirty, g[0]);
                }
            }
            System.out.printf(Locale.ROOT, "n %9d (%7.1f KB): new %.4f ms, uninitialized %.4f ms; + full write: %.4f / %.4f ms; "
                    + "uninitialized arrays holding garbage: %d of %d%n", n, n * 4 / 1024.0, best[0], best[1], best[2], best[3], dirty, CALLS);
        }
    }
}
