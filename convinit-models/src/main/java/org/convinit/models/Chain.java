package org.convinit.models;

import org.convinit.nn.Module;
import org.convinit.tensor.Tensor;

/** A {@code nn.Sequential} built from an {@code OrderedDict}: named children run in the order they were added. */
final class Chain extends Module {
    Chain add(String name, Module m) {
        registerModule(name, m);
        return this;
    }

    @Override
    public String name() {
        return "Sequential";
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = input;
        for (Module m : namedChildren().values()) x = m.call(x);
        return x;
    }
}
