package org.convinit.nn;

import org.convinit.tensor.Tensor;

/**
 * Multiplies its input by one learnable scalar, {@code weight} (shape {@code [1]}): Fixup's multiplier (init 1),
 * SkipInit's α (init 0). Building block of {@link org.convinit.init.Residual}.
 */
public final class Scale extends ScalarLayer {
    /** Initial value 1. */
    public Scale() {
        this(1);
    }

    public Scale(double initial) {
        super("weight", initial, Tensor::mul);
    }

    public Parameter weight() {
        return value();
    }
}
