package org.convinit.nn.functional;

import org.convinit.autograd.Autograd;
import org.convinit.nn.PadMode;
import org.convinit.tensor.Tensor;

/**
 * {@code F.pad}: {@code pad} lists (before, after) pairs starting from the last dim, as torch does:
 * {@code (left, right, top, bottom, front, back)}. Modes ({@link PadMode}): {@code constant} fills with
 * {@code value} (negative amounts crop); {@code reflect} mirrors without repeating the edge
 * ({@code pad < size}); {@code replicate} repeats the edge; {@code circular} wraps around
 * ({@code pad <= size}). Every check is here, before any work.
 * The non-constant modes pad the last {@code k = pad.length / 2} dims of a {@code (k+1)}- or
 * {@code (k+2)}-dimensional input.
 */
final class Pad {
    private Pad() {}

    static Tensor pad(Tensor input, int[] pad, PadMode mode, double value) {
        Data.requireFloating("pad", "input", input);
        if (pad.length % 2 != 0) {
            throw new IllegalArgumentException("Padding length must be divisible by 2, but got " + pad.length
                    + " values " + java.util.Arrays.toString(pad));
        }
        int k = pad.length / 2;
        int rank = input.dim();
        if (k > rank) {
            throw new IllegalArgumentException("Padding length too large: " + pad.length + " values pad " + k
                    + " dims, but the input of size " + input.shape() + " has " + rank);
        }
        boolean constant = mode == PadMode.CONSTANT;
        if (!constant && rank != k + 1 && rank != k + 2) {
            throw new IllegalArgumentException(mode + " padding of " + k + " dims expects a " + (k + 1) + "D or " + (k + 2)
                    + "D input, but got input of size " + input.shape());
        }
        int[] in = input.shape().toArray();
        int[] before = new int[rank];
        int[] after = new int[rank];
        int[] out = in.clone();
        for (int i = 0; i < k; i++) {
            int d = rank - 1 - i;
            before[d] = pad[2 * i];
            after[d] = pad[2 * i + 1];
            if (!constant && (before[d] < 0 || after[d] < 0)) {
                throw new IllegalArgumentException(mode + " padding (" + before[d] + ", " + after[d] + ") of dimension " + d
                        + " must be non-negative");
            }
            if (mode == PadMode.REFLECT && (before[d] >= in[d] || after[d] >= in[d])) {
                throw new IllegalArgumentException("Padding size should be less than the corresponding input dimension, but got: "
                        + "reflect padding (" + before[d] + ", " + after[d] + ") at dimension " + d + " of input of size "
                        + input.shape());
            }
            if (mode == PadMode.CIRCULAR && (before[d] > in[d] || after[d] > in[d])) {
                throw new IllegalArgumentException("Padding value causes wrapping around more than once: circular padding ("
                        + before[d] + ", " + after[d] + ") at dimension " + d + " of input of size " + input.shape()
                        + " must be at most " + in[d]);
            }
            if (mode == PadMode.REPLICATE && in[d] == 0) {
                throw new IllegalArgumentException("replicate padding of an empty dimension " + d + " of input of size " + input.shape());
            }
            out[d] = in[d] + before[d] + after[d];
            if (out[d] < 0) {
                throw new IllegalArgumentException("The input size " + in[d] + ", plus negative padding " + before[d] + " and "
                        + after[d] + " resulted in a negative output size " + out[d] + " at dimension " + d);
            }
        }
        double[] xs = Data.read(input);
        int n = (int) Data.prod(out);
        double[] res = new double[n];
        int[] idx = new int[rank];
        int[] inStrides = new int[rank];
        int acc = 1;
        for (int d = rank - 1; d >= 0; d--) {
            inStrides[d] = acc;
            acc *= in[d];
        }
        int[] srcOf = new int[n];
        for (int f = 0; f < n; f++) {
            Data.unravel(f, out, idx);
            int src = 0;
            for (int d = 0; d < rank && src >= 0; d++) {
                int pos = mode.source(idx[d] - before[d], in[d]);
                src = pos < 0 ? -1 : src + pos * inStrides[d];
            }
            srcOf[f] = src;
            res[f] = src < 0 ? value : xs[src];
        }
        Tensor y = Data.tensor(res, input.dtype(), out);
        // d/dx: every padded element adds its gradient to the input element it copied
        return Autograd.record(y, "PadBackward", new Tensor[] {input}, new Tensor[0], g -> {
            double[] gy = Data.read(g);
            double[] gx = new double[xs.length];
            for (int f = 0; f < gy.length; f++) if (srcOf[f] >= 0) gx[srcOf[f]] += gy[f];
            return new Tensor[] {Data.tensor(gx, input.dtype(), in)};
        });
    }
}
