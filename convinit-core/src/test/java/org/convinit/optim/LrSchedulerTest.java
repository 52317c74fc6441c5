package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;

import org.convinit.Warnings;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class LrSchedulerTest {

    private static SGD sgd(double lr) {
        return new SGD(List.of(new Parameter(Tensor.zeros(DType.FLOAT32, 1))), SGD.options(lr));
    }

    @Test
    void stepLrClosedFormOverGroups() {
        Parameter a = new Parameter(Tensor.zeros(DType.FLOAT32, 1));
        Parameter b = new Parameter(Tensor.zeros(DType.FLOAT32, 1));
        SGD opt = new SGD(List.of(new ParamGroup<>(List.of(a), SGD.options(1.0)), new ParamGroup<>(List.of(b), SGD.options(0.5))));
        StepLR s = new StepLR(opt, 2, 0.5);
        double[][] expected = {{1, 0.5}, {1, 0.5}, {0.5, 0.25}, {0.5, 0.25}, {0.25, 0.125}};
        for (double[] e : expected) {
            assertThat(s.lastLr()).containsExactly(e);
            opt.step();
            s.step();
        }
        assertThat(opt.paramGroups().get(0).initialLr()).isEqualTo(1.0);
        assertThat(s.baseLrs()).containsExactly(1.0, 0.5);
    }

    @Test
    void cosineReachesEtaMinAtTmaxAndIsChainable() {
        SGD opt = sgd(0.1);
        CosineAnnealingLR s = new CosineAnnealingLR(opt, 4, 0.01);
        for (int e = 0; e < 4; e++) {
            assertThat(s.lastLr()[0]).isCloseTo(0.01 + 0.09 * (1 + Math.cos(Math.PI * e / 4)) / 2, org.assertj.core.data.Offset.offset(1e-15));
            opt.step();
            s.step();
        }
        assertThat(s.lastLr()[0]).isCloseTo(0.01, org.assertj.core.data.Offset.offset(1e-15));
        // an outside change of lr carries over (chainable form), as in torch
        opt.paramGroups().get(0).setLr(0.02);
        opt.step();
        s.step();
        assertThat(s.lastLr()[0]).isCloseTo(0.02 + 0.09 * (1 - Math.cos(Math.PI / 4)) / 2, org.assertj.core.data.Offset.offset(1e-15));
    }

    @Test
    void schedulerStepBeforeOptimizerStepWarnsOnce() {
        List<String> warnings = new ArrayList<>();
        try (var w = Warnings.capture(warnings::add)) {
            SGD opt = sgd(0.1);
            StepLR s = new StepLR(opt, 1, 0.1);
            s.step();
            s.step();
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(warnings).hasSize(1);
        assertThat(warnings.get(0)).startsWith("Detected call of `lr_scheduler.step()` before `optimizer.step()`.");
    }

    @Test
    void nonPositivePeriodsAreRefused() {
        assertThatThrownBy(() -> new StepLR(sgd(0.1), 0, 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("step_size 0: expected a positive number of epochs");
        assertThatThrownBy(() -> new CosineAnnealingLR(sgd(0.1), -3, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("T_max -3: expected a positive number of epochs");
    }
}
