package org.convinit.lab.study;

/** One (model, scheme, seed) of a study; {@code index} is its place in the plan's order. */
public record Cell(int index, ModelSpec model, Scheme scheme, long seed) {
    @Override
    public String toString() {
        return model.name() + " / " + scheme.name() + " / seed " + seed;
    }
}
