import java.util.Locale;

/**
 * Does a warm-up on a tiny batch shorten the JIT warm-up of issue 10's training step? PRE steps of a throw-away model on
 * a batch of PRE_BATCH, then 188 steps of a fresh model at batch 64 (both {@link TrainLayers#step(int, int)}), in a
 * fresh JVM; prints the pre-steps' time, step 1, steps 2-20, all 188 and the total (2026-12-03-s29-lanes-warmup.md: it moves the cost, it does not shrink it).
 * <pre>javac --add-modules jdk.incubator.vector -cp convinit-core/target/classes -d /tmp/wp tools/bench/TrainLayers.java tools/bench/WarmPre.java
 * java --add-modules jdk.incubator.vector -XX:+UseSerialGC -Dconvinit.threads=1 -cp convinit-core/target/classes:/tmp/wp WarmPre 1 PRE PRE_BATCH</pre>
 */
public final class WarmPre {
    private WarmPre() {}

    public static void main(String[] a) {
        int threads = Integer.parseInt(a[0]);
        int pre = Integer.parseInt(a[1]);
        int preBatch = Integer.parseInt(a[2]);
        long t0 = System.nanoTime();
        if (pre > 0) {
            Runnable w = TrainLayers.step(threads, preBatch);
            for (int i = 0; i < pre; i++) w.run();
        }
        long t1 = System.nanoTime();
        Runnable s = TrainLayers.step(threads, 64);
        long[] at = new long[189];
        for (int i = 1; i <= 188; i++) {
            s.run();
            at[i] = System.nanoTime();
        }
        System.out.printf(Locale.ROOT, "pre %d x b%d: %.3f s | step1 %.3f s | steps2-20 %.3f s | all188 %.3f s | total %.3f s%n", pre,
                preBatch, (t1 - t0) / 1e9, (at[1] - t1) / 1e9, (at[20] - at[1]) / 1e9, (at[188] - t1) / 1e9, (at[188] - t0) / 1e9);
        System.exit(0);
    }
}
