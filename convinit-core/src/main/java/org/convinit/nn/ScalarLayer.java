package org.convinit.nn;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** A module with one learnable scalar, a parameter of shape {@code [1]} broadcast over the input ({@link Scale}, {@link Bias}). */
abstract class ScalarLayer extends Module {
    private final Parameter value;

    ScalarLayer(String name, double initial) {
        value = registerParameter(name, new Parameter(Tensor.full(DType.FLOAT32, initial, 1)));
    }

    final Parameter value() {
        return value;
    }
}
