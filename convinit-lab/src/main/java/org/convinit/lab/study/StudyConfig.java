package org.convinit.lab.study;

import org.convinit.lab.train.OptimizerKind;

/**
 * How every cell trains: epochs, optimizer and learning rate, batch size; the target test accuracy whose
 * first step is reported; {@code evalEvery}, the step interval at which the test set is evaluated to find
 * that step (0: at epoch ends only); the size of the diagnosis batch (the first {@code diagnoseBatch}
 * training images in file order).
 */
public record StudyConfig(int epochs, OptimizerKind optimizer, double lr, int batchSize, double targetAccuracy, int evalEvery,
                          int diagnoseBatch) {
    public StudyConfig {
        if (epochs < 1) throw new IllegalArgumentException("--epochs " + epochs + ": expected at least 1");
        if (batchSize < 1) throw new IllegalArgumentException("--batch-size " + batchSize + ": expected at least 1");
        if (!(lr > 0) || Double.isInfinite(lr)) throw new IllegalArgumentException("--lr " + lr + ": expected a positive number");
        if (!(targetAccuracy > 0 && targetAccuracy <= 1)) {
            throw new IllegalArgumentException("--target-accuracy " + targetAccuracy + ": expected 0 < target <= 1");
        }
        if (evalEvery < 0) throw new IllegalArgumentException("evalEvery " + evalEvery + ": expected 0 or more");
        if (diagnoseBatch < 1) throw new IllegalArgumentException("diagnose batch " + diagnoseBatch + ": expected at least 1");
    }

    /** The evaluation interval for {@code stepsPerEpoch} steps per epoch: {@link #evalEvery()} or, when 0, a quarter epoch. */
    public int evalInterval(int stepsPerEpoch) {
        return evalEvery > 0 ? evalEvery : Math.max(1, (stepsPerEpoch + 3) / 4);
    }
}
