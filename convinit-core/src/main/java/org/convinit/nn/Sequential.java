package org.convinit.nn;

import java.util.List;

import org.convinit.tensor.Tensor;

/** {@code torch.nn.Sequential}: children named {@code 0, 1, 2, ...}, run in order. */
public final class Sequential extends Module {
    private final List<Module> layers;

    public Sequential(Module... layers) {
        this.layers = List.of(layers);
        for (int i = 0; i < layers.length; i++) registerModule(Integer.toString(i), layers[i]);
    }

    public Sequential(List<Module> layers) {
        this(layers.toArray(new Module[0]));
    }

    /** The layer at {@code index} (negative counts from the end). */
    public Module get(int index) {
        int i = index < 0 ? index + layers.size() : index;
        if (i < 0 || i >= layers.size()) {
            throw new IndexOutOfBoundsException("index " + index + " is out of range for a Sequential of " + layers.size() + " layers");
        }
        return layers.get(i);
    }

    public int size() {
        return layers.size();
    }

    /**
     * The layers in order; a BatchNorm1d/2d/3d directly followed by a ReLU, neither with hooks, runs as one fused pass
     * ({@link BatchNormNd#forwardRelu}: the same values and gradients, without the intermediate tensor).
     */
    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (int i = 0; i < layers.size(); i++) {
            Module m = layers.get(i);
            if (i + 1 < layers.size() && fusesWithRelu(m, layers.get(i + 1))) {
                x = ((BatchNormNd) m).forwardRelu(x);
                i++;
            } else {
                x = m.call(x);
            }
        }
        return x;
    }

    private static boolean fusesWithRelu(Module m, Module next) {
        Class<?> c = m.getClass();
        boolean bn = c == BatchNorm1d.class || c == BatchNorm2d.class || c == BatchNorm3d.class;
        return bn && next.getClass() == ReLU.class && !m.hasHooks() && !next.hasHooks();
    }
}
