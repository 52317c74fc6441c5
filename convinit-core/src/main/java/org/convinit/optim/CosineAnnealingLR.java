package org.convinit.optim;

/**
 * Cosine annealing ({@code torch.optim.lr_scheduler.CosineAnnealingLR}, SGDR without restarts): in closed form
 * {@code lr = eta_min + (base_lr - eta_min) * (1 + cos(pi * epoch / T_max)) / 2}. As in torch 1.13 the rate is
 * computed recursively from the current one (chainable form),
 * {@code lr = (1 + cos(pi * e / T_max)) / (1 + cos(pi * (e - 1) / T_max)) * (lr - eta_min) + eta_min},
 * with torch's special case at {@code (e - 1 - T_max) % (2 * T_max) == 0}; past {@code T_max} the rate rises
 * again along the cosine.
 *
 * <p>Cosines and powers use Java's {@code Math}, not glibc's libm as Python does: the two differ in the last bit
 * for about 1 % of arguments, so rates may differ from torch's by an ulp or so of a double.
 */
public final class CosineAnnealingLR extends LrScheduler {
    private final int tMax;
    private final double etaMin;

    /** torch's default eta_min is 0. */
    public CosineAnnealingLR(Optimizer<?> optimizer, int tMax, double etaMin) {
        super(optimizer);
        if (tMax <= 0) throw new IllegalArgumentException("T_max " + tMax + ": expected a positive number of epochs");
        this.tMax = tMax;
        this.etaMin = etaMin;
        initialStep();
    }

    @Override
    protected double[] computeLr(double[] current, double[] base) {
        int e = lastEpoch();
        if (e == 0) return current;
        double[] out = new double[current.length];
        if (Math.floorMod(e - 1 - tMax, 2 * tMax) == 0) {
            for (int i = 0; i < out.length; i++) {
                out[i] = current[i] + (base[i] - etaMin) * (1 - Math.cos(Math.PI / tMax)) / 2;
            }
        } else {
            for (int i = 0; i < out.length; i++) {
                out[i] = (1 + Math.cos(Math.PI * e / tMax)) / (1 + Math.cos(Math.PI * (e - 1) / tMax))
                        * (current[i] - etaMin) + etaMin;
            }
        }
        return out;
    }
}
