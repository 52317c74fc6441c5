package org.convinit.nn.functional.kernels;

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

        /** 2×2 windows, stride 2, no padding or dilation, all inside the input (the common CNN pooling). */
        boolean twoByTwo() {
            return k[0] == 1 && s[0] == 1 && k[1] == 2 && k[2] == 2 && s[1] == 2 && s[2] == 2 && p[1] == 0 && p[2] == 0 && d[1] == 1
                    && d[2] == 1 && 2 * out[1] <= in[1] && 2 * out[2] <= in[2] && p[0] == 0;
        }
    }

    /**
     * Max pooling: each output is its window's maximum (the first maximum, or the first NaN, in window
     * order); the backward sends {@code dy} to that cell.
     */
    public static Tensor maxPool(Tensor input, int planes, Geometry g, int[] outShape) {
        Dense x = Dense.of(input);
        Dense y = Dense.alloc(outShape);
        int[] arg = new int[planes * g.outVol]; // flat index within the plane of each output's maximum
        boolean fast = g.twoByTwo();
        LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
            if (fast) max2x2(x.a, x.off + pl * g.inVol, g, y.a, arg, pl * g.outVol);
            else maxPlane(x.a, x.off + pl * g.inVol, g, y.a, arg, pl * g.outVol);
        });
        int[] inShape = input.shape().toArray();
        return Autograd.record(y.tensor, "MaxPoolBackward", new Tensor[] {input}, new Tensor[0], gOut -> {
            Dense gy = Dense.of(gOut);
            Dense gx = Dense.alloc(inShape);
            LayerKernels.forEach(planes, (long) planes * g.inVol, pl -> {
                int xb = pl * g.inVol;
                for (int o = pl * g.outVol, end = o + g.outVol; o < end; o++) {
                    if (arg[o] >= 0) gx.a[xb + arg[o]] += gy.a[gy.off + o];
                }
            });
            return new Tensor[] {gx.tensor};
        });
    }

    private static void maxPlane(float[] x, int xb, Geometry g, float[] y, int[] arg, int yb) {
        int o = yb;
        for (int od = 0; od < g.out[0]; od++) {
            for (int oh = 0; oh < g.out[1]; oh++) {
                for (int ow = 0; ow < g.out[2]; ow++, o++) {
                    float max = Float.NEGATIVE_INFINITY;
                    int at = -1;
                    window:
                    for (int kd = 0; kd < g.k[0]; kd++) {
                        int id = od * g.s[0] - g.p[0] + kd * g.d[0];
                        if (id < 0 || id >= g.in[0]) continue;
                        for (int kh = 0; kh < g.k[1]; kh++) {
                            int ih = oh * g.s[1] - g.p[1] + kh * g.d[1];
                            if (ih < 0 || ih >= g.in[1]) continue;
                            for (int kw = 0; kw < g.k[2]; kw++) {
                                int iw = ow * g.s[2] - g.p[2] + kw * g.d[2];
                                if (iw < 0 || iw >= g.in[2]) continue;
                                int q = (id * g.in[1] + ih) * g.in[2] + iw;
                                float v = x[xb + q];
                                if (at < 0 || v > max || v != v) {
                                    max = v;
                                    at = q;
                                    if (v != v) break window;
                                }
                            }
                        }
                    }
                    y[o] = max;
                    arg[o] = at;
                }
            }
        }
    }

    /**
     * {@link #maxPlane} for {@link Geometry#twoByTwo()}, without branches (random data mispredicts every
     * other one): a later cell wins when it is greater, or NaN while the maximum so far is not (so the
     * first maximum, or the first NaN, wins); the choice is applied as an all-ones or zero mask to
     * the value's bits and to the index.
     */
    private static void max2x2(float[] x, int xb, Geometry g, float[] y, int[] arg, int yb) {
        int w = g.in[2];
        int o = yb;
        for (int od = 0; od < g.out[0]; od++) {
            for (int oh = 0; oh < g.out[1]; oh++) {
                int row = (od * g.in[1] + 2 * oh) * w;
                for (int ow = 0; ow < g.out[2]; ow++, o++) {
                    int q = row + 2 * ow;
                    float m = x[xb + q];
                    int bits = Float.floatToRawIntBits(m);
                    int at = q;
                    for (int c = 1; c < 4; c++) {
                        int cell = q + (c >> 1) * w + (c & 1);
                        float v = x[xb + cell];
                        int t = -((v > m ? 1 : 0) | ((v != v ? 1 : 0) & (m == m ? 1 : 0)));
                        bits = (Float.floatToRawIntBits(v) & t) | (bits & ~t);
                        at = (cell & t) | (at & ~t);
                        m = Float.intBitsToFloat(bits);
                    }
                    y[o] = m;
                    arg[o] = at;
                }
            }
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
            Dense gx = Dense.alloc(inShape);
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
