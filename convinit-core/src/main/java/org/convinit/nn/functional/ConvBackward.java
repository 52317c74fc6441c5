package org.convinit.nn.functional;

import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * The derivatives of the reference convolution ({@link Conv#convNd}), read from the same gather
 * table as the forward: for every output position p, kernel position q and channel pair,
 *
 * <pre>
 * out[n, o, p] += w[o, c, q] · x[n, c', gather[p][q]]
 *   ⇒  dx[n, c', gather[p][q]] += w[o, c, q] · dout[n, o, p]
 *      dw[o, c, q]            += x[n, c', gather[p][q]] · dout[n, o, p]
 *      db[o]                  += dout[n, o, p]
 * </pre>
 *
 * Positions that read padding contribute nothing; positions mapped by reflect/replicate/circular
 * padding accumulate into the input element they read. Accumulates in double.
 */
final class ConvBackward {
    private ConvBackward() {}

    /** {gradInput, gradWeight, gradBias (null without bias)} for batched {@code x} [N, C, *S]. */
    static Tensor[] grads(Tensor x, Tensor weight, boolean hasBias, Tensor gradOut, int[][] gather, int groups) {
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int cg = weight.size(1);
        int og = o / groups;
        int inVol = (int) (x.numel() / ((long) n * c));
        int kVol = (int) (weight.numel() / ((long) o * cg));
        int outVol = gather.length;
        double[] xs = x.detach().contiguous().toDoubleArray();
        double[] ws = weight.detach().contiguous().toDoubleArray();
        double[] gy = gradOut.contiguous().toDoubleArray();
        double[] gx = new double[xs.length];
        double[] gw = new double[ws.length];
        double[] gb = new double[o];
        for (int b = 0; b < n; b++) {
            for (int oc = 0; oc < o; oc++) {
                int g = oc / og;
                for (int p = 0; p < outVol; p++) {
                    double d = gy[(b * o + oc) * outVol + p];
                    if (d == 0) continue;
                    gb[oc] += d;
                    int[] gp = gather[p];
                    for (int ic = 0; ic < cg; ic++) {
                        int xBase = (b * c + g * cg + ic) * inVol;
                        int wBase = (oc * cg + ic) * kVol;
                        for (int q = 0; q < kVol; q++) {
                            int idx = gp[q];
                            if (idx < 0) continue;
                            gx[xBase + idx] += ws[wBase + q] * d;
                            gw[wBase + q] += xs[xBase + idx] * d;
                        }
                    }
                }
            }
        }
        Tensor gradX = Tensor.of(gx, x.shape().toArray()).to(x.dtype());
        Tensor gradW = Tensor.of(gw, weight.shape().toArray()).to(weight.dtype());
        Tensor gradB = hasBias ? Tensor.of(gb, Shape.of(o).toArray()).to(weight.dtype()) : null;
        return new Tensor[] {gradX, gradW, gradB};
    }

    /**
     * The same gradients as {@link #grads}, computed as GEMMs over an im2col table per sample and group
     * ({@code dW += dY · colᵀ}, {@code dcol = Wᵀ · dY}, then col2im into dX), in the tensor's dtype,
     * split over the available cores by sample. Checked against {@link #grads}.
     */
    static Tensor[] gradsGemm(Tensor x, Tensor weight, boolean hasBias, Tensor gradOut, int[][] gather, int groups) {
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int cg = weight.size(1);
        int og = o / groups;
        int inVol = (int) (x.numel() / ((long) n * c));
        int kVol = (int) (weight.numel() / ((long) o * cg));
        int outVol = gather.length;
        int ck = cg * kVol;
        boolean f64 = x.dtype() == org.convinit.tensor.DType.FLOAT64;
        double[] xs = x.detach().contiguous().toDoubleArray();
        double[] ws = weight.detach().contiguous().toDoubleArray();
        double[] gy = gradOut.contiguous().toDoubleArray();
        double[] gx = new double[xs.length];
        int workers = Math.max(1, Math.min(n, Runtime.getRuntime().availableProcessors()));
        double[][] gwPart = new double[workers][ws.length];
        double[][] gbPart = new double[workers][o];
        java.util.stream.IntStream.range(0, workers).parallel().forEach(wk -> {
            double[] gw = gwPart[wk];
            double[] gb = gbPart[wk];
            double[] col = new double[ck * outVol];
            double[] dcol = new double[ck * outVol];
            for (int b = wk; b < n; b += workers) {
                for (int g = 0; g < groups; g++) {
                    int xBase = (b * c + g * cg) * inVol;
                    for (int ic = 0; ic < cg; ic++) {
                        for (int q = 0; q < kVol; q++) {
                            int row = (ic * kVol + q) * outVol;
                            for (int p = 0; p < outVol; p++) {
                                int idx = gather[p][q];
                                col[row + p] = idx < 0 ? 0 : xs[xBase + ic * inVol + idx];
                            }
                        }
                    }
                    java.util.Arrays.fill(dcol, 0);
                    for (int oc = 0; oc < og; oc++) {
                        int yRow = (b * o + g * og + oc) * outVol;
                        int wRow = (g * og + oc) * ck;
                        double bsum = 0;
                        for (int p = 0; p < outVol; p++) bsum += gy[yRow + p];
                        gb[g * og + oc] += bsum;
                        for (int r = 0; r < ck; r++) {
                            int cRow = r * outVol;
                            double dot = 0;
                            double wv = ws[wRow + r];
                            for (int p = 0; p < outVol; p++) {
                                double d = gy[yRow + p];
                                dot += d * col[cRow + p];
                                dcol[cRow + p] += wv * d;
                            }
                            gw[wRow + r] += dot;
                        }
                    }
                    for (int ic = 0; ic < cg; ic++) {
                        int xRow = xBase + ic * inVol;
                        for (int q = 0; q < kVol; q++) {
                            int row = (ic * kVol + q) * outVol;
                            for (int p = 0; p < outVol; p++) {
                                int idx = gather[p][q];
                                if (idx >= 0) gx[xRow + idx] += dcol[row + p];
                            }
                        }
                    }
                }
            }
        });
        double[] gw = gwPart[0];
        double[] gb = gbPart[0];
        for (int wk = 1; wk < workers; wk++) {
            for (int i = 0; i < gw.length; i++) gw[i] += gwPart[wk][i];
            for (int i = 0; i < o; i++) gb[i] += gbPart[wk][i];
        }
        Tensor gradX = Tensor.of(gx, x.shape().toArray());
        Tensor gradW = Tensor.of(gw, weight.shape().toArray());
        Tensor gradB = hasBias ? Tensor.of(gb, o) : null;
        if (!f64) {
            gradX = gradX.to(x.dtype());
            gradW = gradW.to(weight.dtype());
            if (gradB != null) gradB = gradB.to(weight.dtype());
        }
        return new Tensor[] {gradX, gradW, gradB};
    }

    /**
     * The same gradients on the fast kernels, for ungrouped convolutions with symmetric zero padding:
     * {@code dX = conv_transpose(dY, W)} with the output padding that restores X's size, and
     * {@code dW = conv(Xᵀ, dYᵀ)} with stride and dilation swapped (batch and channel dims exchanged),
     * cropped to the kernel size. Returns null when the case is not covered (the caller falls back to
     * {@link #gradsGemm}).
     */
    static Tensor[] gradsKernels(Tensor x, Tensor weight, boolean hasBias, Tensor gradOut, int[] stride, int[] padBefore,
                                 int[] padAfter, int[] dilation, int groups) {
        int dims = weight.dim() - 2;
        if (groups != 1 || !java.util.Arrays.equals(padBefore, padAfter)) return null;
        Tensor xd = x.detach().contiguous();
        Tensor wd = weight.detach().contiguous();
        Tensor gy = gradOut.detach().contiguous();
        int[] outputPadding = new int[dims];
        for (int d = 0; d < dims; d++) {
            int in = xd.size(2 + d);
            int out = gy.size(2 + d);
            int k = wd.size(2 + d);
            outputPadding[d] = in - ((out - 1) * stride[d] - 2 * padBefore[d] + dilation[d] * (k - 1) + 1);
            if (outputPadding[d] < 0 || (outputPadding[d] >= stride[d] && outputPadding[d] >= dilation[d])) return null;
        }
        Tensor gx = ConvKernels.convTranspose(gy, wd, null, stride, padBefore, outputPadding, dilation, 1);
        int[] perm = new int[dims + 2];
        for (int d = 0; d < perm.length; d++) perm[d] = d;
        perm[0] = 1;
        perm[1] = 0;
        Tensor xt = xd.permute(perm).contiguous();
        Tensor gt = gy.permute(perm).contiguous();
        Tensor gw = ConvKernels.conv(xt, gt, null, dilation, padBefore, padAfter, stride, 1);
        for (int d = 0; d < dims; d++) {
            if (gw.size(2 + d) != wd.size(2 + d)) gw = gw.narrow(2 + d, 0, wd.size(2 + d));
        }
        gw = gw.permute(perm).contiguous();
        Tensor gb = hasBias ? biasGrad(gy, weight.dtype()) : null;
        return new Tensor[] {gx, gw, gb};
    }

    /** The bias gradient of any convolution: {@code dY [N, O, *S]} summed over batch and positions, as {@code [O]}. */
    static Tensor biasGrad(Tensor gradOut, org.convinit.tensor.DType dtype) {
        int n = gradOut.size(0);
        int o = gradOut.size(1);
        int vol = (int) (gradOut.numel() / Math.max(1, (long) n * o));
        double[] v = gradOut.contiguous().toDoubleArray();
        double[] b = new double[o];
        for (int bi = 0; bi < n; bi++) {
            for (int c = 0; c < o; c++) {
                double acc = 0;
                int base = (bi * o + c) * vol;
                for (int q = 0; q < vol; q++) acc += v[base + q];
                b[c] += acc;
            }
        }
        return Tensor.of(b, o).to(dtype);
    }
}
