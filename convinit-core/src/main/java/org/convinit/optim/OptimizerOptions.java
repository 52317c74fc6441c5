package org.convinit.optim;

/**
 * The hyperparameters of one parameter group. The learning rate is separate from the rest because
 * schedulers change it between steps.
 *
 * @param <O> the concrete options record
 */
public interface OptimizerOptions<O extends OptimizerOptions<O>> {
    /** The learning rate. */
    double lr();

    /** A copy with learning rate {@code lr}. */
    O lr(double lr);

    /** Throws {@link IllegalArgumentException} with torch's message if a value is out of range. */
    void validate();
}
