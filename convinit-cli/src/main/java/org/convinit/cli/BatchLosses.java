package org.convinit.cli;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * {@code train --log-every N}: the mean loss of every N consecutive batches, counted over the whole run (steps from 1),
 * as the PyTorch idiom {@code running_loss += loss.item(); if step % N == 0: print(step, running_loss / N)} does.
 * Each window is one {@code {"step", "epoch", "batches", "loss"}} entry of the metrics' {@code batch_losses}, where
 * {@code step} and {@code epoch} are those of the window's last batch; the run's last window may hold fewer than N
 * batches ({@link #finish}).
 */
final class BatchLosses {
    private final int every;
    private final ArrayNode out;
    private double sum;
    private int count;
    private long lastStep;
    private int lastEpoch;

    /** {@code every} at least 1 (else a usage error naming {@code --log-every}). */
    BatchLosses(int every, ArrayNode out) {
        if (every < 1) throw new IllegalArgumentException("--log-every " + every + ": expected a positive integer (batches per logged loss)");
        this.every = every;
        this.out = out;
    }

    /** The entries so far (the array the metrics hold). */
    ArrayNode entries() {
        return out;
    }

    /** Adds one batch's loss; returns the line to print when it closes a window, else null. */
    String add(int epoch, long step, double loss) {
        sum += loss;
        count++;
        lastStep = step;
        lastEpoch = epoch;
        return count == every ? flush() : null;
    }

    /** Closes a partial last window (null when there is none). */
    String finish() {
        return count == 0 ? null : flush();
    }

    private String flush() {
        double mean = sum / count;
        ObjectNode n = out.addObject();
        n.put("step", lastStep);
        n.put("epoch", lastEpoch);
        n.put("batches", count);
        n.put("loss", mean);
        String line = String.format(java.util.Locale.ROOT, "step %d (epoch %d): loss %.4f (mean of %d batch%s)", lastStep, lastEpoch, mean,
                count, count == 1 ? "" : "es");
        sum = 0;
        count = 0;
        return line;
    }
}
