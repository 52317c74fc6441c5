package org.convinit.optim;

/**
 * Hyperparameters of {@link Adam} and {@link AdamW} (torch's {@code lr, betas, eps, weight_decay, amsgrad,
 * maximize}). Defaults: {@link Adam#options()} and {@link AdamW#options()}; they differ only in weight decay.
 */
public record AdamOptions(double lr, double beta1, double beta2, double eps, double weightDecay, boolean amsgrad,
                          boolean maximize) implements OptimizerOptions<AdamOptions> {

    @Override
    public AdamOptions lr(double lr) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** {@code betas=(beta1, beta2)}. */
    public AdamOptions betas(double beta1, double beta2) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamOptions eps(double eps) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamOptions weightDecay(double weightDecay) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamOptions amsgrad(boolean amsgrad) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    public AdamOptions maximize(boolean maximize) {
        return new AdamOptions(lr, beta1, beta2, eps, weightDecay, amsgrad, maximize);
    }

    /** torch's checks, in torch's order and words (NaN fails each of them, as {@code not 0.0 <= x} does). */
    @Override
    public void validate() {
        if (!(0.0 <= lr)) throw new IllegalArgumentException("Invalid learning rate: " + PyFloat.repr(lr));
        if (!(0.0 <= eps)) throw new IllegalArgumentException("Invalid epsilon value: " + PyFloat.repr(eps));
        if (!(0.0 <= beta1 && beta1 < 1.0)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 0: " + PyFloat.repr(beta1));
        }
        if (!(0.0 <= beta2 && beta2 < 1.0)) {
            throw new IllegalArgumentException("Invalid beta parameter at index 1: " + PyFloat.repr(beta2));
        }
        if (!(0.0 <= weightDecay)) {
            throw new IllegalArgumentException("Invalid weight_decay value: " + PyFloat.repr(weightDecay));
        }
    }
}
