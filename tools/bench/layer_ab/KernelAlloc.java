package org.convinit.nn.functional.kernels;

import java.util.*;

/**
 * Each {@link FloatLayerKernel} loop alone, on the kernel in use: bytes the calling thread allocates per call after a
 * warm-up (0 when C2 compiled the Vector API ops to registers; boxed {@code Float256Vector}s show up here) and the best
 * thread CPU time per call. Cases run in order in one JVM, so a case can see the compilation an earlier one left: the
 * 2×2 pooling at 28→14 then at 14→7 is the sequence a training step makes (the "mix" cases run such sequences from
 * the start). Lives in the kernels' package (the loops are package-private). Usage, from the repo:
 * <pre>
 *   mvn -q -o -pl convinit-core compile
 *   javac --add-modules jdk.incubator.vector -cp convinit-core/target/classes -d /tmp/ka tools/bench/layer_ab/KernelAlloc.java
 *   java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=1 -cp convinit-core/target/classes:/tmp/ka \
 *       org.convinit.nn.functional.kernels.KernelAlloc [NAME-FILTER]       (-Dwarm=N calls before measuring, default 30000)
 * </pre>
 */
public final class KernelAlloc {
    static final com.sun.management.ThreadMXBean MX = (com.sun.management.ThreadMXBean) java.lang.management.ManagementFactory.getThreadMXBean();
    static final Map<String, Runnable> CASES = new LinkedHashMap<>();
    static float sink;

    private KernelAlloc() {}

    static float[] rnd(int n, long seed) {
        Random r = new Random(seed);
        float[] a = new float[n];
        for (int i = 0; i < n; i++) a[i] = r.nextFloat() * 4 - 2;
        return a;
    }

    public static void main(String[] args) {
        float[] rndBig = rnd(112 * 112 + 64, 9);
        FloatLayerKernel k = LayerKernels.floats();
        System.out.println("kernel " + k.name());
        String filter = args.length > 0 ? args[0] : "";
        int warm = Integer.getInteger("warm", 30000);
        // plane sizes of the CNN: 28x28 (32 ch) and 14x14 (64 ch)
        float[] x28 = rnd(28 * 28 + 64, 1), x14 = rnd(14 * 14 + 64, 2), y = new float[4096], tmp = new float[32];
        int[] arg = new int[4096];
        CASES.put("maxPool2x2 28->14 arg", () -> k.maxPool2x2(x28, 0, 0, 28, 14, 14, y, 0, arg, tmp));
        CASES.put("maxPool2x2 28->14 noarg", () -> k.maxPool2x2(x28, 0, 0, 28, 14, 14, y, 0, null, tmp));
        CASES.put("maxPool2x2 14->7 arg", () -> k.maxPool2x2(x14, 0, 0, 14, 7, 7, y, 0, arg, tmp));
        float[] x14e = rnd(4 * 14 * 14, 7);
        CASES.put("maxPool2x2 14->7 exact4planes arg", () -> {
            for (int pl = 0; pl < 4; pl++) k.maxPool2x2(x14e, pl * 196, 0, 14, 7, 7, y, pl * 49, arg, tmp);
        });
        CASES.put("maxPool2x2 112->56 arg", () -> k.maxPool2x2(rndBig, 0, 0, 112, 56, 56, y, 0, arg, tmp));
        CASES.put("mix maxPool2x2 14/7 arg+noarg", () -> {
            k.maxPool2x2(x28, 0, 0, 28, 14, 14, y, 0, arg, tmp);
            k.maxPool2x2(x14, 0, 0, 14, 7, 7, y, 0, arg, tmp);
            k.maxPool2x2(x28, 0, 0, 28, 14, 14, y, 0, null, tmp);
            k.maxPool2x2(x14, 0, 0, 14, 7, 7, y, 0, null, tmp);
        });
        float[] t = new float[4096], ta = new float[4096];
        int[] rows = {0, 112, 224};
        CASES.put("maxPoolRows 3x112", () -> k.maxPoolRows(rndBig, 0, rows, 3, 112, t, ta, 0));
        CASES.put("maxPoolColumns k3 s2 n55", () -> k.maxPoolColumns(t, ta, 0, 3, 2, 1, 55, y, 0, arg));
        float[] bx = rnd(64 * 784, 3), by = new float[64 * 784], bg = rnd(64 * 784, 4);
        double[] acc = new double[2];
        CASES.put("meanAndSquares 64x784", () -> k.meanAndSquares(bx, 0, 784, 64, 784, acc));
        CASES.put("meanAndSquares 64x196", () -> k.meanAndSquares(bx, 0, 196, 64, 196, acc));
        CASES.put("mix bn 784/196 fwd+bwd", () -> {
            k.meanAndSquares(bx, 0, 784, 64, 784, acc);
            k.normalize(bx, 0, 0.1f, 1.3f, 0.2f, true, by, 0, 784);
            k.meanAndSquares(bx, 0, 196, 64, 196, acc);
            k.normalize(bx, 0, 0.1f, 1.3f, 0.2f, true, by, 0, 196);
            k.gradSums(bg, 0, by, 0, bx, 0, 784, 64, 0.1f, 784, acc);
            k.normBackward(bg, 0, by, 0, bx, 0, 0.1f, 0.2f, 1.1f, 0.3f, y, 0, 784);
            k.gradSums(bg, 0, by, 0, bx, 0, 196, 64, 0.1f, 196, acc);
            k.normBackward(bg, 0, by, 0, bx, 0, 0.1f, 0.2f, 1.1f, 0.3f, y, 0, 196);
        });
        CASES.put("normalize 784 relu", () -> k.normalize(bx, 0, 0.1f, 1.3f, 0.2f, true, by, 0, 784));
        CASES.put("normalize 196 relu", () -> k.normalize(bx, 0, 0.1f, 1.3f, 0.2f, true, by, 0, 196));
        CASES.put("gradSums 64x784 relu", () -> k.gradSums(bg, 0, by, 0, bx, 0, 784, 64, 0.1f, 784, acc));
        CASES.put("gradSums 64x196 relu", () -> k.gradSums(bg, 0, by, 0, bx, 0, 196, 64, 0.1f, 196, acc));
        CASES.put("normBackward 784 relu", () -> k.normBackward(bg, 0, by, 0, bx, 0, 0.1f, 0.2f, 1.1f, 0.3f, y, 0, 784));
        CASES.put("normBackward 196 relu", () -> k.normBackward(bg, 0, by, 0, bx, 0, 0.1f, 0.2f, 1.1f, 0.3f, y, 0, 196));
        CASES.put("scale 784 relu", () -> k.scale(bg, 0, by, 0, 1.1f, y, 0, 784));
        CASES.put("relu 784", () -> k.relu(bx, 0, y, 0, 784));
        CASES.put("reluBackward 784", () -> k.reluBackward(bg, 0, bx, 0, y, 0, 784));
        CASES.put("hardtanh 784", () -> k.hardtanh(bx, 0, 0f, 6f, y, 0, 784));
        CASES.put("hardtanhBackward 784", () -> k.hardtanhBackward(bg, 0, bx, 0, 0f, 6f, y, 0, 784));
        CASES.put("leakyRelu 784", () -> k.leakyRelu(bx, 0, 0.01f, y, 784));
        CASES.put("leakyReluBackward 784", () -> k.leakyReluBackward(bg, 0, bx, 0, 0.01f, y, 784));
        CASES.put("sum 64x784", () -> sink += (float) k.sum(bx, 0, 784, 64, 784));
        float[] ga = rnd(64 * 3136, 5), gb = rnd(10 * 3136, 6), gc = new float[640];
        CASES.put("gemmNT 64x10x3136", () -> k.gemmNT(64, 10, 3136, ga, 0, 3136, gb, 0, 3136, null, gc, 0, 10));
        CASES.put("gemmRows 10x3136x64", () -> k.gemmRows(0, 10, 3136, 64, ga, 0, 1, 10, ga, 0, bx));
        for (Map.Entry<String, Runnable> e : CASES.entrySet()) {
            if (!e.getKey().contains(filter)) continue;
            Runnable r = e.getValue();
            for (int i = 0; i < warm; i++) r.run();
            int n = 2000;
            long a0 = MX.getCurrentThreadAllocatedBytes();
            for (int i = 0; i < n; i++) r.run();
            long a1 = MX.getCurrentThreadAllocatedBytes();
            double best = Double.MAX_VALUE;
            for (int rep = 0; rep < 7; rep++) {
                long c0 = MX.getCurrentThreadCpuTime();
                for (int i = 0; i < n; i++) r.run();
                best = Math.min(best, (MX.getCurrentThreadCpuTime() - c0) / (double) n);
            }
            System.out.printf(Locale.ROOT, "%-28s %10.1f B/call  %9.0f ns/call%n", e.getKey(), (a1 - a0) / (double) n, best);
        }
    }
}
