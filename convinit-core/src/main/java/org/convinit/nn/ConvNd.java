package org.convinit.nn;

import java.util.Arrays;

import org.convinit.init.FanMode;
import org.convinit.init.Fans;
import org.convinit.init.Init;
import org.convinit.init.Nonlinearity;
import org.convinit.nn.functional.F;
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
    protected final String paddingString;
    /** Per spatial dim, padding before and after ('same' may be asymmetric). */
    protected final int[] padBefore;
    protected final int[] padAfter;
    protected final int[] dilation;
    protected final int[] outputPadding;
    protected final int groups;
    protected final boolean transposed;
    protected final PaddingMode paddingMode;
    private final Parameter weight;
    private final Parameter bias;

    protected ConvNd(int dims, boolean transposed, int inChannels, int outChannels, int[] kernelSize, ConvOptions o,
                     DType dtype, Generator generator) {
        String cls = getClass().getSimpleName();
        this.transposed = transposed;
        try {
            this.kernelSize = ConvOptions.expand("kernel_size", kernelSize, dims);
            this.stride = o.strideFor(dims);
            this.padding = o.paddingFor(dims);
            this.dilation = o.dilationFor(dims);
            this.outputPadding = o.outputPaddingFor(dims);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(cls + ": " + e.getMessage(), e);
        }
        this.paddingString = o.paddingString();
        this.groups = o.groups();
        this.paddingMode = o.paddingMode();
        this.inChannels = inChannels;
        this.outChannels = outChannels;
        if (inChannels <= 0) throw new IllegalArgumentException(cls + ": in_channels (" + inChannels + ") must be positive");
        if (outChannels <= 0) throw new IllegalArgumentException(cls + ": out_channels (" + outChannels + ") must be positive");
        if (groups <= 0) throw new IllegalArgumentException(cls + ": groups (" + groups + ") must be a positive integer");
        if (inChannels % groups != 0) {
            throw new IllegalArgumentException(cls + ": in_channels (" + inChannels + ") must be divisible by groups (" + groups + ")");
        }
        if (outChannels % groups != 0) {
            throw new IllegalArgumentException(cls + ": out_channels (" + outChannels + ") must be divisible by groups (" + groups + ")");
        }
        checkPositive(cls, "kernel_size", this.kernelSize);
        checkPositive(cls, "stride", this.stride);
        checkPositive(cls, "dilation", this.dilation);
        for (int p : padding) {
            if (p < 0) throw new IllegalArgumentException(cls + ": padding=" + Arrays.toString(padding) + " must be non-negative");
        }
        if (!transposed && Arrays.stream(outputPadding).anyMatch(p -> p != 0)) {
            throw new IllegalArgumentException(cls + ": output_padding is only for transposed convolutions");
        }
        for (int i = 0; i < dims; i++) {
            if (outputPadding[i] < 0) {
                throw new IllegalArgumentException(cls + ": output_padding=" + Arrays.toString(outputPadding) + " must be non-negative");
            }
            if (outputPadding[i] != 0 && outputPadding[i] >= stride[i] && outputPadding[i] >= dilation[i]) {
                throw new IllegalArgumentException(cls + ": output padding (" + outputPadding[i] + ") must be smaller than "
                        + "either stride (" + stride[i] + ") or dilation (" + dilation[i] + ") in dim " + i);
            }
        }
        if (transposed && paddingString != null) {
            throw new IllegalArgumentException(cls + ": padding='" + paddingString + "' is not supported for transposed convolutions");
        }
        if ("same".equals(paddingString) && Arrays.stream(stride).anyMatch(s -> s != 1)) {
            throw new IllegalArgumentException(cls + ": padding='same' is not supported for strided convolutions (stride="
                    + Arrays.toString(stride) + ")");
        }
        if (transposed && paddingMode != PaddingMode.ZEROS) {
            throw new IllegalArgumentException("Only \"zeros\" padding mode is supported for " + cls
                    + " (got padding_mode='" + paddingMode + "')");
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException(cls + ": dtype " + dtype + ": expected float32 or float64");
        }
        padBefore = new int[dims];
        padAfter = new int[dims];
        for (int i = 0; i < dims; i++) {
            if ("same".equals(paddingString)) {
                int total = dilation[i] * (this.kernelSize[i] - 1);
                padBefore[i] = total / 2;
                padAfter[i] = total - total / 2;
            } else if (paddingString == null) {
                padBefore[i] = padding[i];
                padAfter[i] = padding[i];
            }
        }
        int[] wShape = new int[dims + 2];
        wShape[0] = transposed ? inChannels : outChannels;
        wShape[1] = transposed ? outChannels / groups : inChannels / groups;
        System.arraycopy(this.kernelSize, 0, wShape, 2, dims);
        weight = registerParameter("weight", new Parameter(Tensor.empty(dtype, wShape)));
        bias = registerParameter("bias", o.bias() ? new Parameter(Tensor.empty(dtype, outChannels)) : null);
        resetParameters(generator);
    }

    private static void checkPositive(String cls, String name, int[] v) {
        for (int x : v) {
            if (x <= 0) throw new IllegalArgumentException(cls + ": " + name + "=" + Arrays.toString(v) + " must be positive");
        }
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
     * {@code F.pad(input, reversed padding, mode)} and convolve without padding. Unbatched input
     * works with every padding mode (torch 1.13 rejects it with circular padding, "Invalid padding
     * size"; torch 2.x accepts it and gives the result computed here).
     */
    @Override
    public Tensor forward(Tensor input) {
        int dims = kernelSize.length;
        if (transposed) {
            return F.convTranspose(dims, input, weight, bias, stride, padding, outputPadding, dilation, groups);
        }
        if (paddingMode != PaddingMode.ZEROS) {
            if (input.dim() != dims + 1 && input.dim() != dims + 2) {
                throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2)
                        + "D (batched) input to conv" + dims + "d, but got input of size: " + input.shape());
            }
            int[] pad = new int[2 * dims];
            for (int i = 0; i < dims; i++) {
                pad[2 * i] = padBefore[dims - 1 - i];
                pad[2 * i + 1] = padAfter[dims - 1 - i];
            }
            Tensor padded = F.pad(input, pad, paddingMode.torchName(), 0);
            return F.conv(dims, padded, weight, bias, stride, new int[] {0}, dilation, groups);
        }
        return F.convPadded(dims, input, weight, bias, stride, padBefore, padAfter, dilation, groups);
    }

    /**
     * A transposed layer's forward with torch's {@code output_size} argument: the output padding is
     * chosen so that the spatial output size is {@code outputSize} (the spatial sizes, or with the
     * leading batch/channel sizes as torch also accepts).
     */
    public Tensor forward(Tensor input, int... outputSize) {
        int dims = kernelSize.length;
        if (!transposed) {
            throw new IllegalArgumentException(name() + ": output_size is only accepted by transposed convolutions");
        }
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2)
                    + "D (batched) input to conv_transpose" + dims + "d, but got input of size: " + input.shape());
        }
        int lead = input.dim() - dims;
        int[] size = outputSize;
        if (size.length == lead + dims) size = Arrays.copyOfRange(size, lead, size.length);
        if (size.length != dims) {
            throw new IllegalArgumentException(name() + ": for " + input.dim() + "D input, output_size must have " + dims + " or "
                    + (lead + dims) + " elements (got " + outputSize.length + ": " + Arrays.toString(outputSize) + ")");
        }
        int[] min = new int[dims];
        int[] max = new int[dims];
        int[] op = new int[dims];
        boolean bad = false;
        for (int d = 0; d < dims; d++) {
            min[d] = (input.size(lead + d) - 1) * stride[d] - 2 * padding[d] + dilation[d] * (kernelSize[d] - 1) + 1;
            max[d] = min[d] + stride[d] - 1;
            if (size[d] < min[d] || size[d] > max[d]) bad = true;
            op[d] = size[d] - min[d];
        }
        if (bad) {
            throw new IllegalArgumentException("requested an output size of " + Arrays.toString(size) + ", but valid sizes range from "
                    + Arrays.toString(min) + " to " + Arrays.toString(max) + " (for an input of "
                    + Arrays.toString(Arrays.copyOfRange(input.shape().toArray(), lead, input.dim())) + ")");
        }
        return F.convTranspose(dims, input, weight, bias, stride, padding, op, dilation, groups);
    }

    @Override
    protected String extraRepr() {
        StringBuilder s = new StringBuilder();
        s.append(inChannels).append(", ").append(outChannels).append(", kernel_size=").append(tuple(kernelSize))
                .append(", stride=").append(tuple(stride));
        if (paddingString != null) s.append(", padding=").append(paddingString);
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
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(v[i]);
        }
        if (v.length == 1) sb.append(',');
        return sb.append(')').toString();
    }
}
