package org.convinit.spark;

import java.io.Serializable;

import org.convinit.cli.StudyCells;

/**
 * What one Spark task does with one cell: its JSON in, its result's JSON out ({@link StudyCells#run}), the result also
 * saved in the results directory (a path every executor sees; null: none) before the task returns. Serializable, so
 * Spark ships it to the executors; tests wrap it to simulate a lost executor.
 */
@FunctionalInterface
public interface CellTask extends Serializable {
    String run(String cellJson, String resultsDir);

    /** The cell run by {@link StudyCells#run}. */
    CellTask STANDARD = StudyCells::run;
}
