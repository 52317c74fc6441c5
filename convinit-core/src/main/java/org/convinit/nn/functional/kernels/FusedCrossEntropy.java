package org.convinit.nn.functional.kernels;

import org.convinit.autograd.Autograd;
import org.convinit.tensor.Tensor;

/**
 * {@code cross_entropy} of {@code [N, C]} logits with class indices as one operation, in double:
 * per kept sample {@code loss_i = -(1-ε)·logp[i, t_i] - (ε/C)·Σ_c logp[i, c]} with
 * {@code logp = z - max - log Σ exp(z - max)}; the backward is {@code dz = g_i·(softmax - (1-ε)·onehot(t_i) - ε/C)}
 * ({@code g_i} the output gradient, divided by the kept count for MEAN), 0 for ignored samples.
 */
public final class FusedCrossEntropy {
    private FusedCrossEntropy() {}

    /**
     * @param targets   class indices, already checked (each in {@code [0, C)} or {@code ignoreIndex})
     * @param reduction 0 none, 1 mean, 2 sum
     */
    public static Tensor crossEntropy(Tensor logits, int[] targets, int reduction, int ignoreIndex, double labelSmoothing) {
        int n = logits.size(0);
        int c = logits.size(1);
        double[] z = FastSoftmax.values(logits);
        double[] p = new double[n * c]; // softmax, for the backward
        double[] per = new double[n];
        int kept = 0;
        for (int i = 0; i < n; i++) {
            int row = i * c;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < c; j++) max = Math.max(max, z[row + j]);
            double se = 0;
            for (int j = 0; j < c; j++) {
                p[row + j] = Math.exp(z[row + j] - max);
                se += p[row + j];
            }
            double lse = max + Math.log(se);
            for (int j = 0; j < c; j++) p[row + j] /= se;
            if (targets[i] == ignoreIndex) continue;
            kept++;
            double sumLogp = 0;
            for (int j = 0; j < c; j++) sumLogp += z[row + j] - lse;
            double nll = -(z[row + targets[i]] - lse);
            per[i] = labelSmoothing == 0 ? nll : (1 - labelSmoothing) * nll - labelSmoothing / c * sumLogp;
        }
        Tensor out;
        if (reduction == 0) {
            out = Tensor.of(per, n).to(logits.dtype());
        } else {
            double sum = 0;
            for (double v : per) sum += v;
            out = Tensor.full(logits.dtype(), reduction == 1 ? sum / kept : sum);
        }
        int count = kept;
        return Autograd.record(out, "NllLossBackward0", new Tensor[] {logits}, new Tensor[0], g -> {
            double[] grad = gradient(FastSoftmax.values(g), p, targets, n, c, reduction, ignoreIndex, labelSmoothing, count);
            return new Tensor[] {Tensor.of(grad, n, c).to(logits.dtype())};
        });
    }

    /**
     * {@code dz} from the output gradient {@code gg} and the softmax {@code p}. A method of its own: its loop in the
     * backward lambda made C2 compile the lambda (and the tensor code it calls) twice on stack replacement.
     */
    private static double[] gradient(double[] gg, double[] p, int[] targets, int n, int c, int reduction, int ignoreIndex,
            double labelSmoothing, int count) {
        double[] grad = new double[n * c];
        for (int i = 0; i < n; i++) {
            if (targets[i] == ignoreIndex) continue;
            double gi = reduction == 0 ? gg[i] : reduction == 1 ? gg[0] / count : gg[0];
            int row = i * c;
            for (int j = 0; j < c; j++) grad[row + j] = gi * (p[row + j] - labelSmoothing / c);
            grad[row + targets[i]] -= gi * (1 - labelSmoothing);
        }
        return grad;
    }
}
