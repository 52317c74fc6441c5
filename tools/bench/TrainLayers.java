import java.util.ArrayList;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.convinit.internal.Parallel;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.Adam;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Where one training step of issue 10's CNN spends its wall time, per layer and phase, at 1 and 2 threads in one
 * process (a single-file program, run like tools/bench/ModelsLayers.java):
 *
 * <pre>java --add-modules jdk.incubator.vector -cp convinit-core/target/classes tools/bench/TrainLayers.java ROUNDS [STEPS]</pre>
 *
 * Batch 64 of {@code randn(64, 1, 28, 28)} with fixed labels, Adam(lr=1e-3), cross-entropy. Forward: each layer
 * timed by forward hooks. Backward: the time between consecutive full-backward-hook calls (the first from the
 * start of {@code loss.backward()}: loss and Linear backward together; "backward rest" is what follows the last
 * hook, i.e. the first conv's weight gradient). Each round runs STEPS steps (default 4, the first not timed) at 1
 * thread, then at 2 ({@code Parallel.setThreads}); per key the median over the timed steps of all rounds is
 * printed with the 2-thread speed-up {@code t1 / t2}.
 */
public final class TrainLayers {
    private static final Map<String, Long> CURRENT = new LinkedHashMap<>();

    private static void add(String k, long ns) {
        CURRENT.merge(k, ns, Long::sum);
    }

    public static void main(String[] args) {
        int rounds = Integer.parseInt(args[0]);
        int steps = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), Adam.options().lr(1e-3));
        Tensor x = Tensor.empty(DType.FLOAT32, 64, 1, 28, 28).normal_(0, 1, new Generator(1));
        Tensor y = labels(64);
        Map<Module, Long> started = new IdentityHashMap<>();
        long[] lastBackward = {0};
        int idx = 0;
        for (Module mod : m.modules()) {
            if (mod == m) continue;
            String name = String.format(Locale.ROOT, "%d %s", idx++, mod.name());
            mod.registerForwardPreHook((mm, in) -> {
                started.put(mm, System.nanoTime());
                return null;
            });
            mod.registerForwardHook((mm, in, out) -> {
                add("F " + name, System.nanoTime() - started.get(mm));
                return null;
            });
            mod.registerFullBackwardHook((mm, gi, go) -> {
                long now = System.nanoTime();
                add("B " + name, now - lastBackward[0]);
                lastBackward[0] = now;
                return null;
            });
        }
        Map<String, List<Long>> t1 = new LinkedHashMap<>();
        Map<String, List<Long>> t2 = new LinkedHashMap<>();
        for (int r = 0; r < rounds; r++) {
            for (int threads = 1; threads <= 2; threads++) {
                Parallel.setThreads(threads);
                for (int s = 0; s < steps; s++) {
                    CURRENT.clear();
                    long a = System.nanoTime();
                    opt.zeroGrad();
                    long b = System.nanoTime();
                    Tensor out = m.call(x);
                    long c = System.nanoTime();
                    Tensor loss = Losses.crossEntropy(out, y);
                    long d = System.nanoTime();
                    lastBackward[0] = d;
                    loss.backward();
                    long e = System.nanoTime();
                    opt.step();
                    long f = System.nanoTime();
                    loss.item();
                    add("zero_grad", b - a);
                    add("loss forward", d - c);
                    add("backward rest", e - lastBackward[0]);
                    add("optimizer step", f - e);
                    add("STEP", f - a);
                    add("FORWARD", c - b);
                    add("BACKWARD", e - d);
                    if (s == 0) continue;
                    for (Map.Entry<String, Long> en : CURRENT.entrySet()) {
                        (threads == 1 ? t1 : t2).computeIfAbsent(en.getKey(), k -> new ArrayList<>()).add(en.getValue());
                    }
                }
            }
        }
        System.out.printf(Locale.ROOT, "%-28s %9s %9s %6s %6s%n", "key", "1thr ms", "2thr ms", "t1/t2", "%2thr");
        double step2 = median(t2.get("STEP")) / 1e6;
        List<String> keys = new ArrayList<>(t1.keySet());
        keys.sort((u, v) -> Integer.compare(order(u), order(v)));
        for (String k : keys) {
            double a = median(t1.get(k)) / 1e6;
            double b = median(t2.getOrDefault(k, List.of(0L))) / 1e6;
            System.out.printf(Locale.ROOT, "%-28s %9.2f %9.2f %6.2f %5.1f%%%n", k, a, b, a / b, 100 * b / step2);
        }
        System.out.printf(Locale.ROOT, "(%d rounds x %d timed steps per thread count, load %.2f)%n", rounds, steps - 1,
                java.lang.management.ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(0);
    }

    /** One training step of a fresh model on a fixed batch, for A/B harnesses that load this class per build (tools/bench/StepAB.java). */
    public static Runnable step(int threads) {
        return step(threads, 64);
    }

    /** {@link #step(int)} on a batch of {@code batch} (tools/bench/WarmPre.java's tiny pre-steps). */
    public static Runnable step(int threads, int batch) {
        Parallel.setThreads(threads);
        Sequential m = model();
        Adam opt = new Adam(m.parameters(), Adam.options().lr(1e-3));
        Tensor x = Tensor.empty(DType.FLOAT32, batch, 1, 28, 28).normal_(0, 1, new Generator(1));
        Tensor y = labels(batch);
        return () -> {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(m.call(x), y);
            loss.backward();
            opt.step();
            loss.item();
        };
    }

    /** Issue 10's CNN, seeded. */
    static Sequential model() {
        Generator.manualSeed(0);
        ConvOptions p1 = ConvOptions.DEFAULT.padding(1);
        return new Sequential(new Conv2d(1, 32, 3, p1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, p1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(3136, 10));
    }

    /** Labels 0..9 repeated over a batch of {@code batch}. */
    static Tensor labels(int batch) {
        long[] labels = new long[batch];
        for (int i = 0; i < batch; i++) labels[i] = i % 10;
        return Tensor.of(labels, batch);
    }

    private static int order(String k) {
        if (k.equals("STEP")) return 0;
        if (k.equals("zero_grad")) return 1;
        if (k.equals("FORWARD")) return 2;
        if (k.startsWith("F ")) return 3;
        if (k.equals("loss forward")) return 4;
        if (k.equals("BACKWARD")) return 5;
        if (k.startsWith("B ")) return 6;
        if (k.equals("backward rest")) return 7;
        return 8;
    }

    private static double median(List<Long> v) {
        long[] a = v.stream().mapToLong(Long::longValue).toArray();
        Arrays.sort(a);
        return a[a.length / 2];
    }
}
