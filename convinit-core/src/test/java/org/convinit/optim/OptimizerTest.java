package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.Warnings;
import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** Argument checks with torch's messages, zero_grad, state handling and layouts. */
class OptimizerTest {

    private static Parameter param(float... v) {
        return new Parameter(Tensor.vector(v));
    }

    @ParameterizedTest
    @CsvSource(delimiter = '|', value = {
        "-0.1|0|0|0|false|Invalid learning rate: -0.1",
        "-1e-05|0|0|0|false|Invalid learning rate: -1e-05",
        "0.1|-0.5|0|0|false|Invalid momentum value: -0.5",
        "0.1|0|0|-0.0001|false|Invalid weight_decay value: -0.0001",
        "0.1|0|0|0|true|Nesterov momentum requires a momentum and zero dampening",
        "0.1|0.9|0.1|0|true|Nesterov momentum requires a momentum and zero dampening",
    })
    void sgdRefusesWhatTorchRefuses(double lr, double momentum, double dampening, double wd, boolean nesterov, String message) {
        SGD.Options o = SGD.options(lr).momentum(momentum).dampening(dampening).weightDecay(wd).nesterov(nesterov);
        assertThatThrownBy(() -> new SGD(List.of(param(1)), o))
                .isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    @Test
    void sgdAcceptsNanLearningRateAsTorchDoes() {
        // torch checks `lr < 0.0`, which NaN passes; Adam checks `not 0.0 <= lr`, which NaN fails
        new SGD(List.of(param(1)), SGD.options(Double.NaN));
        assertThatThrownBy(() -> new Adam(List.of(param(1)), Adam.options().lr(Double.NaN)))
                .hasMessage("Invalid learning rate: nan");
    }

    @Test
    void adamRefusesWhatTorchRefuses() {
        List<Parameter> ps = List.of(param(1));
        assertThatThrownBy(() -> new Adam(ps, Adam.options().lr(-1))).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Invalid learning rate: -1.0");
        assertThatThrownBy(() -> new Adam(ps, Adam.options().eps(-1e-8))).hasMessage("Invalid epsilon value: -1e-08");
        assertThatThrownBy(() -> new Adam(ps, Adam.options().betas(1.0, 0.999))).hasMessage("Invalid beta parameter at index 0: 1.0");
        assertThatThrownBy(() -> new Adam(ps, Adam.options().betas(0.9, -0.1))).hasMessage("Invalid beta parameter at index 1: -0.1");
        assertThatThrownBy(() -> new AdamW(ps, AdamW.options().weightDecay(-0.01))).hasMessage("Invalid weight_decay value: -0.01");
        assertThatThrownBy(() -> new Adam(List.of(), Adam.options())).hasMessage("optimizer got an empty parameter list");
    }

    @Test
    void defaultsAreTorchs() {
        assertThat(Adam.options()).isEqualTo(new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0, false, false));
        assertThat(AdamW.options()).isEqualTo(new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0.01, false, false));
        assertThat(SGD.options(0.5)).isEqualTo(new SGD.Options(0.5, 0, 0, 0, false, false));
    }

    @Test
    void pythonFloatRepr() {
        assertThat(PyFloat.repr(1e-4)).isEqualTo("0.0001");
        assertThat(PyFloat.repr(1e-5)).isEqualTo("1e-05");
        assertThat(PyFloat.repr(0.0001234)).isEqualTo("0.0001234");
        assertThat(PyFloat.repr(123456789012345.0)).isEqualTo("123456789012345.0");
        assertThat(PyFloat.repr(1e16)).isEqualTo("1e+16");
        assertThat(PyFloat.repr(-1.5e16)).isEqualTo("-1.5e+16");
        assertThat(PyFloat.repr(2.5)).isEqualTo("2.5");
        assertThat(PyFloat.repr(100)).isEqualTo("100.0");
        assertThat(PyFloat.repr(Double.NEGATIVE_INFINITY)).isEqualTo("-inf");
    }

    @Test
    void parameterInTwoGroupsIsRefusedAndDuplicateInOneWarns() {
        Parameter p = param(1, 2);
        assertThatThrownBy(() -> new SGD(List.of(new ParamGroup<>(List.of(p), SGD.options(0.1)),
                new ParamGroup<>(List.of(p), SGD.options(0.2)))))
                .hasMessage("some parameters appear in more than one parameter group");
        List<String> warnings = new ArrayList<>();
        try (var w = Warnings.capture(warnings::add)) {
            new SGD(List.of(p, p), SGD.options(0.1));
        } catch (Exception e) {
            throw new AssertionError(e);
        }
        assertThat(warnings).containsExactly("optimizer contains a parameter group with duplicate parameters; in future, "
                + "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for more information");
    }

    @Test
    void float16ParametersAreRefusedByName() {
        Parameter p = new Parameter(Tensor.zeros(DType.FLOAT16, 2, 3));
        assertThatThrownBy(() -> new Adam(List.of(param(1), p), Adam.options()))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("parameter 1 of dtype torch.float16 and shape [2, 3]: expected float32 or float64 (convinit's optimizers compute in those)");
    }

    @Test
    void zeroGradZeroesInPlaceByDefaultAndDropsWithSetToNone() {
        Parameter a = param(1, 2);
        Parameter b = param(3);
        SGD opt = new SGD(List.of(a, b), SGD.options(0.1));
        Tensor ga = Tensor.vector(5, 6);
        a.setGrad(ga);
        opt.zeroGrad();
        assertThat(a.grad()).isSameAs(ga);
        assertThat(ga.toFloatArray()).containsExactly(0f, 0f);
        assertThat(b.grad()).isNull();
        opt.zeroGrad(true);
        assertThat(a.grad()).isNull();
    }

    @Test
    void parametersWithoutGradAreSkippedAndKeepNoState() {
        Parameter a = param(1, 2);
        Parameter b = param(3);
        Adam opt = new Adam(List.of(a, b), Adam.options().lr(0.1));
        a.setGrad(Tensor.vector(1, -1));
        opt.step();
        assertThat(b.toFloatArray()).containsExactly(3f);
        assertThat(opt.state(b)).isEmpty();
        assertThat(opt.state(a).get("step").item()).isEqualTo(1.0);
        // first Adam step moves every coordinate by about lr against the gradient's sign (torch: 0.90000004, 2.1)
        assertThat(a.toFloatArray()).containsExactly(0.90000004f, 2.1f);
    }

    @Test
    void stepCountsAsAnInPlaceChangeOfTheParameter() {
        Parameter p = param(1, 2);
        SGD opt = new SGD(List.of(p), SGD.options(0.1));
        long before = p.storage().version();
        opt.step(); // no grad: nothing changes
        assertThat(p.storage().version()).isEqualTo(before);
        p.setGrad(Tensor.vector(1, 1));
        opt.step();
        assertThat(p.storage().version()).isGreaterThan(before);
    }

    @Test
    void sgdUpdatesByHand() {
        Parameter p = param(1f, -2f);
        SGD opt = new SGD(List.of(p), SGD.options(0.5).momentum(0.5));
        p.setGrad(Tensor.vector(2f, 4f));
        opt.step(); // buf = g = (2, 4); p = (1 - 1, -2 - 2)
        assertThat(p.toFloatArray()).containsExactly(0f, -4f);
        p.setGrad(Tensor.vector(2f, 0f));
        opt.step(); // buf = 0.5 * (2, 4) + (2, 0) = (3, 2); p = (0 - 1.5, -4 - 1)
        assertThat(p.toFloatArray()).containsExactly(-1.5f, -5f);
        assertThat(opt.state(p).get("momentum_buffer").toFloatArray()).containsExactly(3f, 2f);
    }

    @Test
    void nonContiguousParameterIsUpdatedThroughItsView() {
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        Parameter pt = new Parameter(base.t()); // [3, 2] view over base's storage
        Parameter pc = new Parameter(base.t().contiguous());
        SGD a = new SGD(List.of(pt), SGD.options(0.1).momentum(0.9));
        SGD b = new SGD(List.of(pc), SGD.options(0.1).momentum(0.9));
        Generator g = new Generator(3);
        for (int s = 0; s < 3; s++) {
            Tensor grad = Tensor.empty(DType.FLOAT32, 3, 2).uniform_(-1, 1, g);
            pt.setGrad(grad);
            pc.setGrad(grad);
            a.step();
            b.step();
        }
        assertThat(pt.toFloatArray()).containsExactly(pc.toFloatArray());
        assertThat(base.t().toFloatArray()).containsExactly(pc.toFloatArray());
    }

    @Test
    void stateDictRoundTripContinuesIdentically() {
        Generator g1 = new Generator(5);
        List<Parameter> ps = List.of(new Parameter(Tensor.empty(DType.FLOAT32, 4, 3).uniform_(-1, 1, g1)),
                new Parameter(Tensor.empty(DType.FLOAT32, 5).uniform_(-1, 1, g1)));
        List<Parameter> copy = List.of(new Parameter(ps.get(0).clone()), new Parameter(ps.get(1).clone()));
        AdamW a = new AdamW(ps, AdamW.options().lr(0.01).amsgrad(true));
        Generator g = new Generator(9);
        for (int s = 0; s < 3; s++) {
            for (Parameter p : ps) p.setGrad(Tensor.empty(DType.FLOAT32, p.shape().toArray()).uniform_(-1, 1, g));
            a.step();
        }
        Map<String, Tensor> sd = a.stateDict();
        assertThat(sd.keySet()).containsExactly("state.0.step", "state.0.exp_avg", "state.0.exp_avg_sq", "state.0.max_exp_avg_sq",
                "state.1.step", "state.1.exp_avg", "state.1.exp_avg_sq", "state.1.max_exp_avg_sq", "param_groups.0.lr");
        for (int i = 0; i < 2; i++) {
            try (var ng = org.convinit.autograd.GradMode.noGrad()) {
                copy.get(i).copy_(ps.get(i));
            }
        }
        AdamW b = new AdamW(copy, AdamW.options().lr(0.5).amsgrad(true));
        b.loadStateDict(sd);
        assertThat(b.paramGroups().get(0).lr()).isEqualTo(0.01);
        for (int s = 0; s < 3; s++) {
            for (int i = 0; i < 2; i++) {
                Tensor grad = Tensor.empty(DType.FLOAT32, ps.get(i).shape().toArray()).uniform_(-1, 1, g);
                ps.get(i).setGrad(grad);
                copy.get(i).setGrad(grad);
            }
            a.step();
            b.step();
        }
        for (int i = 0; i < 2; i++) assertThat(copy.get(i).toFloatArray()).containsExactly(ps.get(i).toFloatArray());
    }

    @Test
    void loadStateDictRefusesMisfitsAndChangesNothing() {
        Parameter p = param(1, 2, 3);
        SGD opt = new SGD(List.of(p), SGD.options(0.1).momentum(0.9));
        Map<String, Tensor> bad = new LinkedHashMap<>();
        bad.put("state.0.momentum_buffer", Tensor.zeros(DType.FLOAT32, 2));
        bad.put("state.1.momentum_buffer", Tensor.zeros(DType.FLOAT32, 3));
        bad.put("state.0.exp_avg", Tensor.zeros(DType.FLOAT32, 3));
        assertThatThrownBy(() -> opt.loadStateDict(bad))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("optimizer state dict does not fit this SGD over 1 parameters in 1 group(s): "
                        + "state.0.momentum_buffer of dtype torch.float32 and shape [2]: expected float32 of shape [3]; "
                        + "unexpected key state.0.exp_avg; unexpected key state.1.momentum_buffer");
        assertThat(opt.state(p)).isEmpty();
    }

    @Test
    void loadStateDictRefusesIncompleteAdamState() {
        Parameter p = param(1, 2);
        Adam opt = new Adam(List.of(p), Adam.options().amsgrad(true));
        Map<String, Tensor> partial = new LinkedHashMap<>();
        partial.put("state.0.exp_avg", Tensor.zeros(DType.FLOAT32, 2));
        assertThatThrownBy(() -> opt.loadStateDict(partial)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("optimizer state dict does not fit this Adam over 1 parameters in 1 group(s): "
                        + "missing key state.0.exp_avg_sq; missing key state.0.max_exp_avg_sq; missing key state.0.step");
    }

    @Test
    void gradOfAnotherDtypeIsRefused() {
        Parameter p = param(1, 2);
        SGD opt = new SGD(List.of(p), SGD.options(0.1));
        p.setGrad(Tensor.zeros(DType.FLOAT64, 2));
        assertThatThrownBy(opt::step).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grad of dtype torch.float64 and shape [2] for a float32 parameter of shape [2]: expected float32 of the same shape");
        Parameter d = new Parameter(Tensor.zeros(DType.FLOAT64, 2));
        SGD opt64 = new SGD(List.of(d), SGD.options(0.1));
        d.setGrad(Tensor.zeros(DType.FLOAT32, 2));
        assertThatThrownBy(opt64::step).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("grad of dtype torch.float32 and shape [2] for a float64 parameter of shape [2]: expected float64 of the same shape");
    }
}
