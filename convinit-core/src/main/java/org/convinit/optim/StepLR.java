package org.convinit.optim;

/**
 * Multiplies every group's learning rate by {@code gamma} every {@code stepSize} epochs
 * ({@code torch.optim.lr_scheduler.StepLR}); in closed form {@code lr = base_lr * gamma ** (epoch / step_size)},
 * computed, as in torch, recursively: at epochs {@code k * step_size} the current rate is multiplied by gamma.
 */
public final class StepLR extends LrScheduler {
    private final int stepSize;
    private final double gamma;

    /** torch's default gamma is 0.1. */
    public StepLR(Optimizer<?> optimizer, int stepSize, double gamma) {
        super(optimizer);
        if (stepSize <= 0) throw new IllegalArgumentException("step_size " + stepSize + ": expected a positive number of epochs");
        this.stepSize = stepSize;
        this.gamma = gamma;
        initialStep();
    }

    @Override
    protected double[] computeLr(double[] current, double[] base) {
        int epoch = lastEpoch();
        if (epoch == 0 || epoch % stepSize != 0) return current;
        for (int i = 0; i < current.length; i++) current[i] = current[i] * gamma;
        return current;
    }
}
