package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import org.convinit.Warnings;
import org.convinit.autograd.GradMode;
import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Argument checks with torch's messages, warnings, and the argument binding of {@link InitCall}. */
class InitArgumentsTest {

    static Tensor f32(int... shape) {
        return Tensor.empty(DType.FLOAT32, shape);
    }

    @Test
    void unknownNonlinearityAndModeUseTorchsMessages() {
        assertThatThrownBy(() -> Nonlinearity.parse("foo")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Unsupported nonlinearity foo");
        assertThatThrownBy(() -> FanMode.parse("fan_x")).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Mode fan_x not supported, please use one of ['fan_in', 'fan_out']");
        assertThat(FanMode.parse("FAN_OUT")).isEqualTo(FanMode.FAN_OUT);
        assertThatThrownBy(() -> InitCall.of("kaiming_normal_", Map.of("nonlinearity", "gelu")))
                .hasMessage("Unsupported nonlinearity gelu");
    }

    @Test
    void fanBasedInitNeedsTwoDimensions() {
        String msg = "Fan in and fan out can not be computed for tensor with fewer than 2 dimensions (got shape [3])";
        assertThatThrownBy(() -> Init.xavierUniform(f32(3))).isInstanceOf(IllegalArgumentException.class).hasMessage(msg);
        assertThatThrownBy(() -> Init.xavierNormal(f32(3))).hasMessage(msg);
        assertThatThrownBy(() -> Init.kaimingUniform(f32(3))).hasMessage(msg);
        assertThatThrownBy(() -> Init.kaimingNormal(f32(3))).hasMessage(msg);
        assertThatThrownBy(() -> Init.orthogonal(f32(3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orthogonal_: tensor of shape [3]: Only tensors with 2 or more dimensions are supported");
    }

    @Test
    void negativeStdAndReversedBounds() {
        assertThatThrownBy(() -> Init.normal(f32(3), 0, -1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("normal expects std >= 0.0, but found std -1.0");
        assertThatThrownBy(() -> Init.uniform(f32(3), 1, 0)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uniform_ expects to return a [from, to) range, but found from=1.0 > to=0.0");
        assertThatThrownBy(() -> Init.truncNormal(f32(3), 0, 1, 2, -2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trunc_normal_: a = 2.0, b = -2.0: expected a <= b");
        assertThatThrownBy(() -> Init.truncNormal(f32(3), 0, -1, -2, 2)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trunc_normal_: std = -1.0: expected std > 0");
        assertThatThrownBy(() -> Init.sparse(f32(4, 4), 0.5, -1, null)).hasMessage("normal expects std >= 0.0, but found std -1.0");
    }

    @Test
    void shapeRestrictedFunctions() {
        assertThatThrownBy(() -> Init.dirac(f32(3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dirac_: tensor of shape [3, 3]: Only tensors with 3, 4, or 5 dimensions are supported");
        assertThatThrownBy(() -> Init.dirac(f32(4, 3, 3), 3)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dirac_: groups = 3, tensor of shape [4, 3, 3]: dim 0 must be divisible by groups");
        assertThatThrownBy(() -> Init.dirac(f32(4, 3, 3), 0)).hasMessage("dirac_: groups = 0: expected groups >= 1");
        assertThatThrownBy(() -> Init.eye(f32(3, 3, 3))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("eye_: tensor of shape [3, 3, 3]: Only tensors with 2 dimensions are supported");
        assertThatThrownBy(() -> Init.sparse(f32(3, 3, 3), 0.1)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sparse_: tensor of shape [3, 3, 3]: Only tensors with 2 dimensions are supported");
        assertThatThrownBy(() -> Init.sparse(f32(3, 3), 1.5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("sparse_: sparsity = 1.5: expected a fraction in [0, 1]");
        assertThatThrownBy(() -> Init.sparse(f32(3, 3), -0.1)).hasMessage("sparse_: sparsity = -0.1: expected a fraction in [0, 1]");
        assertThatThrownBy(() -> Init.xavierUniform(f32(0, 0))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("xavier init of a tensor of shape [0, 0]: fan_in + fan_out is 0 (torch: float division by zero)");
    }

    @Test
    void dtypesTorch113CannotInitialize() {
        assertThatThrownBy(() -> Init.truncNormal(Tensor.empty(DType.FLOAT16, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("trunc_normal_: tensor of dtype torch.float16: torch 1.13 has no float16 erfinv_ on CPU "
                        + "(\"erfinv_vml_cpu\" not implemented for 'Half'); use float32 or bfloat16");
        assertThatThrownBy(() -> Init.orthogonal(Tensor.empty(DType.BFLOAT16, 4, 4))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("orthogonal_: tensor of dtype torch.bfloat16: torch 1.13 has no QR for it on CPU "
                        + "(\"geqrf_cpu\" not implemented); use float32 or float64");
    }

    @Test
    void warningsWhereTorchWarns() throws Exception {
        List<String> w = new ArrayList<>();
        Generator g = new Generator(2);
        try (AutoCloseable c = Warnings.capture(w::add)) {
            Init.kaimingUniform(f32(0, 3), 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, g);
            Init.kaimingNormal(f32(3, 0), 0, FanMode.FAN_OUT, Nonlinearity.RELU, g);
            Init.xavierUniform(f32(0, 3), 1, g);
            Init.truncNormal(f32(4), 10, 1, -2, 2, g);
        }
        assertThat(w).containsExactly("Initializing zero-element tensors is a no-op",
                "Initializing zero-element tensors is a no-op",
                "mean is more than 2 std from [a, b] in nn.init.trunc_normal_. The distribution of values may be incorrect.");
        assertThat(g.random()).as("zero-element inits draw nothing; trunc_normal_ of 4 draws 4")
                .isEqualTo(skip(new Generator(2), 4).random());
    }

    static Generator skip(Generator g, int n) {
        for (int i = 0; i < n; i++) g.random();
        return g;
    }

    @Test
    void initWorksOnParametersUnderNoGradAndLeavesGradModeAlone() {
        Parameter p = new Parameter(f32(4, 3));
        assertThat(GradMode.isEnabled()).isTrue();
        Init.kaimingUniform(p);
        Init.orthogonal(p);
        Init.eye(p);
        Init.sparse(p, 0.5);
        Init.truncNormal(p);
        assertThat(GradMode.isEnabled()).isTrue();
        assertThatThrownBy(() -> p.uniform_(0, 1)).isInstanceOf(IllegalStateException.class);
    }

    @Test
    void initCallBindsPythonStyleArguments() {
        InitCall c = InitCall.of("kaiming_normal_", List.of(), Map.of("mode", "fan_out", "nonlinearity", "relu"));
        assertThat(c.toString()).isEqualTo("kaiming_normal_(a=0.0, mode='fan_out', nonlinearity='relu')");
        assertThat(InitCall.of("uniform_", List.of(-0.1, 0.1), Map.of()).arguments()).containsEntry("b", 0.1);
        assertThat(InitCall.of("dirac_", Map.of("groups", 2)).toString()).isEqualTo("dirac_(groups=2)");
        assertThatThrownBy(() -> InitCall.of("uniform_", Map.of("c", 1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("uniform_() got an unexpected keyword argument 'c'; expected one of [a, b]");
        assertThatThrownBy(() -> InitCall.of("uniform_", List.of(1.0), Map.of("a", 0.0)))
                .hasMessage("uniform_() got multiple values for argument 'a'");
        assertThatThrownBy(() -> InitCall.of("constant_", Map.of()))
                .hasMessage("constant_() missing 1 required positional argument: 'val'");
        assertThatThrownBy(() -> InitCall.of("zeros_", List.of(1.0), Map.of()))
                .hasMessage("zeros_() takes 1 positional argument but 2 were given (parameters: tensor)");
        assertThatThrownBy(() -> InitCall.of("uniform_", List.of(1.0, 2.0, 3.0), Map.of()))
                .hasMessage("uniform_() takes from 1 to 3 positional arguments but 4 were given (parameters: tensor, a, b)");
        assertThatThrownBy(() -> InitCall.of("sparse_", List.of(), Map.of("std", 0.1)))
                .hasMessage("sparse_() missing 1 required positional argument: 'sparsity'");
        assertThatThrownBy(() -> InitCall.of("xavier_uniform_", Map.of("gain", "big")))
                .hasMessage("xavier_uniform_(): gain = 'big': expected a number");
        assertThatThrownBy(() -> InitCall.of("dirac_", Map.of("groups", 1.5)))
                .hasMessage("dirac_(): groups = 1.5: expected an integer");
        // integers beyond int: were an ArithmeticException (a Long) or silently Integer.MAX_VALUE (a Double)
        assertThatThrownBy(() -> InitCall.of("dirac_", Map.of("groups", 9_999_999_999L)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dirac_(): groups = 9999999999: expected an integer of at most 2147483647 in magnitude");
        assertThatThrownBy(() -> InitCall.of("gabor_", Map.of("orientations", 1e300)))
                .hasMessage("gabor_(): orientations = 1.0E300: expected an integer of at most 2147483647 in magnitude");
        assertThat(InitCall.of("dirac_", Map.of("groups", 3.0)).toString()).isEqualTo("dirac_(groups=3.0)");
        java.util.HashMap<String, Object> none = new java.util.HashMap<>();
        none.put("a", null);
        assertThat(InitCall.of("kaiming_uniform_", none).toString()) // was a=null
                .isEqualTo("kaiming_uniform_(a=None, mode='fan_in', nonlinearity='leaky_relu')");
        assertThatThrownBy(() -> InitCall.of("msra_normal_", Map.of())) // he_normal_ is JAX's preset now (VarianceScaling)
                .hasMessageStartingWith("unknown init function 'msra_normal_'; expected one of [uniform_, normal_");
    }

    @Test
    void formulasArePinned() {
        // Conv2d(3, 16, 3) default: kaiming_uniform_(a=√5) gives 1/√27 as a float (reference §6)
        double std = Init.kaimingStd(f32(16, 3, 3, 3).shape(), Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU);
        assertThat(Math.sqrt(3.0) * std).isEqualTo(0.19245008972987523);
        assertThat((float) (Math.sqrt(3.0) * std)).isEqualTo((float) (1 / Math.sqrt(27)));
        assertThat(Init.calculateGain(Nonlinearity.LEAKY_RELU, Math.sqrt(5))).isEqualTo(0.5773502691896257);
        // xavier: gain·√(2/(fan_in+fan_out)); grouped conv weight [32, 4, 3, 3]: fan_in 36, fan_out 288
        assertThat(Init.xavierStd(f32(32, 4, 3, 3).shape(), 1.0)).isEqualTo(Math.sqrt(2.0 / 324));
        // transposed conv weight [in=16, out/g=8, 3, 3]: torch's "fan_in" is 8·9
        assertThat(Fans.of(f32(16, 8, 3, 3).shape())).isEqualTo(new Fans(72, 144));
        assertThat(Init.calculateGain(Nonlinearity.SELU)).isEqualTo(0.75);
        assertThat(Init.calculateGain(Nonlinearity.TANH)).isEqualTo(5.0 / 3);
    }

    @Test
    void diracAndEyeValues() {
        Tensor d = Init.dirac(f32(4, 2, 3), 2);
        // group 0: out 0 <- in 0, out 1 <- in 1; group 1: out 2 <- in 0, out 3 <- in 1; centre tap 1
        double[] v = d.toDoubleArray();
        double sum = 0;
        for (double x : v) sum += x;
        assertThat(sum).isEqualTo(4);
        assertThat(d.get(0, 0, 1)).isEqualTo(1);
        assertThat(d.get(1, 1, 1)).isEqualTo(1);
        assertThat(d.get(2, 0, 1)).isEqualTo(1);
        assertThat(d.get(3, 1, 1)).isEqualTo(1);
        Tensor e = Init.eye(f32(2, 3));
        assertThat(e.toDoubleArray()).containsExactly(1, 0, 0, 0, 1, 0);
    }
}
