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

    static void update(F32 param, float[] g, AdamOptions o, Map<String, Tensor> state, Parameter p, boolean decoupled) {
        float[] pa = param.a;
        int po = param.off;
        int n = g.length;
        if (o.maximize()) {
            for (int i = 0; i < n; i++) g[i] = -g[i];
        }
        if (state.isEmpty()) {
            state.put("step", Tensor.scalar(0));
            state.put("exp_avg", Optimizer.zerosLike(p));
            state.put("exp_avg_sq", Optimizer.zerosLike(p));
            if (o.amsgrad()) state.put("max_exp_avg_sq", Optimizer.zerosLike(p));
        }
        // step_t += 1 on a float32 scalar tensor
        float[] stepCell = state.get("step").storage().floats();
        stepCell[0] = stepCell[0] + 1f;
        double step = stepCell[0];

        if (decoupled) {
            // param.mul_(1 - lr * weight_decay)
            float f = (float) (1 - o.lr() * o.weightDecay());
            for (int i = 0; i < n; i++) pa[po + i] = pa[po + i] * f;
        } else if (o.weightDecay() != 0) {
            // grad = grad.add(param, alpha=weight_decay)
            float wd = (float) o.weightDecay();
            for (int i = 0; i < n; i++) g[i] = Math.fma(pa[po + i], wd, g[i]);
        }
        float[] m = state.get("exp_avg").storage().floats();
        float[] v = state.get("exp_avg_sq").storage().floats();
        // exp_avg.mul_(beta1).add_(grad, alpha=1 - beta1)
        float b1 = (float) o.beta1();
        float a1 = (float) (1 - o.beta1());
        for (int i = 0; i < n; i++) m[i] = Math.fma(g[i], a1, m[i] * b1);
        // exp_avg_sq.mul_(beta2).addcmul_(grad, grad, value=1 - beta2)
        float b2 = (float) o.beta2();
        float a2 = (float) (1 - o.beta2());
        for (int i = 0; i < n; i++) v[i] = Math.fma(a2 * g[i], g[i], v[i] * b2);

        // Python floats (double): libm pow, as torch computes beta ** step
        double biasCorrection1 = 1 - Math.pow(o.beta1(), step);
        double biasCorrection2 = 1 - Math.pow(o.beta2(), step);
        double stepSize = o.lr() / biasCorrection1;
        float bc2Sqrt = (float) Math.sqrt(biasCorrection2);
        float eps = (float) o.eps();
        float negStepSize = (float) -stepSize;

        float[] src = v;
        if (o.amsgrad()) {
            Tensor maxT = state.get("max_exp_avg_sq");
            if (maxT == null) { // amsgrad switched on after the first step: torch raises KeyError here
                throw new IllegalStateException("amsgrad is on but parameter of shape " + p.shape()
                        + " has no max_exp_avg_sq state (amsgrad was off at its first step)");
            }
            float[] mx = maxT.storage().floats();
            for (int i = 0; i < n; i++) mx[i] = Math.max(mx[i], v[i]); // torch.maximum: NaN propagates
            src = mx;
        }
        // denom = (src.sqrt() / bias_correction2_sqrt).add_(eps); param.addcdiv_(exp_avg, denom, value=-step_size)
        for (int i = 0; i < n; i++) {
            float denom = (float) Math.sqrt(src[i]) / bc2Sqrt + eps;
            pa[po + i] = pa[po + i] + negStepSize * m[i] / denom;
        }
    }
}
