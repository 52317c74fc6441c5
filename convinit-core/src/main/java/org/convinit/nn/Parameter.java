package org.convinit.nn;

import org.convinit.tensor.Tensor;

/**
 * A tensor registered as a module parameter ({@code torch.nn.Parameter}). It shares {@code data}'s
 * storage and requires grad by default, so in-place changes need {@link org.convinit.autograd.GradMode#noGrad()}.
 */
public final class Parameter extends Tensor {

    /** A parameter over {@code data}'s storage that requires grad. */
    public Parameter(Tensor data) {
        this(data, true);
    }

    public Parameter(Tensor data, boolean requiresGrad) {
        super(data);
        requiresGrad(requiresGrad);
    }

    @Override
    public String toString() {
        return "Parameter containing:\n" + super.toString();
    }
}
