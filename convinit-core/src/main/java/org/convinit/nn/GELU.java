package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.GELU(approximate='none')}: {@code x·Φ(x) = 0.5·x·(1 + erf(x/√2))}; with
 * {@code approximate='tanh'}, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}.
 */
public final class GELU extends Module {
    /** torch's {@code approximate} argument. */
    public enum Approximate {
        /** The exact {@code x·Φ(x)}. */
        NONE,
        /** The tanh approximation. */
        TANH;

        /** torch's spelling: {@code none} or {@code tanh}. */
        public String pyName() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }

        /** From torch's spelling; anything else fails with torch's message. */
        public static Approximate parse(String approximate) {
            if ("none".equals(approximate)) return NONE;
            if ("tanh".equals(approximate)) return TANH;
            throw new IllegalArgumentException("approximate argument must be either none or tanh, but got approximate='"
                    + approximate + "'");
        }
    }

    private final Approximate approximate;

    public GELU() {
        this(Approximate.NONE);
    }

    public GELU(Approximate approximate) {
        if (approximate == null) throw new IllegalArgumentException("GELU: approximate must not be null");
        this.approximate = approximate;
    }

    /** {@code approximate} in torch's spelling, {@code "none"} or {@code "tanh"}. */
    public GELU(String approximate) {
        this(parseForGelu(approximate));
    }

    private static Approximate parseForGelu(String approximate) {
        try {
            return Approximate.parse(approximate);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("GELU: " + e.getMessage(), e);
        }
    }

    public Approximate approximate() {
        return approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate.pyName() + "'";
    }
}
