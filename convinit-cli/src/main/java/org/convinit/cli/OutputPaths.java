package org.convinit.cli;

import java.nio.file.Files;
import java.nio.file.Path;

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
}
