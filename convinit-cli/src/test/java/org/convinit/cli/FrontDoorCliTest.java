package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.LinkedHashMap;

import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Command-line paper cuts of the front-door issue; each failed before its fix. */
class FrontDoorCliTest {
    @TempDir
    Path dir;

    @Test
    void mistypedOptionGetsASuggestion() {
        CliRunner r = CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--sed", "0", "--out", dir.resolve("x.safetensors").toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).contains("--sed").contains("(did you mean --seed or --set?)");
        assertThat(r.err().strip().split("\n")).hasSize(2); // the error with its hint, then the usage line
    }

    @Test
    void seedsUpTo2To64Minus1AsTorch() throws Exception {
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--seed", "18446744073709551615", "--out", a.toString()).code()).isZero();
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--seed", "-1", "--out", b.toString()).code()).isZero();
        assertThat(SafeTensors.read(a).get("weight").valueEquals(SafeTensors.read(b).get("weight"))).isTrue();
        CliRunner tooBig = CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--seed", "18446744073709551616", "--out", a.toString());
        assertThat(tooBig.code()).isEqualTo(2);
        assertThat(tooBig.err()).contains("expected an integer from -2^63 to 2^64 - 1");
    }

    @Test
    void aDrawnSeedIsPrintedAndDtypeMistakesNameOnlyWhatWorks() {
        CliRunner pth = CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--out", dir.resolve("w.pth").toString());
        assertThat(pth.code()).as(pth.err()).isZero();
        assertThat(pth.err()).containsPattern("no --seed given; drew seed \\d+ \\(w.pth has no metadata to record it in");
        CliRunner st = CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--out", dir.resolve("w.safetensors").toString());
        assertThat(st.err()).contains("recorded in the file's metadata as convinit.seed");
        CliRunner bad = CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--dtype", "nonsense", "--out", dir.resolve("x.pth").toString());
        assertThat(bad.code()).isEqualTo(2);
        assertThat(bad.err()).startsWith("convinit: --dtype nonsense: expected float32 or float64").doesNotContain("float16");
    }

    @Test
    void literalArithmeticInModelExpressions() throws Exception {
        Path out = dir.resolve("lin.safetensors");
        CliRunner r = CliRunner.run("init", "--model", "Sequential(Flatten(), Linear(32*7*7, 10), Dropout(p=1/4))", "--seed", "0",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        LinkedHashMap<String, Tensor> sd = SafeTensors.read(out);
        assertThat(sd.get("1.weight").shape().toArray()).containsExactly(10, 1568);
    }
}
