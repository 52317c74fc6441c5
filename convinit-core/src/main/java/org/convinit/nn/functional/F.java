package org.convinit.nn.functional;

import org.convinit.autograd.Autograd;
import org.convinit.nn.ConvPadding;
import org.convinit.nn.PadMode;
import org.convinit.nn.functional.internal.ConvAutograd;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.GELU;
import org.convinit.nn.functional.kernels.FastActivations;
import org.convinit.nn.functional.kernels.FastLinear;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.functional}. Inputs are float32 or float64; parameters must share the input's
 * dtype. Every function records its derivative for autograd. Float32 layers run on the tensors' own
 * storage ({@code nn.functional.kernels}: Vector API loops with scalar fallbacks, parallel over the shared
 * pool); float64 runs the reference loops in double, which the float32 kernels are tested against.
 * Spatial arguments take one value for every spatial dim or one per dim.
 *
 * <table>
 *   <caption>convinit and torch names</caption>
 *   <tr><th>convinit</th><th>torch</th></tr>
 *   <tr><td>{@code conv1d/2d/3d}</td><td>{@code F.conv1d/2d/3d}</td></tr>
 *   <tr><td>{@code convTranspose1d/2d/3d}</td><td>{@code F.conv_transpose1d/2d/3d}</td></tr>
 *   <tr><td>{@code pad}</td><td>{@code F.pad}</td></tr>
 *   <tr><td>{@code relu, leakyRelu, tanh, sigmoid, gelu}</td><td>{@code F.relu, F.leaky_relu, torch.tanh, torch.sigmoid, F.gelu}</td></tr>
 *   <tr><td>{@code maxPool1d/2d/3d, avgPool1d/2d/3d, adaptiveAvgPool2d}</td><td>{@code F.max_pool*d, F.avg_pool*d, F.adaptive_avg_pool2d}</td></tr>
 *   <tr><td>{@code batchNorm, linear, dropout, flatten}</td><td>{@code F.batch_norm, F.linear, F.dropout, torch.flatten}</td></tr>
 * </table>
 *
 * <pre>{@code
 * Tensor y = F.conv2d(x, w, b, new int[] {2}, new int[] {1}, new int[] {1}, 1);  // stride 2, padding 1
 * Tensor z = F.conv2d(x, w, null, new int[] {1}, "same", new int[] {2}, 1);       // 'same', dilation 2
 * }</pre>
 */
public final class F {
    private F() {}

    private static final int[] ONE = {1};
    private static final int[] ZERO = {0};

    // ------------------------------------------------------------------ convolution

    /**
     * N-d convolution ({@code dims} = 1, 2, 3) of {@code [N, C, *S]} or unbatched {@code [C, *S]} with
     * weight {@code [O, C/groups, *K]} and optional bias {@code [O]}; output size per dim
     * {@code floor((in + 2·padding - dilation·(k-1) - 1) / stride) + 1}.
     */
    public static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                              int groups) {
        return conv(ConvParams.function(dims, false, stride, padding, padding, null, ZERO, dilation, groups), input, weight, bias);
    }

    /** N-d convolution with {@code padding='same'} (output size = input size; stride 1) or {@code 'valid'} (no padding). */
    public static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, ConvPadding padding, int[] dilation,
                              int groups) {
        return conv(ConvParams.function(dims, false, stride, ZERO, ZERO, padding, ZERO, dilation, groups), input, weight, bias);
    }

    /** {@link #conv(int, Tensor, Tensor, Tensor, int[], ConvPadding, int[], int)} with torch's string, {@code "same"} or {@code "valid"}. */
    public static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation,
                              int groups) {
        return conv(dims, input, weight, bias, stride, ConvPadding.parse(padding), dilation, groups);
    }

    /** Every convolution: the arguments checked once into a spec, run on the fast path with its gradients. */
    private static Tensor conv(ConvParams params, Tensor input, Tensor weight, Tensor bias) {
        return ConvAutograd.run(params.bind(input, weight, bias, true), input, weight, bias);
    }

    /** N-d convolution with separate zero padding before and after each spatial dim. */
    public static Tensor convPadded(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore,
                                    int[] padAfter, int[] dilation, int groups) {
        return conv(ConvParams.function(dims, false, stride, padBefore, padAfter, null, ZERO, dilation, groups), input, weight, bias);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv(1, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return conv(1, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias, int[] stride, ConvPadding padding, int[] dilation, int groups) {
        return conv(1, input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv1d(input, weight, bias)} with the defaults stride 1, padding 0, dilation 1, groups 1. */
    public static Tensor conv1d(Tensor input, Tensor weight, Tensor bias) {
        return conv(1, input, weight, bias, ONE, ZERO, ONE, 1);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv(2, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return conv(2, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias, int[] stride, ConvPadding padding, int[] dilation, int groups) {
        return conv(2, input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv2d(input, weight, bias)} with the defaults stride 1, padding 0, dilation 1, groups 1. */
    public static Tensor conv2d(Tensor input, Tensor weight, Tensor bias) {
        return conv(2, input, weight, bias, ONE, ZERO, ONE, 1);
    }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation, int groups) {
        return conv(3, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, String padding, int[] dilation, int groups) {
        return conv(3, input, weight, bias, stride, padding, dilation, groups);
    }

    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias, int[] stride, ConvPadding padding, int[] dilation, int groups) {
        return conv(3, input, weight, bias, stride, padding, dilation, groups);
    }

    /** {@code F.conv3d(input, weight, bias)} with the defaults stride 1, padding 0, dilation 1, groups 1. */
    public static Tensor conv3d(Tensor input, Tensor weight, Tensor bias) {
        return conv(3, input, weight, bias, ONE, ZERO, ONE, 1);
    }

    /**
     * N-d transposed convolution of {@code [N, C, *S]} or {@code [C, *S]} with weight
     * {@code [C, O/groups, *K]} and bias {@code [O]}; output size per dim
     * {@code (in-1)·stride - 2·padding + dilation·(k-1) + output_padding + 1}. Runs
     * {@link ConvKernels#convTranspose}'s kernels.
     */
    public static Tensor convTranspose(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                       int[] outputPadding, int[] dilation, int groups) {
        return conv(ConvParams.function(dims, true, stride, padding, padding, null, outputPadding, dilation, groups), input, weight,
                bias);
    }

    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return convTranspose(1, input, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /** {@code F.conv_transpose1d(input, weight, bias)} with torch's defaults. */
    public static Tensor convTranspose1d(Tensor input, Tensor weight, Tensor bias) {
        return convTranspose(1, input, weight, bias, ONE, ZERO, ZERO, ONE, 1);
    }

    /** Argument order as torch's: {@code (input, weight, bias, stride, padding, output_padding, groups, dilation)}. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return convTranspose(2, input, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /** {@code F.conv_transpose2d(input, weight, bias)} with torch's defaults. */
    public static Tensor convTranspose2d(Tensor input, Tensor weight, Tensor bias) {
        return convTranspose(2, input, weight, bias, ONE, ZERO, ZERO, ONE, 1);
    }

    public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                         int[] outputPadding, int groups, int[] dilation) {
        return convTranspose(3, input, weight, bias, stride, padding, outputPadding, dilation, groups);
    }

    /** {@code F.conv_transpose3d(input, weight, bias)} with torch's defaults. */
    public static Tensor convTranspose3d(Tensor input, Tensor weight, Tensor bias) {
        return convTranspose(3, input, weight, bias, ONE, ZERO, ZERO, ONE, 1);
    }

    // ------------------------------------------------------------------ padding

    /**
     * {@code F.pad(input, pad, mode, value)}: {@code pad} holds (before, after) pairs from the last dim
     * backwards; {@code value} fills {@link PadMode#CONSTANT} padding.
     */
    public static Tensor pad(Tensor input, int[] pad, PadMode mode, double value) {
        return Pad.pad(input, pad, mode, value);
    }

    /** {@link #pad(Tensor, int[], PadMode, double)} with torch's mode name: {@code constant}, {@code reflect}, {@code replicate} or {@code circular}. */
    public static Tensor pad(Tensor input, int[] pad, String mode, double value) {
        return Pad.pad(input, pad, PadMode.parse(mode), value);
    }

    /** {@code F.pad(input, pad)}: zeros. */
    public static Tensor pad(Tensor input, int... pad) {
        return Pad.pad(input, pad, PadMode.CONSTANT, 0);
    }

    // ------------------------------------------------------------------ activations

    public static Tensor relu(Tensor input) {
        return relu(input, false);
    }

    /**
     * {@code F.relu(input, inplace)}: in place ({@code relu_}) the result overwrites {@code input}, which is returned
     * (under autograd its history moves behind the new node, as torch's {@code rebase_history}; float64 under
     * autograd runs out of place and leaves the input as it was).
     */
    public static Tensor relu(Tensor input, boolean inplace) {
        if (input.dtype() == DType.FLOAT32) return FastActivations.relu(LayerKernels.floats(), input, inplace);
        return Elementwise.inPlace(input, inplace, Elementwise.map("relu", input, Elementwise::relu, (x, y) -> y > 0 ? 1 : 0));
    }

    /** {@code x} if {@code x >= 0}, else {@code negativeSlope·x}. */
    public static Tensor leakyRelu(Tensor input, double negativeSlope) {
        if (input.dtype() == DType.FLOAT32) return FastActivations.leakyRelu(LayerKernels.floats(), input, negativeSlope);
        return Elementwise.map("leaky_relu", input, x -> x < 0 ? x * negativeSlope : x, (x, y) -> x > 0 ? 1 : negativeSlope);
    }

    public static Tensor tanh(Tensor input) {
        return Elementwise.map("tanh", input, Math::tanh, (x, y) -> 1 - y * y);
    }

    /** {@code 1 / (1 + e^{-x})}. */
    public static Tensor sigmoid(Tensor input) {
        return Elementwise.map("sigmoid", input, Elementwise::sigmoid, (x, y) -> y * (1 - y));
    }

    /**
     * {@code F.gelu(input, approximate)}: {@code "none"} is {@code 0.5·x·(1 + erf(x/√2))}; {@code "tanh"} is
     * {@code 0.5·x·(1 + tanh(√(2/π)·(x + 0.044715·x³)))}.
     */
    public static Tensor gelu(Tensor input, String approximate) {
        return gelu(input, GELU.Approximate.parse(approximate));
    }

    /** {@code F.gelu(input, approximate)} with the mode as an enum. */
    public static Tensor gelu(Tensor input, GELU.Approximate approximate) {
        if (approximate == null) throw new IllegalArgumentException("gelu: approximate must not be null (NONE or TANH)");
        if (approximate == GELU.Approximate.TANH) {
            return Elementwise.map("gelu", input, Elementwise::geluTanh, (x, y) -> Elementwise.geluTanhGrad(x));
        }
        return Elementwise.map("gelu", input, Elementwise::gelu, (x, y) -> Elementwise.geluGrad(x));
    }

    /** The error function used by the exact GELU (about 1e-15 relative). */
    public static double erf(double x) {
        return Elementwise.erf(x);
    }

    /** {@code F.relu6}: {@code min(max(x, 0), 6)}. */
    public static Tensor relu6(Tensor input) { return Activations.relu6(input, false); }

    /** {@code F.relu6(input, inplace)}, in place as {@link #relu(Tensor, boolean)}. */
    public static Tensor relu6(Tensor input, boolean inplace) { return Activations.relu6(input, inplace); }

    /** {@code F.hardsigmoid}: {@code min(max(x + 3, 0), 6) / 6}. */
    public static Tensor hardsigmoid(Tensor input) { return Activations.hardsigmoid(input); }

    /** {@code F.hardswish}: {@code x·min(max(x + 3, 0), 6) / 6}. */
    public static Tensor hardswish(Tensor input) { return Activations.hardswish(input, false); }

    /**
     * {@code F.hardswish(input, inplace)}: in place the result overwrites and returns {@code input} when no graph is
     * recorded; under autograd it runs out of place (its backward needs the input).
     */
    public static Tensor hardswish(Tensor input, boolean inplace) { return Activations.hardswish(input, inplace); }

    /** {@code F.silu}: {@code x·σ(x)}. */
    public static Tensor silu(Tensor input) { return Activations.silu(input, false); }

    /** {@code F.silu(input, inplace)}, in place as {@link #hardswish(Tensor, boolean)}. */
    public static Tensor silu(Tensor input, boolean inplace) { return Activations.silu(input, inplace); }

    /** {@code torch.cat(tensors, dim)}. */
    public static Tensor cat(int dim, Tensor... tensors) { return Structure.cat(dim, tensors); }

    /** {@code F.channel_shuffle(input, groups)} (torchvision's {@code channel_shuffle}). */
    public static Tensor channelShuffle(Tensor input, int groups) { return Structure.channelShuffle(input, groups); }

    /** torchvision's {@code ops.stochastic_depth(input, p, mode, training)}; mode {@code "row"} or {@code "batch"}. */
    public static Tensor stochasticDepth(Tensor input, double p, String mode, boolean training, Generator generator) {
        return Structure.stochasticDepth(input, p, mode, training, generator);
    }

    // ------------------------------------------------------------------ pooling

    /**
     * N-d max pooling; {@code stride} null or empty means {@code kernelSize}. Padding counts as
     * {@code -inf} and must be at most half the kernel; NaN propagates.
     */
    public static Tensor maxPool(int dims, Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                 boolean ceilMode) {
        return Pooling.maxPool(dims, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    public static Tensor maxPool1d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(1, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    public static Tensor maxPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(2, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /** {@code F.max_pool2d(input, k)}: stride k, no padding. */
    public static Tensor maxPool2d(Tensor input, int kernelSize) {
        return maxPool(2, input, new int[] {kernelSize}, null, ZERO, ONE, false);
    }

    public static Tensor maxPool3d(Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        return maxPool(3, input, kernelSize, stride, padding, dilation, ceilMode);
    }

    /**
     * N-d average pooling; {@code stride} null or empty means {@code kernelSize}. The divisor is
     * {@code divisorOverride} if given, else the window size clipped to the padded input
     * ({@code countIncludePad}) or the number of input cells in the window.
     */
    public static Tensor avgPool(int dims, Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                 boolean countIncludePad, Integer divisorOverride) {
        return Pooling.avgPool(dims, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    public static Tensor avgPool1d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad) {
        return avgPool(1, input, kernelSize, stride, padding, ceilMode, countIncludePad, null);
    }

    public static Tensor avgPool2d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return avgPool(2, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.avg_pool2d(input, k)}: stride k, no padding. */
    public static Tensor avgPool2d(Tensor input, int kernelSize) {
        return avgPool(2, input, new int[] {kernelSize}, null, ZERO, false, true, null);
    }

    public static Tensor avgPool3d(Tensor input, int[] kernelSize, int[] stride, int[] padding, boolean ceilMode,
                                   boolean countIncludePad, Integer divisorOverride) {
        return avgPool(3, input, kernelSize, stride, padding, ceilMode, countIncludePad, divisorOverride);
    }

    /** {@code F.adaptive_avg_pool2d}: one value (square) or two; a null entry keeps that input size. */
    public static Tensor adaptiveAvgPool2d(Tensor input, Integer... outputSize) {
        return Pooling.adaptiveAvgPool2d(input, outputSize);
    }

    /** {@code F.max_pool*d(..., return_indices=True)}: {output, indices} (int64, flat in each plane's spatial dims). */
    public static Tensor[] maxPoolWithIndices(int dims, Tensor input, int[] kernelSize, int[] stride, int[] padding, int[] dilation,
                                              boolean ceilMode) {
        return new Tensor[] {maxPool(dims, input, kernelSize, stride, padding, dilation, ceilMode),
                Pooling.maxPoolIndices(dims, input, kernelSize, stride, padding, dilation, ceilMode)};
    }

    /** {@code F.adaptive_avg_pool1d/2d/3d} for {@code dims} 1 to 3: one size for every dim or one per dim (null keeps it). */
    public static Tensor adaptiveAvgPool(int dims, Tensor input, Integer... outputSize) { return AdaptivePooling.avg(dims, input, outputSize); }

    /** {@code F.adaptive_max_pool1d/2d/3d(..., return_indices=True)}: {output, indices}; {@code [0]} alone is the pooled tensor. */
    public static Tensor[] adaptiveMaxPool(int dims, Tensor input, Integer... outputSize) { return AdaptivePooling.max(dims, input, outputSize); }

    // ------------------------------------------------------------------ normalization, linear, dropout, flatten

    /**
     * {@code F.batch_norm(input, running_mean, running_var, weight, bias, training, momentum, eps)}.
     * Running statistics are updated in place when training; any of the tensors may be null.
     */
    public static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean training, double momentum, double eps) {
        return Normalization.batchNorm(input, runningMean, runningVar, weight, bias, training, momentum, eps);
    }

    /**
     * {@code F.linear}: {@code y = x·Wᵀ + b} over the last dim of {@code [*, in]} with weight
     * {@code [out, in]} and bias {@code [out]} (or null).
     */
    public static Tensor linear(Tensor input, Tensor weight, Tensor bias) {
        String op = "linear";
        Data.requireFloating(op, "input", input);
        Data.requireSameDType(op, input, "weight", weight);
        Data.requireSameDType(op, input, "bias", bias);
        if (weight.dim() != 2) {
            throw new IllegalArgumentException(op + ": expected a 2-dimensional weight [out_features, in_features], but got weight "
                    + "of size " + weight.shape());
        }
        if (input.dim() < 1) {
            throw new IllegalArgumentException(op + ": expected an input of at least 1 dim, but got a 0-dim input");
        }
        int in = weight.size(1);
        int out = weight.size(0);
        int features = input.size(input.dim() - 1);
        int rows = (int) (input.numel() / Math.max(features, 1));
        if (features == 0) rows = (int) Data.prod(java.util.Arrays.copyOf(input.shape().toArray(), input.dim() - 1));
        if (features != in) {
            throw new IllegalArgumentException("mat1 and mat2 shapes cannot be multiplied (" + rows + "x" + features + " and " + in
                    + "x" + out + "): input of size " + input.shape() + " has " + features + " features, but weight of size "
                    + weight.shape() + " expects " + in);
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != out)) {
            throw new IllegalArgumentException(op + ": expected bias of size [" + out + "] for weight of size " + weight.shape()
                    + ", but got bias of size " + bias.shape());
        }
        if (input.dtype() == DType.FLOAT32 && input.numel() > 0 && weight.numel() > 0) {
            return FastLinear.linear(LayerKernels.floats(), input, weight, bias, rows, in, out);
        }
        return linearReference(input, weight, bias, rows, in, out);
    }

    /** {@link #linear} read literally, in double (float64 runs it); arguments already checked. */
    static Tensor linearReference(Tensor input, Tensor weight, Tensor bias, int rows, int in, int out) {
        double[] xs = Data.read(input);
        double[] ws = Data.read(weight);
        double[] bs = bias == null ? null : bias.toDoubleArray();
        double[] res = new double[rows * out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) {
                double acc = bs == null ? 0 : bs[o];
                for (int i = 0; i < in; i++) acc += xs[r * in + i] * ws[o * in + i];
                res[r * out + o] = acc;
            }
        }
        int[] shape = input.shape().toArray();
        shape[shape.length - 1] = out;
        Tensor y = Data.tensor(res, input.dtype(), shape);
        int rowsF = rows;
        // dx = dy·W, dW = dyᵀ·x, db = Σ_rows dy
        return Autograd.record(y, "AddmmBackward0", new Tensor[] {input, weight, bias}, new Tensor[] {input, weight}, g -> {
            double[] gy = Data.read(g);
            double[] gx = new double[xs.length];
            double[] gw = new double[ws.length];
            double[] gb = new double[out];
            for (int r = 0; r < rowsF; r++) {
                for (int o = 0; o < out; o++) {
                    double d = gy[r * out + o];
                    gb[o] += d;
                    for (int i = 0; i < in; i++) {
                        gx[r * in + i] += d * ws[o * in + i];
                        gw[o * in + i] += d * xs[r * in + i];
                    }
                }
            }
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray()), Data.tensor(gw, weight.dtype(), out, in),
                    bias == null ? null : Data.tensor(gb, bias.dtype(), out)};
        });
    }

    /**
     * {@code F.dropout(input, p, training)}: in training, each element is kept with probability
     * {@code 1-p} and scaled by {@code 1/(1-p)}; otherwise (or p = 0) the input itself is returned.
     * The mask is drawn as torch 1.13 draws {@code bernoulli_(1-p)} on CPU: one double uniform
     * ({@code random64()}, 53 bits) per element, kept when {@code u < 1-p}, in row-major order even for
     * a permuted view (torch's noise is {@code empty_like(input, LEGACY_CONTIGUOUS_MEMORY_FORMAT)}), so
     * with the same seed the result matches torch bit for bit.
     */
    public static Tensor dropout(Tensor input, double p, boolean training, Generator generator) {
        if (!(p >= 0 && p <= 1)) {
            throw new IllegalArgumentException("dropout probability has to be between 0 and 1, but got " + p);
        }
        Data.requireFloating("dropout", "input", input);
        if (p == 0 || !training || input.numel() == 0) return input;
        if (p < 1 && input.dtype() == DType.FLOAT32) return FastActivations.dropout(input, p, generator);
        double[] xs = Data.read(input);
        double[] res = new double[xs.length];
        double[] factor = new double[xs.length]; // the noise: 0 or 1/(1-p)
        if (p < 1) {
            Generator g = Generator.orDefault(generator);
            double q = 1 - p;
            boolean f32 = input.dtype() == DType.FLOAT32;
            double scale = f32 ? (double) (1.0f / (float) q) : 1 / q;
            synchronized (g) {
                for (int i = 0; i < xs.length; i++) {
                    double u = (g.random64() & ((1L << 53) - 1)) * 0x1p-53;
                    factor[i] = u < q ? scale : 0;
                    if (u < q) res[i] = f32 ? (float) xs[i] * (float) scale : xs[i] * scale;
                    else res[i] = xs[i] * 0.0;
                }
            }
        } else {
            for (int i = 0; i < xs.length; i++) res[i] = xs[i] * 0.0;
        }
        Tensor y = Data.tensor(res, input.dtype(), input.shape().toArray());
        return Autograd.record(y, "MulBackward0", new Tensor[] {input}, new Tensor[0], g -> {
            double[] gy = Data.read(g);
            for (int i = 0; i < gy.length; i++) gy[i] *= factor[i];
            return new Tensor[] {Data.tensor(gy, input.dtype(), input.shape().toArray())};
        });
    }

    /**
     * {@code F.pixel_shuffle(input, upscale_factor)}: {@code [*, C·r², H, W] → [*, C, H·r, W·r]}, output channel c at
     * {@code (h·r + i, w·r + j)} taken from input channel {@code c·r² + i·r + j} (a view + permute + reshape; differentiable).
     */
    public static Tensor pixelShuffle(Tensor input, int upscaleFactor) {
        return PixelShuffling.shuffle(input, upscaleFactor);
    }

    /** {@code F.pixel_unshuffle(input, downscale_factor)}: the inverse of {@link #pixelShuffle}. */
    public static Tensor pixelUnshuffle(Tensor input, int downscaleFactor) {
        return PixelShuffling.unshuffle(input, downscaleFactor);
    }

    /** {@code torch.flatten(input, startDim, endDim)}: dims {@code startDim..endDim} merged into one. */
    public static Tensor flatten(Tensor input, int startDim, int endDim) {
        int rank = input.dim();
        int s = Shape.normalizeDim(startDim, rank);
        int e = Shape.normalizeDim(endDim, rank);
        if (s > e) {
            throw new IllegalArgumentException("flatten() has invalid args: start_dim cannot come after end_dim (start_dim="
                    + startDim + ", end_dim=" + endDim + " for input of size " + input.shape() + ")");
        }
        if (rank == 0) return input.reshape(1);
        int[] shape = new int[rank - (e - s)];
        int j = 0;
        for (int i = 0; i < s; i++) shape[j++] = input.size(i);
        int m = 1;
        for (int i = s; i <= e; i++) m *= input.size(i);
        shape[j++] = m;
        for (int i = e + 1; i < rank; i++) shape[j++] = input.size(i);
        return input.reshape(shape);
    }
}
