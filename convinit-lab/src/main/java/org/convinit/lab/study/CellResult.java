package org.convinit.lab.study;

import java.util.List;
import java.util.Locale;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.TrainingLoop;

/**
 * What one cell produced. {@code stepLoss} has one loss per training step (a diverged cell's ends with the
 * non-finite one, at {@code divergedAtStep}); {@code evaluations} are the test-set evaluations made every
 * {@link StudyConfig#evalInterval} steps, from which {@code stepsToTarget} (null when never reached) comes.
 * {@code diagnosis} is the diagnose document at init (null when not diagnosed); {@code error} the failure
 * of a {@link Status#FAILED} cell.
 */
public record CellResult(Cell cell, Status status, Long divergedAtStep, String error, ObjectNode diagnosis, double[] stepLoss,
                         List<TrainingLoop.Epoch> epochs, List<StepEvaluation> evaluations, Long stepsToTarget, double wallSeconds) {

    /** How a cell ended: trained to the end, stopped at a non-finite loss, failed with an error, or never run. */
    public enum Status {
        OK, DIVERGED, FAILED, NOT_RUN;

        /** The JSON name: {@code ok}, {@code diverged}, {@code failed}, {@code not_run}. */
        public String json() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The test set evaluated after {@code step} steps. */
    public record StepEvaluation(long step, double testLoss, double testAccuracy) {}

    public CellResult {
        stepLoss = stepLoss.clone();
        epochs = List.copyOf(epochs);
        evaluations = List.copyOf(evaluations);
    }

    @Override
    public double[] stepLoss() {
        return stepLoss.clone();
    }

    /** A cell that did not run (the study was stopped first). */
    public static CellResult notRun(Cell cell) {
        return new CellResult(cell, Status.NOT_RUN, null, null, null, new double[0], List.of(), List.of(), null, 0);
    }

    /** The last epoch's test accuracy, NaN unless the cell finished. */
    public double finalTestAccuracy() {
        return status == Status.OK && !epochs.isEmpty() ? epochs.get(epochs.size() - 1).testAccuracy() : Double.NaN;
    }

    /** The last epoch's test loss, NaN unless the cell finished. */
    public double finalTestLoss() {
        return status == Status.OK && !epochs.isEmpty() ? epochs.get(epochs.size() - 1).testLoss() : Double.NaN;
    }
}
