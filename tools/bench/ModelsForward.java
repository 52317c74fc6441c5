import java.util.Arrays;
import java.util.Locale;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.models.Models;
import org.convinit.nn.ConvNd;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The Java side of tools/bench/models_vs_torch.py (a single-file program, run with java's source launcher on the
 * classes of convinit-core and convinit-models): builds the model with {@code manual_seed(0)}, eval mode, no grad, and
 * times forward passes on {@code randn(batch, 3, size, size)}: warm-up, then {@code reps} timed calls.
 * Threads: {@code -Dconvinit.threads=N}. Prints {@code RESULT <model> <min ms> <median ms> <sum of logits>}; with a
 * sixth argument {@code --profile}, {@code PROFILE} lines: each kind of leaf module's share of the forward's wall and CPU
 * time, and how its CPU time splits between the calling thread and the pool's workers.
 */
public final class ModelsForward {
    /** The ids of the threads whose CPU time a layer's call is charged with: this one, then the pool's workers once they exist. */
    private static long[] threadIds = {Thread.currentThread().getId()};

    /** CPU ns so far of {@link #threadIds}: [0] this thread, [1] the others. */
    private static long[] cpu() {
        var mx = java.lang.management.ManagementFactory.getThreadMXBean();
        long[] t = {mx.getCurrentThreadCpuTime(), 0};
        for (int i = 1; i < threadIds.length; i++) t[1] += Math.max(0, mx.getThreadCpuTime(threadIds[i]));
        return t;
    }

    /**
     * Times every leaf module's calls by kind (forward hooks): {wall ns, calls, CPU ns of the calling thread, CPU ns of the
     * pool's workers}. The CPU times do not depend on what else the machine runs: how a layer's work splits between the
     * threads (the calling thread's part of the CPU time: 1 when it runs alone, 1/2 when the split is even) shows how
     * it can scale.
     */
    private static Map<String, long[]> profile(Module m) {
        Map<String, long[]> byClass = new java.util.TreeMap<>();
        Map<Module, long[]> started = new java.util.IdentityHashMap<>();
        for (Module leaf : m.modules()) {
            if (!leaf.namedChildren().isEmpty()) continue;
            long[] slot = byClass.computeIfAbsent(kind(leaf), k -> new long[4]);
            leaf.registerForwardPreHook((mod, in) -> {
                long[] c = cpu();
                started.put(mod, new long[] {System.nanoTime(), c[0], c[1]});
                return null;
            });
            leaf.registerForwardHook((mod, in, out) -> {
                long[] s = started.get(mod);
                long[] c = cpu();
                slot[0] += System.nanoTime() - s[0];
                slot[1]++;
                slot[2] += c[0] - s[1];
                slot[3] += c[1] - s[2];
                return null;
            });
        }
        return byClass;
    }

    /** A leaf's profile key: its class name, convolutions split into depthwise (by kernel and stride), 1×1 and others. */
    private static String kind(Module leaf) {
        if (!(leaf instanceof ConvNd)) return leaf.name();
        ConvNd c = (ConvNd) leaf;
        int k = c.kernelSize()[0];
        if (c.groups() > 1 && c.groups() == c.inChannels()) return leaf.name() + " dw k" + k + (leaf.toString().contains("stride=(2") ? " s2" : " s1");
        return leaf.name() + (k == 1 ? " 1x1" : " k" + k);
    }

    private static int countPerForward(Module m, String cls) {
        int n = 0;
        for (Module leaf : m.modules()) if (leaf.namedChildren().isEmpty() && kind(leaf).equals(cls)) n++;
        return n;
    }

    public static void main(String[] args) {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        double warmup = Double.parseDouble(args[3]);
        int reps = Integer.parseInt(args[4]);
        Generator.manualSeed(0);
        Module m = Models.create(model, Map.of(), DType.FLOAT32);
        m.eval();
        Tensor x = Tensor.empty(DType.FLOAT32, batch, 3, size, size).normal_(0, 1, new Generator(1));
        Map<String, long[]> profile = args.length > 5 && args[5].equals("--profile") ? profile(m) : null;
        try (var g = GradMode.noGrad()) {
            long end = System.nanoTime() + (long) (warmup * 1e9);
            int calls = 0;
            while (System.nanoTime() < end || calls < 2) {
                m.call(x);
                calls++;
            }
            if (profile != null) {
                profile.values().forEach(v -> Arrays.fill(v, 0)); // the timed calls only
                threadIds = java.util.stream.LongStream.concat(java.util.stream.LongStream.of(Thread.currentThread().getId()),
                        Thread.getAllStackTraces().keySet().stream().filter(t -> t instanceof java.util.concurrent.ForkJoinWorkerThread)
                                .mapToLong(Thread::getId)).toArray();
            }
            double[] ms = new double[reps];
            double sum = 0;
            for (int i = 0; i < reps; i++) {
                long a = System.nanoTime();
                Tensor y = m.call(x);
                ms[i] = (System.nanoTime() - a) / 1e6;
                sum = y.sum().item();
            }
            Arrays.sort(ms);
            System.out.printf(Locale.ROOT, "RESULT %s %.2f %.2f %.6e%n", model, ms[0], ms[reps / 2], sum);
            if (profile != null) {
                long total = 0;
                for (long[] v : profile.values()) total += v[0];
                long cpuTotal = 0;
                for (long[] v : profile.values()) cpuTotal += v[2] + v[3];
                System.out.printf(Locale.ROOT, "PROFILE %-20s %6s %9s %9s %9s %s%n", "layer", "wall", "wall ms", "cpu", "cpu ms",
                        "calling thread's part of the cpu");
                for (Map.Entry<String, long[]> e : profile.entrySet()) {
                    long[] v = e.getValue();
                    double perForward = (double) countPerForward(m, e.getKey()) / v[1] / 1e6;
                    System.out.printf(Locale.ROOT, "PROFILE %-20s %5.1f%% %9.1f %8.1f%% %9.1f %.2f%n", e.getKey(), 100.0 * v[0] / total,
                            v[0] * perForward, 100.0 * (v[2] + v[3]) / cpuTotal, (v[2] + v[3]) * perForward, (double) v[2] / (v[2] + v[3]));
                }
            }
        }
    }
}
