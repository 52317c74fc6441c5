package org.convinit.nn.functional.internal;

import java.util.Arrays;

import org.convinit.tensor.Tensor;

/**
 * Argument checks of the fast kernels. For everything {@code Conv.convNd} checks, the messages are
 * the reference's word for word (ATen's shape); the parameter arrays, which the reference trusts,
 * are checked here too.
 */
public final class ConvChecks {
    private ConvChecks() {}

    /** Checks a convolution's arguments and returns the output shape {@code [N, O, *S']} (batched). */
    public static int[] conv(String op, int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore,
                             int[] padAfter, int[] dilation, int groups) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to "
                    + op + ", but got input of size: " + input.shape());
        }
        if (weight.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": weight of size " + weight.shape() + ": expected " + (dims + 2) + " dims");
        }
        params(op, dims, stride, "stride", 1);
        params(op, dims, padBefore, "padBefore", 0);
        params(op, dims, padAfter, "padAfter", 0);
        params(op, dims, dilation, "dilation", 1);
        checkGroups(op, groups);
        Tensor x = input.dim() == dims + 2 ? input : input.unsqueeze(0);
        sameDtype(op, x, weight);
        int o = weight.size(0);
        int cg = weight.size(1);
        if (x.size(1) != cg * groups) {
            throw new IllegalArgumentException("Given groups=" + groups + ", weight of size " + weight.shape() + ", expected input"
                    + x.shape() + " to have " + (cg * groups) + " channels, but got " + x.size(1) + " channels instead");
        }
        if (o % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + weight.shape() + " instead");
        }
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("Given weight of size " + weight.shape() + ", expected bias to be 1-dimensional with "
                    + o + " elements, but got bias of size " + bias.shape() + " instead");
        }
        int[] outShape = new int[dims + 2];
        outShape[0] = x.size(0);
        outShape[1] = o;
        boolean tooSmall = false;
        int[] padded = new int[dims];
        int[] span = new int[dims];
        for (int d = 0; d < dims; d++) {
            long p = (long) x.size(2 + d) + padBefore[d] + padAfter[d];
            long sp = (long) dilation[d] * (weight.size(2 + d) - 1) + 1;
            if (p < sp) tooSmall = true;
            padded[d] = (int) p;
            span[d] = (int) sp;
            outShape[2 + d] = (int) Math.max(0, (p - sp) / stride[d] + 1);
        }
        if (tooSmall) {
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + join(padded) + "). Kernel size: ("
                    + join(span) + "). Kernel size can't be greater than actual input size");
        }
        return outShape;
    }

    /** Checks a transposed convolution's arguments and returns the output shape {@code [N, O, *S']} (batched). */
    public static int[] convTranspose(String op, int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                      int[] outputPadding, int[] dilation, int groups) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to "
                    + op + ", but got input of size: " + input.shape());
        }
        if (weight.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": weight of size " + weight.shape() + ": expected " + (dims + 2) + " dims");
        }
        params(op, dims, stride, "stride", 1);
        params(op, dims, padding, "padding", 0);
        params(op, dims, outputPadding, "outputPadding", 0);
        params(op, dims, dilation, "dilation", 1);
        checkGroups(op, groups);
        for (int d = 0; d < dims; d++) {
            if (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d]) {
                throw new IllegalArgumentException(op + ": outputPadding " + Arrays.toString(outputPadding)
                        + " must be smaller than either stride " + Arrays.toString(stride) + " or dilation "
                        + Arrays.toString(dilation) + " in every dim, but dim " + d + " has " + outputPadding[d]);
            }
        }
        Tensor x = input.dim() == dims + 2 ? input : input.unsqueeze(0);
        sameDtype(op, x, weight);
        int cin = weight.size(0);
        if (x.size(1) != cin) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape() + ", expected input" + x.shape()
                    + " to have " + cin + " channels, but got " + x.size(1) + " channels instead");
        }
        if (cin % groups != 0) {
            throw new IllegalArgumentException("Given groups=" + groups + ", expected weight to be divisible by " + groups
                    + " at dimension 0, but got weight of size " + weight.shape() + " instead");
        }
        int o = weight.size(1) * groups;
        if (bias != null && (bias.dim() != 1 || bias.size(0) != o)) {
            throw new IllegalArgumentException("Given transposed=1, weight of size " + weight.shape()
                    + ", expected bias to be 1-dimensional with " + o + " elements, but got bias of size " + bias.shape() + " instead");
        }
        int[] outShape = new int[dims + 2];
        outShape[0] = x.size(0);
        outShape[1] = o;
        int[] in = new int[dims];
        int[] out = new int[dims];
        boolean tooSmall = false;
        for (int d = 0; d < dims; d++) {
            in[d] = x.size(2 + d);
            long s = ((long) in[d] - 1) * stride[d] - 2L * padding[d] + (long) dilation[d] * (weight.size(2 + d) - 1)
                    + outputPadding[d] + 1;
            if (s < 1 || s > Integer.MAX_VALUE) tooSmall = true;
            out[d] = (int) Math.max(Integer.MIN_VALUE, Math.min(Integer.MAX_VALUE, s));
            outShape[2 + d] = out[d];
        }
        if (tooSmall) {
            throw new IllegalArgumentException("Given input size per channel: (" + join(in) + "). Calculated output size per channel: ("
                    + join(out) + "). Output size is too small");
        }
        return outShape;
    }

    private static void params(String op, int dims, int[] values, String name, int min) {
        if (values == null || values.length != dims) {
            throw new IllegalArgumentException(op + ": " + name + " " + (values == null ? "null" : Arrays.toString(values))
                    + ": expected " + dims + " values, one per spatial dim");
        }
        for (int v : values) {
            if (v < min) {
                throw new IllegalArgumentException(op + ": " + name + " " + Arrays.toString(values) + ": expected every value >= " + min);
            }
        }
    }

    private static void checkGroups(String op, int groups) {
        if (groups < 1) throw new IllegalArgumentException(op + ": groups " + groups + ": expected at least 1");
    }

    private static void sameDtype(String op, Tensor x, Tensor weight) {
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(op + ": input dtype " + x.dtype() + " and weight dtype " + weight.dtype()
                    + " differ; expected the same dtype (convert the input with .to(" + weight.dtype().torchName() + "))");
        }
    }

    static String join(int[] v) {
        return String.join(" x ", Arrays.stream(v).mapToObj(Integer::toString).toArray(String[]::new));
    }
}
