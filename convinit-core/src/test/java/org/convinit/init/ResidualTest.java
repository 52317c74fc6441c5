package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.convinit.nn.Bias;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Scale;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.Losses;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Fixup's scaled He init (formula table, distribution), Scale/Bias scalars, and Fixup's zero-logit start. */
class ResidualTest {
    @Test
    void fixupFormulas() {
        assertThat(Residual.fixupScale(8, 2)).isEqualTo(Math.pow(8, -0.5));
        assertThat(Residual.fixupScale(16, 3)).isEqualTo(0.5); // 16^(-1/4)
        assertThat(Residual.fixupScale(1, 2)).isEqualTo(1.0);
        // fan_out = 16 * 9 as the official code: sqrt(2 / (w.shape[0] * prod(w.shape[2:]))) * L ** -0.5
        assertThat(Residual.fixupStd(Shape.of(16, 8, 3, 3), 9, 2)).isEqualTo(Math.sqrt(2.0 / 144) * Math.pow(9, -0.5));
        assertThatThrownBy(() -> Residual.fixupScale(4, 1)).hasMessageContaining("layers_per_branch = 1");
        assertThatThrownBy(() -> Residual.fixupScale(0, 2)).hasMessageContaining("num_branches = 0");
        Generator g = new Generator(4);
        Tensor w = InitCall.of("fixup_", Map.of("num_branches", 25)).apply(Tensor.empty(DType.FLOAT32, 2000, 10, 3, 3), g);
        InitStatisticsTest.checkNormal(w, 0, Math.sqrt(2.0 / 18000) / 5);
        assertThatThrownBy(() -> InitCall.of("fixup_", Map.of())).hasMessageContaining("num_branches");
    }

    @Test
    void scaleAndBiasAreLearnableScalars() {
        Scale s = new Scale(0.0); // SkipInit's α
        Tensor x = Tensor.empty(DType.FLOAT32, 3, 4).normal_(0, 1, new Generator(1));
        assertThat(s.forward(x).valueEquals(Tensor.zeros(DType.FLOAT32, 3, 4))).isTrue();
        s.forward(x).sum().backward();
        assertThat(s.weight().grad().item()).isCloseTo(x.sum().item(), org.assertj.core.data.Offset.offset(1e-5));
        Bias b = new Bias();
        b.forward(x).mul(2).sum().backward();
        assertThat(b.bias().grad().item()).isEqualTo(24.0);
        assertThat(new Sequential(new Scale(), new Bias()).stateDict().keySet()).containsExactly("0.weight", "1.bias");
    }

    @Test
    void aZeroClassifierStartsAtLnClasses() {
        Generator.manualSeed(0);
        Module m = new Sequential(new Flatten(), new Bias(), new Linear(12, 10), new Scale());
        Init.zeros(((Linear) m.modules().get(3)).weight());
        Init.zeros(((Linear) m.modules().get(3)).bias());
        Tensor x = Tensor.empty(DType.FLOAT32, 5, 3, 4).normal_(0, 1, new Generator(2));
        Tensor y = Tensor.of(new long[] {0, 3, 9, 1, 2}, 5);
        double loss = Losses.crossEntropy(m.forward(x), y).item();
        assertThat(loss).isCloseTo(Math.log(10), org.assertj.core.data.Offset.offset(1e-6));
    }
}
