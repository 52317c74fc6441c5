package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;

import org.convinit.Warnings;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code train --metrics} and {@code study}'s outputs are saved through io's AtomicFiles, as checkpoints are: a
 * temporary file beside the target, flushed and renamed; what a killed save left is removed (with a warning) by the
 * next save to the same file, and nothing else is left behind.
 */
class MetricsFilesTest {
    @TempDir
    Path dir;

    private static List<String> names(Path dir) throws Exception {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }

    /** Runs the command line with this thread's warnings collected in {@code warnings}; it must succeed. */
    private static void run(List<String> warnings, String... args) throws Exception {
        CliRunner r;
        try (AutoCloseable c = Warnings.capture(warnings::add)) {
            r = CliRunner.run(args);
        }
        assertThat(r.code()).as(r.err()).isZero();
    }

    @Test
    void trainMetricsReplaceAKilledSavesLeftover() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 64, 32);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path stale = Files.writeString(out.resolve(".m.json.convinit-tmp-0badf00d"), "{\"half\": ");
        List<String> warnings = new ArrayList<>();
        run(warnings, "train", "--model", TrainTest.CNN, "--data", data.toString(), "--metrics", out.resolve("m.json").toString());
        assertThat(stale).doesNotExist();
        assertThat(warnings).containsExactly("removed " + stale + ", a temporary file left by an interrupted save to " + out.resolve("m.json"));
        assertThat(names(out)).containsExactly("m.json");
        assertThat(Files.readString(out.resolve("m.json"))).startsWith("{").contains("\"epochs\"");
    }

    @Test
    void studyOutputsLeaveOnlyThemselves() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 64, 32);
        Path out = Files.createDirectories(dir.resolve("out"));
        Path stale = Files.writeString(out.resolve(".s.json.convinit-tmp-12345678"), "{");
        List<String> warnings = new ArrayList<>();
        run(warnings, "study", "--data", data.toString(), "--model", StudyCommandTest.TINY, "--inits", "default", "--seeds", "1",
                "--epochs", "1", "--parallel", "1", "--json", out.resolve("s.json").toString(), "--out", out.resolve("s.html").toString());
        assertThat(stale).doesNotExist();
        assertThat(warnings).hasSize(1);
        assertThat(names(out)).containsExactly("s.csv", "s.html", "s.json");
    }
}
