package org.convinit.nn.functional;


import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.internal.ConvChecks;
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
        int[] outShape = ConvChecks.conv(op, dims, input, weight, bias, stride, padBefore, padAfter, dilation, groups);
        boolean batched = input.dim() == dims + 2;
        Tensor x = batched ? input : input.unsqueeze(0);
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int cg = weight.size(1);
        int[] in = new int[dims];
        int[] k = new int[dims];
        int[] out = new int[dims];
        for (int d = 0; d < dims; d++) {
            in[d] = x.size(2 + d);
            k[d] = weight.size(2 + d);
            out[d] = outShape[2 + d];
            if (mode == PaddingMode.REFLECT && (padBefore[d] >= in[d] || padAfter[d] >= in[d])) {
                throw new IllegalArgumentException(op + ": reflect padding (" + padBefore[d] + ", " + padAfter[d]
                        + ") must be less than the input size " + in[d] + " in spatial dim " + d + " of input " + x.shape());
            }
            if (mode == PaddingMode.CIRCULAR && (padBefore[d] > in[d] || padAfter[d] > in[d])) {
                throw new IllegalArgumentException(op + ": circular padding (" + padBefore[d] + ", " + padAfter[d]
                        + ") must be at most the input size " + in[d] + " in spatial dim " + d + " of input " + x.shape());
            }
        }
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
}
