package org.convinit.nn.functional.kernels;

import org.convinit.autograd.ActivationBuffers;
import org.convinit.autograd.Autograd;
import org.convinit.tensor.Tensor;

/**
 * Float32 max and average pooling over {@code planes} dense planes of a {@code [D, H, W]} volume
 * (1-d and 2-d pooling pass leading sizes of 1), on the tensor's own storage, parallel over planes.
 * Geometry (output sizes, windows, divisors) comes checked from the caller; the semantics are
 * {@code F.maxPool}'s and {@code F.avgPool}'s.
 */
public final class FastPooling {
    private FastPooling() {}

    /** The 3-d geometry of a pooling: input and output sizes, and (max pooling) kernel, stride, padding, dilation. */
    public static final class Geometry {
        final int[] in;
        final int[] out;
        final int[] k;
        final int[] s;
        final int[] p;
        final int[] d;
        final int inVol;
        final int outVol;

        /** All arrays hold 3 values (D, H, W); k, s, p, d may be null for average pooling. */
        public Geometry(int[] in, int[] out, int[] k, int[] s, int[] p, int[] d) {
            this.in = in.clone();
            this.out = out.clone();
            this.k = k == null ? null : k.clone();
            this.s = s == null ? null : s.clone();
            this.p = p == null ? null : p.clone();
            this.d = d == null ? null : d.clone();
            inVol = in[0] * in[1] * in[2];
            outVol = out[0] * out[1] * out[2];
        }
    }

    /**
     * Max pooling: each output is its window's maximum (the first maximum, or the first NaN, in window
     * order); the backward sends {@code dy} to that cell. Two passes per output row, each vectorized: the
     * best of the window's input rows for every input column ({@link FloatLayerKernel#maxPoolRows}), then the
     * best of the window's columns of that ({@link FloatLayerKernel#maxPoolColumns}), the columns whose
     * windows lie inside the input as one run (the whole plane as one run when the rows tile it exactly) and
     * the clipped windows at the ends one by one; 2×2 windows with stride 2 in one pass instead
     * ({@link FloatLayerKernel#maxPool2x2}). No argmax is kept when no graph is recorded.
     */
    public static Tensor maxPool(FloatLayerKernel k, Tensor input, int planes, Geometry g, int[] outShape) {
        Dense x = Dense.of(input);
        Dense y = Dense.alloc(outShape);
        boolean record = Autograd.isRecording(input);
        int[] arg = record ? ActivationBuffers.ints(planes * g.outVol) : null; // offset within the plane of each output's maximum
        Plan plan = new Plan(g);
        int w = g.in[2];
        int scratch = plan.rows.length * w + 16 * 2; // the stride-2 vector loop reads one float past the last cell
        boolean twoByTwo = isTwoByTwo(g);
        LayerKernels.forEach(planes, (long) planes * g.inVol, () -> twoByTwo ? new float[1][32] : new float[2][scratch], (pl, t) -> {
            int xb = x.off + pl * g.inVol;
            int yb = pl * g.outVol;
            if (twoByTwo) {
                int outPlane = g.out[1] * g.out[2];
                for (int od = 0; od < g.out[0]; od++) {
                    k.maxPool2x2(x.a, xb, od * g.in[1] * w, w, g.out[1], g.out[2], y.a, yb + od * outPlane, arg, t[0]);
                }
                return;
            }
            for (int r = 0; r < plan.rows.length; r++) {
                if (plan.rows[r].length > 0) k.maxPoolRows(x.a, xb, plan.rows[r], plan.rows[r].length, w, t[0], t[1], r * w);
            }
            if (plan.tiled) {
                k.maxPoolColumns(t[0], t[1], 0, g.k[2], g.s[2], g.d[2], g.outVol, y.a, yb, arg);
                return;
            }
            for (int r = 0; r < plan.rows.length; r++) {
                int yo = yb + r * g.out[2];
                for (int ow = 0; ow < g.out[2]; ow++) {
                    if (ow == plan.lo && plan.rows[r].length > 0 && plan.hi > plan.lo) {
                        k.maxPoolColumns(t[0], t[1], r * w + plan.lo * g.s[2] - g.p[2], g.k[2], g.s[2], g.d[2], plan.hi - plan.lo, y.a,
                                yo + ow, arg);
                        ow = plan.hi - 1;
                        continue;
                    }
                    int k0 = plan.kwLo[ow];
                    int n = plan.rows[r].length == 0 ? 0 : plan.kwHi[ow] - k0;
                    if (n > 0) {
                        k.maxPoolColumns(t[0], t[1], r * w + ow * g.s[2] - g.p[2] + k0 * g.d[2], n, g.s[2], g.d[2], 1, y.a, yo + ow, arg);
                    } else {
                        y.a[yo + ow] = Float.NEGATIVE_INFINITY;
                        if (arg != null) arg[yo + ow] = -1;
                    }
                }
            }
        });
        if (!record) return y.tensor;
        int[] inShape = input.shape().toArray();
        boolean tiles = twoByTwo && 2 * g.out[1] == g.in[1] && 2 * g.out[2] == g.in[2];
        return Autograd.record(y.tensor, "MaxPoolBackward", new Tensor[] {input}, new Tensor[0], gOut -> {
            Dense gy = Dense.of(gOut);
            if (tiles) return new Tensor[] {twoByTwoBackward(gy, planes, g, arg, Dense.grad(inShape)).tensor};
            Dense gx = Dense.zeroGrad(inShape);
            LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
                int xb = pl * g.inVol;
                for (int o = pl * g.outVol, end = o + g.outVol; o < end; o++) {
                    if (arg[o] >= 0) gx.a[xb + arg[o]] += gy.a[gy.off + o];
                }
            });
            return new Tensor[] {gx.tensor};
        });
    }

    /**
     * The backward of 2×2 windows that tile the plane exactly: each output row's two input rows zeroed by one fill,
     * then each window's maximum's cell set to {@code 0 + dy} (the same bits as the scatter into zeros), so the
     * gradient array need not be zeroed first (a fill and a scatter: 1.75 -> 1.33 ms for [64,32,28,28] against four
     * stores per window and the scatter).
     */
    private static Dense twoByTwoBackward(Dense gy, int planes, Geometry g, int[] arg, Dense gx) {
        int w = g.in[2];
        int oh = g.out[1];
        int ow = g.out[2];
        int depth = g.out[0];
        LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
            for (int od = 0; od < depth; od++) {
                int xb = pl * g.inVol + od * g.in[1] * w;
                int o = pl * g.outVol + od * oh * ow;
                for (int i = 0; i < oh; i++) {
                    int r = xb + 2 * i * w;
                    java.util.Arrays.fill(gx.a, r, r + 2 * w, 0f); // the row's windows cover these two input rows exactly
                    for (int j = 0; j < ow; j++, o++) gx.a[pl * g.inVol + arg[o]] = 0f + gy.a[gy.off + o];
                }
            }
        });
        return gx;
    }

    /** Windows 2×2 (1×2×2), stride 2, no padding or dilation, none clipped: {@link FloatLayerKernel#maxPool2x2}'s case. */
    private static boolean isTwoByTwo(Geometry g) {
        boolean plain = g.k[0] == 1 && g.s[0] == 1 && g.p[0] == 0 && g.out[0] == g.in[0];
        return plain && g.k[1] == 2 && g.k[2] == 2 && g.s[1] == 2 && g.s[2] == 2 && g.p[1] == 0 && g.p[2] == 0 && g.d[1] == 1 && g.d[2] == 1
                && 2 * g.out[1] <= g.in[1] && 2 * g.out[2] <= g.in[2];
    }

    /**
     * Where a max pooling's windows fall, shared by all planes: for each output row {@code (od, oh)} the plane
     * offsets of its window's input rows that lie inside the input, in window order; the output columns
     * {@code [lo, hi)} whose windows lie inside the input's columns; for every column the valid {@code kw} range
     * {@code [kwLo, kwHi)}; and whether the rows tile the plane exactly (no padding or clipping, {@code W = out·stride}),
     * so the second pass can run over the whole plane at once.
     */
    private static final class Plan {
        final int[][] rows;
        final int lo;
        final int hi;
        final int[] kwLo;
        final int[] kwHi;
        final boolean tiled;

        Plan(Geometry g) {
            int w = g.in[2];
            rows = new int[g.out[0] * g.out[1]][];
            boolean full = true;
            for (int od = 0; od < g.out[0]; od++) {
                for (int oh = 0; oh < g.out[1]; oh++) {
                    int[] rs = new int[g.k[0] * g.k[1]];
                    int nr = 0;
                    for (int kd = 0; kd < g.k[0]; kd++) {
                        int id = od * g.s[0] - g.p[0] + kd * g.d[0];
                        if (id < 0 || id >= g.in[0]) continue;
                        for (int kh = 0; kh < g.k[1]; kh++) {
                            int ih = oh * g.s[1] - g.p[1] + kh * g.d[1];
                            if (ih >= 0 && ih < g.in[1]) rs[nr++] = (id * g.in[1] + ih) * w;
                        }
                    }
                    full &= nr > 0;
                    rows[od * g.out[1] + oh] = java.util.Arrays.copyOf(rs, nr);
                }
            }
            kwLo = new int[g.out[2]];
            kwHi = new int[g.out[2]];
            for (int ow = 0; ow < g.out[2]; ow++) {
                int c = ow * g.s[2] - g.p[2];
                int a = 0;
                while (a < g.k[2] && c + a * g.d[2] < 0) a++;
                int b = a;
                while (b < g.k[2] && c + b * g.d[2] < w) b++;
                kwLo[ow] = a;
                kwHi[ow] = b;
            }
            int l = Math.min(g.out[2], (g.p[2] + g.s[2] - 1) / g.s[2]);
            lo = l;
            hi = Math.max(l, Math.min(g.out[2], Math.floorDiv(w - 1 + g.p[2] - (g.k[2] - 1) * g.d[2], g.s[2]) + 1));
            tiled = full && lo == 0 && hi == g.out[2] && w == g.out[2] * g.s[2];
        }
    }

    /**
     * Average pooling: output {@code (d, h, w)} averages the input cells {@code [lo, hi)} per dim (none:
     * 0), divided by {@code divisorOverride} if given, else by {@code Π size[dim][o]}; the backward spreads
     * {@code dy / divisor} over the same cells.
     */
    public static Tensor avgPool(String name, Tensor input, int planes, Geometry g, int[][] lo, int[][] hi, int[][] size,
                                 Integer divisorOverride, int[] outShape) {
        Dense x = Dense.of(input);
        Dense y = Dense.alloc(outShape);
        double[] div = new double[g.outVol];
        int o = 0;
        for (int od = 0; od < g.out[0]; od++) {
            for (int oh = 0; oh < g.out[1]; oh++) {
                for (int ow = 0; ow < g.out[2]; ow++, o++) {
                    div[o] = divisorOverride != null ? divisorOverride : (double) size[0][od] * size[1][oh] * size[2][ow];
                }
            }
        }
        int[][] cells = cells(g, lo, hi);
        LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
            for (int q = 0; q < g.outVol; q++) {
                double s = 0;
                for (int c : cells[q]) s += x.a[x.off + pl * g.inVol + c];
                y.a[pl * g.outVol + q] = cells[q].length == 0 ? 0 : (float) (s / div[q]);
            }
        });
        int[] inShape = input.shape().toArray();
        return Autograd.record(y.tensor, name, new Tensor[] {input}, new Tensor[0], gOut -> {
            Dense gy = Dense.of(gOut);
            Dense gx = Dense.zeroGrad(inShape);
            LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
                for (int q = 0; q < g.outVol; q++) {
                    float dv = (float) (gy.a[gy.off + pl * g.outVol + q] / div[q]);
                    for (int c : cells[q]) gx.a[pl * g.inVol + c] += dv;
                }
            });
            return new Tensor[] {gx.tensor};
        });
    }

    /** The flat plane indices of each output's window cells, shared by all planes. */
    private static int[][] cells(Geometry g, int[][] lo, int[][] hi) {
        int[][] cells = new int[g.outVol][];
        int q = 0;
        for (int od = 0; od < g.out[0]; od++) {
            for (int oh = 0; oh < g.out[1]; oh++) {
                for (int ow = 0; ow < g.out[2]; ow++, q++) {
                    int nd = Math.max(0, hi[0][od] - lo[0][od]);
                    int nh = Math.max(0, hi[1][oh] - lo[1][oh]);
                    int nw = Math.max(0, hi[2][ow] - lo[2][ow]);
                    int[] cell = new int[nd * nh * nw];
                    int c = 0;
                    for (int id = lo[0][od]; id < hi[0][od]; id++) {
                        for (int ih = lo[1][oh]; ih < hi[1][oh]; ih++) {
                            for (int iw = lo[2][ow]; iw < hi[2][ow]; iw++) cell[c++] = (id * g.in[1] + ih) * g.in[2] + iw;
                        }
                    }
                    cells[q] = cell;
                }
            }
        }
        return cells;
    }
}
