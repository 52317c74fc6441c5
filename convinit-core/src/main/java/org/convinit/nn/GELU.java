package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.GELU(approximate='none')}: {@code x·Φ(x) = 0.5·x·(1 + erf(x/√2))}; with
 * {@code approximate='tanh'}, {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}.
 */
public final class GELU extends Module {
    private final String approximate;

    public GELU() {
        this("none");
    }

    public GELU(String approximate) {
        if (!"none".equals(approximate) && !"tanh".equals(approximate)) {
            throw new IllegalArgumentException("GELU: approximate argument must be either none or tanh, but got approximate='"
                    + approximate + "'");
        }
        this.approximate = approximate;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.gelu(input, approximate);
    }

    @Override
    protected String extraRepr() {
        return "approximate='" + approximate + "'";
    }
}
