package org.convinit.nn.functional;

import java.util.Arrays;

import org.convinit.autograd.Autograd;
import org.convinit.tensor.Tensor;

/**
 * Adaptive average and max pooling over the last 1, 2 or 3 dims of {@code [N, C, *S]} or {@code [C, *S]}: output cell
 * {@code i} of a dim covers input cells {@code [floor(i·in/out), ceil((i+1)·in/out))} (ATen's start/end index). Literal
 * loops in double, rounded once to the input's dtype; max pooling also gives each maximum's index in its plane's
 * flattened spatial dims, as {@code return_indices=True}.
 */
final class AdaptivePooling {
    private AdaptivePooling() {}

    private record Windows(int planes, int inVol, int[][] cells, int[] outShape) {}

    private static Windows windows(String op, int dims, Tensor input, Integer[] outputSize) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (dims + 1) + "D (unbatched) or " + (dims + 2)
                    + "D (batched) input, but got input of size " + input.shape());
        }
        Data.requireFloating(op, "input", input);
        if (outputSize.length != 1 && outputSize.length != dims) {
            throw new IllegalArgumentException(op + ": output_size=" + Arrays.toString(outputSize) + ": expected 1 or " + dims + " values");
        }
        int lead = input.dim() - dims;
        int[] in = new int[dims];
        int[] out = new int[dims];
        for (int i = 0; i < dims; i++) {
            in[i] = input.size(lead + i);
            Integer o = outputSize.length == 1 ? outputSize[0] : outputSize[i];
            out[i] = o == null ? in[i] : o;
            if (out[i] < 0) throw new IllegalArgumentException(op + ": output_size=" + Arrays.toString(outputSize) + " must be >= 0");
            if (in[i] == 0 && out[i] > 0) {
                throw new IllegalArgumentException(op + ": expected a non-empty input, but got input of size " + input.shape());
            }
        }
        int planes = 1;
        for (int i = 0; i < lead; i++) planes *= input.size(i);
        int outVol = (int) Data.prod(out);
        int[][] cells = new int[outVol][];
        int[] o = new int[dims];
        for (int p = 0; p < outVol; p++) {
            Data.unravel(p, out, o);
            int[] lo = new int[dims];
            int[] len = new int[dims];
            for (int i = 0; i < dims; i++) {
                lo[i] = Pooling.start(o[i], out[i], in[i]);
                len[i] = Pooling.end(o[i], out[i], in[i]) - lo[i];
            }
            int n = (int) Data.prod(len);
            int[] c = new int[n];
            int[] k = new int[dims];
            for (int q = 0; q < n; q++) {
                Data.unravel(q, len, k);
                int idx = 0;
                for (int i = 0; i < dims; i++) idx = idx * in[i] + lo[i] + k[i];
                c[q] = idx;
            }
            cells[p] = c;
        }
        int[] shape = input.shape().toArray();
        for (int i = 0; i < dims; i++) shape[lead + i] = out[i];
        return new Windows(planes, (int) Data.prod(in), cells, shape);
    }

    /** {@code F.adaptive_avg_pool{dims}d}: the mean of each window; backward spreads {@code dy / |window|} over it. */
    static Tensor avg(int dims, Tensor input, Integer... outputSize) {
        Windows w = windows("adaptive_avg_pool" + dims + "d", dims, input, outputSize);
        double[] xs = Data.read(input);
        int outVol = w.cells().length;
        double[] res = new double[w.planes() * outVol];
        for (int pl = 0; pl < w.planes(); pl++) {
            for (int p = 0; p < outVol; p++) {
                double s = 0;
                for (int idx : w.cells()[p]) s += xs[pl * w.inVol() + idx];
                res[pl * outVol + p] = s / w.cells()[p].length;
            }
        }
        Tensor y = Data.tensor(res, input.dtype(), w.outShape());
        return Autograd.record(y, "AdaptiveAvgPoolBackward0", new Tensor[] {input}, new Tensor[0], g -> {
            double[] gy = Data.read(g);
            double[] gx = new double[xs.length];
            for (int pl = 0; pl < w.planes(); pl++) {
                for (int p = 0; p < outVol; p++) {
                    double d = gy[pl * outVol + p] / w.cells()[p].length;
                    for (int idx : w.cells()[p]) gx[pl * w.inVol() + idx] += d;
                }
            }
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray())};
        });
    }

    /**
     * {@code F.adaptive_max_pool{dims}d(..., return_indices=True)}: {output, indices}; the first maximum of each window
     * (a NaN wins), its index in the plane's flattened spatial dims (int64); backward routes {@code dy} to it.
     */
    static Tensor[] max(int dims, Tensor input, Integer... outputSize) {
        Windows w = windows("adaptive_max_pool" + dims + "d", dims, input, outputSize);
        double[] xs = Data.read(input);
        int outVol = w.cells().length;
        double[] res = new double[w.planes() * outVol];
        int[] at = new int[res.length];
        long[] indices = new long[res.length];
        for (int pl = 0; pl < w.planes(); pl++) {
            for (int p = 0; p < outVol; p++) {
                double m = Double.NEGATIVE_INFINITY;
                int best = w.cells()[p][0];
                for (int idx : w.cells()[p]) {
                    double v = xs[pl * w.inVol() + idx];
                    if (v > m || Double.isNaN(v)) {
                        m = v;
                        best = idx;
                        if (Double.isNaN(v)) break;
                    }
                }
                res[pl * outVol + p] = xs[pl * w.inVol() + best];
                at[pl * outVol + p] = pl * w.inVol() + best;
                indices[pl * outVol + p] = best;
            }
        }
        Tensor y = Data.tensor(res, input.dtype(), w.outShape());
        Tensor out = Autograd.record(y, "AdaptiveMaxPoolBackward0", new Tensor[] {input}, new Tensor[0], g -> {
            double[] gy = Data.read(g);
            double[] gx = new double[xs.length];
            for (int i = 0; i < gy.length; i++) gx[at[i]] += gy[i];
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray())};
        });
        return new Tensor[] {out, Tensor.of(indices, w.outShape())};
    }
}
