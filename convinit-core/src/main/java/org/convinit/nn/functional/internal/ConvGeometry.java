package org.convinit.nn.functional.internal;

/**
 * The index arithmetic of the fast convolution, with 1-D and 2-D problems seen as 3-D ones with
 * leading spatial extents of 1.
 *
 * <p>Each input channel is copied once, zero padded, into {@code s_d·s_h·s_w} polyphase planes:
 * phase {@code (r_d, r_h, r_w)} holds {@code xpad[r + s·t]}. An output position {@code o} reads
 * {@code xpad[o·s + k·dil]}, which is element {@code t = o + ⌊k·dil/s⌋} of phase {@code (k·dil) mod s}.
 * So, numbering output positions "wide" as {@code p = (o_d·HPh + o_h)·WPh + o_w} over the phase
 * plane's extents, every kernel tap {@code k} of every channel {@code c} reads the contiguous run
 * {@code buf[koff(c, k) + p]}: the convolution is a matrix product whose right operand rows are
 * contiguous slices of the buffer (an implicit im2col, no gather). Wide positions with
 * {@code o_w ≥ OW} (or {@code o_h ≥ OH}) are computed and discarded.
 */
public final class ConvGeometry {
    /** Zero elements after each image buffer, so vector loads past the last wide position stay inside it. */
    public static final int SLACK = 256;

    public final int channels;
    public final int[] in = new int[3];
    public final int[] kernel = new int[3];
    public final int[] stride = new int[3];
    public final int[] padBefore = new int[3];
    public final int[] dilation = new int[3];
    public final int[] out = new int[3];
    /** Extents of one phase plane. */
    public final int[] phase = new int[3];
    public final int phaseVol;
    /** Elements of one channel in the buffer: all its phase planes. */
    public final int channelVol;
    /** Elements of one image in the buffer, slack included. */
    public final int imageVol;
    public final int kernelVol;
    public final int outVol;
    /** One past the last wide position that maps to an output. */
    public final int wideLen;
    /** Buffer offset of each kernel tap of channel 0. */
    public final int[] tapOffset;
    /** Per phase {@code rw}: the phase-plane columns {@code [wRanges[2·rw], wRanges[2·rw + 1])} that hold input (not padding). */
    private final int[] wRanges;

    /**
     * @param dims 1, 2 or 3; the arrays have {@code dims} entries for the trailing spatial dims
     */
    public ConvGeometry(int channels, int dims, int[] in, int[] kernel, int[] stride, int[] padBefore, int[] padAfter,
                        int[] dilation) {
        this.channels = channels;
        int lead = 3 - dims;
        for (int d = 0; d < 3; d++) {
            boolean real = d >= lead;
            this.in[d] = real ? in[d - lead] : 1;
            this.kernel[d] = real ? kernel[d - lead] : 1;
            this.stride[d] = real ? stride[d - lead] : 1;
            this.padBefore[d] = real ? padBefore[d - lead] : 0;
            this.dilation[d] = real ? dilation[d - lead] : 1;
            int pa = real ? padAfter[d - lead] : 0;
            long padded = (long) this.in[d] + this.padBefore[d] + pa;
            long span = (long) this.dilation[d] * (this.kernel[d] - 1) + 1;
            this.out[d] = (int) ((padded - span) / this.stride[d] + 1);
            this.phase[d] = (int) ((padded + this.stride[d] - 1) / this.stride[d]);
        }
        long pv = (long) phase[0] * phase[1] * phase[2];
        long cv = pv * this.stride[0] * this.stride[1] * this.stride[2];
        long iv = cv * channels + SLACK;
        if (iv > Integer.MAX_VALUE - 16) {
            throw new IllegalArgumentException("convolution too large for the fast kernels: " + iv + " elements per padded image");
        }
        phaseVol = (int) pv;
        channelVol = (int) cv;
        imageVol = (int) iv;
        kernelVol = this.kernel[0] * this.kernel[1] * this.kernel[2];
        outVol = out[0] * out[1] * out[2];
        wideLen = ((out[0] - 1) * phase[1] + (out[1] - 1)) * phase[2] + out[2];
        wRanges = new int[2 * this.stride[2]];
        for (int rw = 0; rw < this.stride[2]; rw++) {
            // input column w = tw·s + rw - pb must lie in [0, in)
            int lo = Math.max(0, ceilDiv(this.padBefore[2] - rw, this.stride[2]));
            wRanges[2 * rw] = lo;
            wRanges[2 * rw + 1] = Math.max(lo, Math.min(phase[2], ceilDiv(this.in[2] + this.padBefore[2] - rw, this.stride[2])));
        }
        tapOffset = new int[kernelVol];
        int t = 0;
        for (int kd = 0; kd < this.kernel[0]; kd++) {
            for (int kh = 0; kh < this.kernel[1]; kh++) {
                for (int kw = 0; kw < this.kernel[2]; kw++) {
                    int ad = kd * this.dilation[0], ah = kh * this.dilation[1], aw = kw * this.dilation[2];
                    int ph = ((ad % this.stride[0]) * this.stride[1] + ah % this.stride[1]) * this.stride[2] + aw % this.stride[2];
                    tapOffset[t++] = ph * phaseVol + ((ad / this.stride[0]) * phase[1] + ah / this.stride[1]) * phase[2]
                            + aw / this.stride[2];
                }
            }
        }
    }

    /** Buffer offsets of every (channel, tap) pair for {@code cg} channels, channel-major: the GEMM's K index. */
    public int[] reductionOffsets(int cg) {
        int[] koff = new int[cg * kernelVol];
        for (int c = 0; c < cg; c++) {
            for (int t = 0; t < kernelVol; t++) koff[c * kernelVol + t] = c * channelVol + tapOffset[t];
        }
        return koff;
    }

    /**
     * Where the wide positions {@code [from, to)} land in the output: triples (wide offset from
     * {@code from}, output offset, length) written to {@code segs} from {@code off}; returns the
     * number of triples (at most {@code to - from}).
     */
    public int segments(int from, int to, int[] segs, int off) {
        int n = off;
        int rowLen = phase[2];
        int p = from;
        while (p < to) {
            int row = p / rowLen;
            int ow = p - row * rowLen;
            int oh = row % phase[1];
            int od = row / phase[1];
            int rowEnd = p - ow + rowLen;
            if (ow < out[2] && oh < out[1] && od < out[0]) {
                int len = Math.min(out[2] - ow, to - p);
                segs[n++] = p - from;
                segs[n++] = (od * out[1] + oh) * out[2] + ow;
                segs[n++] = len;
            }
            p = rowEnd;
        }
        return (n - off) / 3;
    }

    /** Copies channels {@code [0, channels)} of one image ({@code src} at {@code srcOff}, dense) into {@code buf}. */
    public void fill(float[] src, int srcOff, float[] buf, int bufOff) {
        int inVol = in[0] * in[1] * in[2];
        for (int c = 0; c < channels; c++) fillChannel(src, srcOff + c * inVol, buf, bufOff + c * channelVol);
    }

    /** Copies one dense input channel plane ({@code src} at {@code s0}) into its phase planes at {@code b0}. */
    public void fillChannel(float[] src, int s0, float[] buf, int b0) {
        fillChannel(src, s0, buf, b0, stride[2] == 1 ? null : (from, to, lo, hi, step) -> {
            for (int tw = lo; tw < hi; tw++) buf[to + tw] = src[from + tw * step];
        });
    }

    /** Double twin of {@link #fill(float[], int, float[], int)}. */
    public void fill(double[] src, int srcOff, double[] buf, int bufOff) {
        int inVol = in[0] * in[1] * in[2];
        for (int c = 0; c < channels; c++) fillChannel(src, srcOff + c * inVol, buf, bufOff + c * channelVol);
    }

    /** Double twin of {@link #fillChannel(float[], int, float[], int)}. */
    public void fillChannel(double[] src, int s0, double[] buf, int b0) {
        fillChannel(src, s0, buf, b0, stride[2] == 1 ? null : (from, to, lo, hi, step) -> {
            for (int tw = lo; tw < hi; tw++) buf[to + tw] = src[from + tw * step];
        });
    }

    /** {@code buf[to + tw] = src[from + tw·step]} for {@code tw} in {@code [lo, hi)}: a strided row copy. */
    private interface StridedRow {
        void copy(int from, int to, int lo, int hi, int step);
    }

    /** The index arithmetic of {@code fillChannel}, once for both precisions ({@code src}, {@code buf}: arrays of one type). */
    private void fillChannel(Object src, int s0, Object buf, int b0, StridedRow strided) {
        for (int rd = 0; rd < stride[0]; rd++) for (int rh = 0; rh < stride[1]; rh++) for (int rw = 0; rw < stride[2]; rw++) {
            int pb = b0 + ((rd * stride[1] + rh) * stride[2] + rw) * phaseVol;
            int lo = wRanges[2 * rw];
            int hi = wRanges[2 * rw + 1];
            for (int td = 0; td < phase[0]; td++) {
                int d = td * stride[0] + rd - padBefore[0];
                if (d < 0 || d >= in[0]) continue;
                for (int th = 0; th < phase[1]; th++) {
                    int h = th * stride[1] + rh - padBefore[1];
                    if (h < 0 || h >= in[1]) continue;
                    int srcRow = s0 + (d * in[1] + h) * in[2];
                    int dstRow = pb + (td * phase[1] + th) * phase[2];
                    if (stride[2] == 1) {
                        if (hi > lo) {
                            System.arraycopy(src, srcRow + lo - padBefore[2], buf, dstRow + lo, hi - lo);
                        }
                    } else {
                        strided.copy(srcRow + rw - padBefore[2], dstRow, lo, hi, stride[2]);
                    }
                }
            }
        }
    }

    private static int ceilDiv(int a, int b) {
        return -Math.floorDiv(-a, b);
    }
}
