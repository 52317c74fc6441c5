package org.convinit.lab.study;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;
import java.util.stream.Stream;

import org.convinit.Warnings;
import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;

/**
 * A study's finished cells, one file per cell: {@code KEY.json} ({@link CellSpec#key()}) holding the one-line JSON of
 * {@link CellResults}, written atomically and durably ({@link AtomicFiles}: a kill at any moment leaves the complete file
 * or none). A study pointed at the directory runs only the cells that have no file there, whichever engine (this machine,
 * a Spark executor) wrote the others. Cells that did not run are never written; diverged and failed ones are results.
 */
public final class ResultsDirectory {
    private final Path dir;

    private ResultsDirectory(Path dir) {
        this.dir = dir.toAbsolutePath().normalize();
    }

    /** The directory {@code dir}, created (with its parents) if missing; a file in its place is an {@link IllegalArgumentException}. */
    public static ResultsDirectory create(Path dir) {
        if (Files.exists(dir) && !Files.isDirectory(dir)) throw new IllegalArgumentException("results directory " + dir + " is a file");
        try {
            Files.createDirectories(dir);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create the results directory " + dir + ": " + e.getMessage(), e);
        }
        return new ResultsDirectory(dir);
    }

    /** The existing directory {@code dir}; a missing one is an {@link IllegalArgumentException}. */
    public static ResultsDirectory existing(Path dir) {
        if (!Files.isDirectory(dir)) throw new IllegalArgumentException("results directory " + dir + " does not exist");
        return new ResultsDirectory(dir);
    }

    public Path path() {
        return dir;
    }

    /** Where the result of {@code spec} is (or would be) kept. */
    public Path file(CellSpec spec) {
        return dir.resolve(spec.key() + ".json");
    }

    /** Saves {@code result} (not a {@link CellResult.Status#NOT_RUN} one: those are skipped) atomically. */
    public void save(CellSpec spec, CellResult result) {
        if (result.status() == CellResult.Status.NOT_RUN) return;
        save(spec, CellResults.toJson(spec, result));
    }

    /** Saves a result's JSON ({@link CellResults#toJson}) for {@code spec} atomically. */
    public void save(CellSpec spec, String resultJson) {
        byte[] bytes = (resultJson + "\n").getBytes(StandardCharsets.UTF_8);
        try {
            AtomicFiles.write(file(spec), out -> out.write(bytes));
        } catch (CheckpointException e) {
            throw new UncheckedIOException(new IOException(e.getMessage(), e));
        }
    }

    /**
     * The saved result of {@code spec}, as the result of {@code cell}; empty when there is none. A file that cannot be read
     * or is not a result of this cell is a warning, and the cell runs again.
     */
    public Optional<CellResult> load(CellSpec spec, Cell cell) {
        Path f = file(spec);
        if (!Files.isRegularFile(f)) return Optional.empty();
        try {
            String json = Files.readString(f, StandardCharsets.UTF_8);
            if (!CellResults.spec(json).key().equals(spec.key())) throw new IllegalArgumentException("it holds another cell's result");
            return Optional.of(CellResults.fromJson(json, cell));
        } catch (IOException | IllegalArgumentException e) {
            Warnings.warn("ignoring " + f + ", which cannot be read as the result of " + spec + " (" + e.getMessage() + "); the cell runs again");
            return Optional.empty();
        }
    }

    /** How many results the directory holds. */
    public int size() {
        try (Stream<Path> s = Files.list(dir)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json") && !p.getFileName().toString().startsWith(".")).count();
        } catch (IOException e) {
            throw new UncheckedIOException("cannot list " + dir + ": " + e.getMessage(), e);
        }
    }
}
