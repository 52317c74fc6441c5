package org.convinit.lab.study;

import java.util.List;

import org.convinit.lab.train.TrainingLoop;

/**
 * The curves as CSV, one row per (model, scheme, seed, step) with the step's training loss, and one per epoch
 * with the step count at its end, the epoch's mean training loss and its test loss and accuracy:
 * {@code model,scheme,seed,step,epoch,loss,test_loss,test_accuracy}. Empty fields where a row has no value
 * (and for NaN or infinite losses).
 */
public final class CurvesCsv {
    public static final String HEADER = "model,scheme,seed,step,epoch,loss,test_loss,test_accuracy";

    private CurvesCsv() {}

    /** The CSV text (with a header line) of {@code results}; {@code stepsPerEpoch} numbers the epochs of step rows. */
    public static String write(List<CellResult> results, int stepsPerEpoch) {
        StringBuilder sb = new StringBuilder(HEADER).append('\n');
        for (CellResult r : results) {
            String key = field(r.cell().model().name()) + "," + field(r.cell().scheme().name()) + "," + r.cell().seed() + ",";
            double[] loss = r.stepLoss();
            for (int i = 0; i < loss.length; i++) {
                sb.append(key).append(i + 1).append(',').append(i / stepsPerEpoch + 1).append(',').append(num(loss[i])).append(",,\n");
            }
            for (TrainingLoop.Epoch e : r.epochs()) {
                long step = Math.min((long) e.epoch() * stepsPerEpoch, loss.length);
                sb.append(key).append(step).append(',').append(e.epoch()).append(',').append(num(e.trainLoss())).append(',')
                        .append(num(e.testLoss())).append(',').append(num(e.testAccuracy())).append('\n');
            }
        }
        return sb.toString();
    }

    private static String num(double v) {
        return Double.isFinite(v) ? Double.toString(v) : "";
    }

    /** RFC 4180: a field with a comma, quote or newline is quoted, quotes doubled. */
    static String field(String s) {
        if (s.indexOf(',') < 0 && s.indexOf('"') < 0 && s.indexOf('\n') < 0) return s;
        return '"' + s.replace("\"", "\"\"") + '"';
    }
}
