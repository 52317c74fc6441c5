package org.convinit.nn.functional.kernels;

import org.convinit.autograd.Autograd;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * {@code log_softmax} over one dim as one operation, in double and rounded once to the input's dtype:
 * per lane {@code y = z - max - log Σ exp(z - max)}; the backward is {@code dx = g - exp(y)·Σ g} over
 * the dim.
 */
public final class FastSoftmax {
    private FastSoftmax() {}

    /** {@code dim} already normalized; float32 or float64. */
    public static Tensor logSoftmax(Tensor x, int dim) {
        int[] shape = x.shape().toArray();
        int size = shape[dim];
        int inner = 1;
        for (int i = dim + 1; i < shape.length; i++) inner *= shape[i];
        double[] z = values(x);
        int lanes = size == 0 ? 0 : z.length / size;
        double[] y = new double[z.length];
        for (int lane = 0; lane < lanes; lane++) {
            int base = (lane / inner) * size * inner + lane % inner;
            double max = Double.NEGATIVE_INFINITY;
            for (int j = 0; j < size; j++) max = Math.max(max, z[base + j * inner]);
            double se = 0;
            for (int j = 0; j < size; j++) se += Math.exp(z[base + j * inner] - max);
            double lse = max + Math.log(se);
            for (int j = 0; j < size; j++) y[base + j * inner] = z[base + j * inner] - lse;
        }
        int in = inner;
        Tensor out = Tensor.of(y, shape).to(x.dtype());
        return Autograd.record(out, "LogSoftmaxBackward0", new Tensor[] {x}, new Tensor[0], g -> {
            double[] gg = values(g);
            double[] gx = new double[gg.length];
            for (int lane = 0; lane < lanes; lane++) {
                int base = (lane / in) * size * in + lane % in;
                double sum = 0;
                for (int j = 0; j < size; j++) sum += gg[base + j * in];
                for (int j = 0; j < size; j++) gx[base + j * in] = gg[base + j * in] - Math.exp(y[base + j * in]) * sum;
            }
            return new Tensor[] {Tensor.of(gx, shape).to(x.dtype())};
        });
    }

    /** The elements in row-major order as doubles. */
    static double[] values(Tensor t) {
        Tensor d = t.detach();
        if (d.isContiguous() && d.dtype() == DType.FLOAT32) {
            float[] a = d.storage().floats();
            double[] v = new double[(int) d.numel()];
            for (int i = 0; i < v.length; i++) v[i] = a[d.storageOffset() + i];
            return v;
        }
        return d.toDoubleArray();
    }
}
