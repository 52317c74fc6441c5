package org.convinit.nn.functional;

import java.util.Arrays;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.nn.PaddingMode;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * Convolution read literally from its definition, for any number of spatial dims:
 *
 * <pre>
 * out[n, o, p] = bias[o] + Σ_{c in group(o)} Σ_k  w[o, c, k] · x[n, g·C/G + c, p·stride - padBefore + k·dilation]
 * </pre>
 *
 * with out-of-range input positions read as zero ({@code zeros}) or mapped by the padding mode
 * (reflect, replicate, circular). Accumulates in double. This is the obviously-correct reference
 * the fast kernels are checked against.
 */
public final class Conv {
    private Conv() {}

    /**
     * N-d convolution of {@code input} ({@code [N, C, *S]} or unbatched {@code [C, *S]}) with
     * {@code weight} ({@code [O, C/groups, *K]}) and optional {@code bias} ({@code [O]}).
     */
    public static Tensor convNd(String op, int dims, Tensor input, Tensor weight, Tensor bias, int[] stride,
                                int[] padBefore, int[] padAfter, int[] dilation, int groups, PaddingMode mode) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException("Expected " + (dims + 1) + "D (unbatched) or " + (dims + 2) + "D (batched) input to "
                    + op + ", but got input of size: " + input.shape());
        }
        if (weight.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": weight of size " + weight.shape() + ": expected " + (dims + 2) + " dims");
        }
        boolean batched = input.dim() == dims + 2;
        Tensor x = batched ? input : input.unsqueeze(0);
        if (x.dtype() != weight.dtype()) {
            throw new IllegalArgumentException(op + ": input dtype " + x.dtype() + " and weight dtype " + weight.dtype()
                    + " differ; expected the same dtype (convert the input with .to(" + weight.dtype().torchName() + "))");
        }
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
        int n = x.size(0);
        int c = x.size(1);
        int[] in = new int[dims];
        int[] k = new int[dims];
        int[] out = new int[dims];
        boolean tooSmall = false;
        for (int d = 0; d < dims; d++) {
            in[d] = x.size(2 + d);
            k[d] = weight.size(2 + d);
            long padded = (long) in[d] + padBefore[d] + padAfter[d];
            long span = (long) dilation[d] * (k[d] - 1) + 1;
            if (padded < span) tooSmall = true;
            out[d] = (int) Math.max(0, (padded - span) / stride[d] + 1);
            if (mode == PaddingMode.REFLECT && (padBefore[d] >= in[d] || padAfter[d] >= in[d])) {
                throw new IllegalArgumentException(op + ": reflect padding (" + padBefore[d] + ", " + padAfter[d]
                        + ") must be less than the input size " + in[d] + " in spatial dim " + d + " of input " + x.shape());
            }
            if (mode == PaddingMode.CIRCULAR && (padBefore[d] > in[d] || padAfter[d] > in[d])) {
                throw new IllegalArgumentException(op + ": circular padding (" + padBefore[d] + ", " + padAfter[d]
                        + ") must be at most the input size " + in[d] + " in spatial dim " + d + " of input " + x.shape());
            }
        }
        if (tooSmall) {
            int[] padded = new int[dims];
            int[] span = new int[dims];
            for (int d = 0; d < dims; d++) {
                padded[d] = in[d] + padBefore[d] + padAfter[d];
                span[d] = dilation[d] * (k[d] - 1) + 1;
            }
            throw new IllegalArgumentException("Calculated padded input size per channel: (" + join(padded) + "). Kernel size: ("
                    + join(span) + "). Kernel size can't be greater than actual input size");
        }
        int[] outShape = new int[dims + 2];
        outShape[0] = n;
        outShape[1] = o;
        System.arraycopy(out, 0, outShape, 2, dims);
        Tensor result = Tensor.empty(x.dtype(), outShape);

        double[] xs = x.contiguous().toDoubleArray();
        double[] ws = weight.contiguous().toDoubleArray();
        double[] bs = bias == null ? null : bias.toDoubleArray();
        int inVol = (int) Shape.of(in).numel();
        int kVol = (int) Shape.of(k).numel();
        int outVol = (int) Shape.of(out).numel();
        int og = o / groups;
        int[][] gather = gatherIndex(in, k, out, stride, padBefore, dilation, mode);
        double[] res = new double[n * o * outVol];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int p = 0; p < outVol; p++) {
                    double acc = bs == null ? 0 : bs[oc];
                    for (int ic = 0; ic < cg; ic++) {
                        int xBase = (b * c + g * cg + ic) * inVol;
                        int wBase = (oc * cg + ic) * kVol;
                        int[] gp = gather[p];
                        for (int q = 0; q < kVol; q++) {
                            if (gp[q] >= 0) acc += ws[wBase + q] * xs[xBase + gp[q]];
                        }
                    }
                    res[(b * o + oc) * outVol + p] = acc;
                }
            }
        }
        for (int i = 0; i < res.length; i++) result.storage().setDouble(i, res[i]);
        Tensor out0;
        try (var g = GradMode.noGrad()) {
            out0 = batched ? result : result.squeeze(0);
        }
        Tensor xb = x;
        return Autograd.record(out0, "ConvolutionBackward0", new Tensor[] {input, weight, bias}, new Tensor[] {input, weight},
                g -> {
                    Tensor gb = batched ? g : g.unsqueeze(0);
                    Tensor[] grads = ConvBackward.grads(xb, weight, bias != null, gb, gather, groups);
                    if (!batched) grads[0] = grads[0].squeeze(0);
                    return grads;
                });
    }

    /**
     * For each output position (row-major over the output's spatial dims) and kernel position, the
     * flat spatial index of the input element it reads, or -1 where it reads zero padding.
     */
    static int[][] gatherIndex(int[] in, int[] k, int[] out, int[] stride, int[] padBefore, int[] dilation, PaddingMode mode) {
        int dims = in.length;
        int kVol = (int) Shape.of(k).numel();
        int outVol = (int) Shape.of(out).numel();
        int[][] gather = new int[outVol][kVol];
        int[] op = new int[dims];
        int[] kp = new int[dims];
        for (int p = 0; p < outVol; p++) {
            unravel(p, out, op);
            for (int q = 0; q < kVol; q++) {
                unravel(q, k, kp);
                int idx = 0;
                for (int d = 0; d < dims; d++) {
                    int pos = mapIndex(op[d] * stride[d] - padBefore[d] + kp[d] * dilation[d], in[d], mode);
                    if (pos < 0) {
                        idx = -1;
                        break;
                    }
                    idx = idx * in[d] + pos;
                }
                gather[p][q] = idx;
            }
        }
        return gather;
    }

    /** A padded coordinate mapped into {@code [0, size)}, or -1 for a zero-padding position. */
    static int mapIndex(int pos, int size, PaddingMode mode) {
        if (pos >= 0 && pos < size) return pos;
        switch (mode) {
            case ZEROS: return -1;
            case REPLICATE: return pos < 0 ? 0 : size - 1;
            case REFLECT: return pos < 0 ? -pos : 2 * (size - 1) - pos;
            case CIRCULAR: return Math.floorMod(pos, size);
            default: throw new AssertionError(mode);
        }
    }

    private static void unravel(int flat, int[] sizes, int[] out) {
        for (int d = sizes.length - 1; d >= 0; d--) {
            out[d] = flat % sizes[d];
            flat /= sizes[d];
        }
    }

    private static String join(int[] v) {
        return String.join(" x ", Arrays.stream(v).mapToObj(Integer::toString).toArray(String[]::new));
    }
}
