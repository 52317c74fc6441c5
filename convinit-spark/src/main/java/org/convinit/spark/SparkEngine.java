package org.convinit.spark;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.BooleanSupplier;

import org.apache.spark.api.java.JavaFutureAction;
import org.apache.spark.api.java.JavaSparkContext;
import org.apache.spark.api.java.function.Function;
import org.convinit.cli.StudyCells;
import org.convinit.cli.StudyEngine;
import org.convinit.lab.study.Cell;
import org.convinit.lab.study.CellResult;
import org.convinit.lab.study.CellResults;
import org.convinit.lab.study.CellSpec;
import org.convinit.lab.study.DataSpec;
import org.convinit.lab.study.Plan;
import org.convinit.lab.study.ResultsDirectory;
import org.convinit.lab.study.StudyData;
import org.convinit.lab.study.StudyRunner;

/**
 * {@code convinit study}'s cells on Spark: one cell per task ({@code parallelize(cells, cells.size())}), each task a
 * {@link CellTask} on the cell's JSON, the results collected in plan order. A cell that fails for its own reasons comes
 * back as a result ({@code failed} or {@code diverged}); an exception out of a task (a lost executor, data that cannot be
 * read) is retried by Spark up to {@code spark.task.maxFailures} times, and then fails the job: the cells that finished are
 * in the results directory for {@code --resume}. Cores per cell: {@code spark.task.cpus}.
 */
public final class SparkEngine implements StudyEngine {
    private final JavaSparkContext sc;
    private final CellTask task;

    public SparkEngine(JavaSparkContext sc, CellTask task) {
        this.sc = sc;
        this.task = task;
    }

    @Override
    public StudyRunner.Engine create(Plan plan, StudyData data, DataSpec spec, ResultsDirectory results, int parallel) {
        for (Cell c : plan.cells()) {
            try {
                StudyCells.resolve(CellSpec.of(c, plan.config(), spec));
            } catch (IllegalArgumentException e) {
                throw new IllegalArgumentException("scheme '" + c.scheme().name() + "' cannot be sent to Spark executors (only --inits "
                        + "schemes can: default, file:PATH, a torch.nn.init call): " + e.getMessage(), e);
            }
        }
        String dir = results == null ? null : results.path().toString();
        return (cells, cancelled, listener) -> run(plan, spec, results, dir, cells, cancelled, listener);
    }

    @Override
    public int parallelCells(int parallel) {
        return Math.max(1, sc.defaultParallelism() / Math.max(1, sc.getConf().getInt("spark.task.cpus", 1)));
    }

    @Override
    public String description() {
        return " on Spark (" + sc.master() + ")";
    }

    private List<CellResult> run(Plan plan, DataSpec spec, ResultsDirectory results, String dir, List<Cell> cells,
            BooleanSupplier cancelled, StudyRunner.Listener listener) {
        List<String> jsons = new ArrayList<>();
        for (Cell c : cells) jsons.add(CellSpec.of(c, plan.config(), spec).toJson());
        sc.setJobDescription("convinit study: " + cells.size() + " cells");
        JavaFutureAction<List<String>> job = sc.parallelize(jsons, jsons.size()).map(cellFunction(task, dir)).collectAsync();
        List<String> out = await(job, cancelled);
        List<CellResult> rs = new ArrayList<>();
        for (int i = 0; i < cells.size(); i++) {
            Cell c = cells.get(i);
            CellResult r;
            if (out != null) {
                r = CellResults.fromJson(out.get(i), c);
            } else { // cancelled: what the executors finished is in the results directory
                r = results == null ? null : results.load(CellSpec.of(c, plan.config(), spec), c).orElse(null);
                if (r == null) r = CellResult.notRun(c);
            }
            listener.cellStarted(c);
            listener.cellFinished(r, i + 1, cells.size());
            rs.add(r);
        }
        return rs;
    }

    /** The task's function; static, so the closure Spark serializes holds the task and the directory, nothing else. */
    private static Function<String, String> cellFunction(CellTask task, String dir) {
        return json -> task.run(json, dir);
    }

    /** The job's results, or null once {@code cancelled} (the job is then cancelled). */
    private static List<String> await(JavaFutureAction<List<String>> job, BooleanSupplier cancelled) {
        try {
            while (true) {
                if (cancelled.getAsBoolean()) {
                    job.cancel(true);
                    return null;
                }
                try {
                    return job.get(200, TimeUnit.MILLISECONDS);
                } catch (TimeoutException e) {
                    // poll again
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            job.cancel(true);
            return null;
        } catch (ExecutionException e) {
            Throwable c = e.getCause() == null ? e : e.getCause();
            throw new IllegalStateException("the Spark job failed (the finished cells are kept for --resume when --results-dir "
                    + "is given): " + c.getMessage(), c);
        }
    }
}
