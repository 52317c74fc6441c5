package org.convinit.cli;

import java.io.PrintWriter;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

import org.convinit.lab.study.Cell;
import org.convinit.lab.study.CellResult;
import org.convinit.lab.study.StudyRunner;

/**
 * The study's progress on stderr: a bar over all cells' steps (on a terminal, via {@link Progress}) with the cells
 * done, the ETA and each running cell's own progress; and one line per finished cell (always).
 */
final class StudyProgress implements StudyRunner.Listener, AutoCloseable {
    private final PrintWriter err;
    private final long totalSteps;
    private final int cells;
    private final long start = System.nanoTime();
    private final Map<Cell, Long> running = new LinkedHashMap<>();
    private Progress bar;
    private long doneSteps;
    private int doneCells;

    StudyProgress(PrintWriter err, int cells, long totalSteps) {
        this.err = err;
        this.cells = cells;
        this.totalSteps = totalSteps;
        this.bar = new Progress(err, "study", totalSteps);
    }

    @Override
    public void cellStarted(Cell cell) {
        running.put(cell, 0L);
    }

    @Override
    public void cellStep(Cell cell, long step, long total) {
        running.put(cell, step);
        doneSteps++;
        bar.advance(1, () -> status(total));
    }

    @Override
    public void cellFinished(CellResult r, int done, int total) {
        Long stepsTaken = running.remove(r.cell());
        long perCell = cells == 0 ? 0 : totalSteps / cells;
        doneSteps += Math.max(0, perCell - (stepsTaken == null ? 0 : stepsTaken));
        doneCells = done;
        bar.close();
        String what = switch (r.status()) {
            case OK -> String.format(Locale.ROOT, "test accuracy %.2f%%", 100 * r.finalTestAccuracy());
            case DIVERGED -> "diverged at step " + r.divergedAtStep();
            case FAILED -> "failed: " + r.error();
            case NOT_RUN -> "stopped";
        };
        err.printf(Locale.ROOT, "cell %d/%d %s: %s (%.1f s)%n", done, total, r.cell(), what, r.wallSeconds());
        err.flush();
        bar = new Progress(err, "study", totalSteps);
        bar.advance(doneSteps, "");
    }

    /** At most 30 characters (Progress's item width): "3/12 ETA 2m10s [45% 12%]", the running cells' own progress in brackets. */
    private String status(long cellTotal) {
        double elapsed = (System.nanoTime() - start) / 1e9;
        String eta = doneSteps == 0 ? "?" : duration(elapsed * (totalSteps - doneSteps) / doneSteps);
        StringBuilder sb = new StringBuilder(doneCells + "/" + cells + " ETA " + eta + " [");
        String sep = "";
        for (long step : running.values()) {
            sb.append(sep).append(100 * step / Math.max(1, cellTotal)).append('%');
            sep = " ";
        }
        return sb.append(']').toString();
    }

    static String duration(double seconds) {
        long s = Math.round(seconds);
        return s >= 60 ? (s / 60) + "m" + String.format(Locale.ROOT, "%02d", s % 60) + "s" : s + "s";
    }

    @Override
    public void close() {
        bar.close();
    }
}
