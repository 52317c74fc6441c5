package org.convinit.nn.functional.internal.reference;

import org.convinit.nn.functional.internal.ConvParams;
import org.convinit.nn.functional.internal.ConvSpec;
import org.convinit.tensor.Tensor;

/**
 * Transposed convolution read literally from its definition (the adjoint of {@link ReferenceConv}):
 * every input element scatters its kernel into the output,
 *
 * <pre>
 * out[n, g·Cout/G + co, i·stride - padding + k·dilation] += x[n, g·Cin/G + ci, i] · w[g·Cin/G + ci, co, k]
 * </pre>
 *
 * summed in double over every input position {@code i} and kernel position {@code k}, plus bias;
 * contributions landing outside {@code [0, out)} are dropped. Any number of spatial dims. The
 * oracle of the fast path and its fallback for other dtypes and empty tensors.
 */
public final class ReferenceConvTranspose {
    private ReferenceConvTranspose() {}

    /** Batched or unbatched {@code input}, weight {@code [Cin, Cout/G, *K]}; arguments checked by {@link ConvSpec}. */
    public static Tensor convTranspose(int dims, Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding,
                                       int[] outputPadding, int[] dilation, int groups) {
        ConvSpec spec = ConvParams.function(dims, true, stride, padding, padding, null, outputPadding, dilation, groups)
                .bind(input, weight, bias, false);
        return spec.unbatch(forward(spec, spec.batch(input), weight, bias));
    }

    /** The transposed convolution {@code spec} describes of batched {@code x}; no autograd. */
    public static Tensor forward(ConvSpec spec, Tensor x, Tensor weight, Tensor bias) {
        int[] stride = spec.stride();
        int[] padding = spec.padBefore();
        int[] dilation = spec.dilation();
        int[] in = ConvSpec.spatial(spec.input());
        int[] k = ConvSpec.spatial(spec.weight());
        int[] out = ConvSpec.spatial(spec.output());
        int dims = in.length;
        int n = x.size(0);
        int cin = x.size(1);
        int cinG = cin / spec.groups();
        int coutG = weight.size(1);
        int cout = coutG * spec.groups();
        int inVol = Values.volume(in);
        int kVol = Values.volume(k);
        int outVol = Values.volume(out);
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
                    Values.unravel(i, in, ip);
                    double xv = xs[(b * cin + c) * inVol + i];
                    for (int q = 0; q < kVol; q++) {
                        Values.unravel(q, k, kp);
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
        return Values.tensor(res, x.dtype(), spec.output().toArray());
    }
}
