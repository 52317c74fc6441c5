package org.convinit.nn.functional;

import org.convinit.tensor.Tensor;

/**
 * The mobile activations of torchvision's models, each beside its derivative (as torch's backward formulas):
 * {@code relu6}, {@code hardsigmoid}, {@code hardswish}, {@code silu}. Computed in double, rounded once.
 */
final class Activations {
    private Activations() {}

    /** {@code min(max(x, 0), 6)}; {@code dy} where {@code 0 < x < 6} (hardtanh_backward), else 0. */
    static Tensor relu6(Tensor input, boolean inplace) {
        if (input.dtype() == org.convinit.tensor.DType.FLOAT32) {
            Data.requireFloating("relu6", "input", input);
            return org.convinit.nn.functional.kernels.FastClamp.hardtanh(input, 0f, 6f, inplace);
        }
        return Elementwise.inPlace(input, inplace, relu6Reference(input));
    }

    /** {@link #relu6} through {@code Elementwise.reference}, in double (float64 runs it; tests compare the fast path with it). */
    static Tensor relu6Reference(Tensor input) {
        return Elementwise.reference("hardtanh", input, Activations::relu6, (x, y) -> x > 0 && x < 6 ? 1 : 0);
    }

    /** torch's {@code one_sixth}: a float constant, in the float64 backward too. */
    private static final double ONE_SIXTH = 1.0f / 6.0f;

    /** {@code min(max(x + 3, 0), 6) / 6}; {@code dy·(1/6 in float)} where {@code -3 < x < 3}, else 0. */
    static Tensor hardsigmoid(Tensor input) {
        return Elementwise.map("hardsigmoid", input, x -> relu6(x + 3) / 6, (x, y) -> x > -3 && x < 3 ? ONE_SIXTH : 0);
    }

    /**
     * {@code x·min(max(x + 3, 0), 6) / 6}; {@code dy·0} below -3, {@code dy·(x/3 + 1/2)} from -3 up to 3, {@code dy} above.
     * At exactly 3 torch 1.13's vectorized float32 kernel takes the middle branch and its scalar float64 one the last.
     */
    static Tensor hardswish(Tensor input, boolean inplace) {
        boolean f32 = input.dtype() == org.convinit.tensor.DType.FLOAT32;
        return Elementwise.map("hardswish", input, inplace, x -> x * relu6(x + 3) / 6,
                (x, y) -> x < -3 ? 0 : (x < 3 || (f32 && x == 3)) ? x / 3 + 0.5 : 1);
    }

    /** {@code x·σ(x)}; {@code dy·σ(x)·(1 + x·(1 - σ(x)))}. */
    static Tensor silu(Tensor input, boolean inplace) {
        return Elementwise.map("silu", input, inplace, x -> x * Elementwise.sigmoid(x), (x, y) -> {
            double s = Elementwise.sigmoid(x);
            return s * (1 + x * (1 - s));
        });
    }

    static double relu6(double x) {
        if (Double.isNaN(x)) return x;
        return x < 0 ? 0 : x > 6 ? 6 : x;
    }
}
