package org.convinit;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Map;

import org.convinit.nn.Conv2d;
import org.convinit.nn.LoadReport;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The library paper cuts of the front-door issue: each of these failed or printed badly before. */
class FrontDoorPaperCutsTest {

    @Test
    void loadTensorWithNullNamesTheKeyInsteadOfThrowingNpe() {
        Conv2d conv = new Conv2d(3, 16, 3);
        Map<String, Tensor> sd = new HashMap<>();
        assertThatThrownBy(() -> conv.loadTensor("weight", sd.get("conv1.weight")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessageContaining("loadTensor(\"weight\", null)")
                .hasMessageContaining("[16, 3, 3, 3]");
    }

    @Test
    void loadReportPrintsAsTorch() {
        Conv2d conv = new Conv2d(3, 16, 3);
        assertThat(conv.loadStateDict(conv.stateDict()).toString()).isEqualTo("<All keys matched successfully>");
        Map<String, Tensor> partial = new HashMap<>(conv.stateDict());
        partial.remove("bias");
        partial.put("extra", Tensor.zeros(DType.FLOAT32, 1));
        LoadReport r = conv.loadStateDict(partial, false);
        assertThat(r.toString()).isEqualTo("_IncompatibleKeys(missing_keys=['bias'], unexpected_keys=['extra'])");
    }

    @Test
    void stdAndVarWithoutArgumentsAreUnbiased() {
        Tensor t = Tensor.of(new double[] {1, 2, 3, 4}, 4);
        assertThat(t.var().item()).isEqualTo(5.0 / 3);
        assertThat(t.std().item()).isEqualTo(Math.sqrt(5.0 / 3));
    }

    @Test
    void warningsPrintAsOnePythonStyleLine() {
        assertThat(Warnings.isJdkDefault("sun.util.logging.internal.LoggingProviderImpl")).isTrue();
        assertThat(Warnings.isJdkDefault("jdk.internal.logger.DefaultLoggerFinder")).isTrue();
        assertThat(Warnings.isJdkDefault("org.slf4j.jdk.platform.logging.SLF4JSystemLoggerFinder")).isFalse();
        PrintStream saved = System.err;
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        System.setErr(new PrintStream(buf, true, StandardCharsets.UTF_8));
        try {
            Warnings.warn("Initializing zero-element tensors is a no-op");
        } finally {
            System.setErr(saved);
        }
        assertThat(buf.toString(StandardCharsets.UTF_8)).isEqualTo("UserWarning: Initializing zero-element tensors is a no-op"
                + System.lineSeparator());
    }
}
