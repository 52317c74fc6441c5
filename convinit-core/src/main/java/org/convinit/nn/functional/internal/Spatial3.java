package org.convinit.nn.functional.internal;

/**
 * A {@link ConvSpec}'s spatial arithmetic seen as 3-D, 1-D and 2-D with leading extents of 1: input,
 * output and kernel sizes, stride, padding before and dilation per dim, and the volumes.
 */
final class Spatial3 {
    final int[] in = new int[3];
    final int[] out = new int[3];
    final int[] k = new int[3];
    final int[] s = new int[3];
    final int[] p = new int[3];
    final int[] d = new int[3];
    final int inVol;
    final int outVol;
    final int kVol;

    Spatial3(ConvSpec spec) {
        int lead = 3 - spec.dims();
        int[] stride = spec.stride();
        int[] padding = spec.padBefore();
        int[] dilation = spec.dilation();
        for (int i = 0; i < 3; i++) {
            boolean real = i >= lead;
            in[i] = real ? spec.input().get(2 + i - lead) : 1;
            out[i] = real ? spec.output().get(2 + i - lead) : 1;
            k[i] = real ? spec.weight().get(2 + i - lead) : 1;
            s[i] = real ? stride[i - lead] : 1;
            p[i] = real ? padding[i - lead] : 0;
            d[i] = real ? dilation[i - lead] : 1;
        }
        inVol = in[0] * in[1] * in[2];
        outVol = out[0] * out[1] * out[2];
        kVol = k[0] * k[1] * k[2];
    }

    /** The output columns {@code [lo, hi)} whose input column {@code ow·s - p + kw·d} lies in {@code [0, in)}. */
    int outLo(int kw) {
        return Math.max(0, ceilDiv(p[2] - kw * d[2], s[2]));
    }

    int outHi(int kw) {
        return Math.min(out[2], ceilDiv(in[2] + p[2] - kw * d[2], s[2]));
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
