package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.Dropout(p=0.5)}: in training mode zeroes each element with probability {@code p}
 * and scales the rest by {@code 1/(1-p)}, drawing the mask as torch 1.13 does on CPU (see
 * {@link F#dropout}); in evaluation mode it returns the input.
 */
public final class Dropout extends Module {
    private final double p;
    private final Generator generator;

    public Dropout() {
        this(0.5);
    }

    public Dropout(double p) {
        this(p, null);
    }

    /** {@code generator}: where the mask is drawn from (null: the default generator). */
    public Dropout(double p, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        this.p = p;
        this.generator = generator;
    }

    public double p() {
        return p;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.dropout(input, p, isTraining(), generator);
    }

    @Override
    protected String extraRepr() {
        return "p=" + Repr.pyFloat(p) + ", inplace=False";
    }
}
