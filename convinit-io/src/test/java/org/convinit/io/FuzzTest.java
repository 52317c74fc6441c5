package org.convinit.io;

import static org.assertj.core.api.Assertions.fail;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Random;

import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * Seeded mutation fuzzing of valid files of every format: bit flips, byte overwrites with extreme
 * values, truncation, insertion, deletion and chunk duplication. Reading (index, every tensor, the
 * tree) may succeed or throw {@link CheckpointException}; anything else is a bug.
 */
class FuzzTest {
    /** Per format; {@code -Dconvinit.fuzzIterations=N} to change. */
    static final int ITERATIONS = Integer.getInteger("convinit.fuzzIterations", 2000);

    @TempDir
    Path dir;

    private Path seedFile(String name) throws Exception {
        if (name.equals("written.safetensors")) {
            LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
            m.put("a", Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3));
            m.put("b", Tensor.of(new long[] {7, 8}, 2));
            m.put("c", Tensor.full(DType.BOOL, 1, 3));
            m.put("d", Tensor.empty(DType.FLOAT16, 0));
            Path f = dir.resolve("seed.safetensors");
            SafeTensors.write(f, m);
            return f;
        }
        return CorpusFixtures.file(name);
    }

    @ParameterizedTest
    @ValueSource(strings = {"views.pth", "special.pth", "state_dict_proto4.pth", "deflated.pth", "legacy_views.pth", "np_fortran.npy",
            "arrays.npz", "arrays_compressed.npz", "written.safetensors"})
    void mutatedFilesFailOnlyWithCheckpointException(String name) throws Exception {
        byte[] seed = Files.readAllBytes(seedFile(name));
        Random rnd = new Random(name.hashCode());
        // tmpfs when there is one: thousands of small writes to a disk-backed /tmp dominate the run time
        Path shm = Path.of("/dev/shm");
        Path work = Files.isDirectory(shm) && Files.isWritable(shm) ? Files.createTempDirectory(shm, "convinit-fuzz") : dir;
        Path f = work.resolve("fuzz-" + name);
        try {
            run(name, seed, rnd, f);
        } finally {
            Files.deleteIfExists(f);
            if (!work.equals(dir)) Files.deleteIfExists(work);
        }
    }

    private void run(String name, byte[] seed, Random rnd, Path f) throws Exception {
        for (int it = 0; it < ITERATIONS; it++) {
            byte[] m = mutate(seed, rnd);
            Files.write(f, m);
            try (CheckpointReader r = Checkpoints.open(f)) {
                r.entries();
                r.readAll();
                r.tree();
            } catch (CheckpointException expected) {
                // refused with a reason: fine
            } catch (Throwable t) {
                Path keep = Files.createTempFile("fuzz-failure-", "-" + name);
                Files.write(keep, m);
                fail(name + " iteration " + it + " (kept as " + keep + ") threw " + t, t);
            }
        }
    }

    static byte[] mutate(byte[] seed, Random rnd) {
        byte[] b = seed.clone();
        int rounds = 1 + rnd.nextInt(4);
        for (int r = 0; r < rounds; r++) {
            if (b.length == 0) break;
            int pos = rnd.nextInt(b.length);
            switch (rnd.nextInt(8)) {
                case 0: b[pos] ^= (byte) (1 << rnd.nextInt(8)); break;
                case 1: b[pos] = (byte) rnd.nextInt(256); break;
                case 2: { // extreme 32-bit value
                    int[] vals = {0, -1, 0x7FFFFFFF, 0x80000000, 0xFFFF, 1 << 30};
                    int v = vals[rnd.nextInt(vals.length)];
                    for (int i = 0; i < 4 && pos + i < b.length; i++) b[pos + i] = (byte) (v >>> (8 * i));
                    break;
                }
                case 3: b = Arrays.copyOf(b, pos); break; // truncate
                case 4: { // insert random bytes
                    int n = 1 + rnd.nextInt(8);
                    byte[] out = new byte[b.length + n];
                    System.arraycopy(b, 0, out, 0, pos);
                    for (int i = 0; i < n; i++) out[pos + i] = (byte) rnd.nextInt(256);
                    System.arraycopy(b, pos, out, pos + n, b.length - pos);
                    b = out;
                    break;
                }
                case 5: { // delete bytes
                    int n = Math.min(1 + rnd.nextInt(8), b.length - pos);
                    byte[] out = new byte[b.length - n];
                    System.arraycopy(b, 0, out, 0, pos);
                    System.arraycopy(b, pos + n, out, pos, b.length - pos - n);
                    b = out;
                    break;
                }
                case 6: { // duplicate a chunk in place
                    int src = rnd.nextInt(b.length);
                    int n = Math.min(1 + rnd.nextInt(32), Math.min(b.length - src, b.length - pos));
                    System.arraycopy(b, src, b, pos, n);
                    break;
                }
                default: { // small integer tweak (sizes, counts)
                    b[pos] = (byte) (b[pos] + (rnd.nextBoolean() ? 1 : -1));
                    break;
                }
            }
        }
        return b;
    }
}
