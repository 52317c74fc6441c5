package org.convinit.spark;

import java.io.Serializable;

import org.apache.spark.TaskContext;
import org.convinit.cli.StudyCells;

/**
 * What one Spark task does with one cell: its JSON in, its result's JSON out ({@link StudyCells#run}), the result also
 * saved in the results directory (a path every executor sees; null: none) before the task returns. Serializable, so
 * Spark ships it to the executors; tests wrap it to simulate a lost executor.
 */
@FunctionalInterface
public interface CellTask extends Serializable {
    String run(String cellJson, String resultsDir);

    /**
     * The cell run by {@link StudyCells#run} with the task's cores ({@code spark.task.cpus}): at 1, kernels inline, as the
     * local study's parallel cells run them; at more, on convinit's kernel pool.
     */
    CellTask STANDARD = (json, dir) -> StudyCells.run(json, dir, TaskContext.get() == null ? 1 : TaskContext.get().cpus());
}
