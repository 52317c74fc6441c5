package org.convinit.lab.train;

import java.util.List;

import org.convinit.nn.Parameter;
import org.convinit.optim.Optimizer;

/** The optimizers {@code train} and {@code study} offer: {@code sgd} = {@code SGD(lr, momentum=0.9)}, {@code adam} = {@code Adam(lr)}. */
public enum OptimizerKind {
    SGD("sgd", "SGD(lr, momentum=0.9)", 0.01),
    ADAM("adam", "Adam(lr)", 0.001);

    private final String cliName;
    private final String torchForm;
    private final double defaultLr;

    OptimizerKind(String cliName, String torchForm, double defaultLr) {
        this.cliName = cliName;
        this.torchForm = torchForm;
        this.defaultLr = defaultLr;
    }

    /** {@code sgd} or {@code adam}; anything else is an {@link IllegalArgumentException} naming the value. */
    public static OptimizerKind parse(String name) {
        for (OptimizerKind k : values()) if (k.cliName.equals(name)) return k;
        throw new IllegalArgumentException("--optimizer " + name + ": expected sgd or adam");
    }

    public String cliName() {
        return cliName;
    }

    /** The torch constructor this stands for, e.g. {@code SGD(lr, momentum=0.9)}. */
    public String torchForm() {
        return torchForm;
    }

    /** 0.01 for sgd, 0.001 for adam. */
    public double defaultLr() {
        return defaultLr;
    }

    /** A fresh optimizer over {@code params}. */
    public Optimizer<?> create(List<Parameter> params, double lr) {
        return Evaluator.optimizer(this, params, lr);
    }
}
