package org.convinit.nn.functional.kernels;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorShuffle;
import jdk.incubator.vector.VectorSpecies;
import org.convinit.internal.OrderedLanes;

/**
 * {@link FloatLayerKernel} on the Vector API ({@code jdk.incubator.vector}) for the loops that are
 * memory-bound or GEMM-shaped; tails fall back to the scalar loops. Loaded only when the module is
 * in the boot layer (see {@link LayerKernels}).
 */
final class VectorLayerKernel extends FloatLayerKernel {
    static final VectorLayerKernel INSTANCE = new VectorLayerKernel();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    /** Floats summed in float lanes before the partial sum moves to double. */
    private static final int BLOCK = 1024;
    /**
     * Most vectors one {@link #tile4x2Run} call covers: short calls, invoked often enough that C2 compiles the loop once
     * instead of an on-stack replacement of a long one and then again (the Vector kernels' WEIGHT_RUN says why 50).
     */
    private static final int DOT_RUN = 50;
    private static final VectorSpecies<Integer> I = S.withLanes(int.class);
    /** Lane indices {@code 0, 1, ..., L-1}. */
    private static final IntVector IOTA = IntVector.zero(I).addIndex(1);
    /** Lanes {@code 0, 2, 4, ...} twice: the even lanes moved to each half. */
    private static final VectorShuffle<Float> EVENS = VectorShuffle.fromOp(S, i -> (2 * i) % L);
    /** Lanes {@code 1, 3, 5, ...} twice: the odd lanes moved to each half. */
    private static final VectorShuffle<Float> ODDS = VectorShuffle.fromOp(S, i -> (2 * i + 1) % L);
    /** {@code 0, 2, 4, ..., 2(L-1)}. */
    private static final IntVector IOTA2 = IOTA.mul(2);
    /** The upper half of the lanes. */
    private static final VectorMask<Float> HIGH_HALF = VectorMask.fromLong(S, ((1L << L) - 1) & (-1L << (L / 2)));

    private VectorLayerKernel() {}

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void relu(float[] x, int xOff, float[] y, int yOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(0f, v.lt(0f)).intoArray(y, yOff + i);
        }
        super.relu(x, xOff + i, y, yOff + i, n - i);
    }

    @Override
    public void reluBackward(float[] gy, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            VectorMask<Float> on = FloatVector.fromArray(S, y, yOff + i).compare(VectorOperators.GT, 0f);
            FloatVector.zero(S).blend(FloatVector.fromArray(S, gy, gOff + i), on).intoArray(gx, gxOff + i);
        }
        super.reluBackward(gy, gOff + i, y, yOff + i, gx, gxOff + i, n - i);
    }

    @Override
    public void hardtanh(float[] x, int xOff, float lo, float hi, float[] y, int yOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.blend(lo, v.lt(lo)).blend(hi, v.compare(VectorOperators.GT, hi)).intoArray(y, yOff + i);
        }
        super.hardtanh(x, xOff + i, lo, hi, y, yOff + i, n - i);
    }

    @Override
    public void hardtanhBackward(float[] gy, int gOff, float[] y, int yOff, float lo, float hi, float[] gx, int gxOff, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, y, yOff + i);
            VectorMask<Float> on = v.compare(VectorOperators.GT, lo).and(v.lt(hi));
            FloatVector.zero(S).blend(FloatVector.fromArray(S, gy, gOff + i), on).intoArray(gx, gxOff + i);
        }
        super.hardtanhBackward(gy, gOff + i, y, yOff + i, lo, hi, gx, gxOff + i, n - i);
    }

    @Override
    public void leakyRelu(float[] x, int xOff, float slope, float[] y, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i);
            v.mul(slope).blend(v, v.compare(VectorOperators.GT, 0f)).intoArray(y, i);
        }
        for (; i < n; i++) {
            float v = x[xOff + i];
            y[i] = v > 0 ? v : v * slope;
        }
    }

    @Override
    public void leakyReluBackward(float[] gy, int gOff, float[] x, int xOff, float slope, float[] gx, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector g = FloatVector.fromArray(S, gy, gOff + i);
            VectorMask<Float> on = FloatVector.fromArray(S, x, xOff + i).compare(VectorOperators.GT, 0f);
            g.mul(slope).blend(g, on).intoArray(gx, i);
        }
        for (; i < n; i++) {
            float g = gy[gOff + i];
            gx[i] = x[xOff + i] > 0 ? g : g * slope;
        }
    }

    /**
     * Full-width rows, a last partial chunk shifted left (recomputed). A row narrower than a vector is one
     * vector step when the reads and writes stay inside the arrays (lanes past {@code w} are junk the caller
     * ignores or overwrites), else the scalar loop.
     */
    @Override
    public void maxPoolRows(float[] x, int xb, int[] rows, int nr, int w, float[] t, float[] ta, int to) {
        int width = w;
        if (w < L) {
            if (xb + rows[nr - 1] + L > x.length || to + L > t.length || to + L > ta.length) {
                super.maxPoolRows(x, xb, rows, nr, w, t, ta, to);
                return;
            }
            width = L;
        }
        for (int c = 0; c < width; c += L) {
            int c0 = Math.min(c, width - L);
            FloatVector m = FloatVector.fromArray(S, x, xb + rows[0] + c0);
            FloatVector at = IOTA.add(rows[0] + c0).reinterpretAsFloats();
            for (int i = 1; i < nr; i++) {
                FloatVector v = FloatVector.fromArray(S, x, xb + rows[i] + c0);
                VectorMask<Float> win = wins(v, m);
                m = m.blend(v, win);
                at = at.blend(IOTA.add(rows[i] + c0).reinterpretAsFloats(), win);
            }
            m.intoArray(t, to + c0);
            at.intoArray(ta, to + c0);
        }
    }

    /**
     * Stride 2 (the common pools): a load at {@code 2·j0} holds the cells of {@code L/2} windows in its even lanes
     * (odd lanes are ignored; they read at most one float past the last cell); two such halves are compacted by one constant shuffle each and a blend into {@code L} outputs. Offsets
     * ride along as int bits in float lanes (compared as floats: non-negative ints order like their bits), so no
     * mask is cast between species (C2 on JDK 17 boxes that). Other strides and rows of fewer than {@code L}
     * windows run the scalar loop; a last partial step is shifted left.
     */
    @Override
    public void maxPoolColumns(float[] t, float[] ta, int tb, int k, int s, int d, int n, float[] y, int yo, int[] arg) {
        if (n < L || s != 2) {
            super.maxPoolColumns(t, ta, tb, k, s, d, n, y, yo, arg);
            return;
        }
        for (int j = 0; j < n; j += L) {
            int j0 = Math.min(j, n - L);
            int qa = tb + 2 * j0;
            int qb = qa + L;
            FloatVector ma = FloatVector.fromArray(S, t, qa);
            FloatVector aa = FloatVector.fromArray(S, ta, qa);
            FloatVector mb = FloatVector.fromArray(S, t, qb);
            FloatVector ab = FloatVector.fromArray(S, ta, qb);
            for (int kw = 1; kw < k; kw++) {
                FloatVector v = FloatVector.fromArray(S, t, qa + kw * d);
                FloatVector av = FloatVector.fromArray(S, ta, qa + kw * d);
                VectorMask<Float> win = beats(v, av, ma, aa);
                ma = ma.blend(v, win);
                aa = aa.blend(av, win);
                v = FloatVector.fromArray(S, t, qb + kw * d);
                av = FloatVector.fromArray(S, ta, qb + kw * d);
                win = beats(v, av, mb, ab);
                mb = mb.blend(v, win);
                ab = ab.blend(av, win);
            }
            FloatVector m = ma.rearrange(EVENS).blend(mb.rearrange(EVENS), HIGH_HALF);
            FloatVector at = aa.rearrange(EVENS).blend(ab.rearrange(EVENS), HIGH_HALF);
            m.intoArray(y, yo + j0);
            if (arg != null) at.reinterpretAsInts().intoArray(arg, yo + j0);
        }
    }

    /**
     * Each output row in steps of {@code L} windows (a last partial step shifted left): two loads per input row, split
     * into the windows' even and odd columns by the constant shuffles, the four cells met in window order. A row of
     * fewer than {@code L} windows is one step whose lanes past {@code n} are junk written over the next rows' outputs
     * (which later overwrite them); a step whose junk would leave the plane's outputs goes through {@code tmp} (values,
     * then offsets as float bits); the last rows, whose loads would leave the rows this call pools, run the scalar loop. That test is
     * on the geometry alone, never on {@code x.length}: a branch taken only for the last plane of an exactly sized array
     * (1 call in thousands) is missing from the profile C2 compiles with, and its first use deoptimized this method in
     * the middle of an epoch (seconds of interpreted and C1 code, boxing every vector, until C2 compiled it again).
     */
    @Override
    public void maxPool2x2(float[] x, int xb, int r0, int w, int rows, int n, float[] y, int yo, int[] arg, float[] tmp) {
        // rows whose vector loads stay inside x: a short row's loads run on into the rows (or planes) after it, whose
        // values land only in lanes past n, written to the next output row's place (rewritten next) or to tmp
        int vr = rows;
        while (n < L && vr > 0 && (long) xb + r0 + 2 * (vr - 1) * w + w + 2 * L > x.length) vr--;
        for (int r = 0; r < vr; r++) {
            int c0 = r0 + 2 * r * w;
            int yr = yo + r * n;
            boolean spill = n < L && r * n + L > rows * n;
            float[] out = spill ? tmp : y;
            for (int j = 0; j < n; j += L) { // one body, inlined: C2 boxes vectors passed to a call it declines to inline
                int j0 = n < L ? 0 : Math.min(j, n - L);
                int c = c0 + 2 * j0;
                int q = xb + c;
                int o = spill ? 0 : yr + j0;
                FloatVector t0 = FloatVector.fromArray(S, x, q);
                FloatVector t1 = FloatVector.fromArray(S, x, q + L);
                FloatVector b0 = FloatVector.fromArray(S, x, q + w);
                FloatVector b1 = FloatVector.fromArray(S, x, q + w + L);
                FloatVector m = t0.rearrange(EVENS).blend(t1.rearrange(EVENS), HIGH_HALF);
                FloatVector v = t0.rearrange(ODDS).blend(t1.rearrange(ODDS), HIGH_HALF);
                VectorMask<Float> w1 = wins(v, m);
                m = m.blend(v, w1);
                v = b0.rearrange(EVENS).blend(b1.rearrange(EVENS), HIGH_HALF);
                VectorMask<Float> w2 = wins(v, m);
                m = m.blend(v, w2);
                v = b0.rearrange(ODDS).blend(b1.rearrange(ODDS), HIGH_HALF);
                VectorMask<Float> w3 = wins(v, m);
                m.blend(v, w3).intoArray(out, o);
                if (arg != null) {
                    IntVector base = IOTA2.add(c);
                    FloatVector at = base.reinterpretAsFloats().blend(base.add(1).reinterpretAsFloats(), w1);
                    at = at.blend(base.add(w).reinterpretAsFloats(), w2).blend(base.add(w + 1).reinterpretAsFloats(), w3);
                    if (spill) at.intoArray(tmp, L);
                    else at.reinterpretAsInts().intoArray(arg, o);
                }
            }
            if (spill) {
                System.arraycopy(tmp, 0, y, yr, n);
                for (int j = 0; arg != null && j < n; j++) arg[yr + j] = Float.floatToRawIntBits(tmp[L + j]);
            }
        }
        if (vr < rows) super.maxPool2x2(x, xb, r0 + 2 * vr * w, w, rows - vr, n, y, yo + vr * n, arg, tmp); // after the loop: no vector live across the call
    }

    /** {@link FloatLayerKernel#beats} lane by lane, with the offsets as float bits. */
    private static VectorMask<Float> beats(FloatVector v, FloatVector av, FloatVector m, FloatVector am) {
        VectorMask<Float> first = av.compare(VectorOperators.LT, am);
        VectorMask<Float> nan = v.test(VectorOperators.IS_NAN).and(m.test(VectorOperators.IS_NAN).not().or(first));
        return nan.or(v.compare(VectorOperators.GT, m)).or(v.compare(VectorOperators.EQ, m).and(first));
    }

    /**
     * Lanes where {@code v} replaces the maximum so far: greater, or NaN while {@code m} is not; written as
     * {@code !(v <= m || m != m)} (the same lanes: {@code v <= m} is false for a NaN {@code v}), fewer IR nodes than the
     * NaN tests, which keeps the 2×2 pooling loop under C2's inlining node budget.
     */
    private static VectorMask<Float> wins(FloatVector v, FloatVector m) {
        return v.compare(VectorOperators.LE, m).or(m.compare(VectorOperators.NE, m)).not();
    }

    /**
     * Each run: blocks of up to {@code BLOCK + L} floats summed in float lanes, each block's lanes added in lane order
     * ({@link OrderedLanes}, through one scratch per call) into the run's double sum, then the scalar tail.
     */
    @Override
    public double sum(float[] x, int off, int stride, int runs, int n) {
        return runSums(x, off, stride, runs, n, 0f, false);
    }

    @Override
    public double sumSquaredDiff(float[] x, int off, int stride, int runs, int n, float m) {
        return runSums(x, off, stride, runs, n, m, true);
    }

    /** {@link #sum} of {@code x}, or with {@code squares} of {@code (x - m)²} (fused multiply-add into the lanes). */
    private double runSums(float[] x, int off, int stride, int runs, int n, float m, boolean squares) {
        float[] lanes = new float[L];
        double total = 0;
        for (int r = 0; r < runs; r++) {
            int o = off + r * stride;
            double s = 0;
            int i = 0;
            while (i <= n - L) {
                int end = Math.min(n - L, i + BLOCK);
                FloatVector acc = FloatVector.zero(S);
                for (; i <= end; i += L) {
                    FloatVector v = FloatVector.fromArray(S, x, o + i);
                    if (squares) {
                        v = v.sub(m);
                        acc = v.fma(v, acc);
                    } else {
                        acc = acc.add(v);
                    }
                }
                s += OrderedLanes.sum(acc, lanes);
            }
            total += s + (squares ? super.sumSquaredDiff(x, o + i, 0, 1, n - i, m) : super.sum(x, o + i, 0, 1, n - i));
        }
        return total;
    }

    /** Full vectors summed in float lanes (the caller's blocks are short enough), lanes added in lane order, then the tail. */
    @Override
    float[] lanes() {
        return new float[L];
    }

    @Override
    void shiftedSums(float[] x, int off, int n, float shift, double[] acc, float[] scratch) {
        int i = 0;
        if (n >= L) {
            FloatVector s = FloatVector.zero(S);
            FloatVector sq = FloatVector.zero(S);
            for (; i <= n - L; i += L) {
                FloatVector d = FloatVector.fromArray(S, x, off + i).sub(shift);
                s = s.add(d);
                sq = d.fma(d, sq);
            }
            acc[0] += OrderedLanes.sum(s, scratch);
            acc[1] += OrderedLanes.sum(sq, scratch);
        }
        super.shiftedSums(x, off + i, n - i, shift, acc, scratch);
    }

    @Override
    public void normalize(float[] x, int xOff, float m, float scale, float shift, boolean relu, float[] y, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector v = FloatVector.fromArray(S, x, xOff + i).sub(m).fma(scale, shift);
            if (relu) v = v.blend(0f, v.lt(0f));
            v.intoArray(y, off + i);
        }
        super.normalize(x, xOff + i, m, scale, shift, relu, y, off + i, n - i);
    }

    /** {@link FloatLayerKernel#dy} lane by lane (as {@link #reluBackward} when {@code y} is not null). */
    private static FloatVector dyLanes(float[] gy, int gi, float[] y, int yi) {
        FloatVector g = FloatVector.fromArray(S, gy, gi);
        return y == null ? g : FloatVector.zero(S).blend(g, FloatVector.fromArray(S, y, yi).compare(VectorOperators.GT, 0f));
    }

    @Override
    public void gradSums(float[] gy, int gOff, float[] y, int yOff, float[] x, int xOff, int stride, int runs, float m, int n,
                         double[] acc) {
        float[] lanes = new float[L];
        for (int r = 0; r < runs; r++) {
            int d = r * stride;
            int i = 0;
            while (i <= n - L) {
                int end = Math.min(n - L, i + BLOCK);
                FloatVector s = FloatVector.zero(S);
                FloatVector sx = FloatVector.zero(S);
                for (; i <= end; i += L) {
                    FloatVector g = dyLanes(gy, gOff + d + i, y, yOff + d + i);
                    s = s.add(g);
                    sx = FloatVector.fromArray(S, x, xOff + d + i).sub(m).fma(g, sx);
                }
                acc[0] += OrderedLanes.sum(s, lanes);
                acc[1] += OrderedLanes.sum(sx, lanes);
            }
            super.gradSums(gy, gOff + d + i, y, yOff + d + i, x, xOff + d + i, 0, 1, m, n - i, acc);
        }
    }

    @Override
    public void normBackward(float[] gy, int gOff, float[] y, int yOff, float[] x, int xOff, float m, float a, float s, float t,
                             float[] gx, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) {
            FloatVector d = FloatVector.fromArray(S, x, xOff + i).sub(m).mul(t);
            dyLanes(gy, gOff + i, y, yOff + i).sub(a).mul(s).sub(d).intoArray(gx, off + i);
        }
        super.normBackward(gy, gOff + i, y, yOff + i, x, xOff + i, m, a, s, t, gx, off + i, n - i);
    }

    @Override
    public void scale(float[] gy, int gOff, float[] y, int yOff, float s, float[] gx, int off, int n) {
        int i = 0;
        for (; i <= n - L; i += L) dyLanes(gy, gOff + i, y, yOff + i).mul(s).intoArray(gx, off + i);
        super.scale(gy, gOff + i, y, yOff + i, s, gx, off + i, n - i);
    }

    @Override
    public void gemmNT(int m, int n, int kLen, float[] a, int aOff, int lda, float[] b, int bOff, int ldb, float[] bias, float[] c,
                       int cOff, int ldc) {
        int kv = kLen - kLen % L;
        float[] lanes = new float[8 * L]; // tile4x2's accumulators; dot's lanes
        int i = 0;
        for (; i + 4 <= m; i += 4) {
            int j = 0;
            for (; j + 2 <= n; j += 2) tile4x2(kLen, kv, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, bias, j, c, cOff + i * ldc + j, ldc, lanes);
            for (; j < n; j++) {
                for (int r = 0; r < 4; r++) dot(kLen, kv, a, aOff + (i + r) * lda, b, bOff + j * ldb, bias, j, c, cOff + (i + r) * ldc + j, lanes);
            }
        }
        for (; i < m; i++) {
            for (int j = 0; j < n; j++) dot(kLen, kv, a, aOff + i * lda, b, bOff + j * ldb, bias, j, c, cOff + i * ldc + j, lanes);
        }
    }

    private static void dot(int kLen, int kv, float[] a, int ao, float[] b, int bo, float[] bias, int j, float[] c, int co, float[] lanes) {
        FloatVector acc = FloatVector.zero(S);
        for (int k = 0; k < kv; k += L) acc = FloatVector.fromArray(S, a, ao + k).fma(FloatVector.fromArray(S, b, bo + k), acc);
        finish(acc, kLen, kv, a, ao, b, bo, bias, j, c, co, lanes);
    }

    /**
     * Four rows of A against two rows of B: eight dot products sharing their loads, their vector bodies in runs of at
     * most {@link #DOT_RUN} vectors ({@link #tile4x2Run}, the accumulators in {@code acc} between runs).
     */
    private static void tile4x2(int kLen, int kv, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] bias, int j, float[] c,
                                int co, int ldc, float[] acc) {
        java.util.Arrays.fill(acc, 0, 8 * L, 0f);
        int vectors = kv / L;
        int runs = (vectors + DOT_RUN - 1) / DOT_RUN; // runs of equal length (Linear(3136, ...): 4 × 49 vectors)
        for (int r = 0, v0 = 0; r < runs; r++) {
            int v1 = (int) ((long) vectors * (r + 1) / runs);
            tile4x2Run(v0 * L, v1 * L, a, ao, lda, b, bo, ldb, acc);
            v0 = v1;
        }
        finish(acc, 0, kLen, kv, a, ao, b, bo, bias, j, c, co);
        finish(acc, L, kLen, kv, a, ao, b, bo + ldb, bias, j + 1, c, co + 1);
        finish(acc, 2 * L, kLen, kv, a, ao + lda, b, bo, bias, j, c, co + ldc);
        finish(acc, 3 * L, kLen, kv, a, ao + lda, b, bo + ldb, bias, j + 1, c, co + ldc + 1);
        finish(acc, 4 * L, kLen, kv, a, ao + 2 * lda, b, bo, bias, j, c, co + 2 * ldc);
        finish(acc, 5 * L, kLen, kv, a, ao + 2 * lda, b, bo + ldb, bias, j + 1, c, co + 2 * ldc + 1);
        finish(acc, 6 * L, kLen, kv, a, ao + 3 * lda, b, bo, bias, j, c, co + 3 * ldc);
        finish(acc, 7 * L, kLen, kv, a, ao + 3 * lda, b, bo + ldb, bias, j + 1, c, co + 3 * ldc + 1);
    }

    /** {@link #tile4x2}'s eight accumulators ({@code acc}, in the order c00, c01, c10, ... c31) over {@code [k0, k1)}. */
    private static void tile4x2Run(int k0, int k1, float[] a, int ao, int lda, float[] b, int bo, int ldb, float[] acc) {
        FloatVector c00 = FloatVector.fromArray(S, acc, 0), c01 = FloatVector.fromArray(S, acc, L);
        FloatVector c10 = FloatVector.fromArray(S, acc, 2 * L), c11 = FloatVector.fromArray(S, acc, 3 * L);
        FloatVector c20 = FloatVector.fromArray(S, acc, 4 * L), c21 = FloatVector.fromArray(S, acc, 5 * L);
        FloatVector c30 = FloatVector.fromArray(S, acc, 6 * L), c31 = FloatVector.fromArray(S, acc, 7 * L);
        for (int k = k0; k < k1; k += L) {
            FloatVector b0 = FloatVector.fromArray(S, b, bo + k);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + ldb + k);
            FloatVector a0 = FloatVector.fromArray(S, a, ao + k);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            FloatVector a1 = FloatVector.fromArray(S, a, ao + lda + k);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            FloatVector a2 = FloatVector.fromArray(S, a, ao + 2 * lda + k);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            FloatVector a3 = FloatVector.fromArray(S, a, ao + 3 * lda + k);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
        }
        c00.intoArray(acc, 0);
        c01.intoArray(acc, L);
        c10.intoArray(acc, 2 * L);
        c11.intoArray(acc, 3 * L);
        c20.intoArray(acc, 4 * L);
        c21.intoArray(acc, 5 * L);
        c30.intoArray(acc, 6 * L);
        c31.intoArray(acc, 7 * L);
    }

    /** {@code c[co] = Σ lanes of acc + the scalar tail of the dot product + bias[j]} (vectors passed one by one, never boxed in an array). */
    private static void finish(FloatVector acc, int kLen, int kv, float[] a, int ao, float[] b, int bo, float[] bias, int j, float[] c,
                               int co, float[] lanes) {
        acc.intoArray(lanes, 0);
        finish(lanes, 0, kLen, kv, a, ao, b, bo, bias, j, c, co);
    }

    /** {@code c[co] = Σ lanes acc[at ..] in lane order ({@link OrderedLanes#sum(float[], int, int)}) + the scalar tail of the dot product + bias[j]}. */
    private static void finish(float[] acc, int at, int kLen, int kv, float[] a, int ao, float[] b, int bo, float[] bias, int j, float[] c,
                               int co) {
        float s = OrderedLanes.sum(acc, at, L);
        for (int k = kv; k < kLen; k++) s += a[ao + k] * b[bo + k];
        c[co] = bias == null ? s : s + bias[j];
    }

    @Override
    public void gemmRows(int i0, int i1, int n, int kLen, float[] a, int aOff, int ai, int ak, float[] b, int bOff, float[] c) {
        int jv = n - n % (2 * L);
        for (int j = 0; j < jv; j += 2 * L) {
            int i = i0;
            for (; i + 4 <= i1; i += 4) rows4(i, j, n, kLen, a, aOff, ai, ak, b, bOff, c);
            for (; i < i1; i++) {
                FloatVector c0 = FloatVector.zero(S), c1 = c0;
                for (int k = 0; k < kLen; k++) {
                    FloatVector s = FloatVector.broadcast(S, a[aOff + i * ai + k * ak]);
                    c0 = FloatVector.fromArray(S, b, bOff + k * n + j).fma(s, c0);
                    c1 = FloatVector.fromArray(S, b, bOff + k * n + j + L).fma(s, c1);
                }
                c0.intoArray(c, i * n + j);
                c1.intoArray(c, i * n + j + L);
            }
        }
        for (int i = i0; i < i1; i++) {
            for (int j = jv; j < n; j++) {
                float s = 0;
                for (int k = 0; k < kLen; k++) s += a[aOff + i * ai + k * ak] * b[bOff + k * n + j];
                c[i * n + j] = s;
            }
        }
    }

    /** Rows {@code i..i+3}, columns {@code j..j+2L} of {@link #gemmRows}: eight accumulators sharing the loads of B. */
    private static void rows4(int i, int j, int n, int kLen, float[] a, int aOff, int ai, int ak, float[] b, int bOff, float[] c) {
        FloatVector c00 = FloatVector.zero(S), c01 = c00, c10 = c00, c11 = c00, c20 = c00, c21 = c00, c30 = c00, c31 = c00;
        int a0 = aOff + i * ai;
        for (int k = 0; k < kLen; k++) {
            FloatVector b0 = FloatVector.fromArray(S, b, bOff + k * n + j);
            FloatVector b1 = FloatVector.fromArray(S, b, bOff + k * n + j + L);
            int ka = a0 + k * ak;
            FloatVector s = FloatVector.broadcast(S, a[ka]);
            c00 = b0.fma(s, c00);
            c01 = b1.fma(s, c01);
            s = FloatVector.broadcast(S, a[ka + ai]);
            c10 = b0.fma(s, c10);
            c11 = b1.fma(s, c11);
            s = FloatVector.broadcast(S, a[ka + 2 * ai]);
            c20 = b0.fma(s, c20);
            c21 = b1.fma(s, c21);
            s = FloatVector.broadcast(S, a[ka + 3 * ai]);
            c30 = b0.fma(s, c30);
            c31 = b1.fma(s, c31);
        }
        int o = i * n + j;
        c00.intoArray(c, o);
        c01.intoArray(c, o + L);
        c10.intoArray(c, o + n);
        c11.intoArray(c, o + n + L);
        c20.intoArray(c, o + 2 * n);
        c21.intoArray(c, o + 2 * n + L);
        c30.intoArray(c, o + 3 * n);
        c31.intoArray(c, o + 3 * n + L);
    }
}
