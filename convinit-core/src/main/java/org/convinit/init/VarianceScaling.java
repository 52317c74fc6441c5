package org.convinit.init;

import java.util.Locale;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * JAX/Keras variance scaling ({@code jax.nn.initializers.variance_scaling},
 * {@code keras.initializers.VarianceScaling}) on torch's RNG, and timm's {@code trunc_normal_tf_}, its
 * truncated sampler. LeCun, Glorot and He in JAX's sense are one-line presets.
 *
 * <p>Formula: {@code variance = scale / n}, with {@code n = fan_in}, {@code fan_out} or
 * {@code (fan_in + fan_out) / 2} ({@link Mode}); then
 * <ul>
 *   <li>{@code truncated_normal}: N(0, 1) cut to [−2, 2] (timm's {@code trunc_normal_tf_}), times
 *       {@code √variance / 0.87962566103423978} — the divisor is the standard deviation of N(0, 1) truncated
 *       to ±2, so the result has variance {@code variance} exactly and is cut at ±2 of the <em>untruncated</em>
 *       std, i.e. ±2·√variance/0.8796;</li>
 *   <li>{@code normal}: N(0, variance) ({@code normal_(std=√variance)});</li>
 *   <li>{@code uniform}: U[−b, b) with {@code b = √(3·variance)}.</li>
 * </ul>
 * The draws, the double arithmetic and its order are timm's ({@code timm/layers/weight_init.py}
 * {@code variance_scaling_}), so on torch's RNG the bits equal timm's (tested against a re-implementation in
 * {@code tools/golden/gen_schemes.py}). JAX draws from threefry: the same distribution, other numbers.
 *
 * <table>
 *   <caption>Presets (JAX's definitions; the *_normal ones are truncated, as in JAX and Keras)</caption>
 *   <tr><th>name</th><th>scale</th><th>mode</th><th>distribution</th></tr>
 *   <tr><td>lecun_normal_ (Flax's default kernel init; LeCun et al. 1998)</td><td>1</td><td>fan_in</td><td>truncated_normal</td></tr>
 *   <tr><td>lecun_uniform_</td><td>1</td><td>fan_in</td><td>uniform</td></tr>
 *   <tr><td>glorot_normal_ (Glorot &amp; Bengio 2010)</td><td>1</td><td>fan_avg</td><td>truncated_normal</td></tr>
 *   <tr><td>glorot_uniform_ (= torch's xavier_uniform_ in distribution)</td><td>1</td><td>fan_avg</td><td>uniform</td></tr>
 *   <tr><td>he_normal_ (He et al. 2015)</td><td>2</td><td>fan_in</td><td>truncated_normal</td></tr>
 *   <tr><td>he_uniform_</td><td>2</td><td>fan_in</td><td>uniform</td></tr>
 * </table>
 *
 * <p>Pitfalls:
 * <ul>
 *   <li>Fans are computed in PyTorch's layout ({@link Fans}: {@code [out, in, *k]}), not Keras' {@code (*k, in, out)}:
 *       the same mode means the same fan only because both count the right axes for a forward conv. For a
 *       {@code ConvTranspose} weight {@code [in, out/groups, *k]} torch's "fan_in" is {@code (out/groups)·∏k} — the
 *       fan-out of the data flow. Keras' transposed conv also takes its fan from the "wrong" axis (TF #31192,
 *       kept as intended); pass {@link Mode#FAN_OUT} if you mean the layer's real fan-in.</li>
 *   <li>JAX's {@code he_normal} is <em>truncated</em>: same variance as torch's {@code kaiming_normal_(nonlinearity='relu')},
 *       different tails (none beyond ±2.27σ).</li>
 *   <li>timm's {@code variance_scaling_} defaults to {@code distribution='normal'}; Keras' to
 *       {@code 'truncated_normal'}. {@code InitCall}'s {@code variance_scaling_} follows Keras (and JAX's presets).</li>
 *   <li>{@code trunc_normal_tf_}'s a and b are in units of std around the mean (cut, then scale and shift);
 *       torch's {@code trunc_normal_}'s are absolute.</li>
 * </ul>
 */
public final class VarianceScaling {
    private VarianceScaling() {}

    /** The standard deviation of N(0, 1) truncated to [−2, 2], the divisor of JAX's and Keras' truncated normal. */
    public static final double TRUNCATED_STD = .87962566103423978;

    /** Which fan the variance is divided by. */
    public enum Mode {
        FAN_IN, FAN_OUT, FAN_AVG;

        /** The JAX/Keras name: {@code fan_in}, {@code fan_out}, {@code fan_avg}. */
        public String jaxName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a JAX/Keras name (case-insensitive). */
        public static Mode parse(String s) {
            for (Mode m : values()) if (m.jaxName().equals(s.toLowerCase(Locale.ROOT))) return m;
            throw new IllegalArgumentException("Invalid mode argument: '" + s + "', must be one of ['fan_in', 'fan_out', 'fan_avg']");
        }
    }

    /** The distribution drawn from. */
    public enum Distribution {
        TRUNCATED_NORMAL, NORMAL, UNIFORM;

        /** The JAX/Keras name: {@code truncated_normal}, {@code normal}, {@code uniform}. */
        public String jaxName() {
            return name().toLowerCase(Locale.ROOT);
        }

        /** Parses a JAX/Keras name; Keras' {@code untruncated_normal} is {@link #NORMAL}. */
        public static Distribution parse(String s) {
            String l = s.toLowerCase(Locale.ROOT);
            if (l.equals("untruncated_normal")) return NORMAL;
            for (Distribution d : values()) if (d.jaxName().equals(l)) return d;
            throw new IllegalArgumentException("Invalid distribution argument: '" + s
                    + "', must be one of ['truncated_normal', 'normal', 'untruncated_normal', 'uniform']");
        }
    }

    // ------------------------------------------------------------------ formulas (pure)

    /** The denominator n of {@code scale / n}: fan_in, fan_out or (fan_in + fan_out) / 2, of torch's {@link Fans}. */
    public static double denominator(Shape shape, Mode mode) {
        Fans f = Fans.of(shape);
        switch (mode) {
            case FAN_IN: return f.fanIn();
            case FAN_OUT: return f.fanOut();
            default: return (f.fanIn() + f.fanOut()) / 2.0;
        }
    }

    /** {@code scale / n}. */
    public static double variance(Shape shape, double scale, Mode mode) {
        double n = denominator(shape, mode);
        if (n == 0) {
            throw new IllegalArgumentException("variance_scaling_ of a tensor of shape " + shape + ": " + mode.jaxName()
                    + " is 0 (timm: division by zero)");
        }
        return scale / n;
    }

    /** The std handed to {@link #truncNormalTf}: {@code √variance / 0.87962566103423978}. */
    public static double truncatedStd(double variance) {
        return Math.sqrt(variance) / TRUNCATED_STD;
    }

    /** The uniform bound {@code √(3·variance)}. */
    public static double uniformBound(double variance) {
        return Math.sqrt(3 * variance);
    }

    // ------------------------------------------------------------------ samplers

    /**
     * {@code variance_scaling_(t, scale, mode, distribution)}: see the class notes for the formula.
     *
     * @throws IllegalArgumentException if {@code scale <= 0} (Keras' check), t has fewer than 2 dims, or the fan is 0
     */
    public static Tensor varianceScaling(Tensor t, double scale, Mode mode, Distribution distribution, Generator generator) {
        if (!(scale > 0)) {
            throw new IllegalArgumentException("variance_scaling_: scale = " + scale + ": expected a positive number");
        }
        double variance = variance(t.shape(), scale, mode);
        switch (distribution) {
            case TRUNCATED_NORMAL: return truncNormalTf(t, 0., truncatedStd(variance), -2., 2., generator);
            case NORMAL: return Init.normal(t, 0., Math.sqrt(variance), generator);
            default: {
                double bound = uniformBound(variance);
                return Init.uniform(t, -bound, bound, generator);
            }
        }
    }

    /** JAX's {@code lecun_normal}: scale 1, fan_in, truncated normal. */
    public static Tensor lecunNormal(Tensor t, Generator generator) {
        return varianceScaling(t, 1.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, generator);
    }

    /** JAX's {@code lecun_uniform}: scale 1, fan_in, uniform (bound √(3/fan_in)). */
    public static Tensor lecunUniform(Tensor t, Generator generator) {
        return varianceScaling(t, 1.0, Mode.FAN_IN, Distribution.UNIFORM, generator);
    }

    /** JAX's {@code glorot_normal}: scale 1, fan_avg, truncated normal. */
    public static Tensor glorotNormal(Tensor t, Generator generator) {
        return varianceScaling(t, 1.0, Mode.FAN_AVG, Distribution.TRUNCATED_NORMAL, generator);
    }

    /** JAX's {@code glorot_uniform}: scale 1, fan_avg, uniform. */
    public static Tensor glorotUniform(Tensor t, Generator generator) {
        return varianceScaling(t, 1.0, Mode.FAN_AVG, Distribution.UNIFORM, generator);
    }

    /** JAX's {@code he_normal}: scale 2, fan_in, truncated normal. */
    public static Tensor heNormal(Tensor t, Generator generator) {
        return varianceScaling(t, 2.0, Mode.FAN_IN, Distribution.TRUNCATED_NORMAL, generator);
    }

    /** JAX's {@code he_uniform}: scale 2, fan_in, uniform. */
    public static Tensor heUniform(Tensor t, Generator generator) {
        return varianceScaling(t, 2.0, Mode.FAN_IN, Distribution.UNIFORM, generator);
    }

    /**
     * timm's {@code trunc_normal_tf_(t, mean, std, a, b)}: {@link Init#truncNormal} with mean 0, std 1 and bounds
     * [a, b] (so a, b are in std units), then {@code mul_(std)} and {@code add_(mean)} in the tensor's dtype. Bit for
     * bit timm's on torch 1.13's RNG (non-MKL erfinv, as {@link Init#truncNormal}).
     *
     * @throws IllegalArgumentException if {@code std < 0} or {@code a > b}
     */
    public static Tensor truncNormalTf(Tensor t, double mean, double std, double a, double b, Generator generator) {
        if (!(std >= 0)) {
            throw new IllegalArgumentException("trunc_normal_tf_: std = " + std + ": expected std >= 0");
        }
        try (var g = GradMode.noGrad()) {
            Init.truncNormal(t, 0, 1.0, a, b, generator);
            t.copy_(t.mul(std).add(mean));
        }
        return t;
    }

    /** {@code trunc_normal_tf_(t, mean, std)} with the bounds ±2 (std units). */
    public static Tensor truncNormalTf(Tensor t, double mean, double std, Generator generator) {
        return truncNormalTf(t, mean, std, -2., 2., generator);
    }
}
