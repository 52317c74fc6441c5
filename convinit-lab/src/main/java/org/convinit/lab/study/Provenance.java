package org.convinit.lab.study;

import java.time.Instant;

/**
 * How a study was run, for the report's reproducibility block and the config: the exact command, the convinit
 * version, when it started and how long it took, whether every cell ran, the time limit, preset and number of
 * parallel cells.
 */
public record Provenance(String command, String version, Instant started, double wallSeconds, boolean complete, Double maxMinutes,
                         String preset, int parallelCells) {}
