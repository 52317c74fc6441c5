package org.convinit.io.fuzz;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.io.numpy.Npy;
import org.convinit.io.numpy.Npz;
import org.convinit.io.pth.PthReader;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.Tensor;
import org.convinit.testing.fuzz.FuzzContract;

/**
 * Coverage-guided fuzz targets (Jazzer) for every checkpoint reader: an input may be read or be
 * refused with a {@link CheckpointException}; any other exception or error is a finding. In CI
 * (no {@code JAZZER_FUZZ}) each target replays its committed inputs in
 * {@code src/test/resources/org/convinit/io/fuzz/ReaderFuzzTestInputs/TARGET/} (seeds and every input
 * that found a bug); {@code tools/fuzz/run.sh} fuzzes one target for N executions.
 */
class ReaderFuzzTest {
    /** Executions per target when fuzzing ({@code JAZZER_FUZZ=1}); ignored when replaying. */
    static final long RUNS = 1_000_000;

    /** Allocation allowed beyond 64 bytes per input byte: readers' buffers, zip and pickle tables, messages. */
    static final long FIXED_BUDGET = 16L << 20;

    /**
     * Readers take paths: each input is written to this file first (one per thread), in memory ({@code /dev/shm})
     * where there is one, since a disk file costs a file-system write per execution; {@code -Dconvinit.fuzz.dir=DIR}
     * chooses another directory.
     */
    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path dir = Path.of(System.getProperty("convinit.fuzz.dir", "/dev/shm"));
            Path f = Files.isDirectory(dir) && Files.isWritable(dir) ? Files.createTempFile(dir, "convinit-fuzz", ".bin")
                    : Files.createTempFile("convinit-fuzz", ".bin");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private interface Read {
        void run(Path f) throws CheckpointException;
    }

    /**
     * Reads {@code data} as a file: a result or a {@link CheckpointException} (a refusal, as the file deserves); on
     * this thread, at most {@link #FIXED_BUDGET} plus 64 times the input allocated.
     */
    private static void fuzz(byte[] data, Read read) throws IOException {
        Path f = FILE.get();
        // Unlink, then create: never truncate. Earlier executions' readers may still map the old file (a mapping
        // lives until its buffer is garbage collected), and truncating a file with thousands of live mappings took
        // ~29 ms per open (strace, 1 December 2026: pth fell from 335 to ~30 exec/s); an unlinked inode keeps its
        // pages for those mappings and the new one has none.
        Files.deleteIfExists(f);
        Files.write(f, data);
        FuzzContract.check(data.length, FIXED_BUDGET + 64L * data.length, () -> read.run(f), CheckpointException.class);
    }

    /** Everything a reader does: index, every tensor by name, the tree. */
    private static void everything(CheckpointReader r) throws CheckpointException {
        r.entries();
        for (String k : r.keys()) {
            Tensor t = r.tensor(k);
            t.numel();
        }
        r.tree();
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = RUNS)
    void anyFormat(byte[] data) throws IOException {
        fuzz(data, f -> {
            try (CheckpointReader r = Checkpoints.open(f)) {
                everything(r);
            }
        });
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = RUNS)
    void pth(byte[] data) throws IOException {
        fuzz(data, f -> {
            try (PthReader r = PthReader.open(f)) {
                everything(r);
                r.index();
            }
        });
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = RUNS)
    void safetensors(byte[] data) throws IOException {
        fuzz(data, f -> {
            try (SafeTensors.Reader r = SafeTensors.open(f)) {
                r.metadata();
                r.readAll();
            }
        });
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = RUNS)
    void npy(byte[] data) throws IOException {
        fuzz(data, Npy::read);
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = RUNS)
    void npz(byte[] data) throws IOException {
        fuzz(data, f -> {
            try (Npz r = Npz.open(f)) {
                everything(r);
            }
        });
    }
}
