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

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : layers) x = m.call(x);
        return x;
    }
}
