package org.convinit.nn;

import org.convinit.tensor.DType;

/**
 * What {@link LayerNorm} and {@link GroupNorm} share: the optional affine {@code weight} (ones) and
 * {@code bias} (zeros), registered in torch's order, and {@code reset_parameters}.
 */
abstract class AffineNorm extends Module {
    final Parameter weight;
    final Parameter bias;

    /** Registers {@code weight} and {@code bias} of {@code shape} (or none when not affine) and resets them. */
    AffineNorm(boolean affine, DType dtype, int... shape) {
        Parameter[] affineParams = Norm.registerAffine(this, affine, dtype, shape);
        weight = affineParams[0];
        bias = affineParams[1];
        resetParameters();
    }

    /** torch's {@code reset_parameters}: {@code ones_(weight)}, {@code zeros_(bias)}. */
    public final void resetParameters() {
        Norm.resetAffine(weight, bias);
    }

    public Parameter weight() {
        return weight;
    }

    public Parameter bias() {
        return bias;
    }
}
