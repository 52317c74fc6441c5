package org.convinit.nn.functional.internal;

import org.convinit.nn.PaddingMode;
import org.convinit.nn.functional.Conv;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Tensor-level fast convolutions: checks, layout, dtype dispatch. {@code vector} picks the Vector
 * API kernels (if available) or the scalar ones, so tests can run both in one JVM.
 */
public final class ConvOps {
    private ConvOps() {}

    /** Batched or unbatched N-d convolution with zero padding; see {@code ConvKernels.conv}. */
    public static Tensor conv(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padBefore, int[] padAfter,
                              int[] dilation, int groups, boolean vector) {
        int dims = weight.dim() - 2;
        String op = "conv" + dims + "d";
        int[] outShape = ConvChecks.conv(op, dims, input, weight, bias, stride, padBefore, padAfter, dilation, groups);
        boolean batched = input.dim() == dims + 2;
        DType dt = input.dtype();
        if (dims < 1 || dims > 3 || (dt != DType.FLOAT32 && dt != DType.FLOAT64) || numel(outShape) == 0 || weight.numel() == 0) {
            return Conv.convNd(op, dims, input, weight, bias, stride, padBefore, padAfter, dilation, groups, PaddingMode.ZEROS);
        }
        Tensor x = (batched ? input : input.unsqueeze(0)).contiguous();
        Tensor w = weight.contiguous();
        int[] in = new int[dims];
        int[] k = new int[dims];
        for (int d = 0; d < dims; d++) {
            in[d] = x.size(2 + d);
            k[d] = w.size(2 + d);
        }
        ConvGeometry geo = new ConvGeometry(x.size(1), dims, in, k, stride, padBefore, padAfter, dilation);
        Tensor result = Tensor.empty(dt, outShape);
        if (dt == DType.FLOAT32) {
            FloatConv.conv(Kernels.floats(vector), geo, x.size(0), groups, outShape[1], x.storage().floats(), x.storageOffset(),
                    w.storage().floats(), w.storageOffset(), bias == null ? null : bias.toFloatArray(), result.storage().floats());
        } else {
            DoubleConv.conv(Kernels.doubles(vector), geo, x.size(0), groups, outShape[1], x.storage().doubles(), x.storageOffset(),
                    w.storage().doubles(), w.storageOffset(), bias == null ? null : bias.toDoubleArray(), result.storage().doubles());
        }
        return batched ? result : result.squeeze(0);
    }

    /**
     * Transposed convolution as a GEMM and a col2im: per image and group,
     * {@code col[(co, k), i] = Σ_ci w[ci, co, k] · x[ci, i]} (a 1×1 convolution through the same
     * kernels), then {@code out[co, i·s - p + k·d] += col[(co, k), i]}.
     */
    public static Tensor convTranspose(Tensor input, Tensor weight, Tensor bias, int[] stride, int[] padding, int[] outputPadding,
                                       int[] dilation, int groups, boolean vector) {
        int dims = weight.dim() - 2;
        String op = "conv_transpose" + dims + "d";
        int[] outShape = ConvChecks.convTranspose(op, dims, input, weight, bias, stride, padding, outputPadding, dilation, groups);
        boolean batched = input.dim() == dims + 2;
        DType dt = input.dtype();
        if (dims < 1 || dims > 3 || (dt != DType.FLOAT32 && dt != DType.FLOAT64) || numel(outShape) == 0 || input.numel() == 0) {
            Tensor r = ReferenceConvTranspose.convTranspose(batched ? input : input.unsqueeze(0), weight, bias, stride, padding,
                    dilation, groups, outShape);
            return batched ? r : r.squeeze(0);
        }
        Tensor x = (batched ? input : input.unsqueeze(0)).contiguous();
        Tensor w = weight.contiguous();
        int n = x.size(0);
        int cin = x.size(1);
        int cinG = cin / groups;
        int coutG = w.size(1);
        int kVol = 1;
        int inVol = 1;
        for (int d = 0; d < dims; d++) {
            kVol *= w.size(2 + d);
            inVol *= x.size(2 + d);
        }
        int m = Math.multiplyExact(coutG, kVol);
        Col2Im c2i = new Col2Im(dims, x, w, outShape, stride, padding, dilation, groups);
        ConvGeometry geo = new ConvGeometry(cin, 1, new int[] {inVol}, new int[] {1}, new int[] {1}, new int[] {0}, new int[] {0},
                new int[] {1});
        Tensor result = Tensor.empty(dt, outShape);
        if (dt == DType.FLOAT32) {
            float[] ws = w.storage().floats();
            int wo = w.storageOffset();
            float[] wt = new float[Math.multiplyExact(groups * m, cinG)];
            for (int g = 0; g < groups; g++) {
                for (int ci = 0; ci < cinG; ci++) {
                    int src = wo + (g * cinG + ci) * m;
                    for (int j = 0; j < m; j++) wt[(g * m + j) * cinG + ci] = ws[src + j];
                }
            }
            float[] col = new float[Math.multiplyExact(Math.multiplyExact(n, groups * m), inVol)];
            FloatConv.conv(Kernels.floats(vector), geo, n, groups, groups * m, x.storage().floats(), x.storageOffset(), wt, 0, null, col);
            c2i.run(col, bias == null ? null : bias.toFloatArray(), result.storage().floats());
        } else {
            double[] ws = w.storage().doubles();
            int wo = w.storageOffset();
            double[] wt = new double[Math.multiplyExact(groups * m, cinG)];
            for (int g = 0; g < groups; g++) {
                for (int ci = 0; ci < cinG; ci++) {
                    int src = wo + (g * cinG + ci) * m;
                    for (int j = 0; j < m; j++) wt[(g * m + j) * cinG + ci] = ws[src + j];
                }
            }
            double[] col = new double[Math.multiplyExact(Math.multiplyExact(n, groups * m), inVol)];
            DoubleConv.conv(Kernels.doubles(vector), geo, n, groups, groups * m, x.storage().doubles(), x.storageOffset(), wt, 0, null,
                    col);
            c2i.run(col, bias == null ? null : bias.toDoubleArray(), result.storage().doubles());
        }
        return batched ? result : result.squeeze(0);
    }

    private static long numel(int[] shape) {
        long n = 1;
        for (int s : shape) n *= s;
        return n;
    }
}
