import java.lang.management.ManagementFactory;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Locale;

/**
 * JIT warm-up of issue 10's training step in a fresh JVM (tools/bench/TrainLayers.java's {@code step}): STEPS steps, the
 * first five and every 20th printed with their wall and calling-thread CPU time, the cumulative CPU of the main thread,
 * and the process's CPU by thread kind from /proc/self/task (jit: compiler threads, gc: collector and VM threads) since
 * the start of {@code main}. The closing RESULT line gives the main thread's CPU over all steps, the steady step (median
 * of the last 20 steps' CPU) and the excess over STEPS steady steps (the warm-up, mostly the first step, which runs the
 * Vector API kernels interpreted). CPU time is what a loaded machine distorts least; run old and new builds alternately,
 * one JVM each:
 * <pre>javac -cp A/classes -d TL tools/bench/TrainLayers.java tools/bench/WarmSteps.java
 * java --add-modules jdk.incubator.vector -XX:ActiveProcessorCount=T -Dconvinit.threads=T -cp A/classes:TL WarmSteps T 188</pre>
 */
public final class WarmSteps {
    public static void main(String[] a) throws Exception {
        int threads = Integer.parseInt(a[0]);
        int steps = Integer.parseInt(a[1]);
        var mx = ManagementFactory.getThreadMXBean();
        double[] p0 = procCpu();
        System.out.printf(Locale.ROOT, "up %6.3f start%n", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3);
        long c0 = mx.getCurrentThreadCpuTime();
        Runnable step = (Runnable) Class.forName("TrainLayers").getMethod("step", int.class).invoke(null, threads);
        long c1 = mx.getCurrentThreadCpuTime(), w1 = System.nanoTime();
        StringBuilder sb = new StringBuilder();
        double[] cpuAt = new double[steps + 1];
        long prevC = c1, prevW = w1;
        for (int s = 1; s <= steps; s++) {
            step.run();
            long c = mx.getCurrentThreadCpuTime(), w = System.nanoTime();
            cpuAt[s] = (c - c1) / 1e9;
            if (s <= 5 || s % 20 == 0 || s == steps) {
                double[] p = procCpu();
                sb.append(String.format(Locale.ROOT, "up %6.3f step %3d  %7.1f ms wall %7.1f ms main-cpu | cum main %6.2f wall %6.2f | proc %6.2f jit %6.2f gc %5.2f%n", ManagementFactory.getRuntimeMXBean().getUptime() / 1e3, s,
                        (w - prevW) / 1e6, (c - prevC) / 1e6, cpuAt[s], (w - w1) / 1e9, p[0] - p0[0], p[1] - p0[1], p[2] - p0[2]));
            }
            prevC = c;
            prevW = w;
        }
        // steady = median of last 20 steps' main cpu
        double[] last = new double[20];
        for (int i = 0; i < 20; i++) last[i] = cpuAt[steps - i] - cpuAt[steps - i - 1];
        java.util.Arrays.sort(last);
        double steady = (last[9] + last[10]) / 2;
        double[] p = procCpu();
        System.out.print(sb);
        System.out.printf(Locale.ROOT, "RESULT threads %d setup %.2f s cpu | steps main-cpu %.2f s, steady %.2f ms/step, excess %.2f s | wall %.2f s | proc-cpu %.2f jit %.2f gc %.2f | load %.2f%n",
                threads, (c1 - c0) / 1e9, cpuAt[steps], steady * 1e3, cpuAt[steps] - steps * steady, (System.nanoTime() - w1) / 1e9,
                p[0] - p0[0], p[1] - p0[1], p[2] - p0[2], ManagementFactory.getOperatingSystemMXBean().getSystemLoadAverage());
        System.exit(0);
    }

    /** process cpu, jit cpu, gc cpu in seconds */
    static double[] procCpu() throws Exception {
        double tick = 100.0;
        double all = 0, jit = 0, gc = 0;
        try (var ds = Files.newDirectoryStream(Path.of("/proc/self/task"))) {
            for (Path t : ds) {
                String raw;
                try { raw = Files.readString(t.resolve("stat")); } catch (Exception e) { continue; }
                String name = raw.substring(raw.indexOf('(') + 1, raw.lastIndexOf(')'));
                String[] f = raw.substring(raw.lastIndexOf(')') + 2).split(" ");
                double c = (Long.parseLong(f[11]) + Long.parseLong(f[12])) / tick;
                all += c;
                if (name.contains("Compiler") || name.startsWith("C1 ") || name.startsWith("C2 ")) jit += c;
                if (name.contains("GC") || name.equals("VM Thread")) gc += c;
            }
        }
        return new double[] {all, jit, gc};
    }
}
