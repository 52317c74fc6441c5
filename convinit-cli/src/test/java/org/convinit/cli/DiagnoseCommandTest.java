package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DiagnoseCommandTest {
    static final String MODEL = "Sequential(Conv2d(1, 4, 3), ReLU(), MaxPool2d(2), Flatten(), Linear(676, 10))";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void printsATableWithThePredictionBesideTheMeasurement() {
        CliRunner r = CliRunner.run("diagnose", "--model", MODEL, "--batch-size", "8");
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.err()).isEmpty();
        assertThat(r.out()).contains("batch:   built-in Fashion-MNIST subset (train, 10000 images), images 0..7 (8), sha256 ")
                .contains("init:    seed 0, weights as the model's own init")
                .containsPattern("layer +type +mean +std +pred std")
                .containsPattern("\\n0 +Conv2d ")
                .containsPattern("\\n4 +Linear ")
                .containsPattern("\\nverdict: activations (shrink|grow|stable)");
    }

    @Test
    void jsonHasEveryNumberAndSeedAndInitEqualTheWeightsInitWrites() throws Exception {
        Path a = dir.resolve("a.json");
        String init = "kaiming_normal_(nonlinearity='relu')";
        CliRunner r = CliRunner.run("diagnose", "--model", MODEL, "--seed", "3", "--init", init, "--bias-init", "zeros_",
                "--batch-size", "16", "--json", a.toString());
        assertThat(r.code()).as(r.err()).isZero();
        assertThat(r.out()).contains("wrote " + a);
        JsonNode j = JSON.readTree(a.toFile());
        assertThat(j.get("schema").asText()).isEqualTo("convinit-diagnose/1");
        assertThat(j.get("model").asText()).isEqualTo(MODEL);
        assertThat(j.get("init").toString()).isEqualTo("{\"seed\":3,\"init\":\"" + init.replace("'", "'") + "\",\"bias_init\":\"zeros_\","
                + "\"weights\":null}");
        assertThat(j.get("batch").get("indices").toString()).isEqualTo("[0,15]");
        assertThat(j.get("layers")).hasSize(5);
        assertThat(j.get("layers").get(0).get("predicted_gain").asDouble()).isBetween(0.5, 2.0); // kaiming: about 1
        assertThat(j.get("verdict").get("weight_layers").asInt()).isEqualTo(2);
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("a.json"); // no temporary file left
        }

        // the same weights through init --out and diagnose --weights give the same numbers
        Path w = dir.resolve("w.safetensors");
        assertThat(CliRunner.run("init", "--model", MODEL, "--seed", "3", "--init", init, "--bias-init", "zeros_", "--out", w.toString())
                .code()).isZero();
        Path b = dir.resolve("b.json");
        CliRunner rw = CliRunner.run("diagnose", "--model", MODEL, "--weights", w.toString(), "--batch-size", "16", "--json", b.toString());
        assertThat(rw.code()).as(rw.err()).isZero();
        JsonNode k = JSON.readTree(b.toFile());
        assertThat(k.get("init").get("weights").asText()).isEqualTo(w.toString());
        assertThat(k.get("init").get("seed").isNull()).isTrue();
        ((ObjectNode) k).remove("init");
        ((ObjectNode) j).remove("init");
        assertThat(k).isEqualTo(j);
    }

    @Test
    void aDataDirectoryIsUsedAsTheBuiltinSet() throws Exception {
        Path data = Files.createDirectory(dir.resolve("data"));
        for (String f : org.convinit.lab.data.DataSource.FILES) {
            try (var in = getClass().getResourceAsStream("/org/convinit/lab/data/fashion-mnist-subset/" + f)) {
                Files.copy(in, data.resolve(f));
            }
        }
        Path a = dir.resolve("a.json");
        Path b = dir.resolve("b.json");
        assertThat(CliRunner.run("diagnose", "--model", MODEL, "--batch-size", "4", "--json", a.toString()).code()).isZero();
        CliRunner r = CliRunner.run("diagnose", "--model", MODEL, "--batch-size", "4", "--data", data.toString(), "--json", b.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode ja = JSON.readTree(a.toFile());
        JsonNode jb = JSON.readTree(b.toFile());
        assertThat(jb.get("batch").get("source").asText()).isEqualTo("Fashion-MNIST in " + data.toAbsolutePath().normalize()
                + " (train, 10000 images)");
        assertThat(jb.get("batch").get("sha256")).isEqualTo(ja.get("batch").get("sha256"));
        assertThat(jb.get("layers")).isEqualTo(ja.get("layers"));
    }

    /** One line (plus, for a usage mistake, the usage hint), the exit code, and nothing under the --json name. */
    void fails(int code, String messagePart, String... args) {
        Path out = dir.resolve("out.json");
        String[] full = Stream.concat(Stream.of("diagnose", "--json", out.toString()), Stream.of(args)).toArray(String[]::new);
        CliRunner r = CliRunner.run(full);
        assertThat(r.code()).as(r.err()).isEqualTo(code);
        assertThat(r.out()).isEmpty();
        String[] lines = r.err().strip().split("\n");
        assertThat(lines[0]).startsWith("convinit: ").contains(messagePart);
        assertThat(lines).hasSize(code == 2 ? 2 : 1);
        if (code == 2) assertThat(lines[1]).startsWith("Usage: convinit diagnose --help");
        assertThat(out).doesNotExist();
        try (Stream<Path> files = Files.list(dir)) {
            assertThat(files.filter(p -> p.getFileName().toString().contains("out.json"))).isEmpty();
        } catch (java.io.IOException e) {
            throw new AssertionError(e);
        }
    }

    @Test
    void badInputsFailWithOneLineTheRightCodeAndNoJson() throws Exception {
        fails(2, "unknown init function 'kaiming_normall_'", "--model", MODEL, "--init", "kaiming_normall_");
        fails(2, "unknown layer 'Conv9d'", "--model", "Conv9d(1, 2, 3)");
        fails(2, "--batch-size 0: expected at least 1", "--model", MODEL, "--batch-size", "0");
        fails(2, "has only 10000 training images", "--model", MODEL, "--batch-size", "10001");
        fails(2, "does not take a batch of [64, 1, 28, 28]", "--model", "Sequential(Flatten(), Linear(10, 10))");
        Path w = dir.resolve("w.pth");
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("0.weight", Tensor.zeros(DType.FLOAT32, 4, 1, 5, 5));
        sd.put("0.bias", Tensor.zeros(DType.FLOAT32, 4));
        sd.put("4.weight", Tensor.zeros(DType.FLOAT32, 10, 676));
        sd.put("4.bias", Tensor.zeros(DType.FLOAT32, 10));
        Checkpoints.write(w, sd);
        fails(1, "size mismatch for 0.weight: copying a param with shape [4, 1, 5, 5] from checkpoint, the shape in current model "
                + "is [4, 1, 3, 3]", "--model", MODEL, "--weights", w.toString());
        fails(2, "cannot be combined with --seed, --init or --bias-init", "--model", MODEL, "--weights", w.toString(), "--seed", "1");
        Path empty = Files.createDirectory(dir.resolve("empty"));
        fails(1, "data directory " + empty.toAbsolutePath().normalize() + " has no Fashion-MNIST IDX files: expected train-images-idx3-ubyte.gz",
                "--model", MODEL, "--data", empty.toString());
        Path nowhere = dir.resolve("no/such/dir/x.json");
        CliRunner r = CliRunner.run("diagnose", "--model", MODEL, "--json", nowhere.toString());
        assertThat(r.code()).isEqualTo(1);
        assertThat(r.err().strip()).isEqualTo("convinit: --json " + nowhere + ": directory " + nowhere.getParent() + " does not exist");
        assertThat(r.out()).isEmpty();
    }
}
