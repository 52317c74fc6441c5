package org.convinit.nn.functional;

import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

import org.convinit.autograd.Autograd;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Not a test: times forward + backward of the non-conv layers of the Fashion-MNIST CNN at batch 64,
 * reference loops (A) against the fast float32 path (B), alternating in one JVM. Run with
 * {@code java --add-modules jdk.incubator.vector -cp target/classes:target/test-classes
 * org.convinit.nn.functional.LayerTiming [rounds] [threads]}.
 */
public final class LayerTiming {
    private LayerTiming() {}

    private static Tensor rand(long seed, int... shape) {
        return Tensor.empty(DType.FLOAT32, shape).uniform_(-2, 2, new Generator(seed));
    }

    /**
     * Milliseconds of one forward + backward of {@code op} (best of {@code reps}); the input hangs below a
     * node whose backward stops, so no leaf gradient is accumulated and only the layer is timed.
     */
    private static double time(Function<Tensor, Tensor> op, Tensor x, Tensor leaf, Tensor g, int reps) {
        long best = Long.MAX_VALUE;
        for (int r = 0; r < reps; r++) {
            Tensor in = Autograd.record(x.detach(), "Sink", new Tensor[] {leaf}, new Tensor[0], gg -> new Tensor[] {null});
            long t0 = System.nanoTime();
            Tensor y = op.apply(in);
            if (y.numel() == 1) y.backward();
            else y.backward(g, false);
            best = Math.min(best, System.nanoTime() - t0);
        }
        return best / 1e6;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 5;
        if (args.length > 1) org.convinit.internal.Parallel.setThreads(Integer.parseInt(args[1]));
        Tensor w1 = Tensor.ones(DType.FLOAT32, 32).requiresGrad(true);
        Tensor b1 = Tensor.zeros(DType.FLOAT32, 32).requiresGrad(true);
        Tensor w2 = Tensor.ones(DType.FLOAT32, 64).requiresGrad(true);
        Tensor b2 = Tensor.zeros(DType.FLOAT32, 64).requiresGrad(true);
        Tensor lw = rand(3, 10, 3136).requiresGrad(true);
        Tensor lb = rand(4, 10).requiresGrad(true);
        Tensor target = Tensor.of(new long[64], 64);
        Tensor x1 = rand(1, 64, 32, 28, 28);
        Tensor x2 = rand(2, 64, 64, 14, 14);
        Tensor xl = rand(5, 64, 3136);
        Tensor xc = rand(6, 64, 10);
        int[] two = {2};
        int[] zero = {0};
        int[] one = {1};
        Map<String, Object[]> cases = new LinkedHashMap<>();
        cases.put("bn1 [64,32,28,28]", new Object[] {x1,
                (Function<Tensor, Tensor>) x -> Normalization.reference(x, null, null, w1, b1, true, true, 0.1, 1e-5),
                (Function<Tensor, Tensor>) x -> F.batchNorm(x, null, null, w1, b1, true, 0.1, 1e-5)});
        cases.put("relu1 [64,32,28,28]", new Object[] {x1,
                (Function<Tensor, Tensor>) x -> Elementwise.reference("relu", x, Elementwise::relu, (a, y) -> y > 0 ? 1 : 0),
                (Function<Tensor, Tensor>) F::relu});
        cases.put("pool1 [64,32,28,28]", new Object[] {x1,
                (Function<Tensor, Tensor>) x -> Pooling.maxPoolReference(2, x, two, null, zero, one, false),
                (Function<Tensor, Tensor>) x -> F.maxPool2d(x, 2)});
        cases.put("bn2 [64,64,14,14]", new Object[] {x2,
                (Function<Tensor, Tensor>) x -> Normalization.reference(x, null, null, w2, b2, true, true, 0.1, 1e-5),
                (Function<Tensor, Tensor>) x -> F.batchNorm(x, null, null, w2, b2, true, 0.1, 1e-5)});
        cases.put("relu2 [64,64,14,14]", new Object[] {x2,
                (Function<Tensor, Tensor>) x -> Elementwise.reference("relu", x, Elementwise::relu, (a, y) -> y > 0 ? 1 : 0),
                (Function<Tensor, Tensor>) F::relu});
        cases.put("pool2 [64,64,14,14]", new Object[] {x2,
                (Function<Tensor, Tensor>) x -> Pooling.maxPoolReference(2, x, two, null, zero, one, false),
                (Function<Tensor, Tensor>) x -> F.maxPool2d(x, 2)});
        cases.put("linear [64,3136]x[10,3136]", new Object[] {xl,
                (Function<Tensor, Tensor>) x -> F.linearReference(x, lw, lb, 64, 3136, 10),
                (Function<Tensor, Tensor>) x -> F.linear(x, lw, lb)});
        cases.put("cross_entropy [64,10]", new Object[] {xc,
                (Function<Tensor, Tensor>) x -> Losses.crossEntropyComposed(x, target, Losses.Reduction.MEAN, -100, 0),
                (Function<Tensor, Tensor>) x -> Losses.crossEntropy(x, target)});
        Tensor sink = Tensor.zeros(DType.FLOAT32, 1).requiresGrad(true);
        for (Map.Entry<String, Object[]> e : cases.entrySet()) { // the output gradient, made once
            Object[] c = e.getValue();
            @SuppressWarnings("unchecked") Function<Tensor, Tensor> b = (Function<Tensor, Tensor>) c[2];
            Tensor y = b.apply(((Tensor) c[0]).detach());
            if (y.numel() > 1) e.setValue(new Object[] {c[0], c[1], c[2], rand(9, y.shape().toArray())});
        }
        Map<String, double[][]> ms = new LinkedHashMap<>();
        for (String k : cases.keySet()) ms.put(k, new double[2][rounds]);
        for (int r = -3; r < rounds; r++) { // three rounds of warm-up, not recorded
            for (Map.Entry<String, Object[]> e : cases.entrySet()) {
                Object[] c = e.getValue();
                @SuppressWarnings("unchecked") Function<Tensor, Tensor> a = (Function<Tensor, Tensor>) c[1];
                @SuppressWarnings("unchecked") Function<Tensor, Tensor> b = (Function<Tensor, Tensor>) c[2];
                Tensor x = (Tensor) c[0];
                Tensor g = c.length > 3 ? (Tensor) c[3] : null;
                double ta = time(a, x, sink, g, 3);
                double tb = time(b, x, sink, g, 3);
                if (r < 0) continue;
                ms.get(e.getKey())[0][r] = ta;
                ms.get(e.getKey())[1][r] = tb;
            }
        }
        System.out.printf("threads %d, kernel %s; best of 3 per round, median of %d rounds (ms, forward + backward)%n",
                org.convinit.internal.Parallel.threads(), org.convinit.nn.functional.kernels.LayerKernels.floats().name(), rounds);
        double ta = 0, tb = 0;
        for (Map.Entry<String, double[][]> e : ms.entrySet()) {
            double a = median(e.getValue()[0]);
            double b = median(e.getValue()[1]);
            ta += a;
            tb += b;
            System.out.printf("%-28s reference %8.3f   fast %8.3f   x%.1f%n", e.getKey(), a, b, a / b);
        }
        System.out.printf("%-28s reference %8.3f   fast %8.3f   x%.1f%n", "total", ta, tb, ta / tb);
    }

    private static double median(double[] v) {
        double[] s = v.clone();
        Arrays.sort(s);
        return s[s.length / 2];
    }
}
