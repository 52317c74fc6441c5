package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code ops.StochasticDepth(p, mode)}: in training, drops each row ({@code "row"}) or the whole
 * batch ({@code "batch"}) with probability {@code p} and scales what is kept by {@code 1/(1-p)}; identity in eval.
 */
public final class StochasticDepth extends Module {
    private final double p;
    private final String mode;
    private final Generator generator;

    /** {@code generator}: where the noise is drawn from (null: the default generator, as torch). */
    public StochasticDepth(double p, String mode, Generator generator) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("drop probability has to be between 0 and 1, but got " + p);
        if (!"row".equals(mode) && !"batch".equals(mode)) {
            throw new IllegalArgumentException("mode has to be either 'batch' or 'row', but got " + mode);
        }
        this.p = p;
        this.mode = mode;
        this.generator = generator;
    }

    public StochasticDepth(double p, String mode) {
        this(p, mode, null);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.stochasticDepth(input, p, mode, isTraining(), generator);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.pyFloat(p) + ", mode=" + mode;
    }
}
