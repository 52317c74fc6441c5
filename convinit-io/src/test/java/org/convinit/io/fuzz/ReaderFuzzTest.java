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

    /** Readers take paths: each input is written to this file first (one per thread). */
    private static final ThreadLocal<Path> FILE = ThreadLocal.withInitial(() -> {
        try {
            Path f = Files.createTempFile("convinit-fuzz", ".bin");
            f.toFile().deleteOnExit();
            return f;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    });

    private interface Read {
        void run(Path f) throws CheckpointException;
    }

    private static void fuzz(byte[] data, Read read) throws IOException {
        Path f = FILE.get();
        Files.write(f, data);
        try {
            read.run(f);
        } catch (CheckpointException expected) {
            // a refusal, as the file deserves
        }
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
