package org.convinit.nn.functional.internal;

import org.convinit.tensor.Tensor;

/**
 * Transposed convolution read literally from its definition, the oracle for the fast path:
 *
 * <pre>
 * out[n, g·Cout/G + co, i·stride - padding + k·dilation] += x[n, g·Cin/G + ci, i] · w[g·Cin/G + ci, co, k]
 * </pre>
 *
 * summed in double over every input position {@code i} and kernel position {@code k}, plus bias;
 * contributions landing outside {@code [0, out)} are dropped. Any number of spatial dims.
 */
public final class ReferenceConvTranspose {
    private ReferenceConvTranspose() {}

    /** Batched input {@code [N, Cin, *S]}, weight {@code [Cin, Cout/G, *K]}; {@code outShape} from {@link ConvChecks}. */
    public static Tensor convTranspose(Tensor x, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] dilation,
                                       int groups, int[] outShape) {
        int dims = weight.dim() - 2;
        int n = x.size(0);
        int cin = x.size(1);
        int cinG = cin / groups;
        int coutG = weight.size(1);
        int cout = coutG * groups;
        int[] in = new int[dims];
        int[] k = new int[dims];
        int[] out = new int[dims];
        int inVol = 1, kVol = 1, outVol = 1;
        for (int d = 0; d < dims; d++) {
            in[d] = x.size(2 + d);
            k[d] = weight.size(2 + d);
            out[d] = outShape[2 + d];
            inVol *= in[d];
            kVol *= k[d];
            outVol *= out[d];
        }
        double[] xs = x.contiguous().toDoubleArray();
        double[] ws = weight.contiguous().toDoubleArray();
        double[] res = new double[n * cout * outVol];
        if (bias != null) {
            double[] bs = bias.toDoubleArray();
            for (int i = 0; i < n * cout; i++) java.util.Arrays.fill(res, i * outVol, (i + 1) * outVol, bs[i % cout]);
        }
        int[] ip = new int[dims];
        int[] kp = new int[dims];
        for (int b = 0; b < n; b++) {
            for (int c = 0; c < cin; c++) {
                int g = c / cinG;
                for (int i = 0; i < inVol; i++) {
                    unravel(i, in, ip);
                    double xv = xs[(b * cin + c) * inVol + i];
                    for (int q = 0; q < kVol; q++) {
                        unravel(q, k, kp);
                        int pos = 0;
                        for (int d = 0; d < dims && pos >= 0; d++) {
                            int o = ip[d] * stride[d] - padding[d] + kp[d] * dilation[d];
                            pos = o < 0 || o >= out[d] ? -1 : pos * out[d] + o;
                        }
                        if (pos < 0) continue;
                        for (int co = 0; co < coutG; co++) {
                            res[(b * cout + g * coutG + co) * outVol + pos] += xv * ws[(c * coutG + co) * kVol + q];
                        }
                    }
                }
            }
        }
        Tensor result = Tensor.empty(x.dtype(), outShape);
        for (int i = 0; i < res.length; i++) result.storage().setDouble(i, res[i]);
        return result;
    }

    private static void unravel(int flat, int[] sizes, int[] out) {
        for (int d = sizes.length - 1; d >= 0; d--) {
            out[d] = flat % sizes[d];
            flat /= sizes[d];
        }
    }
}
