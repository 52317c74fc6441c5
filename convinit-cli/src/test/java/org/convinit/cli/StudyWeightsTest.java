package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code study --weights} and {@code file:} schemes with the key mapping options: deterministic cells, recorded files. */
class StudyWeightsTest {
    @TempDir
    Path dir;

    Path data;
    /** TINY's weights from init --seed 5, saved as DataParallel saves them (every key under module.). */
    Path parallel;

    @BeforeEach
    void writeInputs() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 320, 64);
        Path plain = dir.resolve("plain.safetensors");
        assertThat(CliRunner.run("init", "--model", StudyCommandTest.TINY, "--seed", "5", "--out", plain.toString()).code()).isZero();
        Map<String, Tensor> prefixed = new LinkedHashMap<>();
        Checkpoints.readTensors(plain).forEach((k, v) -> prefixed.put("module." + k, v));
        parallel = dir.resolve("dp.safetensors");
        Checkpoints.write(parallel, prefixed);
    }

    private CliRunner study(String name, String... more) {
        String[] base = {"study", "--data", data.toString(), "--model", StudyCommandTest.TINY, "--json", dir.resolve(name + ".json").toString(),
            "--out", dir.resolve(name + ".html").toString(), "--batch-size", "32", "--lr", "0.05", "--epochs", "1", "--seeds", "2"};
        return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private JsonNode read(String name) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
    }

    @Test
    void weightsSchemeTrainsAsTrainDoesFromTheSameFileAndIsRecorded() throws Exception {
        CliRunner r = study("s", "--inits", "default", "--weights", parallel.toString(), "--strip-prefix", "module.", "--parallel", "1");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = read("s");
        assertThat(doc.get("config").get("inits")).hasSize(2);
        assertThat(doc.get("config").get("inits").get(1).asText()).isEqualTo("file:" + parallel);
        JsonNode w = doc.get("reproducibility").get("weights");
        assertThat(w).hasSize(1);
        assertThat(w.get(0).get("scheme").asText()).isEqualTo("file:" + parallel);
        assertThat(w.get(0).get("path").asText()).isEqualTo(parallel.toAbsolutePath().toString());
        assertThat(w.get(0).get("sha256").asText())
                .isEqualTo(HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(Files.readAllBytes(parallel))));
        assertThat(Files.readString(dir.resolve("s.html"))).contains(w.get(0).get("sha256").asText());

        // each seed's file cell trains exactly as train --weights does with that seed
        for (int seed = 0; seed < 2; seed++) {
            JsonNode cell = null;
            for (JsonNode c : doc.get("cells")) {
                if (c.get("scheme").asText().startsWith("file:") && c.get("seed").asInt() == seed) cell = c;
            }
            Path metrics = dir.resolve("m" + seed + ".json");
            CliRunner t = CliRunner.run("train", "--model", StudyCommandTest.TINY, "--data", data.toString(), "--batch-size", "32",
                    "--lr", "0.05", "--seed", Integer.toString(seed), "--weights", parallel.toString(), "--strip-prefix", "module.",
                    "--log-every", "1", "--metrics", metrics.toString());
            assertThat(t.code()).as(t.err()).isZero();
            JsonNode batches = new ObjectMapper().readTree(metrics.toFile()).get("batch_losses");
            assertThat(cell.get("step_loss")).hasSize(batches.size());
            for (int i = 0; i < batches.size(); i++) {
                assertThat(cell.get("step_loss").get(i).asDouble()).as("seed %d step %d", seed, i + 1)
                        .isEqualTo(batches.get(i).get("loss").asDouble());
            }
        }

        // deterministic: two cells at a time give the same numbers, and the same file under file: the same cells
        CliRunner par = study("p", "--inits", "default; file:" + parallel, "--strip-prefix", "module.", "--parallel", "2");
        assertThat(par.code()).as(par.err()).isZero();
        List<JsonNode> a = fileCells(doc);
        List<JsonNode> b = fileCells(read("p"));
        assertThat(b).hasSize(2);
        for (int i = 0; i < 2; i++) assertThat(b.get(i).get("step_loss")).isEqualTo(a.get(i).get("step_loss"));
        assertThat(read("p").get("reproducibility").get("weights").get(0).get("sha256")).isEqualTo(w.get(0).get("sha256"));
    }

    private static List<JsonNode> fileCells(JsonNode doc) {
        return Stream.of(doc.get("cells")).flatMap(c -> java.util.stream.StreamSupport.stream(c.spliterator(), false))
                .filter(c -> c.get("scheme").asText().startsWith("file:")).toList();
    }

    @Test
    void aFileThatDoesNotFitFailsBeforeTrainingWithTheHint() throws Exception {
        CliRunner r = study("x", "--inits", "default", "--weights", parallel.toString());
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err().lines().findFirst().orElseThrow()).startsWith("convinit: file:" + parallel + " does not fit the model")
                .contains("try --strip-prefix module.");
        assertThat(dir.resolve("x.json")).doesNotExist();
        CliRunner noFile = study("x", "--strip-prefix", "module.");
        assertThat(noFile.code()).isEqualTo(2);
        assertThat(noFile.err()).contains("--select, --strip-prefix and --non-strict apply to --weights");
    }

    @Test
    void nonStrictKeepsTheSeedsInitForMissingKeysAndReportsOnce() throws Exception {
        Map<String, Tensor> partial = new LinkedHashMap<>(Checkpoints.readTensors(parallel));
        partial.remove("module.3.bias");
        Path file = dir.resolve("partial.safetensors");
        Checkpoints.write(file, partial);
        CliRunner r = study("n", "--inits", "default", "--weights", file.toString(), "--strip-prefix", "module.", "--non-strict");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err().split("_IncompatibleKeys", -1)).as(r.err()).hasSize(2);
        assertThat(r.err()).contains("missing_keys=['3.bias']");
        JsonNode cells = read("n").get("cells");
        assertThat(cells.get(2).get("scheme").asText()).isEqualTo("file:" + file);
        assertThat(cells.get(2).get("status").asText()).isEqualTo("ok");
    }
}
