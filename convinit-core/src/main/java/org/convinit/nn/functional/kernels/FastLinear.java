package org.convinit.nn.functional.kernels;

import java.util.Arrays;
import org.convinit.autograd.ActivationBuffers;
import org.convinit.autograd.Autograd;
import org.convinit.internal.Parallel;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Float32 {@code y = x·Wᵀ + b} over {@code rows} rows of {@code in} features, on the tensors' own
 * storage: the forward as row-by-row dot products ({@link FloatLayerKernel#gemmNT}), the gradients
 * {@code dx = dy·W} and {@code dW = dyᵀ·x} as combinations of rows ({@link FloatLayerKernel#gemmRows}),
 * {@code db = Σ_rows dy} in double. The forward runs in blocks of rows and, for small batches, of output columns. Gradients no input asks for are not computed. Shapes are checked
 * by the caller.
 */
public final class FastLinear {
    /** Rows of a parallel work item (a multiple of the 4-row register tiles). */
    private static final int ROW_BLOCK = 16;

    private FastLinear() {}

    public static Tensor linear(FloatLayerKernel k, Tensor input, Tensor weight, Tensor bias, int rows, int in, int out) {
        Tensor x = input.detach().contiguous();
        Tensor w = weight.detach().contiguous();
        float[] xa = x.storage().floats();
        float[] wa = w.storage().floats();
        int xo = x.storageOffset();
        int wo = w.storageOffset();
        float[] b = bias == null ? null : bias.toFloatArray();
        int[] shape = input.shape().toArray();
        shape[shape.length - 1] = out;
        Tensor y = ActivationBuffers.empty(DType.FLOAT32, shape); // every element written
        float[] ya = y.storage().floats();
        long work = (long) rows * in * out / 32;
        // blocks of rows × blocks of output columns, the columns split only when there are too few row blocks to go
        // round (small batches): each output is the same dot product whichever item computes it, same bits at any split
        int rowBlocks = blocks(rows);
        int colBlocks = Math.max(1, Math.min((out + 1) / 2, (4 * Parallel.threads() + rowBlocks - 1) / rowBlocks));
        int perCol0 = (out + colBlocks - 1) / colBlocks;
        int perCol = perCol0 + perCol0 % 2; // the kernel's tiles take two columns
        int cols = (out + perCol - 1) / perCol;
        LayerKernels.forEach(rowBlocks * cols, work, item -> {
            int r0 = item / cols * ROW_BLOCK;
            int m = Math.min(ROW_BLOCK, rows - r0);
            int j0 = item % cols * perCol;
            int nj = Math.min(perCol, out - j0);
            float[] bj = b == null || j0 == 0 ? b : Arrays.copyOfRange(b, j0, j0 + nj);
            k.gemmNT(m, nj, in, xa, xo + r0 * in, in, wa, wo + j0 * in, in, bj, ya, r0 * out + j0, out);
        });
        int[] inShape = input.shape().toArray();
        return Autograd.record(y, "AddmmBackward0", new Tensor[] {input, weight, bias}, new Tensor[] {input, weight}, g -> {
            Dense gy = Dense.of(g);
            float[] ga = gy.a;
            int go = gy.off;
            Tensor gx = null;
            Tensor gw = null;
            if (input.requiresGrad()) {
                gx = Tensor.empty(DType.FLOAT32, inShape);
                float[] gxa = gx.storage().floats();
                LayerKernels.forEach(blocks(rows), work, blk -> k.gemmRows(blk * ROW_BLOCK, Math.min(rows, (blk + 1) * ROW_BLOCK), in,
                        out, ga, go, out, 1, wa, wo, gxa));
            }
            if (weight.requiresGrad()) {
                gw = Tensor.empty(DType.FLOAT32, out, in);
                float[] gwa = gw.storage().floats();
                LayerKernels.forEach(blocks(out), work, blk -> k.gemmRows(blk * ROW_BLOCK, Math.min(out, (blk + 1) * ROW_BLOCK), in,
                        rows, ga, go, 1, out, xa, xo, gwa));
            }
            Tensor gb = null;
            if (bias != null && bias.requiresGrad()) gb = Tensor.of(columnSums(ga, go, rows, out), out).to(bias.dtype());
            return new Tensor[] {gx, gw, gb};
        });
    }

    /**
     * {@code Σ_r a[off + r·out + o]} per column in double. A method of its own: the loop made the backward lambda
     * hot, and C2 then compiled the lambda with both gradient GEMMs inlined (~1.5 s of compile time per epoch).
     */
    private static double[] columnSums(float[] a, int off, int rows, int out) {
        double[] sb = new double[out];
        for (int r = 0; r < rows; r++) {
            for (int o = 0; o < out; o++) sb[o] += a[off + r * out + o];
        }
        return sb;
    }

    private static int blocks(int rows) {
        return (rows + ROW_BLOCK - 1) / ROW_BLOCK;
    }
}
