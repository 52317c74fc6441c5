package org.convinit.nn;

import java.util.List;

import org.convinit.autograd.ActivationBuffers;
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
     * ({@link BatchNormNd#forwardRelu}: the same values and gradients, without the intermediate tensor). The
     * outermost Sequential's built-in layers without hooks ({@link #lends}) take their outputs from the arrays a
     * previous step's backward freed ({@link ActivationBuffers}); the tensor handed to any other layer, and the
     * result, keep theirs.
     */
    @Override
    public Tensor forward(Tensor input) {
        boolean scope = ActivationBuffers.begin();
        boolean done = false;
        try {
            Tensor x = input;
            for (int i = 0; i < layers.size(); i++) {
                Module m = layers.get(i);
                boolean fused = i + 1 < layers.size() && fusesWithRelu(m, layers.get(i + 1));
                boolean lends = scope && lends(m);
                if (scope && !lends) ActivationBuffers.keep(x);
                if (scope) ActivationBuffers.lend(lends);
                Tensor in = x;
                if (fused) {
                    x = ((BatchNormNd) m).forwardRelu(x);
                    i++;
                } else {
                    x = m.call(x);
                }
                if (lends) ActivationBuffers.consumed(in, x);
            }
            if (scope) ActivationBuffers.end(x);
            done = true;
            return x;
        } finally {
            if (scope && !done) ActivationBuffers.abandon();
        }
    }

    /**
     * Whether a layer may take its output from reused arrays: one of the built-in layers whose forward keeps no
     * tensor but in the autograd nodes it records and returns its output or a view of its input (the exact classes,
     * no subclass), without hooks.
     */
    private static boolean lends(Module m) {
        Class<?> c = m.getClass();
        boolean builtIn = c == Conv1d.class || c == Conv2d.class || c == Conv3d.class || c == BatchNorm1d.class || c == BatchNorm2d.class
                || c == BatchNorm3d.class || c == ReLU.class || c == MaxPool1d.class || c == MaxPool2d.class || c == MaxPool3d.class
                || c == Flatten.class || c == Linear.class;
        return builtIn && !m.hasHooks();
    }

    private static boolean fusesWithRelu(Module m, Module next) {
        Class<?> c = m.getClass();
        boolean bn = c == BatchNorm1d.class || c == BatchNorm2d.class || c == BatchNorm3d.class;
        return bn && next.getClass() == ReLU.class && !m.hasHooks() && !next.hasHooks();
    }
}
