package org.convinit.lab.study;

import java.time.Instant;
import java.util.List;

/**
 * How a study was run, for the report's reproducibility block and the config: the exact command, the convinit
 * version, when it started and how long it took, whether every cell ran, the time limit, preset and number of
 * parallel cells, and the weights files its schemes loaded (path and SHA-256).
 */
public record Provenance(String command, String version, Instant started, double wallSeconds, boolean complete, Double maxMinutes,
                         String preset, int parallelCells, List<WeightsFile> weights) {
    public Provenance {
        weights = List.copyOf(weights);
    }

    /** A study that loaded no weights file. */
    public Provenance(String command, String version, Instant started, double wallSeconds, boolean complete, Double maxMinutes,
            String preset, int parallelCells) {
        this(command, version, started, wallSeconds, complete, maxMinutes, preset, parallelCells, List.of());
    }
}
