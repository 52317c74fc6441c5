package org.convinit.bench;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.Locale;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Times {@code Tensor.uniform_(0, 1)} and {@code Tensor.normal_(0, 1)} on one float32 tensor of
 * {@code --n} elements (default 64M) through the public API, the way tools/bench/init_vs_torch.py times
 * torch: warm up, then {@code reps} timed calls, reporting the fastest and the median. Then, from
 * {@code manual_seed(--seed)}, one fill of each and the SHA-256 of its little-endian float32 bytes, which
 * the script compares with torch's (the whole tensor bit for bit). Prints
 * {@code RESULT <op> <n> <min ms> <median ms>} and {@code HASH <op> <n> <seed> <sha256>} lines.
 *
 * <pre>java --add-modules jdk.incubator.vector -cp benchmarks.jar org.convinit.bench.InitCompare --n 67108864</pre>
 */
public final class InitCompare {
    private InitCompare() {}

    public static void main(String[] args) throws NoSuchAlgorithmException {
        int n = 64 << 20;
        double warmupSec = 3.0;
        int reps = 7;
        long seed = 0;
        for (int i = 0; i < args.length; i++) {
            switch (args[i]) {
                case "--n": n = Integer.parseInt(args[++i]); break;
                case "--warmup": warmupSec = Double.parseDouble(args[++i]); break;
                case "--reps": reps = Integer.parseInt(args[++i]); break;
                case "--seed": seed = Long.parseLong(args[++i]); break;
                default: throw new IllegalArgumentException("unknown argument " + args[i]
                        + "; expected --n N --warmup SEC --reps N --seed S");
            }
        }
        System.out.println("# convinit java " + System.getProperty("java.version") + ", vector module "
                + ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent()
                + ", convinit.kernels=" + System.getProperty("convinit.kernels", "(default)"));
        Tensor t = Tensor.empty(DType.FLOAT32, n);
        for (String op : new String[] {"uniform_", "normal_"}) {
            Runnable fill = "uniform_".equals(op) ? () -> t.uniform_(0, 1) : () -> t.normal_(0, 1);
            double[] ms = time(fill, warmupSec, reps);
            System.out.printf(Locale.ROOT, "RESULT %s %d %.3f %.3f%n", op, n, ms[0], ms[1]);
        }
        for (String op : new String[] {"uniform_", "normal_"}) {
            Generator.manualSeed(seed);
            if ("uniform_".equals(op)) t.uniform_(0, 1);
            else t.normal_(0, 1);
            System.out.printf(Locale.ROOT, "HASH %s %d %d %s%n", op, n, seed, sha256(t.storage().floats(), n));
        }
    }

    /**
     * Minimum and median wall milliseconds per call. Warm-up: at least {@code warmupSec}, then on (up to
     * 5 × warmupSec) until a call is within 10% of the best: the fills switch to their vector kernels
     * only after 2^27 values (org.convinit.random.VectorGate), and C2 compiles those later still.
     */
    static double[] time(Runnable fill, double warmupSec, int reps) {
        long start = System.nanoTime();
        int calls = 0;
        double best = Double.MAX_VALUE;
        while (true) {
            long a = System.nanoTime();
            fill.run();
            double last = (System.nanoTime() - a) / 1e9;
            best = Math.min(best, last);
            calls++;
            double elapsed = (System.nanoTime() - start) / 1e9;
            if (calls >= 3 && (elapsed >= 5 * warmupSec || (elapsed >= warmupSec && last <= 1.1 * best))) break;
        }
        double[] per = new double[reps];
        for (int r = 0; r < reps; r++) {
            long a = System.nanoTime();
            fill.run();
            per[r] = (System.nanoTime() - a) / 1e6;
        }
        Arrays.sort(per);
        return new double[] {per[0], per[reps / 2]};
    }

    static String sha256(float[] a, int n) throws NoSuchAlgorithmException {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        ByteBuffer buf = ByteBuffer.allocate(4 << 16).order(ByteOrder.LITTLE_ENDIAN);
        for (int i = 0; i < n; ) {
            buf.clear();
            int k = Math.min(1 << 16, n - i);
            buf.asFloatBuffer().put(a, i, k);
            md.update(buf.array(), 0, 4 * k);
            i += k;
        }
        return HexFormat.of().formatHex(md.digest());
    }
}
