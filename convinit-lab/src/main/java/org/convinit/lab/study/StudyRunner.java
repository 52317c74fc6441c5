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

    /**
     * Runs every cell of {@code plan} on {@code min(parallel, cells)} workers. Once {@code cancelled} is true, running
     * cells stop at their next step and cells not started are skipped: both come back {@link CellResult.Status#NOT_RUN}.
     */
    public static List<CellResult> run(Plan plan, StudyData data, Diagnoser diagnoser, int parallel, BooleanSupplier cancelled,
            Listener listener) {
        if (parallel < 1) throw new IllegalArgumentException("--parallel " + parallel + ": expected at least 1");
        List<Cell> cells = plan.cells();
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
                results[i] = CellRunner.run(cell, data, plan.config(), diagnoser, cancelled, steps);
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
