package org.convinit.io.reliability;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.convinit.io.Checkpoints;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * A file whose tensors cannot fit the heap is refused in one line that says how much heap it needs
 * and the {@code -Xmx} to give, never an {@link OutOfMemoryError}; and that {@code -Xmx} is enough.
 */
class HeapLimitTest {
    @TempDir
    Path dir;

    /** {@code count} float32 tensors of {@code numel} elements. */
    private Path file(String name, int count, int numel) throws Exception {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        for (int i = 0; i < count; i++) sd.put("t" + i, Tensor.of(new float[numel], numel));
        Path f = dir.resolve(name);
        Checkpoints.write(f, sd);
        return f;
    }

    private record Run(int code, String out, String err) {}

    private static Run run(String xmx, Path f) throws Exception {
        Process p = ChildJvm.start(ChildJvm.command(List.of("-Xmx" + xmx), ReadAll.class, f.toString()));
        String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String err = new String(p.getErrorStream().readAllBytes(), StandardCharsets.UTF_8);
        assertThat(p.waitFor(120, TimeUnit.SECONDS)).isTrue();
        return new Run(p.exitValue(), out, err);
    }

    /**
     * Declared sizes over the maximum heap are refused before allocating (one 100 MB tensor under
     * 64 MB); a total just under it fails at an allocation, and is refused the same way (4 x 33 MB under 128 MiB).
     */
    @ParameterizedTest
    @CsvSource({"big.safetensors, 1, 25000000, 64m", "big.pth, 1, 25000000, 64m", "big.npz, 1, 25000000, 64m",
        "full.pth, 4, 8250000, 128m", "full.safetensors, 4, 8250000, 128m"})
    void aFileThatCannotFitTheHeapIsRefusedInOneLineThatSaysHowMuchToGive(String name, int count, int numel, String xmx) throws Exception {
        Path f = file(name, count, numel);
        Run small = run(xmx, f);
        assertThat(small.code()).as(small.err()).isEqualTo(1);
        assertThat(small.err()).doesNotContain("OutOfMemoryError").doesNotContain("\tat ");
        assertThat(small.err().strip().lines()).hasSize(1);
        assertThat(small.err()).startsWith("convinit: " + f + ": not enough memory: ").contains(" of heap").contains(", this JVM has at most ");
        Matcher m = Pattern.compile("CONVINIT_JAVA_OPTS=-Xmx(\\d+[mg]) for the convinit command").matcher(small.err());
        assertThat(m.find()).as(small.err()).isTrue();
        Run enough = run(m.group(1), f);
        assertThat(enough.code()).as(enough.err()).isZero();
        assertThat(enough.out().strip()).isEqualTo("read " + count + " tensors");
    }
}
