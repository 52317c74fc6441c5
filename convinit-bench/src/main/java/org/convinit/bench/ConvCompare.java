package org.convinit.bench;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;

import org.convinit.nn.functional.ConvKernels;
import org.convinit.tensor.Tensor;

/**
 * Times {@link ConvShape}s through {@link ConvKernels} the way tools/bench/conv_vs_torch.py times
 * torch: warm up, then {@code reps} timed batches, reporting the median wall time per call and the
 * process CPU time per call over the timed batches (robust to other processes on a shared machine).
 * Prints one {@code RESULT <shape> <threads> <median ms> <min ms> <cpu ms>} line per shape and thread count.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.convinit.bench.ConvCompare --threads 1,2</pre>
 */
public final class ConvCompare {
    private ConvCompare() {}

    public static void main(String[] args) {
        int[] threads = {1, 2};
        List<ConvShape> shapes = new ArrayList<>(Arrays.asList(ConvShape.values()));
        double warmupSec = 2.0;
        int reps = 7;
        double repSec = 0.25;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--threads": threads = Arrays.stream(args[++i].split(",")).mapToInt(Integer::parseInt).toArray(); break;
                case "--shapes":
                    shapes.clear();
                    for (String s : args[++i].split(",")) shapes.add(ConvShape.valueOf(s));
                    break;
                case "--warmup": warmupSec = Double.parseDouble(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--rep-seconds": repSec = Double.parseDouble(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --threads 1,2 --shapes NAME,... --warmup SEC --reps N --rep-seconds SEC");
            }
        }
        System.out.println("# convinit kernels: " + ConvKernels.kernelName() + ", java " + System.getProperty("java.version"));
        for (int t : threads) {
            ConvKernels.setThreads(t);
            for (ConvShape s : shapes) {
                double[] ms = time(s, warmupSec, reps, repSec);
                System.out.printf(Locale.ROOT, "RESULT %s %d %.4f %.4f %.4f%n", s.name(), t, ms[0], ms[1], ms[2]);
            }
        }
    }

    /** Median and minimum wall milliseconds per call, and process CPU milliseconds per call. */
    static double[] time(ConvShape s, double warmupSec, int reps, double repSec) {
        Tensor[] ops = s.operands();
        long sink = 0;
        // warm up for at least warmupSec, then on (up to 5 × warmupSec) until a batch is within 10% of
        // the best: the JIT may recompile the kernels late, more so on a loaded machine
        long start = System.nanoTime();
        double best = Double.MAX_VALUE;
        double last = Double.MAX_VALUE;
        int iters = 1;
        while (true) {
            long a = System.nanoTime();
            for (int i = 0; i < iters; i++) sink += s.run(ops).numel();
            last = (System.nanoTime() - a) / 1e9 / iters;
            best = Math.min(best, last);
            iters = Math.max(1, (int) (0.1 / best));
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (elapsed >= 5 * warmupSec || (elapsed >= warmupSec && last <= 1.1 * best)) break;
        }
        iters = Math.max(1, (int) (repSec / best));
        double[] per = new double[reps];
        long cpu0 = cpuNanos();
        for (int r = 0; r < reps; r++) {
            long a = System.nanoTime();
            for (int i = 0; i < iters; i++) sink += s.run(ops).numel();
            per[r] = (System.nanoTime() - a) / 1e6 / iters;
        }
        double cpu = (cpuNanos() - cpu0) / 1e6 / ((double) iters * reps);
        if (sink == 42) System.out.println();
        Arrays.sort(per);
        return new double[] {per[reps / 2], per[0], cpu};
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }
}
