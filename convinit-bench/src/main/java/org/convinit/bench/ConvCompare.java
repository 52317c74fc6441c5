package org.convinit.bench;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.function.LongSupplier;

import org.convinit.nn.functional.ConvKernels;
import org.convinit.tensor.Tensor;

/**
 * Times {@link ConvShape}s through {@link ConvKernels} the way tools/bench/conv_vs_torch.py times
 * torch: warm up, then {@code reps} timed batches, reporting the median wall time per call and the
 * process CPU time per call over the timed batches (robust to other processes on a shared machine).
 * Prints one {@code RESULT <shape> <threads> <median ms> <min ms> <cpu ms>} line per shape and thread count.
 * With {@code --backward} it times dX + dW instead ({@link ConvShape#runBackward}, no bias gradient);
 * {@code --check DIR} (with {@code --backward}) times nothing and writes each shape's x, w, g, dx and dw
 * as raw little-endian float32 to {@code DIR/<shape>.<name>.bin} for the script to compare with torch.
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
        boolean backward = false;
        String checkDir = null;
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
                case "--backward": backward = true; break;
                case "--check": checkDir = args[++i]; break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --threads 1,2 --shapes NAME,... --warmup SEC --reps N --rep-seconds SEC [--backward] [--check DIR]");
            }
        }
        if (checkDir != null) {
            for (ConvShape s : shapes) dump(s, Path.of(checkDir));
            return;
        }
        System.out.println("# convinit kernels: " + ConvKernels.kernelName() + ", java " + System.getProperty("java.version")
                + (backward ? ", backward dX + dW via y.backward(g, retain_graph)" : ""));
        for (int t : threads) {
            ConvKernels.setThreads(t);
            for (ConvShape s : shapes) {
                double[] ms = time(call(s, backward), warmupSec, reps, repSec);
                System.out.printf(Locale.ROOT, "RESULT %s %d %.4f %.4f %.4f%n", s.name(), t, ms[0], ms[1], ms[2]);
            }
        }
    }

    /** One timed call of {@code s}: the forward, or with {@code backward} dX + dW; returns a value to sink. */
    static LongSupplier call(ConvShape s, boolean backward) {
        if (backward) {
            Tensor[] ops = s.backwardOperands();
            return () -> s.runBackward(ops)[1].numel();
        }
        Tensor[] ops = s.operands();
        return () -> s.run(ops).numel();
    }

    /** Median and minimum wall milliseconds per call, and process CPU milliseconds per call. */
    static double[] time(LongSupplier call, double warmupSec, int reps, double repSec) {
        long sink = 0;
        // warm up for at least warmupSec, then on (up to 5 × warmupSec) until a batch is within 10% of
        // the best: the JIT may recompile the kernels late, more so on a loaded machine
        long start = System.nanoTime();
        double best = Double.MAX_VALUE;
        double last = Double.MAX_VALUE;
        int iters = 1;
        while (true) {
            long a = System.nanoTime();
            for (int i = 0; i < iters; i++) sink += call.getAsLong();
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
            for (int i = 0; i < iters; i++) sink += call.getAsLong();
            per[r] = (System.nanoTime() - a) / 1e6 / iters;
        }
        double cpu = (cpuNanos() - cpu0) / 1e6 / ((double) iters * reps);
        if (sink == 42) System.out.println();
        Arrays.sort(per);
        return new double[] {per[reps / 2], per[0], cpu};
    }

    /** Writes x, w, g, dx and dw of {@code s}'s backward to {@code dir/<shape>.<name>.bin}, raw little-endian float32. */
    static void dump(ConvShape s, Path dir) {
        Tensor[] ops = s.backwardOperands();
        Tensor[] grads = s.runBackward(ops);
        Tensor[] all = {ops[0], ops[1], ops[3], grads[0], grads[1]};
        String[] names = {"x", "w", "g", "dx", "dw"};
        try {
            Files.createDirectories(dir);
            for (int i = 0; i < all.length; i++) {
                Tensor t = all[i].detach().contiguous();
                int n = (int) t.numel();
                ByteBuffer b = ByteBuffer.allocate(4 * n).order(ByteOrder.LITTLE_ENDIAN);
                b.asFloatBuffer().put(t.storage().floats(), t.storageOffset(), n);
                Files.write(dir.resolve(s.name() + "." + names[i] + ".bin"), b.array());
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        System.out.println("DUMPED " + s.name() + " " + ops[0].shape() + " " + ops[1].shape() + " " + ops[3].shape());
    }

    private static long cpuNanos() {
        java.lang.management.OperatingSystemMXBean os = java.lang.management.ManagementFactory.getOperatingSystemMXBean();
        return os instanceof com.sun.management.OperatingSystemMXBean ? ((com.sun.management.OperatingSystemMXBean) os).getProcessCpuTime() : 0;
    }
}
