package org.convinit.nn;

import org.convinit.tensor.Tensor;

/** Shared normalisation step of LayerNorm and GroupNorm, in double. */
final class Norm {
    private Norm() {}

    /**
     * Registers the affine {@code weight} and {@code bias} of a normalization layer on {@code m} (or
     * "no parameter" for both when not affine), in torch's order; returns {weight, bias}.
     */
    static Parameter[] registerAffine(Module m, boolean affine, org.convinit.tensor.DType dtype, int... shape) {
        Parameter w = affine ? new Parameter(Tensor.empty(dtype, shape)) : null;
        Parameter b = affine ? new Parameter(Tensor.empty(dtype, shape)) : null;
        return new Parameter[] {m.registerParameter("weight", w), m.registerParameter("bias", b)};
    }

    /** torch's {@code reset_parameters} of the norms: {@code ones_(weight)}, {@code zeros_(bias)}. */
    static void resetAffine(Parameter weight, Parameter bias) {
        if (weight != null) {
            org.convinit.init.Init.ones(weight);
            org.convinit.init.Init.zeros(bias);
        }
    }

    /** {@code {mean, 1/√(biased var + eps)}} of {@code x[s, s+n)}. */
    private static double[] stats(double[] x, int s, int n, double eps) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[s + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (x[s + i] - mean) * (x[s + i] - mean);
        var /= n;
        return new double[] {mean, 1 / Math.sqrt(var + eps)};
    }

    /** {@code y[s, s+n) = (x − mean) / √(biased var + eps)} over {@code x[s, s+n)}. */
    static void normalize(double[] x, double[] y, int s, int n, double eps) {
        double[] st = stats(x, s, n, eps);
        double mean = st[0];
        double inv = st[1];
        for (int i = 0; i < n; i++) y[s + i] = (x[s + i] - mean) * inv;
    }

    /**
     * The derivative of {@link #normalize} over {@code x[s, s+n)}: with x̂ the normalized input and
     * {@code dxhat} the gradient with respect to x̂,
     * {@code dx = (dxhat − mean(dxhat) − x̂·mean(dxhat·x̂)) / √(var + eps)}.
     */
    static void backward(double[] x, double[] dxhat, double[] dx, int s, int n, double eps) {
        double[] st = stats(x, s, n, eps);
        double mean = st[0];
        double inv = st[1];
        double m1 = 0;
        double m2 = 0;
        for (int i = 0; i < n; i++) {
            m1 += dxhat[s + i];
            m2 += dxhat[s + i] * (x[s + i] - mean) * inv;
        }
        m1 /= n;
        m2 /= n;
        for (int i = 0; i < n; i++) dx[s + i] = inv * (dxhat[s + i] - m1 - (x[s + i] - mean) * inv * m2);
    }

    /**
     * Records the derivative of an affine normalization: segments of {@code segment} elements are
     * normalized; element {@code j} is scaled by {@code weight[channel.applyAsInt(j)]}.
     */
    static Tensor record(Tensor out, String name, Tensor input, Tensor weight, Tensor bias, double[] x, int segment, double eps,
                         java.util.function.IntUnaryOperator channel) {
        return org.convinit.autograd.Autograd.record(out, name, new Tensor[] {input, weight, bias}, new Tensor[] {input}, g -> {
            double[] gy = g.contiguous().toDoubleArray();
            double[] xhat = new double[x.length];
            double[] dxhat = new double[x.length];
            double[] dx = new double[x.length];
            double[] w = weight == null ? null : weight.detach().toDoubleArray();
            double[] dw = weight == null ? null : new double[w.length];
            double[] db = bias == null ? null : new double[w.length];
            for (int s = 0; segment > 0 && s < x.length; s += segment) normalize(x, xhat, s, segment, eps);
            for (int j = 0; j < x.length; j++) {
                if (w == null) {
                    dxhat[j] = gy[j];
                    continue;
                }
                int c = channel.applyAsInt(j);
                dxhat[j] = gy[j] * w[c];
                dw[c] += gy[j] * xhat[j];
                db[c] += gy[j];
            }
            for (int s = 0; segment > 0 && s < x.length; s += segment) backward(x, dxhat, dx, s, segment, eps);
            Tensor gx = Tensor.of(dx, input.shape().toArray()).to(input.dtype());
            Tensor gw = w == null ? null : Tensor.of(dw, weight.shape().toArray()).to(weight.dtype());
            Tensor gb = db == null ? null : Tensor.of(db, bias.shape().toArray()).to(bias.dtype());
            return new Tensor[] {gx, gw, gb};
        });
    }
}
