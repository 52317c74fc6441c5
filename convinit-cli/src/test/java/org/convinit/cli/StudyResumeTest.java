package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.study.CellSpec;
import org.convinit.lab.study.DataSpec;
import org.convinit.lab.study.StudyConfig;
import org.convinit.lab.train.OptimizerKind;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** study --results-dir / --resume: one file per finished cell, and a resumed study runs only the missing ones; a cell from its JSON. */
class StudyResumeTest {
    @TempDir
    Path dir;

    Path data;

    @BeforeEach
    void writeData() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 320, 64);
    }

    private CliRunner study(String name, String... more) {
        String[] base = {"study", "--data", data.toString(), "--json", dir.resolve(name + ".json").toString(), "--out",
            dir.resolve(name + ".html").toString(), "--batch-size", "32", "--lr", "0.05", "--model", StudyCommandTest.TINY, "--inits",
            "default; xavier_uniform_", "--seeds", "2", "--epochs", "1", "--parallel", "2"};
        return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    /** The cells without wall times, which legitimately differ between runs. */
    static JsonNode cellNumbers(JsonNode doc) {
        JsonNode cells = doc.get("cells").deepCopy();
        for (JsonNode c : cells) {
            ((ObjectNode) c).remove("wall_seconds");
            for (JsonNode e : c.get("epochs")) ((ObjectNode) e).remove("seconds");
        }
        return cells;
    }

    private static Map<String, String> files(Path results) throws Exception {
        Map<String, String> m = new TreeMap<>();
        try (Stream<Path> s = Files.list(results)) {
            for (Path p : s.toList()) m.put(p.getFileName().toString(), Files.readString(p));
        }
        return m;
    }

    @Test
    void aResumedStudyRunsOnlyTheMissingCells() throws Exception {
        CliRunner plain = study("plain");
        assertThat(plain.code()).as(plain.err()).isZero();
        Path results = dir.resolve("results");
        CliRunner first = study("first", "--results-dir", results.toString());
        assertThat(first.code()).as(first.err()).isZero();
        Map<String, String> all = files(results);
        assertThat(all).hasSize(4);
        assertThat(all.keySet()).allSatisfy(n -> assertThat(n).matches("[0-9a-f]{16}\\.json"));
        ObjectMapper json = new ObjectMapper();
        assertThat(cellNumbers(json.readTree(dir.resolve("first.json").toFile())))
                .isEqualTo(cellNumbers(json.readTree(dir.resolve("plain.json").toFile())));

        // an interrupted study: two cells never finished
        List<String> names = List.copyOf(all.keySet());
        Files.delete(results.resolve(names.get(0)));
        Files.delete(results.resolve(names.get(2)));
        CliRunner resumed = study("resumed", "--resume", results.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("(2 cell files there)");
        Map<String, String> after = files(results);
        assertThat(after.keySet()).isEqualTo(all.keySet());
        // the kept cells were read, not run again: their files (wall times included) are unchanged
        assertThat(after.get(names.get(1))).isEqualTo(all.get(names.get(1)));
        assertThat(after.get(names.get(3))).isEqualTo(all.get(names.get(3)));
        JsonNode doc = json.readTree(dir.resolve("resumed.json").toFile());
        assertThat(cellNumbers(doc)).isEqualTo(cellNumbers(json.readTree(dir.resolve("plain.json").toFile())));
        assertThat(doc.get("reproducibility").get("complete").asBoolean()).isTrue();

        CliRunner missing = study("x", "--resume", dir.resolve("nowhere").toString());
        assertThat(missing.code()).isEqualTo(2);
        assertThat(missing.err()).contains("results directory").contains("does not exist");
    }

    @Test
    void aCellFromItsJsonGivesTheLocalStudysNumbers() throws Exception {
        CliRunner plain = study("plain");
        assertThat(plain.code()).as(plain.err()).isZero();
        JsonNode local = cellNumbers(new ObjectMapper().readTree(dir.resolve("plain.json").toFile())).get(3);
        StudyConfig config = new StudyConfig(1, OptimizerKind.SGD, 0.05, 32, 0.75, 0, 64);
        DataSpec spec = new DataSpec(data.toAbsolutePath().toString(), null, null);
        CellSpec cell = new CellSpec(3, "model", StudyCommandTest.TINY, "xavier_uniform_", 1, config, spec);
        Path results = Files.createDirectories(dir.resolve("r"));
        String out = StudyCells.run(cell.toJson(), results.toString(), 1);
        JsonNode result = new ObjectMapper().readTree(out).get("result");
        ObjectNode r = (ObjectNode) result.deepCopy();
        r.remove("wall_seconds");
        for (JsonNode e : r.get("epochs")) {
            ((ObjectNode) e).remove("seconds");
            ((ObjectNode) e).remove("train_seconds");
        }
        assertThat(r).isEqualTo(local);
        assertThat(Files.readString(results.resolve(cell.key() + ".json")).strip()).isEqualTo(out);

        CellSpec bad = new CellSpec(0, "model", StudyCommandTest.TINY, "kaiming_sideways_", 0, config, spec);
        JsonNode failed = new ObjectMapper().readTree(StudyCells.run(bad.toJson(), null, 2)).get("result");
        assertThat(failed.get("status").asText()).isEqualTo("failed");
        assertThat(failed.get("error").asText()).contains("kaiming_sideways_");
    }
}
