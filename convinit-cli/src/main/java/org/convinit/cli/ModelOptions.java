package org.convinit.cli;

import org.convinit.nn.Module;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * A model as {@code --model EXPR --seed N --init FN --bias-init FN} describe it, the way {@code init} (and
 * {@code diagnose}, {@code train}) build it: {@code torch.manual_seed(N); m = EXPR}, then {@code FN(m.weight)} and
 * {@code BIAS_FN(m.bias)} for every conv and linear {@code m} in module order, then the per-parameter rules and
 * {@code --set} values of an {@link InitPlan}.
 */
final class ModelOptions {
    private ModelOptions() {}

    /**
     * Parses the init expressions first (every argument error before any work), seeds the default generator, builds
     * the model and re-initializes its conv and linear layers. {@code init}/{@code biasInit} may be null (the model's own
     * init). Bad expressions throw {@link IllegalArgumentException} with a message that names them.
     */
    static Module build(String model, DType dtype, long seed, String init, String biasInit) {
        return build(model, dtype, seed, InitPlan.parse(init == null ? null : java.util.List.of(init), null, null), biasInit);
    }

    /** {@link #build(String, DType, long, String, String)} with a whole plan: its bare FN, then its rules and sets. */
    static Module build(String model, DType dtype, long seed, InitPlan plan, String biasInit) {
        InitFunctions.Call weightFn = plan.everyWeight == null ? null : InitFunctions.parse(plan.everyWeight);
        InitFunctions.Call biasFn = biasInit == null ? null : InitFunctions.parse(biasInit);
        Generator.manualSeed(seed);
        Module m = Layers.build(model, dtype);
        for (Module sub : m.modules()) {
            if (!(sub instanceof WeightLayer)) continue;
            WeightLayer w = (WeightLayer) sub;
            if (weightFn != null) weightFn.apply(w.weight());
            if (biasFn != null && w.bias() != null) biasFn.apply(w.bias());
        }
        plan.applyLsuv(m);
        plan.apply(m);
        return m;
    }
}
