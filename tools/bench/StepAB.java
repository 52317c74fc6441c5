import java.lang.management.ManagementFactory;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;

/**
 * A/B of two builds on one training step of issue 10's CNN (tools/bench/TrainLayers.java's {@code step}), in one
 * JVM: each build's classes in its own class loader, batches of steps alternating between them. Prints the median
 * ratio time(A)/time(B) over the batches (above 1: B is faster); wall time (CPU time of the calling thread at 1 thread).
 * <pre>javac -cp A/classes -d TL tools/bench/TrainLayers.java
 * java --add-modules jdk.incubator.vector tools/bench/StepAB.java A/classes B/classes TL THREADS [ROUNDS] [STEPS]</pre>
 * A and B are convinit-core's target/classes directories (copied aside); TL holds the compiled TrainLayers.
 */
public final class StepAB {
    public static void main(String[] args) throws Exception {
        int threads = Integer.parseInt(args[3]);
        int rounds = args.length > 4 ? Integer.parseInt(args[4]) : 15;
        int steps = args.length > 5 ? Integer.parseInt(args[5]) : 3;
        Runnable a = side(args[0], args[2], threads);
        Runnable b = side(args[1], args[2], threads);
        boolean cpu = threads == 1;
        for (int i = 0; i < 8; i++) {
            a.run();
            b.run();
        }
        double[] ra = new double[rounds];
        double[] rb = new double[rounds];
        double[] ratio = new double[rounds];
        for (int r = 0; r < rounds; r++) {
            boolean aFirst = r % 2 == 0;
            double first = batch(aFirst ? a : b, steps, cpu);
            double second = batch(aFirst ? b : a, steps, cpu);
            ra[r] = aFirst ? first : second;
            rb[r] = aFirst ? second : first;
            ratio[r] = ra[r] / rb[r];
        }
        Arrays.sort(ra);
        Arrays.sort(rb);
        Arrays.sort(ratio);
        System.out.printf(Locale.ROOT, "threads %d: A median %.1f ms  B median %.1f ms per step  A/B median %.3f [%.3f .. %.3f]  (%d x %d steps, load %.2f)%n",
                threads, ra[rounds / 2], rb[rounds / 2], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4], rounds, steps,
                ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(0);
    }

    private static double batch(Runnable r, int steps, boolean cpu) {
        var mx = ManagementFactory.getThreadMXBean();
        long c0 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        for (int i = 0; i < steps; i++) r.run();
        long c1 = cpu ? mx.getCurrentThreadCpuTime() : System.nanoTime();
        return (c1 - c0) / 1e6 / steps;
    }

    private static Runnable side(String classes, String tl, int threads) throws Exception {
        URL[] urls = {Path.of(classes).toUri().toURL(), Path.of(tl).toUri().toURL()};
        ClassLoader loader = new URLClassLoader(urls, ClassLoader.getPlatformClassLoader());
        return (Runnable) loader.loadClass("TrainLayers").getMethod("step", int.class).invoke(null, threads);
    }
}
