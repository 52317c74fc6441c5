package org.convinit.nn.functional.internal.reference;

import org.convinit.tensor.Tensor;

/**
 * The derivatives of the reference convolution ({@link ReferenceConv}), read from the same gather
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
public final class ReferenceConvBackward {
    private ReferenceConvBackward() {}

    /**
     * {gradInput, gradWeight, gradBias (null without bias)} for batched {@code x} [N, C, *S], with
     * {@code gather} from {@link ReferenceConv#gatherIndex}.
     */
    public static Tensor[] grads(Tensor x, Tensor weight, boolean hasBias, Tensor gradOut, int[][] gather, int groups) {
        int n = x.size(0);
        int c = x.size(1);
        int o = weight.size(0);
        int cg = weight.size(1);
        int og = o / groups;
        int inVol = (int) (x.numel() / Math.max(1, (long) n * c));
        int kVol = (int) (weight.numel() / Math.max(1, (long) o * cg));
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
        Tensor gradX = Values.tensor(gx, x.dtype(), x.shape().toArray());
        Tensor gradW = Values.tensor(gw, weight.dtype(), weight.shape().toArray());
        Tensor gradB = hasBias ? Values.tensor(gb, weight.dtype(), o) : null;
        return new Tensor[] {gradX, gradW, gradB};
    }
}
