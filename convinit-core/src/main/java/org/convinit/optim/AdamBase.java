package org.convinit.optim;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.convinit.nn.Parameter;
import org.convinit.tensor.Tensor;

/** What {@link Adam} and {@link AdamW} share: the update, {@link AdamKernel}, with L2 or decoupled weight decay. */
abstract class AdamBase extends Optimizer<AdamOptions> {
    private final boolean decoupled;

    AdamBase(List<ParamGroup<AdamOptions>> groups, boolean decoupled) {
        super(groups);
        this.decoupled = decoupled;
    }

    @Override
    void update(F32 param, F32 grad, AdamOptions o, Map<String, Tensor> state, Parameter p) {
        AdamKernel.update(param, grad, o, state, p, decoupled);
    }

    @Override
    void update(F64 param, F64 grad, AdamOptions o, Map<String, Tensor> state, Parameter p) {
        AdamKernel.update(param, grad, o, state, p, decoupled);
    }

    @Override
    Set<String> stateNames() {
        return AdamKernel.STATE_NAMES;
    }

    @Override
    Set<String> requiredState(AdamOptions options) {
        return AdamKernel.required(options);
    }
}
