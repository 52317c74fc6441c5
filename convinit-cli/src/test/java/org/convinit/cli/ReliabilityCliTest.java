package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.convinit.io.internal.zip.ZipArchive;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** inspect and convert on damaged files (CRC checks, --no-crc-check), non-finite values, and files too big for the heap. */
class ReliabilityCliTest {
    @TempDir
    Path dir;

    /** A .pth whose tensor 'w' has one byte of its data flipped. */
    private Path damaged() throws Exception {
        Path f = dir.resolve("d.pth");
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("w", Tensor.of(new float[] {1, 2, 3, 4}, 4));
        sd.put("b", Tensor.of(new float[] {5}, 1));
        Checkpoints.write(f, sd);
        ZipArchive.Entry rec;
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            rec = ZipArchive.open(f, ch).get("archive/data/0");
        }
        byte[] b = Files.readAllBytes(f);
        b[(int) rec.dataOffset() + 13] ^= 0x40;
        Files.write(f, b);
        return f;
    }

    @ParameterizedTest
    @ValueSource(strings = {"inspect", "convert"})
    void aDamagedRecordIsRefusedInOneLineUnlessCrcChecksAreOff(String command) throws Exception {
        Path f = damaged();
        String out = dir.resolve("o.safetensors").toString();
        CliRunner refused = command.equals("inspect") ? CliRunner.run("inspect", f.toString()) : CliRunner.run("convert", f.toString(), out);
        assertThat(refused.code()).isEqualTo(1);
        assertThat(refused.err().strip().lines()).hasSize(1);
        assertThat(refused.err()).startsWith("convinit: " + f + ": record 'archive/data/0' (tensor 'w') is damaged: its content has CRC-32 ")
                .contains("--no-crc-check");
        CliRunner salvaged = command.equals("inspect") ? CliRunner.run("inspect", f.toString(), "--no-crc-check")
                : CliRunner.run("convert", f.toString(), out, "--no-crc-check");
        assertThat(salvaged.code()).as(salvaged.err()).isZero();
        if (command.equals("convert")) assertThat(Checkpoints.readTensors(Path.of(out)).get("w").toDoubleArray()).containsExactly(1, 2, 3, 4.0078125);
    }

    @Test
    void inspectCountsNanAndInfWhereStatisticsCannotBeComputed() throws Exception {
        Path f = dir.resolve("n.safetensors");
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("bad", Tensor.of(new float[] {Float.NaN, 1, Float.POSITIVE_INFINITY, Float.NaN, Float.NEGATIVE_INFINITY, 2}, 6));
        sd.put("good", Tensor.of(new float[] {1, 2, 3}, 3));
        sd.put("empty", Tensor.of(new float[0], 0));
        Checkpoints.write(f, sd);
        CliRunner table = CliRunner.run("inspect", f.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out().lines().filter(l -> l.startsWith("bad ")).findFirst().orElseThrow()).endsWith("non-finite: 2 NaN, 2 Inf");
        assertThat(table.out().lines().filter(l -> l.startsWith("good ")).findFirst().orElseThrow()).endsWith("1.00000      3.00000      2.00000      1.00000");
        assertThat(table.out().lines().filter(l -> l.startsWith("empty ")).findFirst().orElseThrow()).endsWith("-            -            -            -");
        JsonNode json = new ObjectMapper().readTree(CliRunner.run("inspect", f.toString(), "--json").out());
        for (JsonNode t : json.get("tensors")) {
            switch (t.get("name").asText()) {
                case "bad":
                    assertThat(t.get("nan_count").asLong()).isEqualTo(2);
                    assertThat(t.get("inf_count").asLong()).isEqualTo(2);
                    assertThat(t.get("min").isNull()).isTrue();
                    assertThat(t.get("std").isNull()).isTrue();
                    break;
                case "good":
                    assertThat(t.get("nan_count").asLong()).isZero();
                    assertThat(t.get("inf_count").asLong()).isZero();
                    assertThat(t.get("mean").asDouble()).isEqualTo(2.0);
                    assertThat(t.get("std").asDouble()).isEqualTo(1.0);
                    break;
                default:
                    assertThat(t.get("nan_count").asLong()).isZero();
                    assertThat(t.get("min").isNull()).isTrue();
            }
        }
    }

    /** A child JVM with a 64 MB heap inspects and converts a 100 MB file: one line with the -Xmx to give, no OutOfMemoryError. */
    @ParameterizedTest
    @ValueSource(strings = {"inspect", "convert"})
    void aFileTooBigForTheHeapIsOneLineThatSaysHowToGiveMemory(String command) throws Exception {
        Path f = dir.resolve("big.pth");
        if (!Files.exists(f)) Checkpoints.write(f, java.util.Map.of("w", Tensor.of(new float[25_000_000], 25_000_000)));
        List<String> cmd = new java.util.ArrayList<>(List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "-Xmx64m", "-cp", System.getProperty("java.class.path"), Main.class.getName(), command, f.toString()));
        if (command.equals("convert")) cmd.add(dir.resolve("big.safetensors").toString());
        Process p = new ProcessBuilder(cmd).start();
        p.getOutputStream().close();
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        assertThat(p.exitValue()).as(err).isEqualTo(1);
        assertThat(err).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(err.strip().lines().filter(l -> !l.isBlank() && !l.startsWith("WARNING: Using incubator"))).hasSize(1);
        assertThat(err).contains("convinit: " + f + ": not enough memory: ").contains("CONVINIT_JAVA_OPTS=-Xmx256m");
    }
}
