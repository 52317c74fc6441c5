package org.convinit.nn.functional.internal;

import java.util.Arrays;

import org.convinit.nn.ConvPadding;
import org.convinit.nn.PaddingMode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * One convolution or transposed convolution, validated once: its {@link ConvParams} (stride,
 * padding before and after, dilation, groups, output padding) bound to the shapes of an input,
 * weight and bias, with the output shape. Every check of a convolution's tensors lives here, with
 * ATen's messages; {@link ConvParams} holds the checks of the settings. The fast path
 * ({@link FastConv}, {@link FastConvBackward}) and the references trust a spec and check nothing.
 *
 * <p>Shapes are batched ({@code [N, C, *S]}); {@link #batched()} says whether the caller's input had
 * the batch dim ({@link #batch}, {@link #unbatch}). Conv weight {@code [O, C/G, *K]}, output
 * {@code floor((in + padBefore + padAfter - dilation·(k-1) - 1) / stride) + 1}; transposed weight
 * {@code [C, O/G, *K]}, output {@code (in-1)·stride - 2·padding + dilation·(k-1) + output_padding + 1}.
 */
public final class ConvSpec {
    private final ConvParams params;
    private final int[] padBefore;
    private final int[] padAfter;
    private final int[] outputPadding;
    private final Shape input;
    private final Shape weight;
    private final Shape output;
    private final boolean batched;

    private ConvSpec(ConvParams params, int[] padBefore, int[] padAfter, int[] outputPadding, Shape input, Shape weight,
                     boolean batched) {
        this.params = params;
        this.padBefore = padBefore;
        this.padAfter = padAfter;
        this.outputPadding = outputPadding;
        this.input = input;
        this.weight = weight;
        this.batched = batched;
        int dims = params.dims();
        int[] out = new int[dims + 2];
        out[0] = input.get(0);
        out[1] = params.transposed() ? weight.get(1) * params.groups() : weight.get(0);
        for (int d = 0; d < dims; d++) out[2 + d] = (int) Math.max(0, Math.min(Integer.MAX_VALUE, outputSize(d)));
        this.output = Shape.of(out);
    }

    /**
     * A spec derived by the fast path from one already checked (a gradient as a convolution): built
     * without checks, batched.
     */
    static ConvSpec derived(boolean transposed, int[] stride, int[] padBefore, int[] padAfter, int[] outputPadding, int[] dilation,
                            int groups, Shape input, Shape weight) {
        ConvParams p = ConvParams.trusted(transposed, stride, padBefore, padAfter, outputPadding, dilation, groups);
        return new ConvSpec(p, padBefore.clone(), padAfter.clone(), outputPadding.clone(), input, weight, true);
    }

    /** Checks tensors against {@code params} (see {@link ConvParams#bind}). */
    static ConvSpec bind(ConvParams p, Tensor input, Tensor weight, Tensor bias, boolean floatingOnly, int[] outputPadding) {
        String op = p.op();
        int dims = p.dims();
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to "
                    + op + ", but got input of size: " + input.shape());
        }
        if (weight.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (dims + 2) + "-dimensional weight, but got weight of size "
                    + weight.shape());
        }
        if (floatingOnly && !input.dtype().isCompute()) {
            throw new IllegalArgumentException(op + ": input has dtype " + input.dtype() + "; expected float32 or float64");
        }
        sameDType(op, input, "weight", weight);
        sameDType(op, input, "bias", bias);
        boolean batched = input.dim() == dims + 2;
        int[] x = input.shape().toArray();
        if (!batched) x = prepend(1, x);
        Shape w = weight.shape();
        int groups = p.groups();
        String given = "Given groups=" + groups + ", expected weight to be ";
        if (w.get(0) < groups) {
            throw new IllegalArgumentException(given + "at least " + groups + " at dimension 0, but got weight of size " + w + " instead");
        }
        if (w.get(0) % groups != 0) {
            throw new IllegalArgumentException(given + "divisible by " + groups + " at dimension 0, but got weight of size " + w + " instead");
        }
        int channels = p.transposed() ? w.get(0) : w.get(1) * groups;
        String prefix = p.transposed() ? "Given transposed=1, weight of size " : "Given groups=" + groups + ", weight of size ";
        if (x[1] != channels) {
            throw new IllegalArgumentException(prefix + w + ", expected input" + Shape.of(x) + " to have " + channels
                    + " channels, but got " + x[1] + " channels instead");
        }
        int outChannels = p.transposed() ? w.get(1) * groups : w.get(0);
        if (bias != null && (bias.dim() != 1 || bias.size(0) != outChannels)) {
            String biasPrefix = p.transposed() ? "Given transposed=1, weight of size " : "Given weight of size ";
            throw new IllegalArgumentException(biasPrefix + w + ", expected bias to be 1-dimensional with " + outChannels
                    + " elements, but got bias of size " + bias.shape() + " instead");
        }
        int[] before = p.padBefore();
        int[] after = p.padAfter();
        if (p.preset() == ConvPadding.SAME) {
            for (int d = 0; d < dims; d++) {
                int total = p.dilation()[d] * (w.get(2 + d) - 1);
                before[d] = total / 2;
                after[d] = total - before[d];
            }
        }
        ConvSpec spec = new ConvSpec(p, before, after, outputPadding, Shape.of(x), w, batched);
        spec.checkSizes();
        return spec;
    }

    private void checkSizes() {
        int dims = params.dims();
        int[] in = new int[dims];
        long[] out = new long[dims];
        long[] padded = new long[dims];
        long[] span = new long[dims];
        boolean bad = false;
        for (int d = 0; d < dims; d++) {
            in[d] = input.get(2 + d);
            padded[d] = (long) in[d] + padBefore[d] + padAfter[d];
            span[d] = (long) params.dilation()[d] * (weight.get(2 + d) - 1) + 1;
            out[d] = outputSize(d);
            bad |= params.transposed() ? out[d] < 1 || out[d] > Integer.MAX_VALUE : padded[d] < span[d];
        }
        if (bad && params.transposed()) {
            throw new IllegalArgumentException("Given input size per channel: (" + join(in) + "). Calculated output size per channel: ("
                    + join(out) + "). Output size is too small");
        }
        if (bad) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + join(padded) + "). Kernel size: ("
                    + join(span) + "). Kernel size can't be greater than actual input size");
        }
    }

    private long outputSize(int d) {
        long in = input.get(2 + d);
        long k = weight.get(2 + d);
        long s = params.stride()[d];
        long dil = params.dilation()[d];
        if (params.transposed()) return (in - 1) * s - padBefore[d] - padAfter[d] + dil * (k - 1) + outputPadding[d] + 1;
        long padded = in + padBefore[d] + padAfter[d];
        long span = dil * (k - 1) + 1;
        return padded < span ? 0 : (padded - span) / s + 1;
    }

    /**
     * Fails unless {@code mode} can pad this input ({@code reflect}: less than the size; {@code circular}:
     * at most the size). The references pad by mode; the layers pad with {@code F.pad}, which checks.
     */
    public void requireFits(PaddingMode mode) {
        for (int d = 0; d < params.dims(); d++) {
            int size = input.get(2 + d);
            boolean reflect = mode == PaddingMode.REFLECT && (padBefore[d] >= size || padAfter[d] >= size);
            boolean circular = mode == PaddingMode.CIRCULAR && (padBefore[d] > size || padAfter[d] > size);
            if (reflect || circular) {
                throw new IllegalArgumentException(params.op() + ": " + mode + " padding (" + padBefore[d] + ", " + padAfter[d]
                        + ") must be " + (reflect ? "less than" : "at most") + " the input size " + size + " in spatial dim " + d
                        + " of input " + input);
            }
        }
    }

    /** The same convolution of the input padded beforehand: no padding, input shape grown by it. */
    public ConvSpec padded() {
        int[] x = input.toArray();
        for (int d = 0; d < params.dims(); d++) x[2 + d] += padBefore[d] + padAfter[d];
        int[] zero = new int[params.dims()];
        ConvParams p = ConvParams.trusted(false, params.stride(), zero, zero, zero, params.dilation(), params.groups());
        return new ConvSpec(p, zero, zero.clone(), zero.clone(), Shape.of(x), weight, batched);
    }

    /** {@code t} with a batch dim of 1 added if the caller's input had none. */
    public Tensor batch(Tensor t) {
        return batched ? t : t.unsqueeze(0);
    }

    /** {@code t} without the batch dim if the caller's input had none. */
    public Tensor unbatch(Tensor t) {
        return batched ? t : t.squeeze(0);
    }

    public ConvParams params() {
        return params;
    }

    public String op() {
        return params.op();
    }

    public int dims() {
        return params.dims();
    }

    public boolean transposed() {
        return params.transposed();
    }

    public int groups() {
        return params.groups();
    }

    public int[] stride() {
        return params.stride();
    }

    public int[] dilation() {
        return params.dilation();
    }

    public int[] padBefore() {
        return padBefore.clone();
    }

    public int[] padAfter() {
        return padAfter.clone();
    }

    public int[] outputPadding() {
        return outputPadding.clone();
    }

    /** Batched input shape {@code [N, C, *S]}. */
    public Shape input() {
        return input;
    }

    public Shape weight() {
        return weight;
    }

    /** Batched output shape {@code [N, O, *S']}. */
    public Shape output() {
        return output;
    }

    public boolean batched() {
        return batched;
    }

    /** Spatial sizes ({@code shape} without its two leading dims). */
    public static int[] spatial(Shape shape) {
        return Arrays.copyOfRange(shape.toArray(), 2, shape.rank());
    }

    @Override
    public String toString() {
        return params + " input" + input + " weight" + weight + " output" + output + " padding " + Arrays.toString(padBefore) + "/"
                + Arrays.toString(padAfter);
    }

    private static void sameDType(String op, Tensor input, String what, Tensor other) {
        if (other != null && other.dtype() != input.dtype()) {
            DType a = input.dtype();
            DType b = other.dtype();
            throw new IllegalArgumentException(op + ": input dtype " + a + " and " + what + " dtype " + b + " differ; expected the same "
                    + "dtype (convert the input with .to(" + b + ") or the " + what + " with .to(" + a + "))");
        }
    }

    private static int[] prepend(int v, int[] rest) {
        int[] out = new int[rest.length + 1];
        out[0] = v;
        System.arraycopy(rest, 0, out, 1, rest.length);
        return out;
    }

    static String join(int[] v) {
        return join(Arrays.stream(v).asLongStream().toArray());
    }

    static String join(long[] v) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < v.length; i++) sb.append(i > 0 ? " x " : "").append(v[i]);
        return sb.toString();
    }
}
