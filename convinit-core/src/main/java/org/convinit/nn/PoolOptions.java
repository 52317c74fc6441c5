package org.convinit.nn;

/**
 * The keyword options of torch's pooling layers, immutable, with torch's defaults:
 * {@code stride=None} (= kernel_size), {@code padding=0}, {@code dilation=1} (max pooling only),
 * {@code ceil_mode=False}, {@code count_include_pad=True} and {@code divisor_override=None}
 * (average pooling only).
 *
 * <pre>{@code
 * new MaxPool2d(3, PoolOptions.DEFAULT.stride(2).padding(1))
 * new AvgPool2d(3, PoolOptions.DEFAULT.stride(1).padding(1).countIncludePad(false))
 * }</pre>
 */
public final class PoolOptions {
    public static final PoolOptions DEFAULT = new PoolOptions(null, new int[] {0}, new int[] {1}, false, true, null);

    private final int[] stride;
    private final int[] padding;
    private final int[] dilation;
    private final boolean ceilMode;
    private final boolean countIncludePad;
    private final Integer divisorOverride;

    private PoolOptions(int[] stride, int[] padding, int[] dilation, boolean ceilMode, boolean countIncludePad,
                        Integer divisorOverride) {
        this.stride = stride;
        this.padding = padding;
        this.dilation = dilation;
        this.ceilMode = ceilMode;
        this.countIncludePad = countIncludePad;
        this.divisorOverride = divisorOverride;
    }

    public PoolOptions stride(int... s) {
        return new PoolOptions(s.clone(), padding, dilation, ceilMode, countIncludePad, divisorOverride);
    }

    public PoolOptions padding(int... p) {
        return new PoolOptions(stride, p.clone(), dilation, ceilMode, countIncludePad, divisorOverride);
    }

    public PoolOptions dilation(int... d) {
        return new PoolOptions(stride, padding, d.clone(), ceilMode, countIncludePad, divisorOverride);
    }

    public PoolOptions ceilMode(boolean c) {
        return new PoolOptions(stride, padding, dilation, c, countIncludePad, divisorOverride);
    }

    public PoolOptions countIncludePad(boolean c) {
        return new PoolOptions(stride, padding, dilation, ceilMode, c, divisorOverride);
    }

    /** null for torch's {@code divisor_override=None}. */
    public PoolOptions divisorOverride(Integer d) {
        return new PoolOptions(stride, padding, dilation, ceilMode, countIncludePad, d);
    }

    /** The stride as given, or null for "same as the kernel". */
    int[] stride() {
        return stride == null ? null : stride.clone();
    }

    int[] padding() {
        return padding.clone();
    }

    int[] dilation() {
        return dilation.clone();
    }

    boolean ceilMode() {
        return ceilMode;
    }

    boolean countIncludePad() {
        return countIncludePad;
    }

    Integer divisorOverride() {
        return divisorOverride;
    }
}
