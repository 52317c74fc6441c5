package org.convinit.nn;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.GroupNorm(num_groups, num_channels, eps=1e-5, affine=True)}: for input
 * {@code [N, C, *]}, normalises each sample over each group of {@code C/num_groups} channels (and all
 * spatial positions), then scales and shifts per channel. {@code weight} = ones, {@code bias} = zeros of
 * shape {@code [C]}; no random draws. Forward in double, rounded to the input's dtype.
 */
public final class GroupNorm extends AffineNorm {
    private final int numGroups;
    private final int numChannels;
    private final double eps;

    /** {@code nn.GroupNorm(num_groups, num_channels)}: eps 1e-5, affine, float32. */
    public GroupNorm(int numGroups, int numChannels) {
        this(numGroups, numChannels, 1e-5, true, DType.FLOAT32);
    }

    public GroupNorm(int numGroups, int numChannels, double eps, boolean affine, DType dtype) {
        super(affine, dtype, checked(numGroups, numChannels, dtype));
        this.numGroups = numGroups;
        this.numChannels = numChannels;
        this.eps = eps;
    }

    /** The settings' checks, before anything is registered; returns the affine parameters' shape {@code [C]}. */
    private static int[] checked(int numGroups, int numChannels, DType dtype) {
        if (numGroups <= 0) {
            throw new IllegalArgumentException("GroupNorm: num_groups = " + numGroups + ": expected a positive number");
        }
        if (numChannels < 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels = " + numChannels + ": expected >= 0");
        }
        if (numChannels % numGroups != 0) {
            throw new IllegalArgumentException("GroupNorm: num_channels = " + numChannels + ", num_groups = " + numGroups
                    + ": num_channels must be divisible by num_groups");
        }
        if (dtype != DType.FLOAT32 && dtype != DType.FLOAT64) {
            throw new IllegalArgumentException("GroupNorm: dtype " + dtype + ": expected float32 or float64");
        }
        return new int[] {numChannels};
    }

    @Override
    public Tensor forward(Tensor input) {
        if (input.dim() < 2 || input.size(1) % numGroups != 0) {
            throw new IllegalArgumentException("Expected number of channels in input to be divisible by num_groups, "
                    + "but got input of shape " + input.shape() + " and num_groups=" + numGroups);
        }
        if (input.size(1) != numChannels && weight != null) {
            throw new IllegalArgumentException("GroupNorm: input of shape " + input.shape() + " has " + input.size(1)
                    + " channels: expected " + numChannels);
        }
        int n = input.size(0);
        int c = input.size(1);
        int spatial = (int) (input.numel() / Math.max(1, (long) n * c));
        int groupSize = c / numGroups * spatial;
        double[] x = input.toDoubleArray();
        double[] y = new double[x.length];
        for (int s = 0; groupSize > 0 && s < n * numGroups; s++) Norm.normalize(x, y, s * groupSize, groupSize, eps);
        if (weight != null) {
            double[] w = weight.toDoubleArray();
            double[] b = bias.toDoubleArray();
            for (int i = 0; i < y.length; i++) {
                int ch = (i / spatial) % c;
                y[i] = y[i] * w[ch] + b[ch];
            }
        }
        int sp = Math.max(1, spatial);
        return Norm.record(Tensor.of(y, input.shape().toArray()).to(input.dtype()), "NativeGroupNormBackward0", input, weight, bias,
                x, groupSize, eps, j -> (j / sp) % c);
    }

    @Override
    protected String extraRepr() {
        return numGroups + ", " + numChannels + ", eps=" + PyRepr.of(eps) + ", affine=" + (weight != null ? "True" : "False");
    }
}
