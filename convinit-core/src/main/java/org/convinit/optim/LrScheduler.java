package org.convinit.optim;

import java.util.List;

import org.convinit.Warnings;

/**
 * Base of the learning-rate schedulers ({@code torch.optim.lr_scheduler._LRScheduler}, 1.13). Creating
 * one records each group's {@code initial_lr} (if not already set) as the base learning rate and takes
 * the initial step (epoch 0). Call {@link #step()} once per epoch, after that epoch's optimizer steps:
 *
 * <pre>{@code
 * var sched = new StepLR(optimizer, 30, 0.1);
 * for (int epoch = 0; epoch < epochs; epoch++) {
 *     trainOneEpoch(optimizer);     // optimizer.step() per batch
 *     sched.step();
 * }
 * }</pre>
 *
 * Subclasses compute the new rates from the groups' current rates (torch's chainable {@code get_lr}),
 * so another change of {@code lr} between steps carries over, as in torch.
 */
public abstract class LrScheduler {
    private final Optimizer<?> optimizer;
    private final double[] baseLrs;
    private final long optimizerStepsAtStart;
    private int lastEpoch = -1;
    private int stepCount;
    private double[] lastLr;

    protected LrScheduler(Optimizer<?> optimizer) {
        this.optimizer = optimizer;
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        baseLrs = new double[groups.size()];
        for (int i = 0; i < baseLrs.length; i++) {
            groups.get(i).setInitialLrIfAbsent();
            baseLrs[i] = groups.get(i).initialLr();
        }
        optimizerStepsAtStart = optimizer.stepCount();
    }

    /** Takes torch's initial step; subclass constructors call it last, once their fields are set. */
    protected final void initialStep() {
        if (stepCount != 0) throw new IllegalStateException("initial step already taken");
        step();
    }

    /** Advances one epoch and sets every group's learning rate. */
    public final void step() {
        if (stepCount == 1 && optimizer.stepCount() == optimizerStepsAtStart) {
            Warnings.warn("Detected call of `lr_scheduler.step()` before `optimizer.step()`. "
                    + "In PyTorch 1.1.0 and later, you should call them in the opposite order: "
                    + "`optimizer.step()` before `lr_scheduler.step()`.  Failure to do this "
                    + "will result in PyTorch skipping the first value of the learning rate schedule. "
                    + "See more details at "
                    + "https://pytorch.org/docs/stable/optim.html#how-to-adjust-learning-rate");
        }
        stepCount++;
        lastEpoch++;
        List<? extends ParamGroup<?>> groups = optimizer.paramGroups();
        double[] current = new double[groups.size()];
        for (int i = 0; i < current.length; i++) current[i] = groups.get(i).lr();
        double[] values = computeLr(current, baseLrs.clone());
        for (int i = 0; i < values.length; i++) groups.get(i).setLr(values[i]);
        lastLr = values.clone();
    }

    /**
     * The new learning rates for {@link #lastEpoch()} (already advanced), from the groups' current rates
     * and the base rates ({@code initial_lr}).
     */
    protected abstract double[] computeLr(double[] currentLrs, double[] baseLrs);

    /** The epoch index of the last step: 0 after construction ({@code last_epoch}). */
    public int lastEpoch() {
        return lastEpoch;
    }

    /** Number of steps taken, the initial one included ({@code _step_count}). */
    protected int stepCount() {
        return stepCount;
    }

    /** The learning rates the last step set, per group ({@code get_last_lr()}). */
    public double[] lastLr() {
        return lastLr.clone();
    }

    /** The base learning rates (each group's {@code initial_lr}). */
    public double[] baseLrs() {
        return baseLrs.clone();
    }
}
