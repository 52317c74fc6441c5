package org.convinit.nn;

import java.util.Objects;

import org.convinit.nn.functional.internal.ConvParams;

/**
 * The keyword options of PyTorch's convolution constructors, immutable, with torch's defaults:
 * {@code stride=1, padding=0, dilation=1, groups=1, bias=True, padding_mode='zeros', output_padding=0}.
 * A single number stands for every spatial dim, as torch's {@code _pair}/{@code _triple} do. The
 * values are checked by the layer's constructor ({@link ConvParams#layer}), which knows the dims.
 *
 * <pre>{@code
 * new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1).stride(2).bias(false))
 * new Conv2d(3, 16, 4, ConvOptions.DEFAULT.padding(ConvPadding.SAME).dilation(2))
 * }</pre>
 */
public final class ConvOptions {
    /** torch's defaults. */
    public static final ConvOptions DEFAULT = new ConvOptions(new int[] {1}, new int[] {0}, null, new int[] {1}, 1,
            true, PaddingMode.ZEROS, new int[] {0});

    private final int[] stride;
    private final int[] padding;
    private final ConvPadding preset;
    private final int[] dilation;
    private final int groups;
    private final boolean bias;
    private final PaddingMode paddingMode;
    private final int[] outputPadding;

    private ConvOptions(int[] stride, int[] padding, ConvPadding preset, int[] dilation, int groups, boolean bias,
                        PaddingMode paddingMode, int[] outputPadding) {
        this.stride = stride;
        this.padding = padding;
        this.preset = preset;
        this.dilation = dilation;
        this.groups = groups;
        this.bias = bias;
        this.paddingMode = paddingMode;
        this.outputPadding = outputPadding;
    }

    public ConvOptions stride(int... s) {
        return new ConvOptions(s.clone(), padding, preset, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** Explicit zero-based padding per spatial dim (one number for all). */
    public ConvOptions padding(int... p) {
        return new ConvOptions(stride, p.clone(), null, dilation, groups, bias, paddingMode, outputPadding);
    }

    /** {@code padding='same'} or {@code padding='valid'}. */
    public ConvOptions padding(ConvPadding p) {
        return new ConvOptions(stride, new int[] {0}, Objects.requireNonNull(p, "padding"), dilation, groups, bias, paddingMode,
                outputPadding);
    }

    /** torch's string form, {@code "same"} or {@code "valid"} (parsed by {@link ConvPadding#parse}). */
    public ConvOptions padding(String p) {
        return padding(ConvPadding.parse(p));
    }

    public ConvOptions dilation(int... d) {
        return new ConvOptions(stride, padding, preset, d.clone(), groups, bias, paddingMode, outputPadding);
    }

    public ConvOptions groups(int g) {
        return new ConvOptions(stride, padding, preset, dilation, g, bias, paddingMode, outputPadding);
    }

    public ConvOptions bias(boolean b) {
        return new ConvOptions(stride, padding, preset, dilation, groups, b, paddingMode, outputPadding);
    }

    public ConvOptions paddingMode(PaddingMode m) {
        return new ConvOptions(stride, padding, preset, dilation, groups, bias, Objects.requireNonNull(m, "paddingMode"), outputPadding);
    }

    public ConvOptions outputPadding(int... p) {
        return new ConvOptions(stride, padding, preset, dilation, groups, bias, paddingMode, p.clone());
    }

    /** Stride expanded to {@code n} spatial dims. */
    public int[] strideFor(int n) {
        return ConvParams.ntuple(null, "stride", stride, n);
    }

    /** Explicit padding expanded to {@code n} dims (zeros for 'same'/'valid'; see {@link #paddingPreset()}). */
    public int[] paddingFor(int n) {
        return ConvParams.ntuple(null, "padding", padding, n);
    }

    /** {@code SAME}, {@code VALID}, or null for explicit padding. */
    public ConvPadding paddingPreset() {
        return preset;
    }

    public int[] dilationFor(int n) {
        return ConvParams.ntuple(null, "dilation", dilation, n);
    }

    public int[] outputPaddingFor(int n) {
        return ConvParams.ntuple(null, "output_padding", outputPadding, n);
    }

    /** The values as given (one or one per dim), for the layer's constructor to check and expand. */
    int[] stride() {
        return stride.clone();
    }

    int[] padding() {
        return padding.clone();
    }

    int[] dilation() {
        return dilation.clone();
    }

    int[] outputPadding() {
        return outputPadding.clone();
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
}
