package org.convinit.nn.functional.internal;

/**
 * A layout of one image's input for stride-1 convolutions with one or two spatial dims, in which every kernel tap
 * of every channel reads a contiguous run that lines up with the dense output positions themselves (no wide
 * positions, nothing to compact or scatter): per channel {@code c} and kernel column {@code kw}, a plane of
 * {@code Hp × OW} values (padded input height × output width) holding {@code xpad[h][ow + kw·dil]}, zero in the
 * padding. Output position {@code q = oh·OW + ow}, tap {@code (c, kh, kw)} then reads {@code buf[koff + q]} with
 * {@code koff = (c·KW + kw)·Hp·OW + kh·dil_h·OW}. Costs {@code KW} copies of the input, which pays for short
 * reductions (a network's first layer), where the output gradient in place beats a padded copy of it.
 */
final class ShiftedPlanes {
    final ConvGeometry g;
    /** Elements of one (channel, kernel column) plane. */
    final int planeLen;
    /** Elements of one image's planes, slack included (zero past the last plane, for reads past the last position). */
    final int imageLen;
    /** Row copies of one image: (source offset in the image, destination offset, length) triples. */
    private final int[] copies;
    private final int count;

    ShiftedPlanes(ConvGeometry g) {
        this.g = g;
        int kw = g.kernel[2];
        int ow = g.out[2];
        int inH = g.in[1];
        int inW = g.in[2];
        planeLen = g.phase[1] * ow;
        imageLen = Math.addExact(Math.multiplyExact(g.channels * kw, planeLen), ConvGeometry.SLACK);
        copies = new int[3 * g.channels * kw * inH];
        int t = 0;
        for (int c = 0; c < g.channels; c++) {
            for (int x = 0; x < kw; x++) {
                int shift = x * g.dilation[2] - g.padBefore[2];
                int lo = Math.max(0, -shift);
                int hi = Math.min(ow, inW - shift);
                if (hi <= lo) continue;
                for (int y = 0; y < inH; y++) {
                    copies[t++] = (c * inH + y) * inW + lo + shift;
                    copies[t++] = (c * kw + x) * planeLen + (y + g.padBefore[1]) * ow + lo;
                    copies[t++] = hi - lo;
                }
            }
        }
        count = t;
    }

    /** Whether the layout applies: at most two spatial dims, stride 1. */
    static boolean covers(ConvGeometry g) {
        return g.in[0] == 1 && g.kernel[0] == 1 && g.phase[0] == 1 && g.stride[1] == 1 && g.stride[2] == 1;
    }

    /** Buffer offsets of every (channel, tap) pair for {@code cg} channels, channel-major as the weights: the reduction index. */
    int[] reductionOffsets(int cg) {
        int kh = g.kernel[1];
        int kw = g.kernel[2];
        int[] koff = new int[cg * kh * kw];
        for (int c = 0, k = 0; c < cg; c++) {
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) koff[k++] = (c * kw + x) * planeLen + y * g.dilation[1] * g.out[2];
            }
        }
        return koff;
    }

    /**
     * Copies one dense image ({@code src} at {@code srcOff}, {@code [C, H, W]}) into its planes at {@code dstOff};
     * {@code src} and {@code dst} are arrays of one primitive type. The padding is never written: zero from the
     * buffer's allocation, it stays valid for every image of the same geometry.
     */
    void fill(Object src, int srcOff, Object dst, int dstOff) {
        for (int t = 0; t < count; t += 3) System.arraycopy(src, srcOff + copies[t], dst, dstOff + copies[t + 1], copies[t + 2]);
    }
}
