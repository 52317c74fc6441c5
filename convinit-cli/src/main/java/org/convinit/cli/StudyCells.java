package org.convinit.cli;

import java.nio.file.Path;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;

import org.convinit.lab.study.Cell;
import org.convinit.lab.study.CellResult;
import org.convinit.lab.study.CellResults;
import org.convinit.lab.study.CellRunner;
import org.convinit.lab.study.CellSpec;
import org.convinit.lab.study.Diagnoser;
import org.convinit.lab.study.ResultsDirectory;
import org.convinit.lab.study.Scheme;
import org.convinit.lab.study.StudyData;

/**
 * A study's cell from its JSON, on any machine: what a Spark task runs. The model is built from its constructor
 * expression and the scheme from its text exactly as {@code convinit study} builds them, so a cell gives the same numbers
 * here and in the local study.
 */
public final class StudyCells {
    private StudyCells() {}

    /** The cell {@code spec} describes; a model or scheme text that does not parse is an {@link IllegalArgumentException}. */
    public static Cell resolve(CellSpec spec) {
        return new Cell(spec.index(), StudyInputs.model(spec.model(), spec.modelExpr()), StudyInputs.scheme(spec.scheme()), spec.seed());
    }

    /**
     * Runs the cell of {@code cellJson} ({@link CellSpec#toJson}) on its data (read once per JVM) and returns its result's
     * JSON ({@link CellResults}). A cell that fails for its own reasons (divergence, a scheme that does not apply, a bad
     * weights file) is a result, never an exception; only a cell that cannot be read, or data that cannot be loaded, throws.
     * With {@code resultsDir} (null: none) the result is also saved there, atomically, before it is returned.
     *
     * <p>{@code cores} 1 runs the cell on a worker of its own whose kernels run inline, as {@code convinit study
     * --parallel N} (N &gt; 1) runs each cell; more runs it on the calling thread, its kernels on convinit's shared pool, as
     * {@code --parallel 1} does. A kernel split over threads may sum floats in another order, so the same cell run both ways
     * may differ in the last bits of some gradients: compare a Spark study at {@code spark.task.cpus=1} with a local one at
     * {@code --parallel 2} or more.
     */
    public static String run(String cellJson, String resultsDir, int cores) {
        if (cores > 1) return run(cellJson, resultsDir);
        ForkJoinPool own = new ForkJoinPool(1);
        try {
            return own.submit(() -> run(cellJson, resultsDir)).get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while running " + cellJson, e);
        } catch (ExecutionException e) {
            if (e.getCause() instanceof RuntimeException r) throw r;
            if (e.getCause() instanceof Error r) throw r;
            throw new IllegalStateException(e.getCause());
        } finally {
            own.shutdownNow();
        }
    }

    private static String run(String cellJson, String resultsDir) {
        CellSpec spec = CellSpec.fromJson(cellJson);
        StudyData data = spec.data().shared();
        Cell cell;
        try {
            cell = resolve(spec);
        } catch (IllegalArgumentException e) {
            // a scheme that does not parse here fails the cell, as a scheme that does not apply does
            cell = new Cell(spec.index(), StudyInputs.model(spec.model(), spec.modelExpr()), new Scheme(spec.scheme(), m -> {
                throw e;
            }), spec.seed());
        }
        CellResult result = CellRunner.run(cell, data, spec.config(), Diagnoser.STANDARD, () -> false, CellRunner.StepListener.NONE);
        String json = CellResults.toJson(spec, result);
        if (resultsDir != null) ResultsDirectory.create(Path.of(resultsDir)).save(spec, json);
        return json;
    }
}
