package org.convinit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;

import org.convinit.io.CheckpointException;
import org.convinit.lab.study.Scheme;
import org.convinit.lab.study.WeightsFile;
import org.convinit.tensor.Tensor;

/**
 * The weights files of a study ({@code --weights FILE} and {@code file:PATH} schemes), read once each with the key
 * mapping and strictness of {@link WeightsOptions}; every cell of such a scheme loads the same tensors into the model
 * its seed built (under {@code --non-strict}, keys the file lacks keep that seed's init). Each file's path and
 * SHA-256 are kept for the study's provenance ({@link #files()}).
 */
final class StudyWeights {
    private final WeightsOptions options;
    private final PrintWriter err;
    private final List<WeightsFile> files = new ArrayList<>();

    /** {@code err} receives a non-strict load's {@code _IncompatibleKeys(...)}, once per file; null: nowhere. */
    StudyWeights(WeightsOptions options, PrintWriter err) {
        this.options = options;
        this.err = err;
    }

    /** Files read as they are, strictly (no mapping options). */
    static StudyWeights plain() {
        return new StudyWeights(new WeightsOptions(), null);
    }

    /** The scheme {@code name} that loads {@code file}; the file is read and hashed now. */
    Scheme scheme(String name, Path file) {
        Map<String, Tensor> sd;
        try {
            sd = options.read(file);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        files.add(WeightsFile.of(name, file));
        AtomicBoolean reported = new AtomicBoolean();
        return new Scheme(name, m -> {
            try {
                options.load(m, sd, file, name, reported.compareAndSet(false, true) ? err : null);
            } catch (IllegalStateException e) { // does not fit: a usage mistake found before training
                throw new IllegalArgumentException(e.getMessage(), e);
            }
        });
    }

    /** The files read so far, in order. */
    List<WeightsFile> files() {
        return List.copyOf(files);
    }
}
