package org.convinit.nn;

import java.util.Arrays;

import org.convinit.init.FanMode;
import org.convinit.init.Fans;
import org.convinit.init.Init;
import org.convinit.init.Nonlinearity;
import org.convinit.nn.functional.F;
import org.convinit.nn.functional.internal.ConvAutograd;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.ConvSpec;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torch's {@code _ConvNd}: validation, weight and bias shapes and default initialization for every
 * convolution and transposed convolution.
 *
 * <ul>
 *   <li>weight: {@code [out, in/groups, *k]}; transposed: {@code [in, out/groups, *k]}</li>
 *   <li>bias: {@code [out]}</li>
 *   <li>init: {@code kaiming_uniform_(weight, a=√5)}, i.e. U(-1/√fan_in, 1/√fan_in) with
 *       {@code fan_in = size(1)·∏k}; then bias U(-1/√fan_in, 1/√fan_in) if fan_in &gt; 0. Values are
 *       drawn weight first, then bias, from the generator given (the default one if null), so
 *       {@code Generator.manualSeed(s)} then construction gives torch's bits.</li>
 * </ul>
 */
public abstract class ConvNd extends Module implements WeightLayer {
    protected final int inChannels;
    protected final int outChannels;
    protected final int[] kernelSize;
    protected final int[] stride;
    protected final int[] padding;
    /** {@code padding='same'}/{@code 'valid'}, or null for explicit padding. */
    protected final ConvPadding paddingPreset;
    /** Per spatial dim, padding before and after ('same' may be asymmetric). */
    protected final int[] padBefore;
    protected final int[] padAfter;
    protected final int[] dilation;
    protected final int[] outputPadding;
    protected final int groups;
    protected final boolean transposed;
    protected final PaddingMode paddingMode;
    /** The settings, checked once here; every forward binds them to its input ({@link ConvParams#bind}). */
    private final ConvParams params;
    private final Parameter weight;
    private final Parameter bias;

    protected ConvNd(int dims, boolean transposed, int inChannels, int outChannels, int[] kernelSize, ConvOptions o,
                     DType dtype, Generator generator) {
        this.params = ConvParams.layer(getClass().getSimpleName(), dims, transposed, inChannels, outChannels, kernelSize, o.stride(),
                o.padding(), o.paddingPreset(), o.dilation(), o.outputPadding(), o.groups(), o.paddingMode(), dtype);
        this.transposed = transposed;
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        this.kernelSize = params.kernel();
        this.stride = params.stride();
        this.padding = o.paddingPreset() == null ? params.padBefore() : new int[dims];
        this.paddingPreset = o.paddingPreset();
        this.padBefore = params.padBefore();
        this.padAfter = params.padAfter();
        this.dilation = params.dilation();
        this.outputPadding = params.outputPadding();
        this.groups = o.groups();
        this.paddingMode = o.paddingMode();
        weight = registerParameter("weight", new Parameter(Tensor.empty(dtype, params.weightShape())));
        bias = registerParameter("bias", o.bias() ? new Parameter(Tensor.empty(dtype, outChannels)) : null);
        resetParameters(generator);
    }

    /** torch's {@code reset_parameters}: kaiming_uniform_(weight, a=√5), then the bias bound 1/√fan_in. */
    public void resetParameters(Generator generator) {
        Init.kaimingUniform(weight, Math.sqrt(5), FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, generator);
        if (bias != null) {
            long fanIn = Fans.of(weight.shape()).fanIn();
            if (fanIn != 0) {
                double bound = 1 / Math.sqrt(fanIn);
                Init.uniform(bias, -bound, bound, generator);
            }
        }
    }

    @Override
    public Parameter weight() {
        return weight;
    }

    /** The bias, or null for {@code bias=False}. */
    @Override
    public Parameter bias() {
        return bias;
    }

    public int inChannels() {
        return inChannels;
    }

    public int outChannels() {
        return outChannels;
    }

    public int groups() {
        return groups;
    }

    public int[] kernelSize() {
        return kernelSize.clone();
    }

    public boolean isTransposed() {
        return transposed;
    }

    /**
     * torch's forward: transposed layers run {@code conv_transpose}; zero padding (explicit or
     * 'same', possibly asymmetric) goes to the kernel; the other padding modes pad with
     * {@code F.pad(input, reversed padding, mode)} and convolve without padding. The input is
     * checked once, against the settings, before either. Unbatched input works with every padding
     * mode (torch 1.13 rejects it with circular padding, "Invalid padding size"; torch 2.x accepts
     * it and gives the result computed here).
     */
    @Override
    public Tensor forward(Tensor input) {
        ConvSpec spec = params.bind(input, weight, bias, true);
        if (paddingMode == PaddingMode.ZEROS) return ConvAutograd.run(spec, input, weight, bias);
        int dims = kernelSize.length;
        int[] pad = new int[2 * dims];
        for (int i = 0; i < dims; i++) {
            pad[2 * i] = padBefore[dims - 1 - i];
            pad[2 * i + 1] = padAfter[dims - 1 - i];
        }
        return ConvAutograd.run(spec.padded(), F.pad(input, pad, paddingMode.padMode(), 0), weight, bias);
    }

    /**
     * A transposed layer's forward with torch's {@code output_size} argument: the output padding is
     * chosen so that the spatial output size is {@code outputSize} (the spatial sizes, or with the
     * leading batch/channel sizes as torch also accepts).
     */
    public Tensor forward(Tensor input, int... outputSize) {
        return ConvAutograd.run(params.bindOutputSize(name(), input, weight, bias, outputSize), input, weight, bias);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(tuple(kernelSize))
                .append(", stride=").append(tuple(stride));
        if (paddingPreset != null) s.append(", padding=").append(paddingPreset);
        else if (Arrays.stream(padding).anyMatch(p -> p != 0)) s.append(", padding=").append(tuple(padding));
        if (Arrays.stream(dilation).anyMatch(d -> d != 1)) s.append(", dilation=").append(tuple(dilation));
        if (Arrays.stream(outputPadding).anyMatch(p -> p != 0)) s.append(", output_padding=").append(tuple(outputPadding));
        if (groups != 1) s.append(", groups=").append(groups);
        if (bias == null) s.append(", bias=False");
        if (paddingMode != PaddingMode.ZEROS) s.append(", padding_mode=").append(paddingMode);
        return s.toString();
    }

    /** Python's tuple repr: {@code (3, 3)}, {@code (3,)}. */
    static String tuple(int[] v) {
        return org.convinit.internal.PyRepr.tuple(v);
    }
}
