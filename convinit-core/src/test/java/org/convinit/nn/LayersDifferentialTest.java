package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.autograd.GradMode;
import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Pools, BatchNorm (train and eval, running statistics), activations, Linear, Dropout, Flatten,
 * F.pad and a CNN Sequential against torch 1.13.1, in one python process. Float tolerances as for
 * convolutions (1e-5 / 1e-12 of the output's max-abs); Dropout's mask must be bit for bit.
 */
class LayersDifferentialTest {
    static final DType F32 = DType.FLOAT32;
    static final DType F64 = DType.FLOAT64;

    /** {@code grads}: for module cases, the gradients of sum(output * G) by input and parameter name. */
    record Case(String id, String description, DType dtype, Tensor actual, Map<String, Tensor> stateAfter, boolean exact,
                ObjectNode request, Map<String, Tensor> grads) {
        Case(String id, String description, DType dtype, Tensor actual, Map<String, Tensor> stateAfter, boolean exact,
             ObjectNode request) {
            this(id, description, dtype, actual, stateAfter, exact, request, null);
        }
    }

    private final List<Case> cases = new ArrayList<>();
    private final Random r = new Random(424242);

    @TestFactory
    Stream<DynamicTest> layersMatchTorch() {
        Torch.require();
        pools();
        batchNorms();
        activationsAndLinear();
        dropoutAndShapes();
        pads();
        ArrayNode req = Specs.J.arrayNode();
        for (Case c : cases) req.add(c.request());
        Map<String, JsonNode> replies = TorchOracle.run(req);
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.description(), () -> {
            JsonNode rep = replies.get(c.id());
            assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
            Tensor expected = TorchOracle.dec(rep.get("output"), c.dtype());
            assertThat(c.actual().shape()).isEqualTo(expected.shape());
            assertThat(c.actual().dtype()).isEqualTo(c.dtype());
            if (c.exact()) {
                assertThat(c.actual().toDoubleArray()).containsExactly(expected.toDoubleArray());
            } else {
                assertThat(TorchOracle.relError(c.actual(), expected)).isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
            }
            if (c.grads() != null) {
                // relative to the largest gradient of the case: a gradient that is zero in exact arithmetic
                // (a conv bias before a training-mode BatchNorm) is rounding noise on both sides
                assertThat(rep.get("grads").size()).isEqualTo(c.grads().size());
                double scale = 0;
                for (String k : c.grads().keySet()) {
                    for (double v : TorchOracle.dec(rep.get("grads").get(k), c.dtype()).toDoubleArray()) scale = Math.max(scale, Math.abs(v));
                }
                for (Map.Entry<String, Tensor> e : c.grads().entrySet()) {
                    Tensor t = TorchOracle.dec(rep.get("grads").get(e.getKey()), c.dtype());
                    assertThat(e.getValue()).as("grad of %s", e.getKey()).isNotNull();
                    assertThat(e.getValue().shape()).as("grad of %s", e.getKey()).isEqualTo(t.shape());
                    double[] a = e.getValue().toDoubleArray();
                    double[] b = t.toDoubleArray();
                    double err = 0;
                    for (int i = 0; i < a.length; i++) err = Math.max(err, Math.abs(a[i] - b[i]));
                    assertThat(err / scale).as("grad of %s", e.getKey()).isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
                }
            }
            if (c.stateAfter() != null) {
                for (Map.Entry<String, Tensor> e : c.stateAfter().entrySet()) {
                    JsonNode s = rep.get("state").get(e.getKey());
                    Tensor t = TorchOracle.dec(s, c.dtype());
                    if (!e.getValue().dtype().isFloatingPoint()) {
                        assertThat(e.getValue().toLongArray()).as(e.getKey()).containsExactly(t.toLongArray());
                    } else {
                        assertThat(TorchOracle.relError(e.getValue(), t)).as(e.getKey()).isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
                    }
                }
            }
        }));
    }

    /** A module case: the state is sent before the forward pass; the state after it is compared too. */
    private void module(ObjectNode spec, DType dtype, int[] shape, boolean train, double scale, java.util.function.Consumer<Module> prepare) {
        String id = "m" + cases.size();
        Module m = Specs.build(spec, dtype, new Generator(cases.size()));
        if (prepare != null) prepare.accept(m);
        m.train(train);
        Tensor x = TorchOracle.randn(r, dtype, shape).mul(scale);
        ObjectNode req = TorchOracle.moduleRequest(id, spec, dtype, m);
        req.set("input", TorchOracle.enc(x));
        req.put("train", train);
        boolean withGrads = !(train && spec.toString().contains("Dropout"));
        Tensor xg = withGrads ? x.clone().requiresGrad(true) : x;
        Tensor y = m.forward(xg);
        Map<String, Tensor> grads = null;
        if (withGrads) {
            // autograd through the layer against torch's: gradients of sum(y * G)
            Tensor gOut = TorchOracle.randn(r, dtype, y.shape().toArray());
            y.mul(gOut).sum().backward();
            grads = new LinkedHashMap<>();
            grads.put("input", xg.grad());
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) grads.put(e.getKey(), e.getValue().grad());
            req.set("grad_output", TorchOracle.enc(gOut));
        }
        Map<String, Tensor> after = new LinkedHashMap<>(m.stateDict());
        cases.add(new Case(id, m + (train ? " train " : " eval ") + x.shape() + " " + dtype.torchName(), dtype, y.detach(), after, false,
                req, grads));
    }

    private void module(ObjectNode spec, DType dtype, int... shape) {
        module(spec, dtype, shape, false, 1, null);
    }

    private void pools() {
        module(Specs.kw(Specs.kw(Specs.spec("MaxPool1d", 3), "stride", 2), "padding", 1), F32, 2, 3, 10);
        module(Specs.kw(Specs.kw(Specs.spec("MaxPool1d", 2), "dilation", 2), "ceil_mode", true), F64, 3, 9);
        module(Specs.spec("MaxPool2d", 2), F32, 1, 3, 7, 7);
        module(Specs.kw(Specs.kw(Specs.spec("MaxPool2d", 3), "stride", 2), "ceil_mode", true), F32, 2, 2, 8, 9);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.spec("MaxPool2d", new int[] {2, 3}), "stride", new int[] {1, 2}), "padding",
                new int[] {1, 1}), "dilation", 2), F64, 3, 9, 9);
        module(Specs.kw(Specs.kw(Specs.spec("MaxPool3d", 2), "stride", 1), "padding", 1), F32, 1, 2, 3, 4, 3);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.spec("AvgPool1d", 4), "stride", 3), "padding", 2), "ceil_mode", true), F32, 2, 3, 11);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.spec("AvgPool1d", 3), "padding", 1), "count_include_pad", false), "stride", 1), F64, 2, 6);
        module(Specs.kw(Specs.kw(Specs.spec("AvgPool2d", 3), "stride", 2), "padding", 1), F32, 1, 3, 8, 8);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.kw(Specs.spec("AvgPool2d", 3), "stride", 2), "padding", 1), "ceil_mode", true),
                "count_include_pad", false), F64, 2, 7, 6);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.spec("AvgPool2d", 3), "stride", 2), "ceil_mode", true), "padding", 1), F32, 1, 2, 6, 6);
        module(Specs.kw(Specs.kw(Specs.spec("AvgPool3d", 2), "stride", new int[] {1, 2, 2}), "divisor_override", 3), F32, 1, 2, 3, 4, 5);
        module(Specs.kw(Specs.kw(Specs.kw(Specs.spec("AvgPool3d", 3), "padding", 1), "count_include_pad", false), "ceil_mode", true), F64, 2, 4, 5, 3);
        module(Specs.spec("AdaptiveAvgPool2d", 3), F32, 1, 2, 7, 5);
        module(Specs.spec("AdaptiveAvgPool2d", (Object) new Object[] {4, null}), F64, 2, 5, 6);
        module(Specs.spec("AdaptiveAvgPool2d", 7), F32, 2, 3, 5, 4);
    }

    private void batchNorms() {
        java.util.function.Consumer<Module> randomize = m -> {
            try (var g = GradMode.noGrad()) {
                for (Map.Entry<String, Tensor> e : m.stateDict().entrySet()) {
                    Tensor t = e.getValue();
                    if (!t.dtype().isFloatingPoint()) t.fill_(3);
                    else if (e.getKey().endsWith("var")) t.copy_(TorchOracle.randn(r, t.dtype(), t.shape().toArray()).abs().add(0.5));
                    else t.copy_(TorchOracle.randn(r, t.dtype(), t.shape().toArray()));
                }
            }
        };
        module(Specs.spec("BatchNorm1d", 3), F32, new int[] {8, 3}, true, 2, null);
        module(Specs.spec("BatchNorm1d", 4), F64, new int[] {2, 4, 5}, true, 1, randomize);
        module(Specs.spec("BatchNorm2d", 3), F32, new int[] {2, 3, 4, 5}, true, 3, randomize);
        module(Specs.kw(Specs.spec("BatchNorm2d", 3), "momentum", null), F64, new int[] {2, 3, 3, 3}, true, 1, randomize);
        module(Specs.spec("BatchNorm2d", 3), F32, new int[] {2, 3, 4, 5}, false, 1, randomize);
        module(Specs.kw(Specs.kw(Specs.spec("BatchNorm2d", 2), "affine", false), "eps", 1e-3), F64, new int[] {3, 2, 2, 2}, false, 1, randomize);
        module(Specs.kw(Specs.spec("BatchNorm2d", 2), "track_running_stats", false), F32, new int[] {3, 2, 2, 2}, false, 1, randomize);
        module(Specs.kw(Specs.spec("BatchNorm3d", 2), "momentum", 0.3), F32, new int[] {2, 2, 2, 3, 2}, true, 1, randomize);
        module(Specs.spec("BatchNorm3d", 2), F64, new int[] {1, 2, 2, 3, 2}, false, 1, randomize);
    }

    private void activationsAndLinear() {
        for (DType dt : new DType[] {F32, F64}) {
            module(Specs.spec("ReLU"), dt, new int[] {3, 7}, false, 3, null);
            module(Specs.kw(Specs.spec("LeakyReLU"), "negative_slope", 0.2), dt, new int[] {4, 5}, false, 3, null);
            module(Specs.spec("LeakyReLU"), dt, new int[] {10}, false, 3, null);
            module(Specs.spec("Tanh"), dt, new int[] {2, 20}, false, 3, null);
            module(Specs.spec("Sigmoid"), dt, new int[] {2, 20}, false, 6, null);
            module(Specs.spec("GELU"), dt, new int[] {4, 25}, false, 3, null);
            module(Specs.kw(Specs.spec("GELU"), "approximate", "tanh"), dt, new int[] {4, 25}, false, 3, null);
            module(Specs.spec("Linear", 5, 3), dt, 2, 5);
            module(Specs.kw(Specs.spec("Linear", 6, 4), "bias", false), dt, 6);
            module(Specs.spec("Linear", 4, 7), dt, 2, 3, 4);
        }
    }

    private void dropoutAndShapes() {
        for (int i = 0; i < 3; i++) {
            DType dt = i == 1 ? F64 : F32;
            double p = new double[] {0.5, 0.2, 0.9}[i];
            int seed = 100 + i;
            String id = "d" + i;
            // the last case drops out a transposed view: torch still draws the mask in row-major (logical) order
            Tensor base = TorchOracle.randn(r, dt, i == 2 ? 37 : 5, i == 2 ? 5 : 37);
            Tensor x = i == 2 ? base.t() : base;
            Tensor y = F.dropout(x, p, true, new Generator(seed));
            ObjectNode req = Specs.J.objectNode();
            req.put("id", id);
            req.put("kind", "functional");
            req.put("fn", "dropout");
            req.put("dtype", dt.torchName());
            req.put("seed", seed);
            req.set("input", TorchOracle.enc(base));
            if (i == 2) req.put("transpose_input", true);
            req.putObject("kwargs").put("p", p).put("training", true);
            cases.add(new Case(id, "F.dropout(p=" + p + ", training=True) after manual_seed(" + seed + ") " + dt.torchName(), dt, y,
                    null, true, req));
        }
        module(Specs.spec("Dropout"), F32, 4, 6);
        module(Specs.spec("Identity"), F32, 4, 6);
        module(Specs.spec("Flatten"), F32, 2, 3, 4, 5);
        module(Specs.kw(Specs.kw(Specs.spec("Flatten"), "start_dim", 0), "end_dim", -2), F64, 2, 3, 4);
        ObjectNode seq = Specs.spec("Sequential", Specs.kw(Specs.spec("Conv2d", 3, 8, 3), "padding", 1), Specs.spec("BatchNorm2d", 8),
                Specs.spec("ReLU"), Specs.kw(Specs.kw(Specs.spec("Conv2d", 8, 4, 3), "stride", 2), "bias", false),
                Specs.kw(Specs.spec("MaxPool2d", 2), "ceil_mode", true), Specs.spec("Flatten"), Specs.spec("Linear", 16, 10),
                Specs.spec("GELU"));
        module(seq, F32, new int[] {2, 3, 9, 9}, true, 1, null);
        module(seq, F64, new int[] {2, 3, 9, 9}, false, 1, null);
    }

    private void pads() {
        Object[][] configs = {
            {"reflect", new int[] {2, 1}, new int[] {2, 3, 5}},
            {"reflect", new int[] {1, 2, 2, 0}, new int[] {3, 4, 5}},
            {"replicate", new int[] {1, 2, 0, 3, 2, 1}, new int[] {1, 2, 3, 3, 4}},
            {"circular", new int[] {3, 1, 2, 2}, new int[] {1, 2, 3, 4}},
            {"constant", new int[] {1, -1, 2, 0}, new int[] {2, 3, 4}},
        };
        for (int i = 0; i < configs.length; i++) {
            String mode = (String) configs[i][0];
            int[] pad = (int[]) configs[i][1];
            DType dt = i % 2 == 0 ? F32 : F64;
            Tensor x = TorchOracle.randn(r, dt, (int[]) configs[i][2]);
            Tensor y = F.pad(x, pad, mode, mode.equals("constant") ? 1.5 : 0);
            ObjectNode req = Specs.J.objectNode();
            req.put("id", "p" + i);
            req.put("kind", "functional");
            req.put("fn", "pad");
            req.put("dtype", dt.torchName());
            req.set("input", TorchOracle.enc(x));
            ObjectNode kw = req.putObject("kwargs");
            kw.set("pad", Specs.node(pad));
            kw.put("mode", mode);
            if (mode.equals("constant")) kw.put("value", 1.5);
            cases.add(new Case("p" + i, "F.pad(" + mode + ", " + java.util.Arrays.toString(pad) + ") " + x.shape(), dt, y, null, true, req));
        }
    }
}
