package org.convinit.nn;

import org.convinit.tensor.Tensor;

/** Adds one learnable scalar, {@code bias} (shape {@code [1]}, init 0): Fixup's scalar bias ({@link org.convinit.init.Residual}). */
public final class Bias extends ScalarLayer {
    /** Initial value 0. */
    public Bias() {
        this(0);
    }

    public Bias(double initial) {
        super("bias", initial, Tensor::add);
    }

    public Parameter bias() {
        return value();
    }
}
