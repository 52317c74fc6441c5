package org.convinit.nn.functional.internal.reference;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.nn.PadMode;
import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.ConvSpec;
import org.convinit.tensor.Tensor;

/**
 * Convolution read literally from its definition, for any number of spatial dims:
 *
 * <pre>
 * out[n, o, p] = bias[o] + Σ_{c in group(o)} Σ_k  w[o, c, k] · x[n, g·C/G + c, p·stride - padBefore + k·dilation]
 * </pre>
 *
 * with out-of-range input positions read as zero ({@code zeros}) or mapped by the padding mode
 * (reflect, replicate, circular). Accumulates in double. The obviously-correct reference the fast
 * kernels are checked against, and their fallback for other dtypes and empty tensors.
 */
public final class ReferenceConv {
    private ReferenceConv() {}

    /**
     * Differentiable N-d convolution of {@code input} ({@code [N, C, *S]} or unbatched {@code [C, *S]})
     * with {@code weight} ({@code [O, C/groups, *K]}) and optional {@code bias}, padded by {@code mode};
     * arguments checked by {@link ConvSpec}, gradients by {@link ReferenceConvBackward}.
     */
    public static Tensor conv(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore, int[] padAfter,
                              int[] dilation, int groups, PaddingMode mode) {
        ConvSpec spec = ConvParams.function(dims, false, stride, padBefore, padAfter, null, new int[] {0}, dilation, groups)
                .bind(input, weight, bias, false);
        spec.requireFits(mode);
        int[][] gather = gatherIndex(spec, mode);
        Tensor x = spec.batch(input.detach());
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = spec.unbatch(forward(spec, gather, x, weight.detach(), bias == null ? null : bias.detach()));
        }
        return Autograd.record(out, "ConvolutionBackward0", new Tensor[] {input, weight, bias}, new Tensor[] {input, weight},
                g -> {
                    Tensor[] grads = ReferenceConvBackward.grads(x, weight.detach(), bias != null, spec.batch(g), gather, groups);
                    grads[0] = spec.unbatch(grads[0]);
                    return grads;
                });
    }

    /** The convolution {@code spec} describes, zero padded, of batched {@code x}; no autograd. */
    public static Tensor forward(ConvSpec spec, Tensor x, Tensor weight, Tensor bias) {
        return forward(spec, gatherIndex(spec, PaddingMode.ZEROS), x, weight, bias);
    }

    private static Tensor forward(ConvSpec spec, int[][] gather, Tensor x, Tensor weight, Tensor bias) {
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int cg = weight.size(1);
        int inVol = (int) (x.numel() / Math.max(1, (long) n * c));
        int kVol = gather.length == 0 ? 0 : gather[0].length;
        int outVol = gather.length;
        int og = o / spec.groups();
        double[] xs = x.contiguous().toDoubleArray();
        double[] ws = weight.contiguous().toDoubleArray();
        double[] bs = bias == null ? null : bias.toDoubleArray();
        double[] res = new double[n * o * outVol];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int p = 0; p < outVol; p++) {
                    double acc = bs == null ? 0 : bs[oc];
                    int[] gp = gather[p];
                    for (int ic = 0; ic < cg; ic++) {
                        int xBase = (b * c + g * cg + ic) * inVol;
                        int wBase = (oc * cg + ic) * kVol;
                        for (int q = 0; q < kVol; q++) {
                            if (gp[q] >= 0) acc += ws[wBase + q] * xs[xBase + gp[q]];
                        }
                    }
                    res[(b * o + oc) * outVol + p] = acc;
                }
            }
        }
        return Values.tensor(res, x.dtype(), spec.output().toArray());
    }

    /**
     * For each output position (row-major over the output's spatial dims) and kernel position, the
     * flat spatial index of the input element it reads, or -1 where it reads zero padding.
     */
    public static int[][] gatherIndex(ConvSpec spec, PaddingMode mode) {
        int[] in = ConvSpec.spatial(spec.input());
        int[] k = ConvSpec.spatial(spec.weight());
        int[] out = ConvSpec.spatial(spec.output());
        int[] stride = spec.stride();
        int[] padBefore = spec.padBefore();
        int[] dilation = spec.dilation();
        PadMode pad = mode.padMode();
        int dims = in.length;
        int kVol = Values.volume(k);
        int outVol = Values.volume(out);
        int[][] gather = new int[outVol][kVol];
        int[] op = new int[dims];
        int[] kp = new int[dims];
        for (int p = 0; p < outVol; p++) {
            Values.unravel(p, out, op);
            for (int q = 0; q < kVol; q++) {
                Values.unravel(q, k, kp);
                int idx = 0;
                for (int d = 0; d < dims && idx >= 0; d++) {
                    int pos = pad.source(op[d] * stride[d] - padBefore[d] + kp[d] * dilation[d], in[d]);
                    idx = pos < 0 ? -1 : idx * in[d] + pos;
                }
                gather[p][q] = idx;
            }
        }
        return gather;
    }
}
