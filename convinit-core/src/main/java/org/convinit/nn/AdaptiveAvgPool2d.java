package org.convinit.nn;

import org.convinit.nn.functional.F;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.AdaptiveAvgPool2d(output_size)}: output cell {@code i} averages input cells
 * {@code [floor(i·in/out), ceil((i+1)·in/out))} in each of H and W. A null size keeps the input's.
 */
public final class AdaptiveAvgPool2d extends Module {
    private final Integer[] outputSize;

    /** A square output. */
    public AdaptiveAvgPool2d(int outputSize) {
        this(new Integer[] {outputSize});
    }

    /** {@code (h, w)}; either may be null (torch's None). */
    public AdaptiveAvgPool2d(Integer h, Integer w) {
        this(new Integer[] {h, w});
    }

    private AdaptiveAvgPool2d(Integer[] size) {
        for (Integer s : size) {
            if (s != null && s < 0) {
                throw new IllegalArgumentException("AdaptiveAvgPool2d: elements of output_size must be greater than or equal to 0, "
                        + "but got output_size=" + describe(size));
            }
        }
        this.outputSize = size;
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.adaptiveAvgPool2d(input, outputSize.clone());
    }

    private static String describe(Integer[] size) {
        if (size.length == 1) return String.valueOf(size[0]);
        return "(" + (size[0] == null ? "None" : size[0]) + ", " + (size[1] == null ? "None" : size[1]) + ")";
    }

    @Override
    protected String extraRepr() {
        return "output_size=" + describe(outputSize);
    }
}
