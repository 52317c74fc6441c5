package org.convinit.bench;

import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.zip.CRC32;

import org.convinit.io.Checkpoints;
import org.convinit.io.ReadOptions;
import org.convinit.tensor.Tensor;

/**
 * What the CRC-32 check of every zip record costs when reading a checkpoint (issue 15): reads every
 * tensor of FILE with checks on and off, alternating, {@code ROUNDS} times each in this JVM, and the
 * CRC-32 alone over the file's bytes. Creates FILE (a .pth of 20 float32 tensors, 400 MB) if it is
 * missing. Reads after the first find the file in the page cache: the check's share is then at its
 * largest.
 *
 * <p>Usage: {@code java -Xmx2g -cp benchmarks.jar org.convinit.bench.CrcCost FILE [ROUNDS]}
 */
public final class CrcCost {
    private CrcCost() {}

    public static void main(String[] args) throws Exception {
        Path file = Path.of(args[0]);
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 5;
        if (!Files.exists(file)) {
            Map<String, Tensor> sd = new LinkedHashMap<>();
            for (int i = 0; i < 20; i++) {
                float[] v = new float[5_000_000];
                for (int j = 0; j < v.length; j++) v[j] = (float) Math.sin(i * 7919.0 + j);
                sd.put("layer" + i + ".weight", Tensor.of(v, 5_000_000));
            }
            Checkpoints.write(file, sd);
        }
        long size = Files.size(file);
        System.out.printf("file %s, %d bytes%n", file, size);
        ReadOptions on = ReadOptions.DEFAULT;
        ReadOptions off = ReadOptions.DEFAULT.withoutChecksums();
        time("warm-up", file, on);
        double[] withCrc = new double[rounds];
        double[] without = new double[rounds];
        double[] crcOnly = new double[rounds];
        double[] crcMem = new double[rounds];
        ByteBuffer inMemory = ByteBuffer.allocateDirect((int) Math.min(size, Integer.MAX_VALUE - 8));
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            while (inMemory.hasRemaining() && ch.read(inMemory, inMemory.position()) >= 0) { /* fill */ }
        }
        for (int r = 0; r < rounds; r++) {
            boolean onFirst = r % 2 == 0;
            double a = time(onFirst ? "read, CRC on " : "read, CRC off", file, onFirst ? on : off);
            double b = time(onFirst ? "read, CRC off" : "read, CRC on ", file, onFirst ? off : on);
            withCrc[r] = onFirst ? a : b;
            without[r] = onFirst ? b : a;
            crcOnly[r] = crcAlone(file);
            long t0 = System.nanoTime();
            CRC32 c = new CRC32();
            c.update(inMemory.duplicate().position(0));
            crcMem[r] = (System.nanoTime() - t0) / 1e9;
            System.out.printf("file bytes read + CRC-32 only (no tensors): %.1f ms%n", crcOnly[r] * 1e3);
        }
        double mOn = median(withCrc);
        double mOff = median(without);
        System.out.printf("median of %d: read with CRC %.1f ms, without %.1f ms (difference %+.1f%%); read + CRC-32 of the bytes alone %.1f ms; "
                + "CRC-32 of the bytes in memory %.1f ms%n", rounds, mOn * 1e3, mOff * 1e3, (mOn - mOff) / mOff * 100, median(crcOnly) * 1e3,
                median(crcMem) * 1e3);
    }

    private static double median(double[] v) {
        double[] c = v.clone();
        java.util.Arrays.sort(c);
        return c.length % 2 == 1 ? c[c.length / 2] : (c[c.length / 2 - 1] + c[c.length / 2]) / 2;
    }

    private static double time(String label, Path file, ReadOptions options) throws Exception {
        System.gc();
        long t0 = System.nanoTime();
        LinkedHashMap<String, Tensor> all = Checkpoints.readTensors(file, options);
        double s = (System.nanoTime() - t0) / 1e9;
        System.out.printf("%s: %.1f ms (%d tensors)%n", label, s * 1e3, all.size());
        return s;
    }

    private static double crcAlone(Path file) throws Exception {
        long t0 = System.nanoTime();
        CRC32 crc = new CRC32();
        ByteBuffer b = ByteBuffer.allocateDirect(256 << 10);
        try (FileChannel ch = FileChannel.open(file, StandardOpenOption.READ)) {
            for (long pos = 0; ; pos += b.limit()) {
                b.clear();
                if (ch.read(b, pos) < 0) break;
                b.flip();
                crc.update(b);
            }
        }
        return (System.nanoTime() - t0) / 1e9;
    }
}
