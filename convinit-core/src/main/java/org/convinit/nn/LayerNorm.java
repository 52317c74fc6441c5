package org.convinit.nn;

import java.util.Arrays;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.LayerNorm(normalized_shape, eps=1e-5, elementwise_affine=True)}: normalises over the
 * last {@code normalized_shape.length} dims, {@code y = (x − E[x]) / √(Var[x] + eps) · weight + bias}
 * (biased variance). Parameters {@code weight} (ones) and {@code bias} (zeros) of shape
 * {@code normalized_shape}, no random draws — as torch's {@code reset_parameters}. Forward is computed in
 * double and rounded to the input's dtype (close to, not bit-equal with, torch's float kernel).
 */
public final class LayerNorm extends AffineNorm {
    private final int[] normalizedShape;
    private final double eps;

    /** {@code nn.LayerNorm(normalized_shape)}: eps 1e-5, affine, float32. */
    public LayerNorm(int... normalizedShape) {
        this(normalizedShape, 1e-5, true, DType.FLOAT32);
    }

    public LayerNorm(int[] normalizedShape, double eps, boolean elementwiseAffine, DType dtype) {
        super(elementwiseAffine, dtype, checked(normalizedShape, dtype));
        this.normalizedShape = normalizedShape.clone();
        this.eps = eps;
    }

    /** The settings' checks, before anything is registered; returns the affine parameters' shape. */
    private static int[] checked(int[] normalizedShape, DType dtype) {
        if (normalizedShape.length == 0) {
            throw new IllegalArgumentException("LayerNorm: normalized_shape = []: expected at least one dimension");
        }
        for (int s : normalizedShape) {
            if (s < 0) {
                throw new IllegalArgumentException("LayerNorm: normalized_shape = " + Arrays.toString(normalizedShape)
                        + ": expected sizes >= 0");
            }
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("LayerNorm: dtype " + dtype + ": expected float32 or float64");
        }
        return normalizedShape.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        int k = normalizedShape.length;
        int rank = input.dim();
        boolean ok = rank >= k;
        for (int i = 0; ok && i < k; i++) ok = input.size(rank - k + i) == normalizedShape[i];
        if (!ok) {
            throw new IllegalArgumentException("Given normalized_shape=" + Shape.of(normalizedShape)
                    + ", expected input with shape [*, " + Shape.of(normalizedShape).toString().substring(1)
                    + ", but got input of size" + input.shape());
        }
        int inner = 1;
        for (int s : normalizedShape) inner *= s;
        double[] x = input.toDoubleArray();
        double[] w = weight == null ? null : weight.toDoubleArray();
        double[] b = bias == null ? null : bias.toDoubleArray();
        double[] y = new double[x.length];
        for (int start = 0; inner > 0 && start < x.length; start += inner) {
            Norm.normalize(x, y, start, inner, eps);
            if (w != null) {
                for (int i = 0; i < inner; i++) y[start + i] = y[start + i] * w[i] + b[i];
            }
        }
        int segment = inner;
        return Norm.record(Tensor.of(y, input.shape().toArray()).to(input.dtype()), "NativeLayerNormBackward0", input, weight, bias,
                x, segment, eps, j -> j % segment);
    }

    @Override
    protected String extraRepr() {
        return PyRepr.tuple(normalizedShape) + ", eps=" + PyRepr.of(eps) + ", elementwise_affine=" + (weight != null ? "True" : "False");
    }
}
