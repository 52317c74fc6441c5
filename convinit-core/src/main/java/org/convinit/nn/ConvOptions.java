package org.convinit.nn;

import java.util.Arrays;

/**
 * The keyword options of PyTorch's convolution constructors, immutable, with torch's defaults:
 * {@code stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', output_padding=0}.
 * A single number stands for every spatial dim, as torch's {@code _pair}/{@code _triple} do.
 *
 * <pre>{@code
 * new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1).stride(2).bias(false))
 * new Conv2d(3, 16, 4, ConvOptions.DEFAULT.padding("same").dilation(2))
 * }</pre>
 */
public final class ConvOptions {
    /** torch's defaults. */
    public static final ConvOptions DEFAULT = new ConvOptions(new int[] {1}, new int[] {0}, null, new int[] {1}, 1,
            true, PaddingMode.ZEROS, new int[] {0});

    private final int[] stride;
    private final int[] padding;
    private final String paddingString;
    private final int[] dilation;
    private final int groups;
    private final boolean bias;
    private final PaddingMode paddingMode;
    private final int[] outputPadding;

    private ConvOptions(int[] stride, int[] padding, String paddingString, int[] dilation, int groups, boolean bias,
                        PaddingMode paddingMode, int[] outputPadding) {
        this.stride = stride;
        this.padding = padding;
        this.paddingString = paddingString;
        this.dilation = dilation;
        this.groups = groups;
        this.bias = bias;
        this.paddingMode = paddingMode;
        this.outputPadding = outputPadding;
    }

    public ConvOptions stride(int... s) {
        return new ConvOptions(s.clone(), padding, paddingString, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** Explicit zero-based padding per spatial dim (one number for all). */
    public ConvOptions padding(int... p) {
        return new ConvOptions(stride, p.clone(), null, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** {@code padding='same'} or {@code padding='valid'}. */
    public ConvOptions padding(String p) {
        if (!p.equals("same") && !p.equals("valid")) {
            throw new IllegalArgumentException("Invalid padding string '" + p + "', should be one of {'valid', 'same'}");
        }
        return new ConvOptions(stride, new int[] {0}, p, dilation, groups, bias, paddingMode, outputPadding);
    }

    public ConvOptions dilation(int... d) {
        return new ConvOptions(stride, padding, paddingString, d.clone(), groups, bias, paddingMode, outputPadding);
    }

    public ConvOptions groups(int g) {
        return new ConvOptions(stride, padding, paddingString, dilation, g, bias, paddingMode, outputPadding);
    }

    public ConvOptions bias(boolean b) {
        return new ConvOptions(stride, padding, paddingString, dilation, groups, b, paddingMode, outputPadding);
    }

    public ConvOptions paddingMode(PaddingMode m) {
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, m, outputPadding);
    }

    public ConvOptions outputPadding(int... p) {
        return new ConvOptions(stride, padding, paddingString, dilation, groups, bias, paddingMode, p.clone());
    }

    /** Stride expanded to {@code n} spatial dims. */
    public int[] strideFor(int n) {
        return expand("stride", stride, n);
    }

    /** Explicit padding expanded to {@code n} dims (zeros for 'same'/'valid'; see {@link #paddingString()}). */
    public int[] paddingFor(int n) {
        return expand("padding", padding, n);
    }

    /** {@code "same"}, {@code "valid"} or null for explicit padding. */
    public String paddingString() {
        return paddingString;
    }

    public int[] dilationFor(int n) {
        return expand("dilation", dilation, n);
    }

    public int[] outputPaddingFor(int n) {
        return expand("output_padding", outputPadding, n);
    }

    public int groups() {
        return groups;
    }

    public boolean bias() {
        return bias;
    }

    public PaddingMode paddingMode() {
        return paddingMode;
    }

    /** torch's {@code _ntuple}: one value repeats; otherwise exactly {@code n} values. */
    static int[] expand(String name, int[] v, int n) {
        if (v.length == 1) {
            int[] out = new int[n];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != n) {
            throw new IllegalArgumentException(name + "=" + Arrays.toString(v) + ": expected 1 or " + n + " values");
        }
        return v.clone();
    }
}
