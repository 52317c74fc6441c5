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
    void literalArithmeticInModelExpressions() throws Exception {
        Path out = dir.resolve("lin.safetensors");
        CliRunner r = CliRunner.run("init", "--model", "Sequential(Flatten(), Linear(32*7*7, 10), Dropout(p=1/4))", "--seed", "0",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        LinkedHashMap<String, Tensor> sd = SafeTensors.read(out);
        assertThat(sd.get("1.weight").shape().toArray()).containsExactly(10, 1568);
    }
}
