package org.convinit.optim;

import java.util.List;

import org.convinit.nn.Parameter;

/**
 * Adam ({@code torch.optim.Adam}, Kingma &amp; Ba 2014) with L2 weight decay added to the gradient and the
 * AMSGrad variant, as torch 1.13's {@code _single_tensor_adam} computes it for float32 on CPU:
 *
 * <pre>
 * g = maximize ? -grad : grad;  step += 1
 * if weight_decay != 0:  g = g + weight_decay * p
 * m = beta1 * m + (1 - beta1) * g
 * v = beta2 * v + (1 - beta2) * g * g
 * bias_correction1 = 1 - beta1 ** step;  bias_correction2 = 1 - beta2 ** step      (double)
 * v_hat = amsgrad ? (max_v = max(max_v, v)) : v
 * p = p - (lr / bias_correction1) * m / (sqrt(v_hat) / sqrt(bias_correction2) + eps)
 * </pre>
 *
 * State per parameter: {@code step} (float32 scalar), {@code exp_avg}, {@code exp_avg_sq} and, with
 * AMSGrad, {@code max_exp_avg_sq}.
 */
public final class Adam extends AdamBase {

    /** torch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, no weight decay. */
    public static AdamOptions options() {
        return new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 0, false, false);
    }

    public Adam(List<Parameter> params, AdamOptions options) {
        super(oneGroup(params, options), false);
    }

    public Adam(List<ParamGroup<AdamOptions>> groups) {
        super(groups, false);
    }
}
