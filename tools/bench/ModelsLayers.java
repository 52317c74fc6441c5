import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.internal.Parallel;
import org.convinit.models.Models;
import org.convinit.nn.ConvNd;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Where a model's forward time goes, per layer kind and per convolution shape, at 1 and 2 threads in one process
 * (a single-file program, run like tools/bench/ModelsForward.java):
 *
 * <pre>java --add-modules jdk.incubator.vector -cp core/classes:models/classes tools/bench/ModelsLayers.java resnet18 8 224 ROUNDS</pre>
 *
 * Eval mode, no grad, {@code randn(batch, 3, size, size)}. Every leaf module's {@code call} is timed by forward hooks;
 * a composite module's time not spent in its leaves ("self", e.g. the residual add of a block) is reported under
 * its class name followed by {@code (self)}. Each round runs a warm-up forward and then one timed forward at 1
 * thread and one at 2 threads ({@code Parallel.setThreads}), alternating; per key the median over rounds is printed
 * with the 2-thread efficiency {@code t1 / t2} (2.0 = perfect scaling).
 */
public final class ModelsLayers {
    private static String key(Module m, Tensor in, Tensor out) {
        if (m instanceof ConvNd) {
            ConvNd c = (ConvNd) m;
            int[] s = in.shape().toArray();
            return String.format(Locale.ROOT, "Conv %d->%d k%d s%d g%d @%dx%d", c.inChannels(), c.outChannels(),
                    c.kernelSize()[0], s[2] / out.shape().get(2), c.groups(), s[2], s[3]);
        }
        return m.name() + " " + in.shape();
    }

    public static void main(String[] args) {
        String model = args[0];
        int batch = Integer.parseInt(args[1]);
        int size = Integer.parseInt(args[2]);
        int rounds = Integer.parseInt(args[3]);
        Generator.manualSeed(0);
        Module m = Models.create(model, Map.of(), DType.FLOAT32);
        m.eval();
        Tensor x = Tensor.empty(DType.FLOAT32, batch, 3, size, size).normal_(0, 1, new Generator(1));
        Map<String, Long> current = new LinkedHashMap<>();
        Map<String, Integer> calls = new LinkedHashMap<>();
        Map<Module, long[]> started = new IdentityHashMap<>();
        Map<Module, Boolean> leaf = new IdentityHashMap<>();
        List<Module> stack = new ArrayList<>();
        for (Module mod : m.modules()) {
            if (mod == m) continue;
            boolean isLeaf = mod.namedChildren().isEmpty();
            leaf.put(mod, isLeaf);
            mod.registerForwardPreHook((mm, in) -> {
                stack.add(mm);
                started.put(mm, new long[] {System.nanoTime(), 0});
                return null;
            });
            mod.registerForwardHook((mm, in, out) -> {
                long[] st = started.get(mm);
                long dt = System.nanoTime() - st[0];
                stack.remove(stack.size() - 1);
                if (!stack.isEmpty()) started.get(stack.get(stack.size() - 1))[1] += dt;
                String k = leaf.get(mm) ? key(mm, in, out) : mm.name() + " (self)";
                long self = leaf.get(mm) ? dt : dt - st[1];
                if (!leaf.get(mm) && (mm.name().equals("Sequential") || mm.name().equals("Chain"))) k = "Sequential (self)";
                current.merge(k, self, Long::sum);
                calls.merge(k, 1, Integer::sum);
                return null;
            });
        }
        Map<String, List<Long>> t1 = new LinkedHashMap<>();
        Map<String, List<Long>> t2 = new LinkedHashMap<>();
        List<Long> tot1 = new ArrayList<>();
        List<Long> tot2 = new ArrayList<>();
        try (var g = GradMode.noGrad()) {
            for (int r = 0; r < rounds; r++) {
                for (int threads = 1; threads <= 2; threads++) {
                    Parallel.setThreads(threads);
                    m.call(x);
                    current.clear();
                    calls.clear();
                    long a = System.nanoTime();
                    m.call(x);
                    (threads == 1 ? tot1 : tot2).add(System.nanoTime() - a);
                    for (Map.Entry<String, Long> e : current.entrySet()) {
                        (threads == 1 ? t1 : t2).computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue());
                    }
                }
            }
        }
        double f1 = median(tot1) / 1e6;
        double f2 = median(tot2) / 1e6;
        System.out.printf(Locale.ROOT, "FORWARD %s batch %d %dx%d: 1 thread %.1f ms, 2 threads %.1f ms, t1/t2 %.2f (%d rounds)%n",
                model, batch, size, size, f1, f2, f1 / f2, rounds);
        System.out.printf(Locale.ROOT, "%-44s %5s %9s %9s %6s %6s%n", "layer", "calls", "1thr ms", "2thr ms", "t1/t2", "%2thr");
        double s1 = 0;
        double s2 = 0;
        for (String k : t1.keySet()) {
            double a = median(t1.get(k)) / 1e6;
            double b = median(t2.getOrDefault(k, List.of(0L))) / 1e6;
            s1 += a;
            s2 += b;
            System.out.printf(Locale.ROOT, "%-44s %5d %9.2f %9.2f %6.2f %5.1f%%%n", k, calls.get(k), a, b, a / b, 100 * b / f2);
        }
        System.out.printf(Locale.ROOT, "%-44s %5s %9.2f %9.2f%n", "sum of medians", "", s1, s2);
    }

    private static double median(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
