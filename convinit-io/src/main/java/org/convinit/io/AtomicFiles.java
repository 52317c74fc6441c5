package org.convinit.io;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.channels.Channels;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.SecureRandom;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.regex.Pattern;

import org.convinit.Warnings;

/**
 * Atomic, durable saves: the content is written to a temporary file beside the target, named
 * {@code .NAME.convinit-tmp-XXXXXXXX}, flushed to disk ({@code fsync}), renamed over the target in
 * one step, and the directory is flushed too, so that after a crash or a kill at any moment the
 * target holds either the complete old file or the complete new one.
 *
 * <p>The temporary file is created as any plain file is (mode 0666 with the process umask
 * applied: 0644 under umask 022), so the saved file gets the permissions the user's other files
 * get; it does not keep the mode of the file it replaces.
 *
 * <p>A save that is killed leaves its temporary file behind. The next save to the same target
 * removes it and says so through {@link Warnings}. A temporary file still being written by a live
 * save (here or in another process) is recognized by the lock its writer holds and left alone.
 */
public final class AtomicFiles {
    private AtomicFiles() {}

    /** What every temporary file's name holds after {@code .NAME}. */
    public static final String TMP_MARKER = ".convinit-tmp-";
    /** Temporary files of saves in flight in this JVM (never touched by a cleanup). */
    private static final Set<Path> IN_FLIGHT = ConcurrentHashMap.newKeySet();
    private static final SecureRandom RANDOM = new SecureRandom();

    /** Writes the content produced by {@code writer} to {@code target} atomically. */
    public interface Writer {
        void write(OutputStream out) throws IOException, CheckpointException;
    }

    public static void write(Path target, Writer writer) throws CheckpointException {
        Path abs = target.toAbsolutePath();
        Path dir = abs.getParent();
        if (dir == null || !Files.isDirectory(dir)) {
            throw new CheckpointException(CheckpointException.Reason.IO, "cannot write " + target
                    + ": directory " + dir + " does not exist");
        }
        removeStale(abs);
        boolean posix = dir.getFileSystem().supportedFileAttributeViews().contains("posix");
        Path tmp = null;
        try {
            FileChannel ch = null;
            while (ch == null) {
                tmp = dir.resolve("." + abs.getFileName() + TMP_MARKER + String.format("%08x", RANDOM.nextInt()));
                try {
                    // no file attributes: the OS applies the umask to 0666, as for any plain file
                    ch = FileChannel.open(tmp, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
                } catch (FileAlreadyExistsException e) {
                    ch = null;
                }
            }
            IN_FLIGHT.add(tmp);
            try (FileChannel c = ch; FileLock lock = c.lock()) {
                OutputStream out = new java.io.BufferedOutputStream(Channels.newOutputStream(c), 1 << 20);
                writer.write(out);
                out.flush();
                c.force(true);
                // POSIX renames an open file: the lock marks the file as live until it has its final name
                if (posix) move(tmp, abs);
            }
            if (!posix) move(tmp, abs);
            tmp = null;
            if (posix) syncDirectory(dir);
        } catch (IOException e) {
            throw new CheckpointException(CheckpointException.Reason.IO, "cannot write " + target + ": " + describe(e), e);
        } finally {
            if (tmp != null) {
                IN_FLIGHT.remove(tmp);
                try {
                    Files.deleteIfExists(tmp);
                } catch (IOException ignored) {
                    // best effort: the target is untouched either way
                }
            }
        }
    }

    private static void move(Path tmp, Path target) throws IOException {
        try {
            Files.move(tmp, target, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
        } catch (AtomicMoveNotSupportedException e) {
            Files.move(tmp, target, StandardCopyOption.REPLACE_EXISTING);
        } finally {
            IN_FLIGHT.remove(tmp);
        }
    }

    /** Flushes a directory's entries (the rename) to disk; some file systems refuse, which is not an error. */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException ignored) {
            // not every file system lets a directory be opened or synced
        }
    }

    /**
     * The temporary files a killed save to {@code target} left: {@code .NAME.convinit-tmp-*}, and
     * {@code .NAME.DIGITS.tmp} of convinit versions before 0.2.
     */
    public static List<Path> leftovers(Path target) throws IOException {
        Path abs = target.toAbsolutePath();
        String name = abs.getFileName().toString();
        Pattern old = Pattern.compile(Pattern.quote("." + name + ".") + "-?\\d+\\.tmp");
        List<Path> out = new ArrayList<>();
        try (DirectoryStream<Path> ds = Files.newDirectoryStream(abs.getParent(), "." + globQuote(name) + "*")) {
            for (Path p : ds) {
                String n = p.getFileName().toString();
                if (n.startsWith("." + name + TMP_MARKER) || old.matcher(n).matches()) out.add(p);
            }
        }
        return out;
    }

    /** Removes what {@link #leftovers} finds, except files a live save holds locked; each removal is a warning. */
    static void removeStale(Path target) {
        List<Path> stale;
        try {
            stale = leftovers(target);
        } catch (IOException e) {
            return; // an unreadable directory: the save itself will say what is wrong
        }
        for (Path p : stale) {
            if (IN_FLIGHT.contains(p)) continue;
            try (FileChannel c = FileChannel.open(p, StandardOpenOption.WRITE)) {
                FileLock lock;
                try {
                    lock = c.tryLock();
                } catch (OverlappingFileLockException e) {
                    continue; // a save in this JVM is writing it
                }
                if (lock == null) continue; // a save in another process is writing it
                Files.delete(p);
                lock.release();
                Warnings.warn("removed " + p + ", a temporary file left by an interrupted save to " + target);
            } catch (IOException e) {
                Warnings.warn("cannot remove " + p + ", a temporary file left by an interrupted save to " + target + ": " + describe(e));
            }
        }
    }

    private static String globQuote(String s) {
        return s.replaceAll("([\\\\*?\\[\\]{}])", "\\\\$1");
    }

    static String describe(IOException e) {
        if (e instanceof java.nio.file.AccessDeniedException) return "permission denied";
        if (e instanceof java.nio.file.NoSuchFileException) return "no such file or directory";
        return e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage();
    }
}
