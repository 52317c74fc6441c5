package org.convinit.nn;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** Scale: multiplies its input by one learnable scalar, {@code weight} (Fixup's multiplier, init 1; SkipInit's α, init 0); a parameter of shape {@code [1]}, broadcast. Building block of {@link org.convinit.init.Residual}. */
public final class Scale extends Module {
    private final Parameter weight;

    /** Initial value 1. */
    public Scale() {
        this(1);
    }

    public Scale(double initial) {
        weight = registerParameter("weight", new Parameter(Tensor.full(DType.FLOAT32, initial, 1)));
    }

    public Parameter weight() {
        return weight;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.mul(weight);
    }
}
