package org.convinit.io;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Locale;

import org.convinit.io.CheckpointException.Reason;

/**
 * Reading a file whose tensors do not fit the heap fails with one message that says how much
 * memory is needed and how to give it ({@code -Xmx}; {@code CONVINIT_JAVA_OPTS=-Xmx...} for the
 * {@code convinit} command), never with an {@link OutOfMemoryError}. Declared sizes are checked
 * against the maximum heap before anything is allocated ({@link #require}); an allocation that
 * still fails (the heap holds other data) is turned into the same message ({@link #guard}).
 */
public final class HeapLimit {
    private HeapLimit() {}

    /** A read that allocates. */
    public interface Read<T> {
        T run() throws IOException, CheckpointException;
    }

    /** Refuses, before allocating, to read {@code bytes} of tensors that cannot fit the maximum heap. */
    public static void require(Path file, long bytes, String what) throws CheckpointException {
        if (bytes > Runtime.getRuntime().maxMemory()) throw exhausted(file, what, bytes, bytes);
    }

    /** Runs {@code read}, which allocates about {@code bytes}; an {@link OutOfMemoryError} becomes a {@link CheckpointException}. */
    public static <T> T guard(Path file, String what, long bytes, Read<T> read) throws IOException, CheckpointException {
        require(file, bytes, what);
        try {
            return read.run();
        } catch (OutOfMemoryError e) {
            Runtime rt = Runtime.getRuntime();
            throw exhausted(file, what, bytes, rt.totalMemory() - rt.freeMemory() + bytes);
        }
    }

    /**
     * The refusal: reading {@code what} ({@code bytes} of tensors) from {@code file} needs a heap of
     * about {@code need} bytes.
     */
    public static CheckpointException exhausted(Path file, String what, long bytes, long need) {
        long max = Runtime.getRuntime().maxMemory();
        String xmx = suggestXmx(Math.max(need, bytes));
        String needs = need > bytes ? size(bytes) + " more of heap (about " + size(need) + " in all)" : size(bytes) + " of heap";
        return new CheckpointException(Reason.NOT_ENOUGH_MEMORY, file + ": not enough memory: " + what + " needs " + needs
                + ", this JVM has at most " + size(max) + "; give it more, e.g. CONVINIT_JAVA_OPTS=-Xmx" + xmx
                + " for the convinit command (java -Xmx" + xmx + " for a program)");
    }

    /** A maximum heap comfortably above {@code need}: 25% and 64 MiB of headroom, rounded up to 256 MiB or to GiB. */
    static String suggestXmx(long need) {
        double mib = (need * 1.25) / (1 << 20) + 64;
        if (mib <= 1024) return (long) (Math.ceil(mib / 256) * 256) + "m";
        return (long) Math.ceil(mib / 1024) + "g";
    }

    static String size(long bytes) {
        if (bytes >= 1L << 30) return String.format(Locale.ROOT, "%.1f GiB", bytes / (double) (1L << 30));
        return String.format(Locale.ROOT, "%.1f MiB", bytes / (double) (1L << 20));
    }
}
