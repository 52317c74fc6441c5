package org.convinit.nn.functional;

import org.convinit.tensor.Tensor;

/**
 * Transposed convolution read literally from its definition (the adjoint of {@link Conv}): every
 * input element scatters its kernel into the output,
 *
 * <pre>
 * out[n, g·O/G + o, i·stride - padding + k·dilation] += x[n, g·C/G + c, i] · w[g·C/G + c, o, k]
 * </pre>
 *
 * for every input position {@code i} and kernel position {@code k} that land inside the output, then
 * {@code + bias[o]}. Weight {@code [C, O/groups, *K]}; output size per spatial dim
 * {@code (in - 1)·stride - 2·padding + dilation·(k - 1) + output_padding + 1}. Accumulates in double.
 * This is the obviously-correct reference; the caller ({@link F}) has already checked the arguments.
 */
public final class ConvTranspose {
    private ConvTranspose() {}

    /** Output spatial size of a transposed convolution along one dim. */
    public static long outputSize(int in, int k, int stride, int padding, int outputPadding, int dilation) {
        return (long) (in - 1) * stride - 2L * padding + (long) dilation * (k - 1) + outputPadding + 1;
    }

    /**
     * Batched transposed convolution {@code [N, C, *S] x [C, O/groups, *K] -> [N, O, *S']} with
     * arguments already validated and expanded to one value per spatial dim.
     */
    public static Tensor convTranspose(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                       int[] outputPadding, int[] dilation, int groups) {
        int dims = weight.dim() - 2;
        int n = input.size(0);
        int c = input.size(1);
        int cg = c / groups;
        int og = weight.size(1);
        int o = og * groups;
        int[] in = new int[dims];
        int[] k = new int[dims];
        int[] out = new int[dims];
        for (int d = 0; d < dims; d++) {
            in[d] = input.size(2 + d);
            k[d] = weight.size(2 + d);
            out[d] = (int) outputSize(in[d], k[d], stride[d], padding[d], outputPadding[d], dilation[d]);
        }
        int inVol = (int) Data.prod(in);
        int kVol = (int) Data.prod(k);
        int outVol = (int) Data.prod(out);
        // output offset of each (input position, kernel position), or -1 when it falls outside
        int[][] scatter = new int[inVol][kVol];
        int[] ip = new int[dims];
        int[] kp = new int[dims];
        for (int p = 0; p < inVol; p++) {
            Data.unravel(p, in, ip);
            for (int q = 0; q < kVol; q++) {
                Data.unravel(q, k, kp);
                int idx = 0;
                for (int d = 0; d < dims; d++) {
                    int pos = ip[d] * stride[d] - padding[d] + kp[d] * dilation[d];
                    if (pos < 0 || pos >= out[d]) {
                        idx = -1;
                        break;
                    }
                    idx = idx * out[d] + pos;
                }
                scatter[p][q] = idx;
            }
        }
        double[] xs = Data.read(input);
        double[] ws = Data.read(weight);
        double[] bs = bias == null ? null : bias.toDoubleArray();
        double[] res = new double[n * o * outVol];
        for (int b = 0; b < n; b++) {
            for (int ic = 0; ic < c; ic++) {
                int g = ic / cg;
                int xBase = (b * c + ic) * inVol;
                for (int oc = 0; oc < og; oc++) {
                    int wBase = (ic * og + oc) * kVol;
                    int outBase = (b * o + g * og + oc) * outVol;
                    for (int p = 0; p < inVol; p++) {
                        double xv = xs[xBase + p];
                        int[] sp = scatter[p];
                        for (int q = 0; q < kVol; q++) {
                            if (sp[q] >= 0) res[outBase + sp[q]] += xv * ws[wBase + q];
                        }
                    }
                }
            }
        }
        if (bs != null) {
            for (int b = 0; b < n; b++) {
                for (int oc = 0; oc < o; oc++) {
                    int base = (b * o + oc) * outVol;
                    for (int p = 0; p < outVol; p++) res[base + p] += bs[oc];
                }
            }
        }
        int[] outShape = new int[dims + 2];
        outShape[0] = n;
        outShape[1] = o;
        System.arraycopy(out, 0, outShape, 2, dims);
        return Data.tensor(res, input.dtype(), outShape);
    }
}
