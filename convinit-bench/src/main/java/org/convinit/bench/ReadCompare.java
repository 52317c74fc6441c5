package org.convinit.bench;

import java.nio.file.Path;
import java.util.LinkedHashMap;

import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;

/**
 * The convinit side of {@code tools/bench/read_vs_torch.py}: reads every tensor of one checkpoint with
 * {@link Checkpoints#readTensors} {@code 1 + warm} times in this (fresh) JVM and prints one line per read,
 * {@code cold SECONDS} for the first and {@code warm SECONDS} for the others, then {@code bytes N}. The
 * result of each read is dropped before the next, so warm reads reuse heap the JVM has already touched,
 * as a long-running service would.
 *
 * <p>Usage: {@code java -cp benchmarks.jar org.convinit.bench.ReadCompare FILE [WARM]}
 */
public final class ReadCompare {
    private ReadCompare() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int warm = args.length > 1 ? Integer.parseInt(args[1]) : 0;
        long bytes = 0;
        for (int i = 0; i <= warm; i++) {
            long t0 = System.nanoTime();
            LinkedHashMap<String, Tensor> all = Checkpoints.readTensors(file);
            long t1 = System.nanoTime();
            bytes = 0;
            for (Tensor t : all.values()) bytes += t.numel() * t.dtype().itemSize();
            System.out.printf("%s %.6f%n", i == 0 ? "cold" : "warm", (t1 - t0) / 1e9);
        }
        System.out.println("bytes " + bytes);
    }
}
