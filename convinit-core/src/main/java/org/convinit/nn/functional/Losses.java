package org.convinit.nn.functional;

import org.convinit.autograd.Autograd;
import org.convinit.nn.functional.kernels.FastSoftmax;
import org.convinit.nn.functional.kernels.FusedCrossEntropy;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * Softmax and the losses torch.nn.functional has, with their derivatives: {@code logSoftmax},
 * {@code softmax}, {@code nllLoss}, {@code crossEntropy} (class indices, {@code ignore_index},
 * {@code label_smoothing}) and {@code mseLoss}. Inputs are {@code [N, C]} logits with {@code [N]} int64
 * targets.
 */
public final class Losses {
    /** torch's {@code reduction} argument. */
    public enum Reduction { NONE, MEAN, SUM }

    /** torch's default {@code ignore_index}. */
    public static final int IGNORE_INDEX = -100;

    private Losses() {}

    /**
     * {@code log_softmax(x, dim)} = x - max - log Σ exp(x - max), computed stably.
     * Derivative: dx = g - softmax(x) · Σ g over dim.
     */
    public static Tensor logSoftmax(Tensor x, int dim) {
        checkFloat("log_softmax", x);
        int d = Shape.normalizeDim(dim, x.dim());
        if (x.dim() > 0) return FastSoftmax.logSoftmax(x, d);
        return logSoftmaxComposed(x, d);
    }

    /** {@link #logSoftmax} composed of tensor operations (the reference of the fused one). */
    static Tensor logSoftmaxComposed(Tensor x, int d) {
        Tensor xd = x.detach();
        Tensor shifted = xd.sub(xd.amax(d, true));
        Tensor out = shifted.sub(shifted.exp().sum(d, true).log());
        return Autograd.record(out, "LogSoftmaxBackward0", new Tensor[] {x}, new Tensor[] {out},
                g -> new Tensor[] {g.sub(out.detach().exp().mul(g.sum(d, true)))});
    }

    /** {@code softmax(x, dim)}; derivative dx = s · (g - Σ g·s). */
    public static Tensor softmax(Tensor x, int dim) {
        checkFloat("softmax", x);
        int d = Shape.normalizeDim(dim, x.dim());
        Tensor xd = x.detach();
        Tensor e = xd.sub(xd.amax(d, true)).exp();
        Tensor out = e.div(e.sum(d, true));
        return Autograd.record(out, "SoftmaxBackward0", new Tensor[] {x}, new Tensor[] {out}, g -> {
            Tensor s = out.detach();
            return new Tensor[] {s.mul(g.sub(g.mul(s).sum(d, true)))};
        });
    }

    /**
     * {@code nll_loss(logp, target)}: -logp[i, target[i]], averaged over the targets that are not
     * {@code ignoreIndex} (MEAN), summed (SUM) or per sample (NONE).
     */
    public static Tensor nllLoss(Tensor logp, Tensor target, Reduction reduction, int ignoreIndex) {
        checkFloat("nll_loss", logp);
        int[] t = checkTargets("nll_loss", logp, target, ignoreIndex);
        int n = logp.size(0);
        int c = logp.size(1);
        double[] lp = logp.detach().contiguous().toDoubleArray();
        int count = 0;
        double[] per = new double[n];
        for (int i = 0; i < n; i++) {
            if (t[i] == ignoreIndex) continue;
            per[i] = -lp[i * c + t[i]];
            count++;
        }
        Tensor out;
        if (reduction == Reduction.NONE) {
            out = Tensor.of(per, n).to(logp.dtype());
        } else {
            double sum = 0;
            for (double v : per) sum += v;
            out = Tensor.full(logp.dtype(), reduction == Reduction.MEAN ? sum / count : sum);
        }
        final int kept = count;
        return Autograd.record(out, "NllLossBackward0", new Tensor[] {logp}, new Tensor[0], g -> {
            double[] gg = g.to(DType.FLOAT64).contiguous().toDoubleArray();
            double[] grad = new double[n * c];
            for (int i = 0; i < n; i++) {
                if (t[i] == ignoreIndex) continue;
                double gi = reduction == Reduction.NONE ? gg[i] : reduction == Reduction.MEAN ? gg[0] / kept : gg[0];
                grad[i * c + t[i]] = -gi;
            }
            return new Tensor[] {Tensor.of(grad, n, c).to(logp.dtype())};
        });
    }

    /**
     * {@code cross_entropy(logits, target, ignore_index, reduction, label_smoothing)} with class-index
     * targets: per sample {@code (1-ε)·(-logp[y]) + (ε/C)·Σ_c(-logp[c])}; MEAN divides by the number of
     * targets that are not ignored.
     */
    public static Tensor crossEntropy(Tensor logits, Tensor target, Reduction reduction, int ignoreIndex, double labelSmoothing) {
        if (!(labelSmoothing >= 0 && labelSmoothing <= 1)) {
            throw new IllegalArgumentException("label_smoothing must be between 0.0 and 1.0. Got: " + labelSmoothing);
        }
        checkFloat("cross_entropy", logits);
        int[] t = checkTargets("cross_entropy", logits, target, ignoreIndex);
        return FusedCrossEntropy.crossEntropy(logits, t, reduction.ordinal(), ignoreIndex, labelSmoothing);
    }

    /** {@link #crossEntropy} composed of {@link #logSoftmax} and {@link #nllLoss} (the reference of the fused one). */
    static Tensor crossEntropyComposed(Tensor logits, Tensor target, Reduction reduction, int ignoreIndex, double labelSmoothing) {
        int[] t = checkTargets("cross_entropy", logits, target, ignoreIndex);
        Tensor logp = logSoftmaxComposed(logits, 1);
        Tensor nll = nllLoss(logp, target, reduction, ignoreIndex);
        if (labelSmoothing == 0) return nll;
        int n = logits.size(0);
        int c = logits.size(1);
        double[] keep = new double[n];
        int count = 0;
        for (int i = 0; i < n; i++) {
            if (t[i] != ignoreIndex) {
                keep[i] = 1;
                count++;
            }
        }
        Tensor mask = Tensor.of(keep, n, 1).to(logits.dtype());
        Tensor smooth = logp.mul(mask).sum(1, false).neg().div(c); // per sample: -(1/C) Σ_c logp
        Tensor smoothed;
        if (reduction == Reduction.NONE) smoothed = smooth;
        else if (reduction == Reduction.SUM) smoothed = smooth.sum();
        else smoothed = smooth.sum().div(count);
        return nll.mul(1 - labelSmoothing).add(smoothed.mul(labelSmoothing));
    }

    /** {@code cross_entropy(logits, target)} with torch's defaults (mean, ignore_index=-100, no smoothing). */
    public static Tensor crossEntropy(Tensor logits, Tensor target) {
        return crossEntropy(logits, target, Reduction.MEAN, IGNORE_INDEX, 0);
    }

    /** {@code mse_loss(input, target, reduction)} = (input - target)²; shapes must match, as torch warns otherwise. */
    public static Tensor mseLoss(Tensor input, Tensor target, Reduction reduction) {
        if (!input.shape().equals(target.shape())) {
            throw new IllegalArgumentException("mse_loss: input of shape " + input.shape() + " and target of shape "
                    + target.shape() + " differ; expected the same shape (broadcasting here is usually a bug)");
        }
        Tensor sq = input.sub(target).pow(2);
        switch (reduction) {
            case NONE: return sq;
            case SUM: return sq.sum();
            default: return sq.mean();
        }
    }

    private static void checkFloat(String op, Tensor x) {
        if (!x.dtype().isCompute()) {
            throw new IllegalArgumentException(op + ": input dtype " + x.dtype() + ", expected float32 or float64");
        }
    }

    private static int[] checkTargets(String op, Tensor input, Tensor target, int ignoreIndex) {
        if (input.dim() != 2) {
            throw new IllegalArgumentException(op + ": input of shape " + input.shape() + ", expected [N, C]");
        }
        if (target.dim() != 1 || target.size(0) != input.size(0)) {
            throw new IllegalArgumentException(op + ": target of shape " + target.shape() + " for input of shape "
                    + input.shape() + ", expected [" + input.size(0) + "]");
        }
        if (target.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException(op + ": target dtype " + target.dtype() + ", expected class indices (int64)");
        }
        long[] raw = target.toLongArray();
        int[] t = new int[raw.length];
        int c = input.size(1);
        for (int i = 0; i < raw.length; i++) {
            if (raw[i] != ignoreIndex && (raw[i] < 0 || raw[i] >= c)) {
                throw new IllegalArgumentException(op + ": target " + raw[i] + " at position " + i + " is out of bounds; "
                        + "expected a class index in [0, " + c + ") or ignore_index " + ignoreIndex);
            }
            t[i] = (int) raw[i];
        }
        return t;
    }
}
