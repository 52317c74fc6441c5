package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** StepLR and CosineAnnealingLR learning rates over 40 epochs against torch 1.13.1 (tools/golden/gen_optim.py). */
class LrSchedulerGoldenTest {

    @Test
    void learningRatesMatchTorch() {
        JsonNode cases = Golden.load("optim.json").get("schedulers");
        assertThat(cases.size()).isEqualTo(8);
        long maxUlps = 0;
        int inexact = 0;
        int total = 0;
        for (JsonNode c : cases) {
            SGD opt = new SGD(List.of(new Parameter(Tensor.zeros(DType.FLOAT32, 1))), SGD.options(c.get("lr").asDouble()));
            JsonNode a = c.get("args");
            LrScheduler s = c.get("scheduler").asText().equals("StepLR")
                    ? new StepLR(opt, a.get("step_size").asInt(), a.get("gamma").asDouble())
                    : new CosineAnnealingLR(opt, a.get("T_max").asInt(), a.has("eta_min") ? a.get("eta_min").asDouble() : 0);
            long[] exp = Golden.doubleBits(c.get("lrs"));
            for (int epoch = 0; epoch < exp.length; epoch++) {
                double got = s.lastLr()[0];
                assertThat(opt.paramGroups().get(0).lr()).isEqualTo(got);
                assertThat(s.lastEpoch()).isEqualTo(epoch);
                long ulps = Math.abs(Double.doubleToLongBits(got) - exp[epoch]);
                if (ulps != 0) inexact++;
                maxUlps = Math.max(maxUlps, ulps);
                total++;
                assertThat(ulps).as("%s epoch %d: %s vs torch %s", c, epoch, got, Double.longBitsToDouble(exp[epoch]))
                        .isLessThanOrEqualTo(4);
                opt.step();
                s.step();
            }
        }
        System.out.printf("schedulers: %d of %d learning rates differ from torch, by at most %d ulp(s)%n", inexact, total, maxUlps);
    }
}
