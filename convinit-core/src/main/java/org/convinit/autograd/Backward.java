package org.convinit.autograd;

import org.convinit.tensor.Tensor;

/**
 * The local derivative of an operation: given the gradient of the output, the gradients with respect
 * to each input, in input order (null for an input that needs none). Gradients may have the broadcast
 * shape; the engine sums them down to each input's shape.
 */
@FunctionalInterface
public interface Backward {
    Tensor[] apply(Tensor gradOutput);
}
