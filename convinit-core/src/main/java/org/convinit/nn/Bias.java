package org.convinit.nn;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** Bias: adds one learnable scalar, {@code bias} (Fixup's scalar bias, init 0); a parameter of shape {@code [1]}, broadcast. Building block of {@link org.convinit.init.Residual}. */
public final class Bias extends Module {
    private final Parameter bias;

    /** Initial value 0. */
    public Bias() {
        this(0);
    }

    public Bias(double initial) {
        bias = registerParameter("bias", new Parameter(Tensor.full(DType.FLOAT32, initial, 1)));
    }

    public Parameter bias() {
        return bias;
    }

    @Override
    public Tensor forward(Tensor input) {
        return input.add(bias);
    }
}
