package org.convinit.nn.functional;

import java.util.Arrays;

import org.convinit.autograd.Autograd;
import org.convinit.nn.functional.kernels.FastPooling;
import org.convinit.nn.functional.kernels.LayerKernels;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Max, average and adaptive average pooling over the last {@code dims} dims of a batched
 * {@code [N, C, *S]} or unbatched {@code [C, *S]} input, as torch 1.13 computes them on CPU.
 *
 * <p>Output size per dim: {@code floor_or_ceil((in + 2·pad - dilation·(k-1) - 1) / stride) + 1};
 * with {@code ceil_mode} the last window must start inside the input or the left padding. Float32 runs
 * {@link FastPooling}; the {@code reference} methods are the literal loops in double (float64 runs them).
 */
final class Pooling {
    private Pooling() {}

    /** torch's {@code pooling_output_shape}. */
    static long outputSize(int in, int k, int pad, int stride, int dilation, boolean ceilMode) {
        long num = (long) in + 2L * pad - (long) dilation * (k - 1) - 1 + (ceilMode ? stride - 1 : 0);
        long out = Math.floorDiv(num, stride) + 1;
        if (ceilMode && (out - 1) * stride >= (long) in + pad) out--;
        return out;
    }

    private static final class Geometry {
        int[] k;
        int[] s;
        int[] p;
        int[] d;
        int[] in;
        int[] out;
        int planes;
        int[] outShape;
        boolean batched;
    }

    private static Geometry geometry(String op, int dims, Tensor input, int[] kernel, int[] stride, int[] padding,
                                     int[] dilation, boolean ceilMode) {
        if (input.dim() != dims + 1 && input.dim() != dims + 2) {
            throw new IllegalArgumentException(op + ": expected a " + (dims + 1) + "D (unbatched) or " + (dims + 2)
                    + "D (batched) input, but got input of size " + input.shape());
        }
        Data.requireFloating(op, "input", input);
        Geometry g = new Geometry();
        g.k = expand(op, "kernel_size", kernel, dims);
        g.s = stride == null || stride.length == 0 ? g.k.clone() : expand(op, "stride", stride, dims);
        g.p = expand(op, "padding", padding, dims);
        g.d = expand(op, "dilation", dilation, dims);
        for (int i = 0; i < dims; i++) {
            if (g.k[i] <= 0) {
                throw new IllegalArgumentException(op + ": kernel_size should be greater than zero, but got kernel_size="
                        + Arrays.toString(g.k));
            }
            if (g.s[i] <= 0) {
                throw new IllegalArgumentException(op + ": stride should be greater than zero, but got stride=" + Arrays.toString(g.s));
            }
            if (g.d[i] <= 0) {
                throw new IllegalArgumentException(op + ": dilation should be greater than zero, but got dilation="
                        + Arrays.toString(g.d));
            }
            if (g.p[i] < 0 || g.p[i] > g.k[i] / 2) {
                throw new IllegalArgumentException(op + ": pad should be at most half of kernel size, but got pad=" + g.p[i]
                        + " and kernel_size=" + g.k[i] + " (padding=" + Arrays.toString(g.p) + ", kernel_size="
                        + Arrays.toString(g.k) + ")");
            }
        }
        int lead = input.dim() - dims;
        g.in = new int[dims];
        g.out = new int[dims];
        boolean small = false;
        for (int i = 0; i < dims; i++) {
            g.in[i] = input.size(lead + i);
            long o = outputSize(g.in[i], g.k[i], g.p[i], g.s[i], g.d[i], ceilMode);
            if (o < 1) small = true;
            g.out[i] = (int) o;
        }
        int c = input.size(lead - 1);
        if (small) {
            throw new IllegalArgumentException(op + ": Given input size: (" + c + "x" + Data.join(g.in, "x")
                    + "). Calculated output size: (" + c + "x" + Data.join(g.out, "x") + "). Output size is too small");
        }
        g.planes = 1;
        for (int i = 0; i < lead; i++) g.planes *= input.size(i);
        g.outShape = new int[input.dim()];
        for (int i = 0; i < lead; i++) g.outShape[i] = input.size(i);
        System.arraycopy(g.out, 0, g.outShape, lead, dims);
        return g;
    }

    static Tensor maxPool(int dims, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        String op = "max_pool" + dims + "d";
        Geometry g = geometry(op, dims, input, kernel, stride, padding, dilation, ceilMode);
        if (input.dtype() == DType.FLOAT32 && g.planes > 0) {
            FastPooling.Geometry fg = new FastPooling.Geometry(to3(g.in, 1), to3(g.out, 1), to3(g.k, 1), to3(g.s, 1), to3(g.p, 0),
                    to3(g.d, 1));
            return FastPooling.maxPool(LayerKernels.floats(), input, g.planes, fg, g.outShape);
        }
        return maxPoolReference(dims, input, g);
    }

    /** {@link #maxPool} through the reference loops in double, whatever the dtype (tests and benchmarks). */
    static Tensor maxPoolReference(int dims, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation,
                                   boolean ceilMode) {
        return maxPoolReference(dims, input, geometry("max_pool" + dims + "d", dims, input, kernel, stride, padding, dilation,
                ceilMode));
    }

    private static Tensor maxPoolReference(int dims, Tensor input, Geometry g) {
        double[] xs = Data.read(input);
        double[] res = new double[g.planes * (int) Data.prod(g.out)];
        int[] argmax = maxima(dims, xs, g, res);
        Tensor y = Data.tensor(res, input.dtype(), g.outShape);
        // the gradient goes to the (first) maximum of each window
        return Autograd.record(y, "MaxPoolBackward", new Tensor[] {input}, new Tensor[0], gOut -> {
            double[] gy = Data.read(gOut);
            double[] gx = new double[xs.length];
            for (int i = 0; i < gy.length; i++) if (argmax[i] >= 0) gx[argmax[i]] += gy[i];
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray())};
        });
    }

    /**
     * {@code return_indices=True}'s second result: for each output, the index of its window's (first) maximum in the
     * flattened spatial dims of its input plane, as int64 of the output's shape.
     */
    static Tensor maxPoolIndices(int dims, Tensor input, int[] kernel, int[] stride, int[] padding, int[] dilation, boolean ceilMode) {
        Geometry g = geometry("max_pool" + dims + "d_with_indices", dims, input, kernel, stride, padding, dilation, ceilMode);
        int inVol = (int) Data.prod(g.in);
        int outVol = (int) Data.prod(g.out);
        int[] argmax = maxima(dims, Data.read(input), g, new double[g.planes * outVol]);
        long[] idx = new long[argmax.length];
        for (int i = 0; i < idx.length; i++) idx[i] = argmax[i] < 0 ? -1 : argmax[i] - (long) (i / outVol) * inVol;
        return Tensor.of(idx, g.outShape);
    }

    /** Fills {@code res} with each window's maximum; returns the flat input index of each (-1 for an empty window). */
    private static int[] maxima(int dims, double[] xs, Geometry g, double[] res) {
        int inVol = (int) Data.prod(g.in);
        int outVol = (int) Data.prod(g.out);
        int kVol = (int) Data.prod(g.k);
        int[] argmax = new int[res.length]; // flat input index of each output's maximum, -1 if none
        // the input cells (flat spatial index, in kernel order) each output window covers, shared by all planes
        int[][] cells = new int[outVol][];
        int[] op_ = new int[dims];
        int[] kp = new int[dims];
        int[] buf = new int[kVol];
        for (int p = 0; p < outVol; p++) {
            Data.unravel(p, g.out, op_);
            int m = 0;
            for (int q = 0; q < kVol; q++) {
                Data.unravel(q, g.k, kp);
                int idx = 0;
                for (int i = 0; i < dims && idx >= 0; i++) {
                    int pos = op_[i] * g.s[i] - g.p[i] + kp[i] * g.d[i];
                    idx = pos < 0 || pos >= g.in[i] ? -1 : idx * g.in[i] + pos;
                }
                if (idx >= 0) buf[m++] = idx;
            }
            cells[p] = java.util.Arrays.copyOf(buf, m);
        }
        for (int pl = 0; pl < g.planes; pl++) {
            int base = pl * inVol;
            for (int p = 0; p < outVol; p++) {
                double max = Double.NEGATIVE_INFINITY;
                int at = -1;
                for (int idx : cells[p]) {
                    double v = xs[base + idx];
                    if (v > max || Double.isNaN(v) || at < 0) {
                        max = v;
                        at = base + idx;
                        if (Double.isNaN(v)) break;
                    }
                }
                res[pl * outVol + p] = max;
                argmax[pl * outVol + p] = at;
            }
        }
        return argmax;
    }

    static Tensor avgPool(int dims, Tensor input, int[] kernel, int[] stride, int[] padding, boolean ceilMode,
                          boolean countIncludePad, Integer divisorOverride) {
        String op = "avg_pool" + dims + "d";
        if (divisorOverride != null && divisorOverride == 0) {
            throw new IllegalArgumentException(op + ": divisor must be not zero (divisor_override=0)");
        }
        int[] ones = new int[dims];
        Arrays.fill(ones, 1);
        Geometry g = geometry(op, dims, input, kernel, stride, padding, ones, ceilMode);
        if (input.dtype() == DType.FLOAT32 && g.planes > 0) {
            int[][] lo = new int[3][];
            int[][] hi = new int[3][];
            int[][] size = new int[3][];
            for (int i = 0; i < 3; i++) {
                int dd = i - (3 - dims);
                int n = dd < 0 ? 1 : g.out[dd];
                lo[i] = new int[n];
                hi[i] = new int[n];
                size[i] = new int[n];
                for (int o = 0; o < n; o++) {
                    int start = dd < 0 ? 0 : o * g.s[dd] - g.p[dd];
                    int end = dd < 0 ? 1 : Math.min(start + g.k[dd], g.in[dd] + g.p[dd]);
                    lo[i][o] = Math.max(start, 0);
                    hi[i][o] = dd < 0 ? 1 : Math.min(end, g.in[dd]);
                    size[i][o] = countIncludePad ? end - start : Math.max(0, hi[i][o] - lo[i][o]);
                }
            }
            return FastPooling.avgPool("AvgPoolBackward", input, g.planes, new FastPooling.Geometry(to3(g.in, 1), to3(g.out, 1), null,
                    null, null, null), lo, hi, size, divisorOverride, g.outShape);
        }
        return avgPoolReference(input, g, countIncludePad, divisorOverride);
    }

    private static Tensor avgPoolReference(Tensor input, Geometry g, boolean countIncludePad, Integer divisorOverride) {
        int dims = g.in.length;
        double[] xs = Data.read(input);
        int inVol = (int) Data.prod(g.in);
        int outVol = (int) Data.prod(g.out);
        double[] res = new double[g.planes * outVol];
        int[][] cells = new int[outVol][]; // the input cells (flat spatial index) each output averages
        double[] divisors = new double[outVol];
        int[] op_ = new int[dims];
        int[] lo = new int[dims];
        int[] hi = new int[dims];
        int[] cur = new int[dims];
        for (int p = 0; p < outVol; p++) {
            Data.unravel(p, g.out, op_);
            long poolSize = 1;
            long count = 1;
            boolean empty = false;
            for (int i = 0; i < dims; i++) {
                int start = op_[i] * g.s[i] - g.p[i];
                int end = Math.min(start + g.k[i], g.in[i] + g.p[i]);
                poolSize *= end - start;
                lo[i] = Math.max(start, 0);
                hi[i] = Math.min(end, g.in[i]);
                if (lo[i] >= hi[i]) empty = true;
                count *= Math.max(0, hi[i] - lo[i]);
            }
            divisors[p] = divisorOverride != null ? divisorOverride : countIncludePad ? poolSize : count;
            cells[p] = new int[empty ? 0 : (int) count];
            if (empty) continue;
            System.arraycopy(lo, 0, cur, 0, dims);
            for (int c = 0; c < count; c++) {
                int idx = 0;
                for (int i = 0; i < dims; i++) idx = idx * g.in[i] + cur[i];
                cells[p][c] = idx;
                for (int i = dims - 1; i >= 0 && ++cur[i] == hi[i]; i--) cur[i] = lo[i];
            }
        }
        for (int pl = 0; pl < g.planes; pl++) {
            for (int p = 0; p < outVol; p++) {
                double sum = 0;
                for (int idx : cells[p]) sum += xs[pl * inVol + idx];
                res[pl * outVol + p] = cells[p].length == 0 ? 0 : sum / divisors[p];
            }
        }
        Tensor y = Data.tensor(res, input.dtype(), g.outShape);
        // each averaged cell receives dy / divisor
        return Autograd.record(y, "AvgPoolBackward", new Tensor[] {input}, new Tensor[0], gOut -> {
            double[] gy = Data.read(gOut);
            double[] gx = new double[xs.length];
            for (int p = 0; p < outVol; p++) {
                for (int pl = 0; pl < g.planes; pl++) {
                    double d = gy[pl * outVol + p] / divisors[p];
                    for (int idx : cells[p]) gx[pl * inVol + idx] += d;
                }
            }
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray())};
        });
    }

    /**
     * {@code adaptive_avg_pool2d}: output cell {@code i} of {@code out} averages input cells
     * {@code [floor(i·in/out), ceil((i+1)·in/out))}. {@code outputSize} entries may be null (keep the input size).
     */
    static Tensor adaptiveAvgPool2d(Tensor input, Integer[] outputSize) {
        String op = "adaptive_avg_pool2d";
        if (input.dim() != 3 && input.dim() != 4) {
            throw new IllegalArgumentException(op + ": expected a 3D (unbatched) or 4D (batched) input, but got input of size "
                    + input.shape());
        }
        Data.requireFloating(op, "input", input);
        if (outputSize.length != 1 && outputSize.length != 2) {
            throw new IllegalArgumentException(op + ": output_size must have 1 or 2 values, but got " + Arrays.toString(outputSize));
        }
        for (int i = 1; i < input.dim(); i++) {
            if (input.size(i) == 0) {
                throw new IllegalArgumentException(op + ": expected input to have non-zero size for non-batch dimensions, but "
                        + "input has sizes " + input.shape() + " with dimension " + i + " being empty");
            }
        }
        int lead = input.dim() - 2;
        int[] in = {input.size(lead), input.size(lead + 1)};
        int[] out = new int[2];
        for (int i = 0; i < 2; i++) {
            Integer v = outputSize.length == 1 ? outputSize[0] : outputSize[i];
            out[i] = v == null ? in[i] : v;
        }
        if (out[0] < 0 || out[1] < 0) {
            throw new IllegalArgumentException(op + ": elements of output_size must be greater than or equal to 0 but received ("
                    + out[0] + ", " + out[1] + ")");
        }
        int planes = 1;
        for (int i = 0; i < lead; i++) planes *= input.size(i);
        int[] shape = input.shape().toArray();
        shape[lead] = out[0];
        shape[lead + 1] = out[1];
        if (input.dtype() == DType.FLOAT32 && planes > 0) {
            int[][] lo = {{0}, new int[out[0]], new int[out[1]]};
            int[][] hi = {{1}, new int[out[0]], new int[out[1]]};
            int[][] size = {{1}, new int[out[0]], new int[out[1]]};
            for (int i = 0; i < 2; i++) {
                for (int o = 0; o < out[i]; o++) {
                    lo[i + 1][o] = start(o, out[i], in[i]);
                    hi[i + 1][o] = end(o, out[i], in[i]);
                    size[i + 1][o] = hi[i + 1][o] - lo[i + 1][o];
                }
            }
            return FastPooling.avgPool("AdaptiveAvgPool2DBackward0", input, planes, new FastPooling.Geometry(new int[] {1, in[0], in[1]},
                    new int[] {1, out[0], out[1]}, null, null, null, null), lo, hi, size, null, shape);
        }
        return adaptiveReference(input, planes, in, out, shape);
    }

    private static Tensor adaptiveReference(Tensor input, int planes, int[] in, int[] out, int[] shape) {
        double[] xs = Data.read(input);
        double[] res = new double[planes * out[0] * out[1]];
        adaptiveWindows(planes, in, out, (o, x0, h0, h1, w0, w1) -> {
            double sum = 0;
            for (int h = h0; h < h1; h++) {
                for (int w = w0; w < w1; w++) sum += xs[x0 + h * in[1] + w];
            }
            res[o] = sum / ((h1 - h0) * (w1 - w0));
        });
        Tensor y = Data.tensor(res, input.dtype(), shape);
        return Autograd.record(y, "AdaptiveAvgPool2DBackward0", new Tensor[] {input}, new Tensor[0], gOut -> {
            double[] gy = Data.read(gOut);
            double[] gx = new double[xs.length];
            adaptiveWindows(planes, in, out, (o, x0, h0, h1, w0, w1) -> {
                double d = gy[o] / ((h1 - h0) * (w1 - w0));
                for (int h = h0; h < h1; h++) {
                    for (int w = w0; w < w1; w++) gx[x0 + h * in[1] + w] += d;
                }
            });
            return new Tensor[] {Data.tensor(gx, input.dtype(), input.shape().toArray())};
        });
    }

    /** One adaptive window: output index {@code o}, its plane's first input index, rows {@code [h0, h1)}, columns {@code [w0, w1)}. */
    private interface AdaptiveWindow {
        void visit(int o, int x0, int h0, int h1, int w0, int w1);
    }

    /** Every output of an adaptive 2-d pooling of {@code planes} planes {@code in → out}, in order, with its window. */
    private static void adaptiveWindows(int planes, int[] in, int[] out, AdaptiveWindow body) {
        int o = 0;
        for (int pl = 0; pl < planes; pl++) {
            for (int oh = 0; oh < out[0]; oh++) {
                for (int ow = 0; ow < out[1]; ow++, o++) {
                    body.visit(o, pl * in[0] * in[1], start(oh, out[0], in[0]), end(oh, out[0], in[0]), start(ow, out[1], in[1]),
                            end(ow, out[1], in[1]));
                }
            }
        }
    }

    /** ATen's {@code start_index}: floor(a·c / b) in integers. */
    static int start(int a, int b, int c) {
        return (int) (((long) a * c) / b);
    }

    /** ATen's {@code end_index}: ceil((a+1)·c / b) in integers. */
    static int end(int a, int b, int c) {
        return (int) (1 + ((long) (a + 1) * c - 1) / b);
    }

    /** {@code v} with leading {@code fill} values up to 3 dims. */
    private static int[] to3(int[] v, int fill) {
        int[] out = new int[3];
        Arrays.fill(out, fill);
        System.arraycopy(v, 0, out, 3 - v.length, v.length);
        return out;
    }

    private static int[] expand(String op, String name, int[] v, int dims) {
        if (v.length == 1) {
            int[] out = new int[dims];
            Arrays.fill(out, v[0]);
            return out;
        }
        if (v.length != dims) {
            throw new IllegalArgumentException(op + ": " + name + " must be a single int or a tuple of " + dims
                    + " ints, but got " + name + "=" + Arrays.toString(v));
        }
        return v.clone();
    }
}
