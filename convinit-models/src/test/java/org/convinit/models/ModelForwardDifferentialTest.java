package org.convinit.models;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every family's forward pass against torchvision on a 2x3x64x64 input (ConvNeXt-small on 2x3x32x32; ResNet-50,
 * Wide ResNet-50-2, RegNetY-1.6GF and ResNeXt-50 in train mode also on 4x3x160x160), in eval and train
 * mode (batch statistics; dropout and stochastic masks drawn from the generator where the init left it, as torch's
 * global one): within 1e-4 (float32) or 1e-10 (float64) of the largest logit. Every family runs in both modes and both
 * dtypes, and has a float32 case in each mode held to 1e-4 strictly. Cost: about 4.5 min for the 67 cases on 2
 * shared cores, both sides (the 4x160² cases about 1 min of it, mostly torch's float64 runs at one thread; VGG-16-BN
 * in float64 holds 1.1 GB of weights, hence -Xmx8g: see the pom). ResNet-18, MobileNetV3-small and DenseNet-121 also compare one
 * backward pass: the input's gradient element by element, each parameter's by its norm and a projection.
 */
class ModelForwardDifferentialTest {
    /**
     * {@code strict} (the default): the float32 output bound is 1e-4 even where torch's own float32 result is further
     * from float64. Not strict: the four train-mode cases on 2x64² that docs/models-float32.md traces (ResNet-50 at seed 3,
     * ResNet-101, Wide ResNet-50-2, RegNetY-1.6GF); each of these models but ResNet-101 also runs strictly on 4x160².
     */
    private record Case(String name, Map<String, Object> kwargs, long seed, DType dtype, boolean train, boolean grads, int[] input,
                        boolean strict) {
        Case(String name, Map<String, Object> kwargs, long seed, DType dtype, boolean train, boolean grads) {
            this(name, kwargs, seed, dtype, train, grads, INPUT, true);
        }
    }

    private static final Map<String, Object> TEN = Map.of("num_classes", 10);
    private static final DType F32 = DType.FLOAT32;
    private static final DType F64 = DType.FLOAT64;
    private static final int[] INPUT = {2, 3, 64, 64};
    /** ConvNeXt-small's 27-block stage on a 2x2 map: the cheapest input its four stages take. */
    private static final int[] SMALL = {2, 3, 32, 32};
    /** A realistic training batch: 160² is a common low-resolution training size (torchvision's recipes train at 176–224). */
    private static final int[] REALISTIC = {4, 3, 160, 160};

    static final List<Case> CASES = List.of(
            new Case("resnet18", TEN, 0, F32, false, false),
            new Case("resnet18", TEN, 1, F32, true, true),
            new Case("resnet18", Map.of("num_classes", 10, "zero_init_residual", true), 2, F64, true, false),
            new Case("resnet50", TEN, 3, F32, true, false, INPUT, false),
            new Case("resnext50_32x4d", Map.of("num_classes", 5), 4, F32, false, false),
            new Case("resnet18", Map.of("num_classes", 10, "norm_layer", "GroupNorm(8)"), 5, F64, true, true),
            new Case("vgg11_bn", TEN, 0, F32, true, false),
            new Case("vgg11", TEN, 1, F32, false, false),
            new Case("alexnet", TEN, 0, F32, true, false),
            new Case("alexnet", TEN, 1, F64, false, false),
            new Case("squeezenet1_0", TEN, 0, F32, true, false),
            new Case("squeezenet1_1", TEN, 1, F64, false, false),
            new Case("mobilenet_v2", TEN, 0, F32, true, false),
            new Case("mobilenet_v2", Map.of("num_classes", 10, "width_mult", 0.5), 1, F64, false, false),
            new Case("mobilenet_v3_small", TEN, 0, F32, true, true),
            new Case("mobilenet_v3_small", TEN, 1, F64, true, false),
            new Case("mobilenet_v3_large", TEN, 2, F32, false, false),
            new Case("densenet121", TEN, 0, F32, true, true),
            new Case("densenet121", TEN, 3, F64, true, true),
            new Case("densenet121", Map.of("num_classes", 10, "drop_rate", 0.2), 1, F32, true, false),
            new Case("densenet121", TEN, 2, F64, false, false),
            new Case("efficientnet_b0", TEN, 0, F32, true, false),
            new Case("efficientnet_b0", Map.of("num_classes", 10, "stochastic_depth_prob", 0.5), 1, F64, true, false),
            new Case("efficientnet_b1", TEN, 2, F32, false, false),
            new Case("regnet_y_400mf", TEN, 0, F32, true, false),
            new Case("regnet_x_400mf", TEN, 1, F64, false, false),
            new Case("regnet_y_1_6gf", TEN, 2, F32, true, false, INPUT, false),
            new Case("regnet_x_3_2gf", TEN, 3, F64, false, false),
            new Case("efficientnet_v2_s", TEN, 0, F32, true, false),
            new Case("efficientnet_v2_s", Map.of("num_classes", 10, "stochastic_depth_prob", 0.5), 1, F64, true, false),
            new Case("efficientnet_v2_m", TEN, 2, F32, false, false),
            new Case("convnext_tiny", Map.of("num_classes", 10, "layer_scale", 0.5, "stochastic_depth_prob", 0.3), 0, F32, true, false),
            new Case("convnext_tiny", Map.of("num_classes", 10, "layer_scale", 0.5), 1, F64, false, false),
            new Case("shufflenet_v2_x0_5", TEN, 0, F32, true, false),
            new Case("shufflenet_v2_x0_5", TEN, 1, F64, false, false),
            // (appended: a case's input seed is 100 + its index) ResNet-50 in train mode at a realistic batch and size,
            // layer4's batch statistics over 4·5·5 values instead of 2·2·2: strictly within 1e-4 (docs/models-float32.md)
            new Case("resnet50", TEN, 2, F32, true, false, REALISTIC, true),
            new Case("mobilenet_v3_small", Map.of("num_classes", 10, "norm_layer", "GroupNorm(4)"), 3, F64, true, true),
            new Case("regnet_y_400mf", Map.of("num_classes", 10, "norm_layer", "GroupNorm(8)"), 4, F32, true, false),
            new Case("efficientnet_b0", Map.of("num_classes", 10, "norm_layer", "GroupNorm(8)"), 5, F64, false, false),
            new Case("mobilenet_v2", Map.of("num_classes", 10, "norm_layer", "GroupNorm(8)"), 6, F32, false, false),
            // the list member by member: each family in eval and train mode, float32 and float64
            new Case("resnet34", TEN, 7, F64, false, false),
            new Case("resnet101", TEN, 8, F32, true, false, INPUT, false),
            new Case("resnet152", TEN, 9, F64, false, false),
            new Case("resnext50_32x4d", TEN, 10, F64, true, false),
            new Case("wide_resnet50_2", TEN, 11, F32, true, false, INPUT, false),
            new Case("wide_resnet50_2", TEN, 12, F64, false, false),
            new Case("vgg16_bn", TEN, 13, F64, true, false),
            new Case("vgg19", TEN, 14, F32, false, false),
            new Case("squeezenet1_0", TEN, 15, F64, true, false),
            new Case("squeezenet1_1", TEN, 16, F32, false, false),
            new Case("mobilenet_v3_large", TEN, 17, F64, true, false),
            new Case("densenet161", TEN, 18, F32, false, false),
            new Case("densenet169", TEN, 19, F64, true, false),
            new Case("densenet201", TEN, 20, F32, true, false),
            new Case("efficientnet_b2", TEN, 21, F32, true, false),
            new Case("efficientnet_b3", TEN, 22, F64, false, false),
            new Case("shufflenet_v2_x1_0", TEN, 23, F64, true, false),
            new Case("convnext_small", TEN, 24, F32, false, false, SMALL, true),
            new Case("convnext_small", Map.of("num_classes", 10, "layer_scale", 0.5), 25, F64, true, false, SMALL, true),
            new Case("convnext_tiny", Map.of("num_classes", 10, "layer_scale", 0.5, "norm_layer", "GroupNorm(1)",
                    "block", "CNBlock(norm_layer=LayerNorm(eps=1e-05))"), 26, F32, true, false),
            // two of the three train-mode cases over 1e-4 on 2x64^2 (same model seeds), at the ResNet-50 case's realistic
            // batch and size: the last stage's batch statistics over 4·5·5 = 100 values per channel, strictly 1e-4
            // (ResNet-101 is over 1e-4 on 4x160² and 4x224² too, torch's own float32 as far from exact: docs/models-float32.md)
            new Case("wide_resnet50_2", TEN, 11, F32, true, false, REALISTIC, true),
            new Case("regnet_y_1_6gf", TEN, 2, F32, true, false, REALISTIC, true),
            // the float32 cases some families lacked (train: ResNeXt, on 4x160² as ResNet-50; eval: Wide ResNet, AlexNet,
            // RegNet, ShuffleNetV2): every family of the issue has a strict float32 case in each mode
            new Case("resnext50_32x4d", TEN, 27, F32, true, false, REALISTIC, true),
            new Case("wide_resnet50_2", TEN, 28, F32, false, false),
            new Case("alexnet", TEN, 29, F32, false, false),
            new Case("regnet_x_400mf", TEN, 30, F32, false, false),
            new Case("shufflenet_v2_x1_0", TEN, 31, F32, false, false));


    private record Result(Tensor output, Tensor inputGrad, Map<String, double[]> paramGrads) {}

    @TestFactory
    Stream<DynamicTest> forwardAndGradientsMatchTorchvision() {
        Torch.require();
        List<Map<String, Object>> req = new ArrayList<>();
        List<Result> mine = new ArrayList<>();
        double[] seconds = new double[CASES.size()];
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Map<String, Object> r = new LinkedHashMap<>();
            r.put("id", "f" + i);
            r.put("kind", "forward");
            r.put("name", c.name());
            r.put("kwargs", c.kwargs());
            r.put("seed", c.seed());
            r.put("dtype", c.dtype().torchName());
            r.put("input_shape", c.input());
            r.put("input_seed", 100 + i);
            r.put("train", c.train());
            r.put("grads", c.grads());
            req.add(r);
            long t0 = System.nanoTime();
            mine.add(run(c, 100 + i));
            seconds[i] = (System.nanoTime() - t0) / 1e9;
        }
        Map<String, JsonNode> replies = TorchModels.run(req);
        List<DynamicTest> tests = new ArrayList<>();
        for (int i = 0; i < CASES.size(); i++) {
            Case c = CASES.get(i);
            Result me = mine.get(i);
            int idx = i;
            JsonNode rep = replies.get("f" + i);
            double tol = c.dtype() == F32 ? 1e-4 : 1e-10;
            tests.add(DynamicTest.dynamicTest(c.name() + c.kwargs() + (c.train() ? " train " : " eval ") + c.dtype().torchName()
                    + " on " + Arrays.toString(c.input()) + (c.grads() ? " with gradients" : ""), () -> {
                assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
                Tensor expected = TorchModels.dec(rep.get("output"), c.dtype());
                assertThat(me.output().shape()).isEqualTo(expected.shape());
                // the figures docs/models-float32.md quotes: convinit's distance and torch's own float32 one
                double err = TorchModels.relError(me.output(), expected);
                double exact = rep.has("output_f64") ? TorchModels.relError(me.output(), TorchModels.dec(rep.get("output_f64"), F64)) : 0;
                System.out.printf("forward %s on %s: convinit vs torch %.3g, torch float32 vs float64 %s, convinit vs float64 %.3g;"
                        + " convinit %.1f s, torch %s s%n", c.name() + c.kwargs() + (c.train() ? " train " : " eval ") + c.dtype().torchName(),
                        Arrays.toString(c.input()), err,
                        rep.path("output_f32_noise").asText("-"), exact, seconds[idx], rep.path("seconds").asText("-"));
                assertThat(err).as("output (torch's own float32 noise %s)", rep.path("output_f32_noise").asDouble())
                        .isLessThanOrEqualTo(c.strict() ? tol : relaxed(tol, rep.path("output_f32_noise")));
                if (err > tol) {
                    // only within the relaxed bound: judged against the exact answer, convinit's float32 must be as
                    // close to it as torch's own float32 is, within a factor EXACT_FACTOR
                    assertThat(exact).as("convinit float32 vs torch float64")
                            .isLessThanOrEqualTo(EXACT_FACTOR * rep.get("output_f32_noise").asDouble());
                }
                if (!c.grads()) return;
                JsonNode pg = rep.get("param_grads");
                assertThat(me.paramGrads().keySet()).containsExactlyElementsOf(() -> pg.fieldNames());
                // relative to the largest gradient: a gradient that is zero in exact arithmetic (a BN bias before a
                // training-mode BN) is rounding noise on both sides
                double scale = 0;
                for (JsonNode v : pg) scale = Math.max(scale, v.get(1).asDouble());
                for (Map.Entry<String, double[]> e : me.paramGrads().entrySet()) {
                    double proj = pg.get(e.getKey()).get(0).asDouble();
                    double norm = pg.get(e.getKey()).get(1).asDouble();
                    double n = e.getValue()[2];
                    assertThat(Math.abs(e.getValue()[1] - norm)).as("norm of the gradient of %s", e.getKey())
                            .isLessThanOrEqualTo(tol * scale);
                    assertThat(Math.abs(e.getValue()[0] - proj)).as("projection of the gradient of %s", e.getKey())
                            .isLessThanOrEqualTo(tol * scale * Math.sqrt(n));
                }
                assertThat(TorchModels.relError(me.inputGrad(), TorchModels.dec(rep.get("input_grad"), c.dtype())))
                        .as("input gradient (torch's own float32 noise %s)", rep.path("input_grad_f32_noise").asDouble())
                        .isLessThanOrEqualTo(tolerance(tol, rep.path("input_grad_f32_noise")));
            }));
        }
        return tests.stream();
    }

    /**
     * {@code tol}, or in float32 where torch's own float32 result is further than that from float64 (deep nets with
     * batch statistics of two images amplify rounding), twice torch's own distance: convinit must be as close to torch
     * as torch is to exact. Used for input gradients: DenseNet-121's needs it (a ReLU input of 3.5e-6 flips sign under
     * float32 rounding; torch's own distance 1.55e-2).
     */
    private static double tolerance(double tol, JsonNode torchNoise) {
        return torchNoise.isMissingNode() ? tol : Math.max(tol, 2 * torchNoise.asDouble());
    }

    /**
     * How far from float64 convinit's float32 output may be in a case not marked strict, as a multiple of torch's own
     * float32 distance from float64. Both distances are the rounding of deep float32 nets amplified by batch statistics
     * of two images, and convinit's depends on the vector width (its sums' order): Wide ResNet-50-2 (train, 2x64², model
     * seed 11) is 1.24e-4 from float64 at 16 float lanes (AVX-512), 1.57e-4 at 8 (-XX:MaxVectorSize=32, AVX2) and 1.14e-4
     * at 4 (-XX:MaxVectorSize=16, as 128-bit NEON/SVE machines), against torch's own 6.3e-5 on the AVX-512 machine
     * (1.1e-4 on an earlier AVX2 one): a factor 2 failed at 8 lanes, so 3.
     */
    private static final double EXACT_FACTOR = 3;

    /**
     * The output bound of a case not marked strict (train mode on 2x64², traced layer by layer in
     * docs/models-float32.md): {@code tol}, or what the check against the exact answer implies — convinit within
     * {@link #EXACT_FACTOR} times torch's distance of float64, torch within once, so within {@code EXACT_FACTOR + 1}
     * times torch's distance of torch (Wide ResNet-50-2 above: 1.16e-4, 1.44e-4 and 1.48e-4 from torch at 16, 8 and 4 lanes).
     */
    private static double relaxed(double tol, JsonNode torchNoise) {
        return torchNoise.isMissingNode() ? tol : Math.max(tol, (EXACT_FACTOR + 1) * torchNoise.asDouble());
    }

    /** Builds as {@code torch.manual_seed(seed)} would, then runs on the same generator (dropout continues its stream). */
    private static Result run(Case c, long inputSeed) {
        Generator g = new Generator(c.seed());
        return Generator.withDefault(g, () -> {
            Module m = Models.create(c.name(), c.kwargs(), c.dtype());
            m.train(c.train());
            Tensor x = TorchModels.randn(inputSeed, c.dtype(), c.input());
            if (c.grads()) x.requiresGrad(true);
            Tensor y = m.call(x);
            if (!c.grads()) return new Result(y.detach(), null, null);
            Tensor gOut = TorchModels.randn(inputSeed + 1, c.dtype(), y.shape().toArray());
            y.mul(gOut).sum().backward();
            Map<String, double[]> grads = new LinkedHashMap<>();
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) {
                Tensor gr = e.getValue().grad();
                double sq = 0;
                for (double v : gr.toDoubleArray()) sq += v * v;
                grads.put(e.getKey(), new double[] {TorchModels.projection(gr), Math.sqrt(sq), gr.numel()});
            }
            return new Result(y.detach(), x.grad(), grads);
        });
    }
}
