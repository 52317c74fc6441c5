package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * torch's adaptive pools: {@code AdaptiveAvgPool1d/3d} and {@code AdaptiveMaxPool1d/2d/3d} ({@link AdaptiveAvgPool2d} is
 * its own class). Output cell {@code i} of a dim covers input cells {@code [floor(i·in/out), ceil((i+1)·in/out))};
 * {@code output_size} is one value for every dim or one per dim, null keeping that input size. A max pool's
 * {@link #forwardWithIndices} is torch's {@code return_indices=True}.
 */
public abstract class AdaptivePoolNd extends Module {
    private final int dims;
    private final boolean max;
    private final Integer[] outputSize;

    AdaptivePoolNd(int dims, boolean max, Integer... outputSize) {
        if (outputSize.length != 1 && outputSize.length != dims) {
            throw new IllegalArgumentException(getClass().getSimpleName() + ": output_size has " + outputSize.length
                    + " values, expected 1 or " + dims);
        }
        for (Integer s : outputSize) {
            if (s != null && s < 0) {
                throw new IllegalArgumentException(getClass().getSimpleName() + ": elements of output_size must be greater than or "
                        + "equal to 0, but got output_size=" + describe(outputSize));
            }
        }
        this.dims = dims;
        this.max = max;
        this.outputSize = outputSize.clone();
    }

    @Override
    public Tensor forward(Tensor input) {
        return max ? F.adaptiveMaxPool(dims, input, outputSize.clone())[0] : F.adaptiveAvgPool(dims, input, outputSize.clone());
    }

    /** {@code return_indices=True}: {output, indices} (max pools only). */
    public Tensor[] forwardWithIndices(Tensor input) {
        if (!max) throw new UnsupportedOperationException(name() + " has no indices; only the adaptive max pools return them");
        return F.adaptiveMaxPool(dims, input, outputSize.clone());
    }

    private static String describe(Integer[] size) {
        if (size.length == 1) return String.valueOf(size[0]);
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < size.length; i++) sb.append(i > 0 ? ", " : "").append(size[i] == null ? "None" : size[i]);
        return sb.append(')').toString();
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + describe(outputSize);
    }
}
