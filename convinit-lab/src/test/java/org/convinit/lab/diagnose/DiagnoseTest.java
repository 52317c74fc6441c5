package org.convinit.lab.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.init.Init;
import org.convinit.lab.data.DataSource;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Diagnose's own rules: the model is left as it was, the JSON has the documented shape, the theory's formulas. */
class DiagnoseTest {
    static final DiagnoseBatch BATCH = DiagnoseBatch.first(DataSource.builtin(), 16);
    static final Diagnosis.InitInfo INIT = new Diagnosis.InitInfo(0L, null, null, null);

    static Module bnNet() {
        Generator.manualSeed(0);
        return new Sequential(new Conv2d(1, 4, 3, ConvOptions.DEFAULT.bias(false)), new BatchNorm2d(4), new ReLU(), new Flatten(),
                new Linear(4 * 26 * 26, 10));
    }

    static Module plain(int depth, java.util.function.Consumer<Tensor> init) {
        Generator.manualSeed(1);
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            layers.add(new Conv2d(i == 0 ? 1 : 16, 16, 3, ConvOptions.DEFAULT.padding(1)));
            layers.add(new ReLU());
        }
        layers.add(new Flatten());
        layers.add(new Linear(16 * 28 * 28, 10));
        Module m = new Sequential(layers);
        for (Module s : m.modules()) {
            if (!(s instanceof WeightLayer)) continue;
            init.accept(((WeightLayer) s).weight());
            Init.zeros(((WeightLayer) s).bias()); // He et al.'s setting: the theory has no biases
        }
        return m;
    }

    @Test
    void leavesTheModelAsItWas() {
        Module m = bnNet();
        m.eval();
        m.namedModules().get("1").train(true); // mixed modes survive
        Parameter w0 = ((WeightLayer) m.namedModules().get("0")).weight();
        Tensor oldGrad = Tensor.full(DType.FLOAT32, 0.5, w0.shape().toArray());
        w0.setGrad(oldGrad);
        Tensor out = m.call(BATCH.images()).detach(); // (updates BatchNorm 1's running statistics: it is in training mode)
        Map<String, Tensor> before = new java.util.LinkedHashMap<>();
        m.stateDict().forEach((k, v) -> before.put(k, v.clone()));

        Diagnosis a = Diagnose.run(m, "bn", INIT, BATCH);
        Diagnosis b = Diagnose.run(m, "bn", INIT, BATCH);

        assertThat(DiagnosisJson.toJson(a)).isEqualTo(DiagnosisJson.toJson(b));
        m.stateDict().forEach((k, v) -> assertThat(v.valueEquals(before.get(k))).as(k).isTrue());
        assertThat(w0.grad()).isSameAs(oldGrad);
        assertThat(((WeightLayer) m.namedModules().get("4")).weight().grad()).isNull();
        assertThat(m.isTraining()).isFalse();
        assertThat(m.namedModules().get("1").isTraining()).isTrue();
        assertThat(m.namedModules().get("0").isTraining()).isFalse();
        assertThat(m.call(BATCH.images()).valueEquals(out)).isTrue();
        // in training mode the BatchNorm output is normalized by the batch: mean 0, std ~1 per channel
        LayerStats bn = a.layer("1");
        assertThat(bn.output().mean()).isCloseTo(0, within(1e-6));
        assertThat(bn.output().std()).isCloseTo(1, within(0.01));
    }

    @Test
    void jsonHasTheDocumentedShape() {
        Diagnosis d = Diagnose.run(bnNet(), "Sequential(...)", new Diagnosis.InitInfo(3L, "xavier_uniform_", null, null), BATCH);
        JsonNode j = DiagnosisJson.toJson(d);
        assertThat(fields(j)).containsExactly("schema", "model", "init", "batch", "loss", "layers", "verdict");
        assertThat(j.get("schema").asText()).isEqualTo("convinit-diagnose/1");
        assertThat(fields(j.get("init"))).containsExactly("seed", "init", "bias_init", "weights");
        assertThat(j.get("init").get("bias_init").isNull()).isTrue();
        assertThat(fields(j.get("batch"))).containsExactly("source", "indices", "size", "sha256");
        assertThat(j.get("batch").get("source").asText()).isEqualTo("built-in Fashion-MNIST subset (train, 10000 images)");
        assertThat(j.get("batch").get("indices").toString()).isEqualTo("[0,15]");
        assertThat(j.get("batch").get("size").asInt()).isEqualTo(16);
        JsonNode l0 = j.get("layers").get(0);
        assertThat(fields(l0)).containsExactly("name", "type", "output_mean", "output_std", "output_min", "output_max", "zero_fraction",
                "saturated_fraction", "histogram", "grad_output_std", "weight_grad_norm", "update_ratio", "fan_in", "predicted_gain",
                "measured_gain", "predicted_std");
        assertThat(l0.get("name").asText()).isEqualTo("0");
        assertThat(l0.get("type").asText()).isEqualTo("Conv2d");
        assertThat(l0.get("histogram").get("counts").size()).isEqualTo(40);
        assertThat(l0.get("measured_gain").isNull()).isTrue();
        JsonNode relu = j.get("layers").get(2);
        assertThat(relu.get("weight_grad_norm").isNull()).isTrue();
        assertThat(relu.get("predicted_gain").isNull()).isTrue();
        assertThat(relu.get("zero_fraction").asDouble()).isBetween(0.2, 0.8);
        assertThat(j.get("layers").get(1).get("weight_grad_norm").isNull()).isFalse(); // BatchNorm's affine weight
        assertThat(fields(j.get("verdict"))).containsExactly("kind", "text", "log10_change", "weight_layers");
        assertThat(j.get("verdict").get("weight_layers").asInt()).isEqualTo(2);
        assertThat(DiagnosisTable.render(d)).contains("pred std", "verdict: activations", "(model)".substring(0, 0));
    }

    static List<String> fields(JsonNode n) {
        List<String> out = new ArrayList<>();
        for (Iterator<String> it = n.fieldNames(); it.hasNext(); ) out.add(it.next());
        return out;
    }

    @Test
    void theoryGainIsOneForKaimingAHalfForXavierASixthForTorchsDefaultAndTheStdFollowsIt() {
        Diagnosis kaiming = Diagnose.run(plain(6, w -> Init.kaimingNormal(w, 0, org.convinit.init.FanMode.FAN_IN,
                org.convinit.init.Nonlinearity.RELU, null)), "k", INIT, BATCH);
        Diagnosis xavier = Diagnose.run(plain(6, w -> Init.xavierUniform(w)), "x", INIT, BATCH);
        Diagnosis dflt = Diagnose.run(plain(6, w -> { }), "d", INIT, BATCH);
        for (LayerStats l : kaiming.layers()) if (l.isWeightLayer() && !l.name().equals("0")) {
            assertThat(l.predictedGain()).as(l.name()).isCloseTo(1, within(0.1));
        }
        // xavier: 2 / (fan_in + fan_out) * fan_in / 2 = 1/2 for equal fans (16*9 both ways)
        assertThat(xavier.layer("4").predictedGain()).isCloseTo(0.5, within(0.05));
        assertThat(dflt.layer("4").predictedGain()).isCloseTo(1.0 / 6, within(0.02));
        // the measured std follows the line within a factor of 2 over 6 layers, and the verdicts say so
        // the measured std stays within a factor of 3 of the line over 6 conv layers (16 channels: a noisy estimate of
        // the expectation), while the line itself spans 10^-2 between kaiming and torch's default
        for (Diagnosis d : List.of(kaiming, xavier, dflt)) {
            LayerStats last = d.layer("10");
            assertThat(last.output().std() / last.predictedStd()).as(d.model()).isBetween(1 / 3.0, 3.0);
        }
        assertThat(kaiming.layer("10").predictedStd() / dflt.layer("10").predictedStd()).isGreaterThan(100);
        assertThat(kaiming.verdict().kind()).isEqualTo(Verdict.Kind.STABLE);
        assertThat(dflt.verdict().kind()).isEqualTo(Verdict.Kind.VANISHING);
        assertThat(dflt.verdict().text()).matches("activations shrink by 10\\^-\\d\\.\\d over 7 layers \\(vanishing\\)");
    }

    @Test
    void predictedGainIsCTimesFanInTimesMeanSquare() {
        double[] w = {1, -2, 3, 0};
        assertThat(Theory.predictedGain(0.5, 10, w)).isEqualTo(0.5 * 10 * 14 / 4.0);
        assertThat(Theory.rectifierFactor(new org.convinit.nn.LeakyReLU(0.2))).isEqualTo((1 + 0.04) / 2);
        assertThat(Theory.rectifierFactor(new ReLU())).isEqualTo(0.5);
        assertThat(Theory.rectifierFactor(new org.convinit.nn.Tanh())).isNaN();
    }
}
