package org.convinit.nn.functional.internal;

import org.convinit.autograd.ActivationBuffers;
import org.convinit.nn.functional.internal.reference.ReferenceConv;
import org.convinit.nn.functional.internal.reference.ReferenceConvTranspose;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The fast convolutions at tensor level: layout and dtype dispatch onto {@link FloatConv} /
 * {@link DoubleConv} for a {@link ConvSpec} already checked (nothing is checked again). float32 and
 * float64 with 1-3 spatial dims run the kernels; anything else falls back to the references.
 * {@code vector} picks the Vector API kernels (if available) or the scalar ones, so tests run both.
 */
public final class FastConv {
    /** Elements of the transposed convolution's column buffer above which the batch is done in chunks of images. */
    private static final long COL_ELEMS = 4L << 20;

    private FastConv() {}

    /** The convolution or transposed convolution {@code spec} describes, of the caller's (batched or unbatched) input. */
    public static Tensor run(ConvSpec spec, Tensor input, Tensor weight, Tensor bias, boolean vector) {
        return spec.unbatch(runBatched(spec, spec.batch(input), weight, bias, vector));
    }

    /** {@link #run} for a batched input {@code [N, C, *S]}. */
    public static Tensor runBatched(ConvSpec spec, Tensor x, Tensor weight, Tensor bias, boolean vector) {
        boolean fast = onKernels(spec.dims(), x.dtype()) && spec.output().numel() > 0
                && (spec.transposed() ? x.numel() : weight.numel()) > 0;
        if (!fast) {
            return spec.transposed() ? ReferenceConvTranspose.forward(spec, x, weight, bias) : ReferenceConv.forward(spec, x, weight, bias);
        }
        return spec.transposed() ? transposed(spec, x.contiguous(), weight.contiguous(), bias, vector)
                : conv(spec, x.contiguous(), weight.contiguous(), bias, vector);
    }

    /** Whether the fast kernels take this many spatial dims and this dtype (1-3 dims, float32 or float64). */
    static boolean onKernels(int dims, DType dt) {
        return dims <= 3 && (dt == DType.FLOAT32 || dt == DType.FLOAT64);
    }

    /** Smallest channel count on either side for {@link #usesWinograd}. */
    static final int WINOGRAD_MIN_CHANNELS = 32;
    /** Channel count at least one side must reach for {@link #usesWinograd}. */
    static final int WINOGRAD_WIDE_CHANNELS = 64;
    /**
     * Output width below which a convolution with fewer than {@value #WINOGRAD_WIDE_CHANNELS} output channels keeps
     * the direct GEMM unless it is narrow ({@link #WINOGRAD_NARROW_MAX_WIDTH}): measured 2026-12-02 (AVX-512, 1 thread,
     * dX+dW of N32 32→64 14×14 with its dX direct: 1.13x, before the narrow transforms; at N8 56×56 the Winograd dX
     * stays 1.05x faster, and so does the forward N8 64→32 56×56).
     */
    static final int WINOGRAD_NARROW_OUT_MIN_WIDTH = 28;
    /**
     * Output width up to which a convolution with fewer than {@value #WINOGRAD_WIDE_CHANNELS} output channels takes
     * Winograd all the same: maps whose padded input rows fit one vector, which the float32 transforms take two tile
     * rows to a vector ({@code narrowTiles}: 14 with 16 float lanes, 6 with 8, none on the scalar kernels). Measured
     * 2026-12-02 (AVX-512, 1 thread, CPU time): dX+dW of N32 32→64 14×14 with its dX (64→32) by Winograd 1.11-1.13x
     * faster than with it direct.
     */
    public static final int WINOGRAD_NARROW_MAX_WIDTH = 2 * Kernels.winograd(Kernels.floats()).narrowTiles();

    /**
     * Whether {@link #runBatched} computes this convolution by Winograd's F(2×2, 3×3) ({@code FloatWinograd} /
     * {@code DoubleWinograd}) rather than the direct GEMM: 2-d, kernel 3 × 3, stride 1, dilation 1, one group, not
     * transposed, at least {@value #WINOGRAD_MIN_CHANNELS} input and output channels and
     * {@value #WINOGRAD_WIDE_CHANNELS} on one side (below that the transforms cost more than the products save), and
     * with fewer than {@value #WINOGRAD_WIDE_CHANNELS} outputs an output at least {@value #WINOGRAD_NARROW_OUT_MIN_WIDTH} wide
     * or at most {@link #WINOGRAD_NARROW_MAX_WIDTH}.
     * At the thresholds' edge it still pays (1 thread, against the direct GEMM, 2026-12-02): on an AVX2 EPYC forward
     * N32 32→64 14×14 1.37x, N8 64→64 56×56 2.1x, N8 256→256 14×14 2.6x; on an AVX-512 EPYC (16 lanes, where a 14-wide
     * map's 7-tile rows fill half a vector) N32 32→64 14×14 only about 1.02x; see the package documentation.
     * Its results round differently from the GEMM's (not bit-identical; within about 1e-6 relative in float32).
     */
    public static boolean usesWinograd(ConvSpec spec) {
        if (spec.transposed() || spec.dims() != 2 || spec.groups() != 1) return false;
        for (int d = 0; d < 2; d++) {
            if (spec.weight().get(2 + d) != 3 || spec.stride()[d] != 1 || spec.dilation()[d] != 1) return false;
        }
        int cin = spec.weight().get(1);
        int cout = spec.weight().get(0);
        if (Math.min(cin, cout) < WINOGRAD_MIN_CHANNELS || Math.max(cin, cout) < WINOGRAD_WIDE_CHANNELS) return false;
        int ow = spec.output().get(3);
        return cout >= WINOGRAD_WIDE_CHANNELS || ow >= WINOGRAD_NARROW_OUT_MIN_WIDTH || ow <= WINOGRAD_NARROW_MAX_WIDTH;
    }

    private static Tensor conv(ConvSpec spec, Tensor x, Tensor w, Tensor bias, boolean vector) {
        if (usesWinograd(spec)) return winograd(spec, x, w, bias, vector);
        ConvGeometry geo = new ConvGeometry(x.size(1), spec.dims(), ConvSpec.spatial(spec.input()), ConvSpec.spatial(spec.weight()),
                spec.stride(), spec.padBefore(), spec.padAfter(), spec.dilation());
        Tensor result = ActivationBuffers.empty(x.dtype(), spec.output().toArray()); // every element written
        dense(geo, x.size(0), spec.groups(), spec.output().get(1), x, w, bias, result, vector);
        return result;
    }

    /** The convolution by {@code FloatWinograd} / {@code DoubleWinograd} (see {@link #usesWinograd}). */
    private static Tensor winograd(ConvSpec spec, Tensor x, Tensor w, Tensor bias, boolean vector) {
        int[] out = spec.output().toArray();
        Tensor result = ActivationBuffers.empty(x.dtype(), out); // every element written
        int[] pb = spec.padBefore();
        int n = x.size(0);
        int c = x.size(1);
        int h = x.size(2);
        int wd = x.size(3);
        if (x.dtype() == DType.FLOAT32) {
            FloatWinograd.conv(Kernels.floats(vector), n, c, h, wd, out[1], pb[0], pb[1], out[2], out[3], x.storage().floats(),
                    x.storageOffset(), w.storage().floats(), w.storageOffset(), bias == null ? null : bias.toFloatArray(),
                    result.storage().floats());
        } else {
            DoubleWinograd.conv(Kernels.doubles(vector), n, c, h, wd, out[1], pb[0], pb[1], out[2], out[3], x.storage().doubles(),
                    x.storageOffset(), w.storage().doubles(), w.storageOffset(), bias == null ? null : bias.toDoubleArray(),
                    result.storage().doubles());
        }
        return result;
    }

    /**
     * Transposed convolution as a GEMM and a col2im: per image and group,
     * {@code col[(co, k), i] = Σ_ci w[ci, co, k] · x[ci, i]} (a 1×1 convolution through the same
     * kernels, weights regrouped to {@code [G·Cout/G·K, Cin/G]}), then {@code out[co, i·s - p + k·d] += col[(co, k), i]};
     * in chunks of images whose column buffer stays under {@link #COL_ELEMS} elements.
     */
    private static Tensor transposed(ConvSpec spec, Tensor x, Tensor w, Tensor bias, boolean vector) {
        int groups = spec.groups();
        int n = x.size(0);
        int cin = x.size(1);
        int inVol = (int) (x.numel() / ((long) n * cin));
        int m = Math.multiplyExact(w.size(1), (int) (w.numel() / ((long) w.size(0) * w.size(1))));
        Tensor wt = w.reshape(groups, cin / groups, m).permute(0, 2, 1).contiguous();
        ConvGeometry geo = new ConvGeometry(cin, 1, new int[] {inVol}, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {0},
                new int[] {1});
        long perImage = (long) groups * m * inVol;
        int chunk = (int) Math.max(1, Math.min(n, COL_ELEMS / Math.max(1, perImage)));
        Tensor col = Tensor.empty(x.dtype(), chunk, Math.multiplyExact(groups, m), inVol);
        Tensor result = Tensor.empty(x.dtype(), spec.output().toArray());
        Col2Im c2i = new Col2Im(spec);
        for (int first = 0; first < n; first += chunk) {
            int count = Math.min(chunk, n - first);
            dense(geo, count, groups, groups * m, x.narrow(0, first, count), wt, null, col, vector);
            c2i.run(col, bias, result, first, count);
        }
        return result;
    }

    /** The dtype dispatch onto the kernels: dense {@code x} and {@code w}, {@code out} fully written. */
    private static void dense(ConvGeometry g, int n, int groups, int outCh, Tensor x, Tensor w, Tensor bias, Tensor out,
                              boolean vector) {
        if (out.dtype() == DType.FLOAT32) {
            FloatConv.conv(Kernels.floats(vector), g, n, groups, outCh, x.storage().floats(), x.storageOffset(), w.storage().floats(),
                    w.storageOffset(), bias == null ? null : bias.toFloatArray(), out.storage().floats());
        } else {
            DoubleConv.conv(Kernels.doubles(vector), g, n, groups, outCh, x.storage().doubles(), x.storageOffset(),
                    w.storage().doubles(), w.storageOffset(), bias == null ? null : bias.toDoubleArray(), out.storage().doubles());
        }
    }
}
