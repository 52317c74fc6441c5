package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.Future;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;

/**
 * Runs a plan's cells on a fixed number of workers, in plan order (each worker takes the next cell). Every cell
 * is a deterministic function of its inputs with its own default generator, so the results are the same
 * whatever the number of workers; they come back in plan order.
 *
 * <p>With one worker the cells run on the calling thread and each may use the whole kernel pool; with more,
 * they run on a {@link ForkJoinPool} of that size, whose threads run convinit's kernels inline (one core per
 * cell), which is the faster split when there are at least as many cells as cores.
 */
public final class StudyRunner {
    private StudyRunner() {}

    /** Progress callbacks; the runner calls them one at a time (never concurrently). */
    public interface Listener {
        default void cellStarted(Cell cell) {}

        default void cellStep(Cell cell, long step, long totalSteps) {}

        default void cellFinished(CellResult result, int done, int total) {}
    }

    /** The listener that does nothing. */
    public static final Listener SILENT = new Listener() {};

    /** Runs some of a study's cells and returns their results in the same order: this machine's workers, or a cluster. */
    @FunctionalInterface
    public interface Engine {
        /**
         * Runs {@code cells}. Once {@code cancelled} is true, cells not finished may come back {@link CellResult.Status#NOT_RUN}.
         * {@code listener}'s {@code cellFinished} is called once per cell started, never concurrently.
         */
        List<CellResult> run(List<Cell> cells, BooleanSupplier cancelled, Listener listener);
    }

    /**
     * Runs every cell of {@code plan} on {@code min(parallel, cells)} workers. Once {@code cancelled} is true, running
     * cells stop at their next step and cells not started are skipped: both come back {@link CellResult.Status#NOT_RUN}.
     */
    public static List<CellResult> run(Plan plan, StudyData data, Diagnoser diagnoser, int parallel, BooleanSupplier cancelled,
            Listener listener) {
        return local(plan.config(), data, diagnoser, parallel).run(plan.cells(), cancelled, listener);
    }

    /**
     * Runs the cells of {@code plan} that {@code results} has no file for on {@code engine}, saving each result there as it
     * finishes, and returns every cell's result in plan order (the saved ones read back). Cells that are found are not
     * passed to the listener.
     */
    public static List<CellResult> resume(Plan plan, DataSpec data, ResultsDirectory results, Engine engine, BooleanSupplier cancelled,
            Listener listener) {
        List<Cell> cells = plan.cells();
        CellResult[] out = new CellResult[cells.size()];
        List<Cell> missing = new ArrayList<>();
        for (Cell c : cells) {
            out[c.index()] = results.load(CellSpec.of(c, plan.config(), data), c).orElse(null);
            if (out[c.index()] == null) missing.add(c);
        }
        Listener saving = new Listener() {
            @Override
            public void cellStarted(Cell cell) {
                listener.cellStarted(cell);
            }

            @Override
            public void cellStep(Cell cell, long step, long totalSteps) {
                listener.cellStep(cell, step, totalSteps);
            }

            @Override
            public void cellFinished(CellResult result, int done, int total) {
                results.save(CellSpec.of(result.cell(), plan.config(), data), result);
                listener.cellFinished(result, done, total);
            }
        };
        List<CellResult> ran = missing.isEmpty() ? List.of() : engine.run(missing, cancelled, saving);
        for (int i = 0; i < missing.size(); i++) out[missing.get(i).index()] = ran.get(i);
        return Arrays.asList(out);
    }

    /** This machine's engine: {@code min(parallel, cells)} workers, each taking the next cell in the given order. */
    public static Engine local(StudyConfig config, StudyData data, Diagnoser diagnoser, int parallel) {
        if (parallel < 1) throw new IllegalArgumentException("--parallel " + parallel + ": expected at least 1");
        return (cells, cancelled, listener) -> runLocally(cells, config, data, diagnoser, parallel, cancelled, listener);
    }

    private static List<CellResult> runLocally(List<Cell> cells, StudyConfig config, StudyData data, Diagnoser diagnoser, int parallel,
            BooleanSupplier cancelled, Listener listener) {
        CellResult[] results = new CellResult[cells.size()];
        AtomicInteger next = new AtomicInteger();
        AtomicInteger done = new AtomicInteger();
        Object lock = new Object();
        CellRunner.StepListener steps = (cell, step, total) -> {
            synchronized (lock) {
                listener.cellStep(cell, step, total);
            }
        };
        Runnable worker = () -> {
            for (int i = next.getAndIncrement(); i < cells.size(); i = next.getAndIncrement()) {
                Cell cell = cells.get(i);
                if (cancelled.getAsBoolean()) {
                    results[i] = CellResult.notRun(cell);
                    continue;
                }
                synchronized (lock) {
                    listener.cellStarted(cell);
                }
                results[i] = CellRunner.run(cell, data, config, diagnoser, cancelled, steps);
                synchronized (lock) {
                    listener.cellFinished(results[i], done.incrementAndGet(), cells.size());
                }
            }
        };
        int workers = Math.min(parallel, cells.size());
        if (workers <= 1) {
            worker.run();
        } else {
            ForkJoinPool pool = new ForkJoinPool(workers);
            try {
                List<Future<?>> futures = new ArrayList<>();
                for (int w = 0; w < workers; w++) futures.add(pool.submit(worker));
                for (Future<?> f : futures) join(f);
            } finally {
                pool.shutdownNow();
            }
        }
        return Arrays.asList(results);
    }

    private static void join(Future<?> f) {
        try {
            f.get();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IllegalStateException("interrupted while waiting for the study's cells", e);
        } catch (java.util.concurrent.ExecutionException e) {
            Throwable c = e.getCause();
            if (c instanceof RuntimeException) throw (RuntimeException) c;
            if (c instanceof Error) throw (Error) c;
            throw new IllegalStateException(c);
        }
    }
}
