package org.convinit.lab.study;

import java.util.Objects;
import java.util.function.Supplier;

import org.convinit.nn.Module;

/**
 * A model of the study: its short name ({@code cnn}, {@code plain8}), its PyTorch constructor expression as
 * recorded in the report, and a factory that builds it drawing from the default generator (as torch's
 * constructors do), so {@code manualSeed(s)} before {@link #build()} gives torch's weights for seed s.
 */
public record ModelSpec(String name, String expr, Supplier<Module> factory) {
    public ModelSpec {
        Objects.requireNonNull(name, "name");
        Objects.requireNonNull(expr, "expr");
        Objects.requireNonNull(factory, "factory");
    }

    public Module build() {
        return factory.get();
    }
}
