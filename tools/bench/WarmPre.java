import java.util.Locale;
import org.convinit.internal.Parallel;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.Losses;
import org.convinit.optim.Adam;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Does a warm-up on a tiny batch shorten the JIT warm-up of issue 10's training step? PRE steps of a throw-away model on
 * a batch of PRE_BATCH, then 188 steps of a fresh model at batch 64, in a fresh JVM; prints the pre-steps' time, step 1,
 * steps 2-20, all 188 and the total (2026-12-03-s29-lanes-warmup.md: it moves the cost, it does not shrink it).
 * <pre>javac --add-modules jdk.incubator.vector -cp convinit-core/target/classes -d /tmp/wp tools/bench/WarmPre.java
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
            Runnable w = step(threads, preBatch);
            for (int i = 0; i < pre; i++) w.run();
        }
        long t1 = System.nanoTime();
        Runnable s = step(threads, 64);
        long[] at = new long[189];
        for (int i = 1; i <= 188; i++) {
            s.run();
            at[i] = System.nanoTime();
        }
        System.out.printf(Locale.ROOT, "pre %d x b%d: %.3f s | step1 %.3f s | steps2-20 %.3f s | all188 %.3f s | total %.3f s%n", pre,
                preBatch, (t1 - t0) / 1e9, (at[1] - t1) / 1e9, (at[20] - at[1]) / 1e9, (at[188] - t1) / 1e9, (at[188] - t0) / 1e9);
        System.exit(0);
    }

    /** A training step of a fresh, seeded model of issue 10's CNN on a fixed batch of {@code b}. */
    static Runnable step(int threads, int b) {
        Parallel.setThreads(threads);
        Generator.manualSeed(0);
        ConvOptions p1 = ConvOptions.DEFAULT.padding(1);
        Sequential m = new Sequential(new Conv2d(1, 32, 3, p1), new BatchNorm2d(32), new ReLU(), new MaxPool2d(2),
                new Conv2d(32, 64, 3, p1), new BatchNorm2d(64), new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(3136, 10));
        Adam opt = new Adam(m.parameters(), Adam.options().lr(1e-3));
        Tensor x = Tensor.empty(DType.FLOAT32, b, 1, 28, 28).normal_(0, 1, new Generator(1));
        long[] labels = new long[b];
        for (int i = 0; i < b; i++) labels[i] = i % 10;
        Tensor y = Tensor.of(labels, b);
        return () -> {
            opt.zeroGrad();
            Tensor loss = Losses.crossEntropy(m.call(x), y);
            loss.backward();
            opt.step();
            loss.item();
        };
    }
}
