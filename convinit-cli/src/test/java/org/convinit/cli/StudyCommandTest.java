package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** convinit study end to end on a few hundred synthetic images: outputs, parallel == sequential, divergence, bad input, time limit. */
class StudyCommandTest {
    @TempDir
    Path dir;

    Path data;

    static final String TINY = "Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), Flatten(), Linear(676, 10))";
    /** Six plain 3x3 convs: normal_(std=10) gives a first loss ~1e12 and NaN at step 2. */
    static final String DEEP = "Sequential(Conv2d(1, 8, 3, stride=2), ReLU(), " + "Conv2d(8, 8, 3, padding=1), ReLU(), ".repeat(5)
            + "Flatten(), Linear(1352, 10))";

    @BeforeEach
    void writeData() throws Exception {
        data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 320, 64);
    }

    private CliRunner study(String name, String... more) {
        String[] base = {"study", "--data", data.toString(), "--json", dir.resolve(name + ".json").toString(),
            "--out", dir.resolve(name + ".html").toString(), "--batch-size", "32", "--lr", "0.05"};
        return CliRunner.run(Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new));
    }

    private JsonNode read(String name) throws Exception {
        return new ObjectMapper().readTree(dir.resolve(name + ".json").toFile());
    }

    /** The document without wall times, which legitimately differ between runs. */
    private static JsonNode numbers(JsonNode doc) {
        ObjectNode d = doc.deepCopy();
        d.remove("reproducibility");
        ((ObjectNode) d.get("config")).remove("parallel_cells");
        for (JsonNode c : d.get("cells")) {
            ((ObjectNode) c).remove("wall_seconds");
            for (JsonNode e : c.get("epochs")) ((ObjectNode) e).remove("seconds");
        }
        return d;
    }

    @Test
    void parallelEqualsSequentialAndADivergingSchemeIsReported() throws Exception {
        String[] args = {"--model", DEEP, "--inits", "default; normal_(std=10)", "--seeds", "2", "--epochs", "1"};
        CliRunner seq = study("seq", Stream.concat(Stream.of(args), Stream.of("--parallel", "1")).toArray(String[]::new));
        assertThat(seq.code()).as(seq.err()).isZero();
        CliRunner par = study("par", Stream.concat(Stream.of(args), Stream.of("--parallel", "2")).toArray(String[]::new));
        assertThat(par.code()).as(par.err()).isZero();
        JsonNode s = read("seq");
        JsonNode p = read("par");
        assertThat(p.get("config").get("parallel_cells").asInt()).isEqualTo(2);
        assertThat(numbers(p)).isEqualTo(numbers(s));
        JsonNode cell = s.get("cells").get(0);
        assertThat(cell.get("status").asText()).isEqualTo("ok");
        assertThat(cell.get("step_loss").size()).isEqualTo(10);
        assertThat(cell.get("diagnosis").get("layers").size()).isEqualTo(14);
        JsonNode bad = s.get("cells").get(2);
        assertThat(bad.get("scheme").asText()).isEqualTo("normal_(std=10)");
        assertThat(bad.get("status").asText()).isEqualTo("diverged");
        assertThat(bad.get("diverged_at_step").asInt()).isEqualTo(bad.get("step_loss").size());
        assertThat(s.get("reproducibility").get("complete").asBoolean()).isTrue();
        assertThat(s.get("reproducibility").get("command").asText()).startsWith("convinit study --data ").contains("--inits 'default; normal_(std=10)'");
        assertThat(seq.out()).contains("normal_(std=10) diverged in 2 of 2 seeds");
        assertThat(Files.readString(dir.resolve("seq.html"))).startsWith("<!DOCTYPE html>").contains("normal_(std=10)");
        String csv = Files.readString(dir.resolve("seq.csv"));
        assertThat(csv).startsWith("model,scheme,seed,step,epoch,loss,test_loss,test_accuracy\n");
        assertThat(csv.lines().count()).isEqualTo(1 + 2 * (10 + 1) + 2 * bad.get("step_loss").size());
    }

    @Test
    void timeLimitWritesAPartialReport() throws Exception {
        CliRunner r = study("part", "--model", TINY, "--inits", "default; xavier_uniform_", "--seeds", "2", "--max-minutes", "0.00001");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode doc = read("part");
        assertThat(doc.get("reproducibility").get("complete").asBoolean()).isFalse();
        assertThat(doc.get("cells").size()).isEqualTo(4);
        assertThat(doc.get("cells").get(3).get("status").asText()).isEqualTo("not_run");
        assertThat(doc.get("config").get("max_minutes").asDouble()).isEqualTo(0.00001);
        assertThat(r.out()).contains("stopped early");
        assertThat(dir.resolve("part.csv")).exists();
        assertThat(dir.resolve("part.html")).exists();
    }

    private void assertBadInput(CliRunner r, int code, String message) throws Exception {
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.err()).startsWith("convinit: ").contains(message).doesNotContain("\tat ");
        assertThat(r.err().lines().findFirst().orElseThrow()).contains(message);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("data");
        }
    }

    @Test
    void badInputFailsBeforeTrainingAndLeavesNothing() throws Exception {
        assertBadInput(study("x", "--model", TINY, "--inits", "default; kaiming_sideways_"), 2, "unknown init function 'kaiming_sideways_'");
        assertBadInput(study("x", "--model", TINY, "--seeds", "0"), 2, "--seeds 0: expected at least 1");
        assertBadInput(study("x", "--model", TINY, "--inits", "normal_(std=1"), 2, "--inits scheme");
        Path empty = Files.createDirectories(dir.resolve("empty"));
        CliRunner noData = CliRunner.run("study", "--data", empty.toString(), "--model", TINY, "--json", dir.resolve("x.json").toString(),
                "--out", dir.resolve("x.html").toString());
        assertThat(noData.code()).isEqualTo(1);
        assertThat(noData.err()).startsWith("convinit: ").contains("Fashion-MNIST IDX files");
        Files.delete(empty);
        Map<String, Tensor> wrong = new LinkedHashMap<>();
        wrong.put("0.weight", Tensor.zeros(DType.FLOAT32, 8, 1, 3, 3));
        wrong.put("0.bias", Tensor.zeros(DType.FLOAT32, 8));
        wrong.put("3.weight", Tensor.zeros(DType.FLOAT32, 10, 676));
        wrong.put("3.bias", Tensor.zeros(DType.FLOAT32, 10));
        Path weights = Files.createDirectories(dir.resolve("w")).resolve("w.safetensors");
        Checkpoints.write(weights, wrong);
        CliRunner shapes = study("x", "--model", TINY, "--inits", "default; file:" + weights);
        assertThat(shapes.code()).as(shapes.err()).isEqualTo(2);
        assertThat(shapes.err()).contains("0.weight").contains("[8, 1, 3, 3]").contains("[4, 1, 3, 3]");
        assertThat(dir.resolve("x.json")).doesNotExist();
        assertThat(dir.resolve("x.html")).doesNotExist();
        assertThat(dir.resolve("x.csv")).doesNotExist();
    }
}
