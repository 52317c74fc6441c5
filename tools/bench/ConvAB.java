import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A/B of two builds of the convolution kernels in one JVM: each benchmarks.jar in its own class loader, the same
 * ConvShape calls alternating between them, batch by batch. Prints per shape the median ratio time(A)/time(B)
 * (above 1: B is faster) over the batches. Time is the calling thread's CPU time at 1 thread (less disturbed by
 * other processes on a shared machine than wall time), wall time at more threads.
 * Run: java --add-modules jdk.incubator.vector tools/bench/ConvAB.java A.jar B.jar THREADS SHAPE,... [backward] [rounds]
 * (-Dwarmup=N: warm-up rounds, default 6). Caution: an A/A run (the same jar on both sides) on a machine at load 17-25
 * gave 0.78-0.85 instead of 1 (each side's code is compiled separately and one side can get the better compilation),
 * so run both orders and trust only differences well beyond that.
 */
public final class ConvAB {
    private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 6);
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[2]);
        boolean backward = args.length > 4 && args[4].equals("backward");
        int rounds = args.length > 5 ? Integer.parseInt(args[5]) : 15;
        Side a = new Side(args[0], threads);
        Side b = new Side(args[1], threads);
        System.out.printf(Locale.ROOT, "threads %d, %s, load %s%n", threads, backward ? "backward dX+dW" : "forward",
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        for (String shape : args[3].split(",")) {
            Runnable ra = a.call(shape, backward);
            Runnable rb = b.call(shape, backward);
            boolean cpu = threads == 1;
            double ta = 0;
            for (int i = 0; i < WARMUP_ROUNDS; i++) {
                ta = time(ra, 0.5, cpu);
                time(rb, 0.5, cpu);
            }
            int iters = Math.max(1, (int) (0.15 / ta));
            double[] ratio = new double[rounds];
            double[] msA = new double[rounds];
            double[] msB = new double[rounds];
            for (int r = 0; r < rounds; r++) {
                msA[r] = batch(ra, iters, cpu);
                msB[r] = batch(rb, iters, cpu);
                ratio[r] = msA[r] / msB[r];
            }
            var tmx = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
            long al0 = tmx.getCurrentThreadAllocatedBytes();
            ra.run();
            long al1 = tmx.getCurrentThreadAllocatedBytes();
            rb.run();
            long al2 = tmx.getCurrentThreadAllocatedBytes();
            Arrays.sort(ratio);
            Arrays.sort(msA);
            Arrays.sort(msB);
            System.out.printf(Locale.ROOT, "%-14s A %8.3f ms  B %8.3f ms (min)  A/B median %.3f  [%.3f .. %.3f]  alloc/call A %d B %d%n", shape, msA[0],
                    msB[0], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], al1 - al0, al2 - al1);
        }
        System.exit(0);
    }

    static double time(Runnable r, double sec, boolean cpu) {
        long t0 = System.nanoTime();
        int n = 0;
        while (System.nanoTime() - t0 < sec * 1e9) {
            r.run();
            n++;
        }
        return (System.nanoTime() - t0) / 1e9 / n;
    }

    static double batch(Runnable r, int iters, boolean cpu) {
        var mx = ManagementFactory.getThreadMXBean();
        long c0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < iters; i++) r.run();
        long c1 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        return (c1 - c0) / 1e6 / iters;
    }

    static final class Side {
        final ClassLoader loader;
        final Class<?> shapes;

        Side(String jar, int threads) throws Exception {
            loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL()}, ClassLoader.getPlatformClassLoader());
            shapes = loader.loadClass("org.convinit.bench.ConvShape");
            loader.loadClass("org.convinit.nn.functional.ConvKernels").getMethod("setThreads", int.class).invoke(null, threads);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Runnable call(String name, boolean backward) throws Exception {
            Object s = Enum.valueOf((Class) shapes, name);
            Method ops = shapes.getMethod(backward ? "backwardOperands" : "operands");
            Object o = ops.invoke(s);
            Method run = shapes.getMethod(backward ? "runBackward" : "run", o.getClass());
            return () -> {
                try {
                    run.invoke(s, o);
                } catch (ReflectiveOperationException e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }
}
