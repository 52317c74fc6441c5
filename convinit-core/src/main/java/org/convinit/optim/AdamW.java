package org.convinit.optim;

import java.util.List;

import org.convinit.nn.Parameter;

/**
 * AdamW ({@code torch.optim.AdamW}, Loshchilov &amp; Hutter 2019): {@link Adam} with decoupled weight decay.
 * Before the Adam update the parameter is scaled, {@code p = p * (1 - lr * weight_decay)}, and the gradient
 * is not decayed. Same state as Adam; default weight decay 0.01.
 */
public final class AdamW extends AdamBase {

    /** torch's defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight decay 0.01. */
    public static AdamOptions options() {
        return new AdamOptions(1e-3, 0.9, 0.999, 1e-8, 1e-2, false, false);
    }

    public AdamW(List<Parameter> params, AdamOptions options) {
        super(oneGroup(params, options), true);
    }

    public AdamW(List<ParamGroup<AdamOptions>> groups) {
        super(groups, true);
    }
}
