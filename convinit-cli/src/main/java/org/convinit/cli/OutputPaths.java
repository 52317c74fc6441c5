package org.convinit.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;

/** Checks made on an output path before a command starts its work, so a typo does not cost a finished run. */
final class OutputPaths {
    private OutputPaths() {}

    /**
     * Fails (exit 1, one line: {@code OPTION FILE: directory DIR does not exist}, or {@code ... is not writable})
     * unless {@code file}'s directory exists and is writable; a null file passes.
     */
    static void requireDirectory(String option, Path file) {
        if (file == null) return;
        Path dir = file.toAbsolutePath().getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new IllegalStateException(option + " " + file + ": directory " + dir + " does not exist");
        }
        if (!Files.isWritable(dir)) throw new IllegalStateException(option + " " + file + ": directory " + dir + " is not writable");
    }

    /**
     * Writes {@code text} (UTF-8) to {@code file} through io's {@link AtomicFiles}: a temporary file beside it, flushed to
     * disk, renamed over it, so a crash leaves the old file or the new one, never a part (and a killed save's leftover is
     * cleaned up by the next).
     */
    static void writeAtomically(Path file, String text) throws IOException {
        try {
            AtomicFiles.write(file, out -> out.write(text.getBytes(StandardCharsets.UTF_8)));
        } catch (CheckpointException e) {
            throw new IOException(e.getMessage(), e);
        }
    }
}
