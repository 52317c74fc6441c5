package org.convinit.cli;

import org.convinit.nn.Module;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * A model as {@code --model EXPR --seed N --init FN --bias-init FN} describe it, the way {@code init} (and
 * {@code diagnose}) build it: {@code torch.manual_seed(N); m = EXPR}, then {@code FN(m.weight)} and
 * {@code BIAS_FN(m.bias)} for every conv and linear {@code m} in module order.
 */
final class ModelOptions {
    private ModelOptions() {}

    /**
     * Parses the init expressions first (every argument error before any work), seeds the default generator, builds
     * the model and re-initializes its conv and linear layers. {@code init}/{@code biasInit} may be null (the model's own
     * init). Bad expressions throw {@link IllegalArgumentException} with a message that names them.
     */
    static Module build(String model, DType dtype, long seed, String init, String biasInit) {
        InitFunctions.Call weightFn = init == null ? null : InitFunctions.parse(init);
        InitFunctions.Call biasFn = biasInit == null ? null : InitFunctions.parse(biasInit);
        Generator.manualSeed(seed);
        Module m = Layers.build(model, dtype);
        for (Module sub : m.modules()) {
            if (!(sub instanceof WeightLayer)) continue;
            WeightLayer w = (WeightLayer) sub;
            if (weightFn != null) weightFn.apply(w.weight());
            if (biasFn != null && w.bias() != null) biasFn.apply(w.bias());
        }
        return m;
    }
}
