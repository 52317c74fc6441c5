package org.convinit.nn.functional;

import org.convinit.autograd.Autograd;
import org.convinit.nn.functional.kernels.FastBatchNorm;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * {@code F.batch_norm} over {@code [N, C, *]}: per channel {@code c},
 * {@code y = (x - mean_c) / √(var_c + eps) · weight_c + bias_c}. In training (or without running
 * statistics) mean and biased variance come from the batch, and the running statistics, when given,
 * move by {@code running = (1 - momentum)·running + momentum·stat} with the unbiased variance
 * {@code var·n/(n-1)}; otherwise the running statistics are used. Float32 runs {@link FastBatchNorm};
 * {@link #reference} is the literal computation in double (float64 runs it).
 */
final class Normalization {
    private Normalization() {}

    static Tensor batchNorm(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean training,
                            double momentum, double eps) {
        String op = "batch_norm";
        Data.requireFloating(op, "input", input);
        if (input.dim() < 2) {
            throw new IllegalArgumentException(op + ": expected an input of at least 2 dims [N, C, *], but got input of size "
                    + input.shape());
        }
        int n = input.size(0);
        int c = input.size(1);
        checkVector(op, "running_mean", runningMean, c);
        checkVector(op, "running_var", runningVar, c);
        checkVector(op, "weight", weight, c);
        checkVector(op, "bias", bias, c);
        int inner = (int) (input.numel() / Math.max(1, (long) n * c));
        long count = (long) n * inner;
        boolean useBatch = training || runningMean == null || runningVar == null;
        if (training && count <= 1) {
            throw new IllegalArgumentException("Expected more than 1 value per channel when training, got input size "
                    + input.shape());
        }
        if (input.dtype() == DType.FLOAT32 && count > 0) {
            return FastBatchNorm.batchNorm(LayerKernels.floats(), input, runningMean, runningVar, weight, bias, useBatch, training,
                    momentum, eps);
        }
        return reference(input, runningMean, runningVar, weight, bias, useBatch, training, momentum, eps);
    }

    /** The batch norm read literally from its formula, in double; arguments already checked. */
    static Tensor reference(Tensor input, Tensor runningMean, Tensor runningVar, Tensor weight, Tensor bias, boolean useBatch,
                            boolean training, double momentum, double eps) {
        int n = input.size(0);
        int c = input.size(1);
        int inner = (int) (input.numel() / Math.max(1, (long) n * c));
        long count = (long) n * inner;
        double[] xs = Data.read(input);
        double[] mean = new double[c];
        double[] var = new double[c];
        if (useBatch) {
            for (int ch = 0; ch < c; ch++) {
                double s = 0;
                for (int b = 0; b < n; b++) {
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) s += xs[base + i];
                }
                double m = s / count;
                double sq = 0;
                for (int b = 0; b < n; b++) {
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        double dv = xs[base + i] - m;
                        sq += dv * dv;
                    }
                }
                mean[ch] = m;
                var[ch] = sq / count;
            }
            if (training && runningMean != null) FastBatchNorm.updateRunning(runningMean, mean, momentum, 1);
            if (training && runningVar != null) FastBatchNorm.updateRunning(runningVar, var, momentum, count / (double) (count - 1));
        } else {
            mean = runningMean.toDoubleArray();
            var = runningVar.toDoubleArray();
        }
        double[] w = weight == null ? null : weight.toDoubleArray();
        double[] bs = bias == null ? null : bias.toDoubleArray();
        double[] res = new double[xs.length];
        double[] invStd = new double[c];
        for (int ch = 0; ch < c; ch++) invStd[ch] = 1 / Math.sqrt(var[ch] + eps);
        for (int b = 0; b < n; b++) {
            for (int ch = 0; ch < c; ch++) {
                double scale = w == null ? invStd[ch] : w[ch] * invStd[ch];
                double shift = bs == null ? 0 : bs[ch];
                int base = (b * c + ch) * inner;
                for (int i = 0; i < inner; i++) res[base + i] = (xs[base + i] - mean[ch]) * scale + shift;
            }
        }
        Tensor y = Data.tensor(res, input.dtype(), input.shape().toArray());
        double[] mu = mean;
        // with x̂ = (x - mean)·invstd: dw = Σ dy·x̂, db = Σ dy, and dx = w·invstd·dy with running statistics, or
        // w·invstd/m · (m·dy - Σ dy - x̂·Σ dy·x̂) with batch statistics (m values per channel)
        return Autograd.record(y, "NativeBatchNormBackward0", new Tensor[] {input, weight, bias},
                weight == null ? new Tensor[] {input} : new Tensor[] {input, weight}, g -> {
            double[] gy = Data.read(g);
            double[] sumDy = new double[c];
            double[] sumDyXhat = new double[c];
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        sumDy[ch] += gy[base + i];
                        sumDyXhat[ch] += gy[base + i] * (xs[base + i] - mu[ch]) * invStd[ch];
                    }
                }
            }
            double[] gx = new double[xs.length];
            for (int b = 0; b < n; b++) {
                for (int ch = 0; ch < c; ch++) {
                    double scale = (w == null ? 1 : w[ch]) * invStd[ch];
                    int base = (b * c + ch) * inner;
                    for (int i = 0; i < inner; i++) {
                        if (useBatch) {
                            double xhat = (xs[base + i] - mu[ch]) * invStd[ch];
                            gx[base + i] = scale / count * (count * gy[base + i] - sumDy[ch] - xhat * sumDyXhat[ch]);
                        } else {
                            gx[base + i] = scale * gy[base + i];
                        }
                    }
                }
            }
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray()),
                    weight == null ? null : Data.tensor(sumDyXhat, weight.dtype(), c),
                    bias == null ? null : Data.tensor(sumDy, bias.dtype(), c)};
        });
    }

    private static void checkVector(String op, String name, Tensor t, int c) {
        if (t != null && (t.dim() != 1 || t.size(0) != c)) {
            throw new IllegalArgumentException(op + ": " + name + " should contain " + c + " elements (one per channel of the "
                    + "input), but got " + name + " of size " + t.shape());
        }
    }
}
