package org.convinit.nn;

import java.util.function.BinaryOperator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * A module with one learnable scalar, a parameter of shape {@code [1]} broadcast over the input by one
 * elementwise operation ({@link Scale}: multiply, {@link Bias}: add).
 */
abstract class ScalarLayer extends Module {
    private final Parameter value;
    private final BinaryOperator<Tensor> op;

    ScalarLayer(String name, double initial, BinaryOperator<Tensor> op) {
        value = registerParameter(name, new Parameter(Tensor.full(DType.FLOAT32, initial, 1)));
        this.op = op;
    }

    final Parameter value() {
        return value;
    }

    @Override
    public final Tensor forward(Tensor input) {
        return op.apply(input, value);
    }
}
