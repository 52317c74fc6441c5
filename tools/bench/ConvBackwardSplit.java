import java.util.Locale;
import java.util.Random;

import org.convinit.internal.Parallel;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The backward of issue 10's second convolution (N64 32→64 3×3 p1 at 14², float32) split into dX alone (the weight
 * frozen), dW alone (the input not requiring grad) and both, at 1 and 2 threads: the best of 200 timed
 * {@code y.backward(g, true)} calls after 100 untimed, per mode, for ROUNDS rounds. Run from the repository root:
 * <pre>
 *   mvn -q -o -pl convinit-core compile
 *   java --add-modules jdk.incubator.vector -XX:+UseSerialGC -cp convinit-core/target/classes tools/bench/ConvBackwardSplit.java [ROUNDS]
 * </pre>
 * 2026-12-03 (s28 profile): dX 2.52 → 1.46 ms from 1 to 2 threads, dW 2.40 → 2.46 ms (the Winograd weight gradient
 * does not gain from the second thread).
 */
public final class ConvBackwardSplit {
    private ConvBackwardSplit() {}

    private static Tensor fill(Random r, Tensor t) {
        float[] a = t.storage().floats();
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
        return t;
    }

    public static void main(String[] args) {
        int rounds = args.length > 0 ? Integer.parseInt(args[0]) : 2;
        int n = 64, c = 32, o = 64, hw = 14;
        int[] one = {1, 1};
        Random r = new Random(1);
        for (int round = 0; round < rounds; round++) {
            for (int threads : new int[] {1, 2}) {
                Parallel.setThreads(threads);
                StringBuilder line = new StringBuilder("threads " + threads + ":");
                for (String mode : new String[] {"dX", "dW", "both"}) {
                    Tensor x = fill(r, Tensor.empty(DType.FLOAT32, n, c, hw, hw)).requiresGrad(!mode.equals("dW"));
                    Tensor w = fill(r, Tensor.empty(DType.FLOAT32, o, c, 3, 3)).requiresGrad(!mode.equals("dX"));
                    Tensor y = F.conv2d(x, w, null, one, one, one, 1);
                    Tensor g = fill(r, Tensor.empty(DType.FLOAT32, n, o, hw, hw));
                    double best = Double.MAX_VALUE;
                    for (int rep = 0; rep < 300; rep++) {
                        long t0 = System.nanoTime();
                        y.backward(g, true);
                        long t1 = System.nanoTime();
                        x.setGrad(null);
                        w.setGrad(null);
                        if (rep >= 100) best = Math.min(best, (t1 - t0) / 1e6);
                    }
                    line.append(String.format(Locale.ROOT, "  %s %.3f ms", mode, best));
                }
                System.out.println(line);
            }
        }
        System.exit(0);
    }
}
