package org.convinit.nn;

import org.convinit.init.FanMode;
import org.convinit.init.Init;
import org.convinit.init.Nonlinearity;
import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.Linear(in_features, out_features, bias=True)}: {@code y = x·Wᵀ + b} with weight
 * {@code [out, in]} and bias {@code [out]}. Default init: {@code kaiming_uniform_(W, a=√5)}, i.e.
 * U(-1/√in, 1/√in), then the bias U(-1/√in, 1/√in) — or U(0, 0), still drawing, when {@code in = 0},
 * as torch's {@code reset_parameters} does.
 */
public final class Linear extends Module implements WeightLayer {
    private final int inFeatures;
    private final int outFeatures;
    private final Parameter weight;
    private final Parameter bias;

    public Linear(int inFeatures, int outFeatures) {
        this(inFeatures, outFeatures, true);
    }

    public Linear(int inFeatures, int outFeatures, boolean bias) {
        this(inFeatures, outFeatures, bias, DType.FLOAT32, null);
    }

    /** Full form: dtype float32 or float64, and the generator to draw the default init from (null: default). */
    public Linear(int inFeatures, int outFeatures, boolean bias, DType dtype, Generator generator) {
        if (inFeatures < 0) throw new IllegalArgumentException("Linear: in_features (" + inFeatures + ") must be non-negative");
        if (outFeatures < 0) throw new IllegalArgumentException("Linear: out_features (" + outFeatures + ") must be non-negative");
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("Linear: dtype " + dtype + ": expected float32 or float64");
        }
        this.inFeatures = inFeatures;
        this.outFeatures = outFeatures;
        this.weight = registerParameter("weight", new Parameter(Tensor.empty(dtype, outFeatures, inFeatures)));
        this.bias = registerParameter("bias", bias ? new Parameter(Tensor.empty(dtype, outFeatures)) : null);
        resetParameters(generator);
    }

    /** torch's {@code reset_parameters}. */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, generator);
        if (bias != null) {
            double bound = inFeatures > 0 ? 1 / Math.sqrt(inFeatures) : 0;
            Init.uniform(bias, -bound, bound, generator);
        }
    }

    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for {@code bias=False}. */
    public Parameter bias() {
        return bias;
    }

    public int inFeatures() {
        return inFeatures;
    }

    public int outFeatures() {
        return outFeatures;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.linear(input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        return "in_features=" + inFeatures + ", out_features=" + outFeatures + ", bias=" + Repr.pyBool(bias != null);
    }
}
