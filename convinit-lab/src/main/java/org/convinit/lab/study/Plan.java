package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;

/**
 * A study: models × schemes × seeds, each cell trained with {@link #config()}. Cells are ordered model-major,
 * then scheme, then seed.
 */
public record Plan(List<ModelSpec> models, List<Scheme> schemes, List<Long> seeds, StudyConfig config) {
    public Plan {
        models = List.copyOf(models);
        schemes = List.copyOf(schemes);
        seeds = List.copyOf(seeds);
        Objects.requireNonNull(config, "config");
        if (models.isEmpty()) throw new IllegalArgumentException("a study needs at least one model");
        if (schemes.isEmpty()) throw new IllegalArgumentException("--inits: a study needs at least one scheme");
        if (seeds.isEmpty()) throw new IllegalArgumentException("--seeds 0: a study needs at least one seed");
        unique("model", models.stream().map(ModelSpec::name).toList());
        unique("scheme", schemes.stream().map(Scheme::name).toList());
        unique("seed", seeds.stream().map(String::valueOf).toList());
    }

    private static void unique(String what, List<String> names) {
        Set<String> seen = new HashSet<>();
        for (String n : names) if (!seen.add(n)) throw new IllegalArgumentException(what + " '" + n + "' is listed twice");
    }

    /** Seeds 0 .. n-1. */
    public static List<Long> seeds(int n) {
        if (n < 1) throw new IllegalArgumentException("--seeds " + n + ": expected at least 1");
        List<Long> s = new ArrayList<>();
        for (long i = 0; i < n; i++) s.add(i);
        return s;
    }

    public List<Cell> cells() {
        List<Cell> cells = new ArrayList<>();
        for (ModelSpec m : models) {
            for (Scheme s : schemes) {
                for (long seed : seeds) cells.add(new Cell(cells.size(), m, s, seed));
            }
        }
        return cells;
    }
}
