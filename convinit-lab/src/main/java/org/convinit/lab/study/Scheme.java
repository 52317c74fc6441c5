package org.convinit.lab.study;

import java.nio.file.Path;
import java.util.Map;
import java.util.Objects;
import java.util.function.Consumer;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.nn.LoadReport;
import org.convinit.nn.Module;
import org.convinit.nn.StateDictException;
import org.convinit.nn.WeightLayer;
import org.convinit.tensor.Tensor;

/**
 * An initialization scheme: what happens to a freshly built model before it is diagnosed and trained.
 * {@link #DEFAULT} leaves the model's own init; {@link #weights} applies a {@code torch.nn.init} call to every
 * conv and linear weight in module order, as {@code --init} does; {@link #file} loads a weights file strictly.
 * {@link #apply} runs inside the cell's generator scope, so random schemes draw from the cell's seed.
 */
public record Scheme(String name, Consumer<Module> initializer) {
    public Scheme {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(initializer, "initializer");
    }

    /** The model's own initialization (nothing is changed). */
    public static final Scheme DEFAULT = new Scheme("default", m -> {});

    /** {@code fn} applied to the weight of every {@link WeightLayer} in module order (biases untouched). */
    public static Scheme weights(String name, Consumer<Tensor> fn) {
        return new Scheme(name, m -> {
            for (Module sub : m.modules()) if (sub instanceof WeightLayer) fn.accept(((WeightLayer) sub).weight());
        });
    }

    /**
     * The state dict in {@code path} (any format {@link Checkpoints} reads), loaded strictly; a missing or
     * unexpected key or a shape mismatch is an {@link IllegalArgumentException} naming the file, the key and
     * both shapes. The file is read once, here.
     */
    public static Scheme file(String name, Path path) {
        Map<String, Tensor> tensors;
        try {
            tensors = Checkpoints.readTensors(path);
        } catch (CheckpointException e) {
            throw new IllegalArgumentException(name + ": " + e.getMessage(), e);
        }
        return new Scheme(name, m -> {
            LoadReport r = m.checkStateDict(tensors);
            if (!r.isExactMatch()) {
                throw new IllegalArgumentException(name + " does not fit the model: " + r.describe(m.name()).replace("\n\t", " "));
            }
            try {
                m.loadStateDict(tensors, true);
            } catch (StateDictException e) {
                throw new IllegalArgumentException(name + ": " + e.getMessage().replace("\n\t", " "), e);
            }
        });
    }

    /** Applies the scheme to {@code model} in place. */
    public void apply(Module model) {
        initializer.accept(model);
    }
}
