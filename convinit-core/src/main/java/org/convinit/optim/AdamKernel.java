package org.convinit.optim;

import java.util.Map;
import java.util.Set;

import org.convinit.nn.Parameter;
import org.convinit.tensor.Tensor;

/** The update shared by {@link Adam} and {@link AdamW}: torch 1.13's {@code _single_tensor_adam(w)}, op by op. */
final class AdamKernel {
    static final Set<String> STATE_NAMES = Set.of("step", "exp_avg", "exp_avg_sq", "max_exp_avg_sq");

    private AdamKernel() {}

    static Set<String> required(AdamOptions o) {
        return o.amsgrad() ? STATE_NAMES : Set.of("step", "exp_avg", "exp_avg_sq");
    }

    /**
     * One step of one parameter: {@code grad} is its gradient's elements (read only), {@code state} its state map
     * (empty before the first step; the state is created here, as torch does on the first step).
     */
    static void update(F32 param, F32 grad, AdamOptions o, Map<String, Tensor> state, Parameter p, boolean decoupled) {
        Tensor maxT = prepare(o, state, p);
        double step = advanceStep(state);
        // Python floats (double): libm pow, as torch computes beta ** step
        double biasCorrection1 = 1 - Math.pow(o.beta1(), step);
        double biasCorrection2 = 1 - Math.pow(o.beta2(), step);
        double stepSize = o.lr() / biasCorrection1;
        UpdateKernels.Adam s = new UpdateKernels.Adam((float) o.beta1(), (float) (1 - o.beta1()), (float) o.beta2(),
                (float) (1 - o.beta2()), (float) o.weightDecay(), (float) (1 - o.lr() * o.weightDecay()),
                (float) Math.sqrt(biasCorrection2), (float) o.eps(), (float) -stepSize, o.maximize(), !decoupled && o.weightDecay() != 0, decoupled, o.amsgrad());
        UpdateKernels.adam(param.a, param.off, grad.a, grad.off, state.get("exp_avg").storage().floats(),
                state.get("exp_avg_sq").storage().floats(), maxT == null ? null : maxT.storage().floats(), param.n, s);
    }

    /** {@link #update(F32, F32, AdamOptions, Map, Parameter, boolean)} for a float64 parameter: its state and arithmetic in float64. */
    static void update(F64 param, F64 grad, AdamOptions o, Map<String, Tensor> state, Parameter p, boolean decoupled) {
        Tensor maxT = prepare(o, state, p);
        double step = advanceStep(state);
        double biasCorrection1 = 1 - Math.pow(o.beta1(), step);
        double biasCorrection2 = 1 - Math.pow(o.beta2(), step);
        UpdateKernels.adam64(param.a, param.off, grad.a, grad.off, state.get("exp_avg").storage().doubles(),
                state.get("exp_avg_sq").storage().doubles(), maxT == null ? null : maxT.storage().doubles(), param.n, o,
                Math.sqrt(biasCorrection2), -(o.lr() / biasCorrection1), decoupled);
    }

    /** Creates the state on the first step, as torch does; returns max_exp_avg_sq (null without AMSGrad). */
    private static Tensor prepare(AdamOptions o, Map<String, Tensor> state, Parameter p) {
        if (state.isEmpty()) {
            state.put("step", Tensor.scalar(0));
            state.put("exp_avg", Optimizer.zerosLike(p));
            state.put("exp_avg_sq", Optimizer.zerosLike(p));
            if (o.amsgrad()) state.put("max_exp_avg_sq", Optimizer.zerosLike(p));
        }
        if (!o.amsgrad()) return null;
        Tensor maxT = state.get("max_exp_avg_sq");
        if (maxT == null) { // amsgrad switched on after the first step: torch raises KeyError before any update
            throw new IllegalStateException("amsgrad is on but parameter of shape " + p.shape()
                    + " has no max_exp_avg_sq state (amsgrad was off at its first step)");
        }
        return maxT;
    }

    /** step_t += 1 on a float32 scalar tensor; returns the new step. */
    private static double advanceStep(Map<String, Tensor> state) {
        float[] stepCell = state.get("step").storage().floats();
        stepCell[0] = stepCell[0] + 1f;
        return stepCell[0];
    }
}
