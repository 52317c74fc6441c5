import java.lang.management.ManagementFactory;
import java.lang.reflect.Method;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

/**
 * A/B of two builds of convinit-core on whole-model inference in one JVM, as {@code ConvAB.java} does for single
 * convolutions: each benchmarks.jar (core, io, bench) in its own class loader together with the same
 * convinit-models jar, the model built on each side with {@code manual_seed(0)}, eval mode, no grad, forward on
 * {@code randn(batch, 3, size, size)}; the two sides alternate batch by batch. Prints per model and thread count the
 * fastest time of each side, the median ratio time(A)/time(B) over the rounds (above 1: B is faster) with its
 * quartiles, and whether both sides' logits agree to the bit; then each side's CPU time per forward and the calling
 * thread's share of it (a measure of how evenly the work splits that a loaded machine disturbs less than wall time).
 * Wall time (the pool's workers do part of the work).
 * Run: java --add-modules jdk.incubator.vector tools/bench/ModelsAB.java A.jar B.jar MODELS.jar THREADS,... MODEL,... BATCH
 * [SIZE] [ROUNDS] (-Dwarmup=N: warm-up rounds, default 3). The caution of ConvAB holds: on a loaded machine an A/A
 * run is not 1.00; run both orders and trust only differences well beyond the quartiles.
 */
public final class ModelsAB {
    private static final int WARMUP_ROUNDS = Integer.getInteger("warmup", 3);

    public static void main(String[] args) throws Exception {
        String models = args[2];
        int batch = Integer.parseInt(args[5]);
        int size = args.length > 6 ? Integer.parseInt(args[6]) : 224;
        int rounds = args.length > 7 ? Integer.parseInt(args[7]) : 9;
        Side a = new Side(args[0], models);
        Side b = new Side(args[1], models);
        for (String th : args[3].split(",")) {
            int threads = Integer.parseInt(th);
            a.threads(threads);
            b.threads(threads);
            for (String model : args[4].split(",")) {
                System.out.printf(Locale.ROOT, "%s batch %d %dx%d, threads %d, load %.1f%n", model, batch, size, size, threads,
                        ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
                Runnable ra = a.forward(model, batch, size);
                Runnable rb = b.forward(model, batch, size);
                for (int i = 0; i < WARMUP_ROUNDS; i++) {
                    time(ra, new double[3]);
                    time(rb, new double[3]);
                }
                double[] msA = new double[rounds];
                double[] msB = new double[rounds];
                double[] ratio = new double[rounds];
                double[] cpuA = new double[3];
                double[] cpuB = new double[3];
                for (int r = 0; r < rounds; r++) {
                    msA[r] = time(ra, cpuA);
                    msB[r] = time(rb, cpuB);
                    ratio[r] = msA[r] / msB[r];
                }
                boolean same = Float.floatToRawIntBits(a.lastSum) == Float.floatToRawIntBits(b.lastSum);
                Arrays.sort(ratio);
                Arrays.sort(msA);
                Arrays.sort(msB);
                System.out.printf(Locale.ROOT, "%-14s t%d  A %8.1f ms  B %8.1f ms (min)  A/B median %.3f  [%.3f .. %.3f]  logits sum %s%n",
                        model, threads, msA[0], msB[0], ratio[rounds / 2], ratio[rounds / 4], ratio[3 * rounds / 4],
                        same ? "same bits" : "DIFFER " + a.lastSum + " vs " + b.lastSum);
                System.out.printf(Locale.ROOT, "%-14s t%d  CPU ms per forward A %.1f (calling thread %.0f%%)  B %.1f (calling thread %.0f%%)%n",
                        model, threads, cpuA[1] / rounds, 100 * cpuA[0] / cpuA[1], cpuB[1] / rounds, 100 * cpuB[0] / cpuB[1]);
            }
        }
        System.exit(0);
    }

    /**
     * Runs {@code r} once; returns its wall ms and adds to {@code cpu} the calling thread's CPU ms and the process's
     * (every thread: the pool's workers, and also the JIT and GC). With a split that leaves no thread idle the
     * calling thread's share is about 1/threads whatever else the machine runs; serial phases raise it.
     */
    private static double time(Runnable r, double[] cpu) {
        var tmx = ManagementFactory.getThreadMXBean();
        var os = (com.sun.management.OperatingSystemMXBean) ManagementFactory.getOperatingSystemMXBean();
        long c0 = tmx.getCurrentThreadCpuTime();
        long p0 = os.getProcessCpuTime();
        long t0 = System.nanoTime();
        r.run();
        long t1 = System.nanoTime();
        cpu[0] += (tmx.getCurrentThreadCpuTime() - c0) / 1e6;
        cpu[1] += (os.getProcessCpuTime() - p0) / 1e6;
        return (t1 - t0) / 1e6;
    }

    /** One build: its class loader and the reflective entry points the forward needs. */
    static final class Side {
        final ClassLoader loader;
        float lastSum;

        Side(String jar, String models) throws Exception {
            loader = new URLClassLoader(new URL[] {Path.of(jar).toUri().toURL(), Path.of(models).toUri().toURL()},
                    ClassLoader.getPlatformClassLoader());
        }

        void threads(int n) throws Exception {
            loader.loadClass("org.convinit.internal.Parallel").getMethod("setThreads", int.class).invoke(null, n);
        }

        @SuppressWarnings({"unchecked", "rawtypes"})
        Runnable forward(String model, int batch, int size) throws Exception {
            Class<?> dtypes = loader.loadClass("org.convinit.tensor.DType");
            Object f32 = Enum.valueOf((Class) dtypes, "FLOAT32");
            Class<?> gen = loader.loadClass("org.convinit.random.Generator");
            gen.getMethod("manualSeed", long.class).invoke(null, 0L);
            Class<?> tensor = loader.loadClass("org.convinit.tensor.Tensor");
            Object m = loader.loadClass("org.convinit.models.Models").getMethod("create", String.class, Map.class, dtypes)
                    .invoke(null, model, Map.of(), f32);
            Class<?> module = loader.loadClass("org.convinit.nn.Module");
            module.getMethod("eval").invoke(m);
            Object x = tensor.getMethod("empty", dtypes, int[].class).invoke(null, f32, new int[] {batch, 3, size, size});
            x = tensor.getMethod("normal_", double.class, double.class, gen).invoke(x, 0.0, 1.0,
                    gen.getConstructor(long.class).newInstance(1L));
            Object input = x;
            Method call = module.getMethod("call", tensor);
            Method noGrad = loader.loadClass("org.convinit.autograd.GradMode").getMethod("noGrad");
            Method sum = tensor.getMethod("sum");
            Method item = tensor.getMethod("item");
            return () -> {
                try (AutoCloseable g = (AutoCloseable) noGrad.invoke(null)) {
                    Object y = call.invoke(m, input);
                    lastSum = (float) (double) (Double) item.invoke(sum.invoke(y));
                } catch (Exception e) {
                    throw new IllegalStateException(e);
                }
            };
        }
    }
}
