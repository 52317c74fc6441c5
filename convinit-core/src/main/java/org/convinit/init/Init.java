package org.convinit.init;

import org.convinit.Warnings;
import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.init}: each function fills its argument in place under no-grad, as torch does, and
 * returns it. A null generator means the default generator. Bounds are computed in double exactly as
 * the Python expressions are, then cast once to the tensor's dtype.
 *
 * <table>
 *   <caption>torch name to convinit</caption>
 *   <tr><th>torch.nn.init</th><th>convinit</th><th>formula</th></tr>
 *   <tr><td>calculate_gain(nl, param)</td><td>{@link #calculateGain}</td><td>see {@link #calculateGain}</td></tr>
 *   <tr><td>_calculate_fan_in_and_fan_out</td><td>{@link Fans#of}</td><td>fan_in = size(1)·∏k, fan_out = size(0)·∏k</td></tr>
 *   <tr><td>uniform_(t, a, b)</td><td>{@link #uniform}</td><td>U[a, b)</td></tr>
 *   <tr><td>normal_(t, mean, std)</td><td>{@link #normal}</td><td>N(mean, std²)</td></tr>
 *   <tr><td>constant_(t, val)</td><td>{@link #constant}</td><td>val</td></tr>
 *   <tr><td>ones_(t), zeros_(t)</td><td>{@link #ones}, {@link #zeros}</td><td>1, 0</td></tr>
 *   <tr><td>kaiming_uniform_(t, a, mode, nonlinearity)</td><td>{@link #kaimingUniform}</td>
 *       <td>U[-b, b), b = √3 · gain / √fan</td></tr>
 * </table>
 */
public final class Init {
    private Init() {}

    /**
     * {@code calculate_gain}: 1 for linear, conv and sigmoid; 5/3 for tanh; √2 for relu;
     * √(2 / (1 + slope²)) for leaky_relu (slope = {@code param}, default 0.01); 3/4 for selu.
     *
     * @param param the negative slope for leaky_relu, or null for the default; ignored otherwise
     */
    public static double calculateGain(Nonlinearity nonlinearity, Double param) {
        switch (nonlinearity) {
            case LINEAR: case CONV1D: case CONV2D: case CONV3D:
            case CONV_TRANSPOSE1D: case CONV_TRANSPOSE2D: case CONV_TRANSPOSE3D:
            case SIGMOID:
                return 1;
            case TANH:
                return 5.0 / 3;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU: {
                double slope = param == null ? 0.01 : param;
                if (Double.isNaN(slope) || Double.isInfinite(slope)) {
                    throw new IllegalArgumentException("negative_slope " + param + " not a valid number");
                }
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU:
                return 3.0 / 4;
            default:
                throw new AssertionError(nonlinearity);
        }
    }

    /** {@code calculate_gain(nonlinearity)} with the default parameter. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    /** {@code uniform_(t, a, b)}: U[a, b). */
    public static Tensor uniform(Tensor t, double a, double b, Generator generator) {
        try (var g = GradMode.noGrad()) {
            return t.uniform_(a, b, generator);
        }
    }

    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, null);
    }

    /** {@code normal_(t, mean, std)}. */
    public static Tensor normal(Tensor t, double mean, double std, Generator generator) {
        try (var g = GradMode.noGrad()) {
            return t.normal_(mean, std, generator);
        }
    }

    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, null);
    }

    /** {@code constant_(t, val)}. */
    public static Tensor constant(Tensor t, double value) {
        try (var g = GradMode.noGrad()) {
            return t.fill_(value);
        }
    }

    /** {@code ones_(t)}. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** {@code zeros_(t)}. */
    public static Tensor zeros(Tensor t) {
        try (var g = GradMode.noGrad()) {
            return t.zero_();
        }
    }

    /** True (after warning as torch does) when {@code t} has no elements and a fan-based init is a no-op. */
    static boolean skipEmpty(Tensor t) {
        if (t.numel() == 0) {
            Warnings.warn("Initializing zero-element tensors is a no-op");
            return true;
        }
        return false;
    }

    /**
     * {@code kaiming_uniform_(t, a, mode, nonlinearity)} (He et al. 2015): U[-b, b) with
     * {@code b = √3 · gain / √fan}, {@code gain = calculate_gain(nonlinearity, a)}.
     * A conv or linear layer's default init is {@code kaimingUniform(w, √5, FAN_IN, LEAKY_RELU)},
     * which gives {@code b = 1 / √fan_in}.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator generator) {
        if (skipEmpty(t)) return t;
        long fan = Fans.of(t.shape()).get(mode);
        double gain = calculateGain(nonlinearity, a);
        double std = gain / Math.sqrt(fan);
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, generator);
    }

    /** {@code kaiming_uniform_(t)} with torch's defaults: a=0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, null);
    }
}
