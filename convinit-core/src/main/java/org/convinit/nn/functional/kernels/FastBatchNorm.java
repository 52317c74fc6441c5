package org.convinit.nn.functional.kernels;

import org.convinit.autograd.ActivationBuffers;
import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradBuffers;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Batch norm over a float32 {@code [N, C, *]} input on its own storage, channel by channel (each
 * channel's {@code N·inner} values stay in cache through the passes): forward in two passes
 * (mean and squared deviations in one read, {@link FloatLayerKernel#meanAndSquares}, then normalize); backward in two (the sums
 * {@code Σ dy} and {@code Σ dy·(x - mean)}, then {@code dx}); each sum is one kernel call per channel
 * over its {@code N} runs. A following ReLU can ride along (the normalize pass clamps, the backward
 * passes mask {@code dy}; {@code nn.Sequential} uses it). Arguments are checked by the caller; the
 * formulas are those of {@code F.batchNorm}.
 */
public final class FastBatchNorm {
    private FastBatchNorm() {}

    /** Per-channel statistics a forward saves for its backward. */
    private static final class Stats {
        final double[] mean;
        final double[] invStd;

        Stats(int c) {
            mean = new double[c];
            invStd = new double[c];
        }
    }

    public static Tensor batchNorm(FloatLayerKernel k, Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean useBatch, boolean training, double momentum, double eps) {
        return batchNorm(k, input, runningMean, runningVar, weight, bias, useBatch, training, momentum, eps, false);
    }

    /**
     * With {@code relu}: {@code relu(batchNorm(...))} in the same passes and one autograd node (named as ReLU's, the
     * output's {@code grad_fn} in torch), the same bits as the two ops: the normalize pass clamps, and the backward takes
     * {@code dy = y > 0 ? gy : 0} inside its two passes instead of a ReLU backward pass of its own.
     */
    public static Tensor batchNorm(FloatLayerKernel k, Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias,
                                   boolean useBatch, boolean training, double momentum, double eps, boolean relu) {
        int n = input.size(0);
        int c = input.size(1);
        int inner = (int) (input.numel() / Math.max(1, (long) n * c));
        long count = (long) n * inner;
        Tensor x = input.detach().contiguous();
        float[] xa = x.storage().floats();
        int xo = x.storageOffset();
        int[] shape = input.shape().toArray();
        Tensor y = ActivationBuffers.empty(DType.FLOAT32, shape); // every element written
        float[] ya = y.storage().floats();
        float[] w = weight == null ? null : weight.toFloatArray();
        float[] b = bias == null ? null : bias.toFloatArray();
        Stats st = new Stats(c);
        double[] var = useBatch ? new double[c] : runningVar.toDoubleArray();
        if (!useBatch) System.arraycopy(runningMean.toDoubleArray(), 0, st.mean, 0, c);
        LayerKernels.forEach(c, input.numel(), ch -> {
            if (useBatch) {
                double[] mm2 = new double[2];
                k.meanAndSquares(xa, xo + ch * inner, c * inner, n, inner, mm2);
                st.mean[ch] = mm2[0];
                var[ch] = mm2[1] / count;
            }
            double is = 1 / Math.sqrt(var[ch] + eps);
            st.invStd[ch] = is;
            float scale = (float) (w == null ? is : w[ch] * is);
            float shift = b == null ? 0 : b[ch];
            for (int i = 0; i < n; i++) {
                int base = (i * c + ch) * inner;
                k.normalize(xa, xo + base, (float) st.mean[ch], scale, shift, relu, ya, base, inner);
            }
        });
        if (training && useBatch) {
            if (runningMean != null) updateRunning(runningMean, st.mean, momentum, 1);
            if (runningVar != null) updateRunning(runningVar, var, momentum, count / (double) (count - 1));
        }
        float[] mask = relu ? ya : null;
        Tensor[] saved = weight == null ? new Tensor[] {input} : new Tensor[] {input, weight};
        if (relu) {
            saved = java.util.Arrays.copyOf(saved, saved.length + 1);
            saved[saved.length - 1] = y;
        }
        return Autograd.record(y, relu ? "ReluBackward0" : "NativeBatchNormBackward0", new Tensor[] {input, weight, bias}, saved, g -> {
            Dense gy = Dense.of(g);
            float[] ga = gy.a;
            int go = gy.off;
            Tensor gx = input.requiresGrad() ? GradBuffers.empty(DType.FLOAT32, shape) : null; // every element written
            float[] gxa = gx == null ? null : gx.storage().floats();
            double[] sumDy = new double[c];
            double[] sumDyXhat = new double[c];
            LayerKernels.forEach(c, input.numel(), ch -> {
                double m = st.mean[ch];
                float mf = (float) m;
                double[] acc = new double[2];
                int base0 = ch * inner;
                k.gradSums(ga, go + base0, mask, base0, xa, xo + base0, c * inner, n, mf, inner, acc);
                double is = st.invStd[ch];
                sumDy[ch] = acc[0];
                sumDyXhat[ch] = (acc[1] + (mf - m) * acc[0]) * is; // Σ dy·(x - m) from Σ dy·(x - mf)
                if (gxa == null) return;
                double s = (w == null ? 1 : w[ch]) * is;
                for (int i = 0; i < n; i++) {
                    int base = (i * c + ch) * inner;
                    if (useBatch) {
                        k.normBackward(ga, go + base, mask, base, xa, xo + base, mf, (float) (sumDy[ch] / count), (float) s,
                                (float) (s * is * sumDyXhat[ch] / count), gxa, base, inner);
                    } else {
                        k.scale(ga, go + base, mask, base, (float) s, gxa, base, inner);
                    }
                }
            });
            return new Tensor[] {gx, weight == null ? null : Tensor.of(sumDyXhat, c).to(weight.dtype()),
                    bias == null ? null : Tensor.of(sumDy, c).to(bias.dtype())};
        });
    }

    /** {@code running = momentum·stat·factor + (1 - momentum)·running}, in place (factor n/(n-1) makes a variance unbiased). */
    public static void updateRunning(Tensor running, double[] stat, double momentum, double factor) {
        int[] offs = running.elementOffsets();
        for (int i = 0; i < offs.length; i++) {
            double r = running.storage().getDouble(offs[i]);
            running.storage().setDouble(offs[i], momentum * stat[i] * factor + (1 - momentum) * r);
        }
    }
}
