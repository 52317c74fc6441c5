package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;

/**
 * One (model, scheme)'s final numbers over its seeds: how many ran, diverged or failed; the 95% intervals of the
 * final test accuracy and loss over the seeds that finished (null when none did); the interval of the steps to
 * the target accuracy over the seeds that reached it, and how many did; the earliest divergence step.
 */
public record SchemeStats(String model, String scheme, int seeds, int finished, int diverged, int failed, Interval accuracy,
                          Interval loss, Interval stepsToTarget, int reached, Long firstDivergedStep) {

    /** The statistics of {@code results}, all cells of one model and scheme. */
    public static SchemeStats of(String model, String scheme, List<CellResult> results) {
        List<Double> acc = new ArrayList<>();
        List<Double> loss = new ArrayList<>();
        List<Double> steps = new ArrayList<>();
        int ran = 0;
        int diverged = 0;
        int failed = 0;
        Long first = null;
        for (CellResult r : results) {
            if (r.status() == CellResult.Status.NOT_RUN) continue;
            ran++;
            if (r.status() == CellResult.Status.DIVERGED) {
                diverged++;
                if (first == null || r.divergedAtStep() < first) first = r.divergedAtStep();
            }
            if (r.status() == CellResult.Status.FAILED) failed++;
            if (r.status() == CellResult.Status.OK) {
                acc.add(r.finalTestAccuracy());
                loss.add(r.finalTestLoss());
                if (r.stepsToTarget() != null) steps.add(r.stepsToTarget().doubleValue());
            }
        }
        return new SchemeStats(model, scheme, ran, acc.size(), diverged, failed, interval(acc), interval(loss), interval(steps),
                steps.size(), first);
    }

    static Interval interval(List<Double> xs) {
        if (xs.isEmpty()) return null;
        double[] a = new double[xs.size()];
        for (int i = 0; i < a.length; i++) a[i] = xs.get(i);
        return Interval.of(a);
    }
}
