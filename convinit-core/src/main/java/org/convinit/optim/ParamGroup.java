package org.convinit.optim;

import java.util.List;
import java.util.Objects;

import org.convinit.nn.Parameter;

/**
 * One of an optimizer's parameter groups ({@code optimizer.param_groups[i]}): parameters that share
 * hyperparameters. The options, and with them the learning rate, may be replaced between steps.
 */
public final class ParamGroup<O extends OptimizerOptions<O>> {
    private final List<Parameter> params;
    private O options;
    private double initialLr = Double.NaN;

    public ParamGroup(List<Parameter> params, O options) {
        Objects.requireNonNull(params, "params");
        for (int i = 0; i < params.size(); i++) Objects.requireNonNull(params.get(i), "params[" + i + "]");
        this.params = List.copyOf(params);
        this.options = Objects.requireNonNull(options, "options");
    }

    public List<Parameter> params() {
        return params;
    }

    public O options() {
        return options;
    }

    /** Replaces the hyperparameters (validated as the optimizer's constructor validates them). */
    public void setOptions(O options) {
        options.validate();
        this.options = options;
    }

    public double lr() {
        return options.lr();
    }

    /** Sets the learning rate as a scheduler does ({@code group['lr'] = lr}; no range check, as in torch). */
    public void setLr(double lr) {
        this.options = options.lr(lr);
    }

    /** torch's {@code group['initial_lr']}, set by the first scheduler attached; NaN before. */
    public double initialLr() {
        return initialLr;
    }

    void setInitialLrIfAbsent() {
        if (Double.isNaN(initialLr)) initialLr = options.lr();
    }

    void setInitialLr(double lr) {
        initialLr = lr;
    }
}
