package org.convinit.io.reliability;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

import org.convinit.Warnings;
import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Saves: the umask's permissions, temporary files recognizable by name and removed by the next save unless live. */
class AtomicFilesTest {
    @TempDir
    Path dir;

    private static boolean posix(Path p) {
        return p.getFileSystem().supportedFileAttributeViews().contains("posix");
    }

    private static String mode(Path p) throws IOException {
        return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
    }

    /** A child JVM started under the umask saves each format; the file gets the mode any new file gets. */
    @ParameterizedTest
    @CsvSource({"022, rw-r--r--", "077, rw-------", "002, rw-rw-r--"})
    void savedFilesGetTheModeThatTheUmaskGivesAPlainFile(String umask, String expected) throws Exception {
        assumeTrue(posix(dir) && Files.isExecutable(Path.of("/bin/sh")), "a POSIX file system and /bin/sh");
        Path target = dir.resolve("u" + umask + ".pth");
        Process p = ChildJvm.start(ChildJvm.underUmask(umask, ChildJvm.command(List.of(), SaveLoop.class, target.toString(), "1", "1")));
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8)).isZero();
        assertThat(mode(target)).isEqualTo(expected);
        assertThat(AtomicFiles.leftovers(target)).isEmpty();
    }

    @Test
    void everyFormatIsSavedWithTheModeOfANewPlainFile() throws Exception {
        assumeTrue(posix(dir), "a POSIX file system");
        String plain = mode(Files.createFile(dir.resolve("probe")));
        Map<String, Tensor> sd = Map.of("w", Tensor.of(new float[] {1, 2}, 2));
        for (String name : new String[] {"a.pth", "a.safetensors", "a.npz", "a.npy"}) {
            Path f = dir.resolve(name);
            Files.write(f, new byte[] {1});
            Files.setPosixFilePermissions(f, PosixFilePermissions.fromString("rw-------"));
            Checkpoints.write(f, sd);
            assertThat(mode(f)).as(name).isEqualTo(plain);
        }
    }

    @Test
    void theNextSaveRemovesTemporaryFilesOfKilledSavesAndSaysSo() throws Exception {
        Path target = dir.resolve("m.safetensors");
        Path mine = dir.resolve(".m.safetensors" + AtomicFiles.TMP_MARKER + "0badf00d");
        Path older = dir.resolve(".m.safetensors.4412789013.tmp");
        Path other = dir.resolve(".n.safetensors" + AtomicFiles.TMP_MARKER + "0badf00d");
        for (Path p : List.of(mine, older, other)) Files.write(p, new byte[100]);
        assertThat(AtomicFiles.leftovers(target)).containsExactlyInAnyOrder(mine, older);
        List<String> warnings = new ArrayList<>();
        try (AutoCloseable c = Warnings.capture(warnings::add)) {
            Checkpoints.write(target, Map.of("w", Tensor.of(new float[] {1}, 1)));
        }
        assertThat(mine).doesNotExist();
        assertThat(older).doesNotExist();
        assertThat(other).exists();
        assertThat(warnings).containsExactlyInAnyOrder(
                "removed " + mine + ", a temporary file left by an interrupted save to " + target.toAbsolutePath(),
                "removed " + older + ", a temporary file left by an interrupted save to " + target.toAbsolutePath());
        assertThat(Checkpoints.readTensors(target)).containsKey("w");
    }

    /** A temporary file whose writer is alive holds a lock: a concurrent save leaves it alone. */
    @Test
    void aTemporaryFileInUseIsNotRemoved() throws Exception {
        Path target = dir.resolve("live.pth");
        Path live = dir.resolve(".live.pth" + AtomicFiles.TMP_MARKER + "12345678");
        List<String> warnings = new ArrayList<>();
        try (FileChannel ch = FileChannel.open(live, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
             FileLock lock = ch.lock();
             AutoCloseable c = Warnings.capture(warnings::add)) {
            Checkpoints.write(target, Map.of("w", Tensor.of(new float[] {1}, 1)));
            assertThat(live).exists();
        }
        assertThat(warnings).isEmpty();
    }

    @Test
    void aFailedSaveLeavesTheOldFileAndNoTemporaryFile() throws Exception {
        Path target = dir.resolve("keep.bin");
        Files.write(target, new byte[] {42});
        assertThatThrownBy(() -> AtomicFiles.write(target, out -> {
            out.write(new byte[1000]);
            throw new IOException("disk full");
        })).isInstanceOf(CheckpointException.class).hasMessage("cannot write " + target + ": disk full");
        assertThat(Files.readAllBytes(target)).containsExactly(42);
        assertThat(AtomicFiles.leftovers(target)).isEmpty();
        try (var s = Files.list(dir)) {
            assertThat(s).containsExactly(target);
        }
    }
}
