package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;

import org.convinit.internal.Strided;
import org.junit.jupiter.api.Test;

/**
 * The row-by-row fast paths (copies, elementwise arithmetic, reductions) against {@link ElementwiseReference},
 * the offset-table loops they replaced, bit for bit, over contiguous, permuted, sliced, broadcast, 0-dim and
 * empty views of float32 and float64 tensors holding NaN, infinities, signed zeros and subnormals.
 */
class TensorFastPathTest {
    private static final DType[] FLOATS = {DType.FLOAT32, DType.FLOAT64};

    /** Values with the awkward cases first, then random ones of mixed magnitude. */
    private static Tensor base(DType dtype, long seed, int... shape) {
        Random rnd = new Random(seed);
        double[] special = {Double.NaN, Double.POSITIVE_INFINITY, Double.NEGATIVE_INFINITY, -0.0, 0.0, 1e-40, -1e-310, 0.1, 3e38};
        Tensor t = Tensor.empty(dtype, shape);
        for (int i = 0; i < t.numel(); i++) {
            double v = i < special.length && seed % 2 == 0 ? special[i] : (rnd.nextDouble() - 0.3) * Math.pow(10, rnd.nextInt(7) - 3);
            t.storage().setDouble(i, v);
        }
        return t;
    }

    /** Views of a [2, 3, 4, 5] base, named. */
    private static Map<String, Function<Tensor, Tensor>> views() {
        Map<String, Function<Tensor, Tensor>> v = new LinkedHashMap<>();
        v.put("contiguous", t -> t);
        v.put("permute(1,0,2,3)", t -> t.permute(1, 0, 2, 3));
        v.put("permute(0,2,3,1)", t -> t.permute(0, 2, 3, 1));
        v.put("transpose(0,3)", t -> t.transpose(0, 3));
        v.put("slice step 2", t -> t.slice(3, 1, 5, 2));
        v.put("narrow+select (offset)", t -> t.select(0, 1).narrow(1, 1, 2));
        v.put("broadcast [3,1,1]", t -> t.select(0, 1).select(2, 2).narrow(1, 0, 1).unsqueeze(2).expand(2, 3, 4, 5));
        v.put("size-1 dims", t -> t.narrow(0, 1, 1).narrow(2, 3, 1));
        v.put("0-dim", t -> t.select(0, 1).select(0, 2).select(0, 3).select(0, 4));
        v.put("empty", t -> t.narrow(1, 3, 0));
        return v;
    }

    private static void assertSameBits(Tensor actual, Tensor expected, String what) {
        assertThat(actual.dtype()).as(what).isEqualTo(expected.dtype());
        assertThat(actual.shape()).as(what).isEqualTo(expected.shape());
        double[] x = ElementwiseReference.values(actual);
        double[] y = ElementwiseReference.values(expected);
        for (int i = 0; i < x.length; i++) {
            assertThat(Double.doubleToLongBits(x[i])).as("%s element %d: %s vs %s", what, i, x[i], y[i])
                    .isEqualTo(Double.doubleToLongBits(y[i]));
        }
    }

    @Test
    void copiesMatchTheReference() {
        for (DType from : FLOATS) {
            for (var e : views().entrySet()) {
                Tensor v = e.getValue().apply(base(from, 2, 2, 3, 4, 5));
                String what = from + " " + e.getKey();
                double[] ref = ElementwiseReference.values(v);
                assertSameBits(v.clone(), ElementwiseReference.tensor(from, v.layout().sizes(), ref), what + " clone");
                assertThat(v.contiguous().isContiguous()).isTrue();
                assertSameBits(v.contiguous(), v.clone(), what + " contiguous");
                assertThat(v.toDoubleArray()).as(what).containsExactly(ref);
                float[] f = new float[ref.length];
                for (int i = 0; i < f.length; i++) f[i] = (float) ref[i];
                assertThat(v.toFloatArray()).as(what).containsExactly(f);
                for (DType to : FLOATS) {
                    assertSameBits(v.to(to), ElementwiseReference.tensor(to, v.layout().sizes(), ref), what + " to " + to);
                    // into a permuted, offset destination
                    int[] s = v.layout().sizes();
                    Tensor dst = Tensor.empty(to, s.length == 4 ? new int[] {s[3], s[1], s[2], s[0]} : s);
                    Tensor into = s.length == 4 ? dst.permute(3, 1, 2, 0) : dst;
                    into.copy_(v);
                    assertSameBits(into, ElementwiseReference.tensor(to, s, ref), what + " copy_ into " + to);
                }
            }
        }
    }

    @Test
    void broadcastingAndOverlappingCopies() {
        Tensor row = base(DType.FLOAT32, 3, 5);
        Tensor dst = Tensor.empty(DType.FLOAT32, 4, 5).t();
        dst.t().copy_(row);
        for (int i = 0; i < 4; i++) assertThat(dst.select(1, i).toFloatArray()).containsExactly(row.toFloatArray());
        // a view copied onto its own shifted storage
        Tensor t = Tensor.of(new float[] {0, 1, 2, 3, 4, 5}, 6);
        t.narrow(0, 1, 5).copy_(t.narrow(0, 0, 5));
        assertThat(t.toFloatArray()).containsExactly(0, 0, 1, 2, 3, 4);
        // same-dtype integer copies take System.arraycopy, strided ones the general path
        Tensor l = Tensor.of(new long[] {1, 2, 3, 4, 5, 6}, 2, 3);
        assertThat(l.t().contiguous().toLongArray()).containsExactly(1, 4, 2, 5, 3, 6);
        assertThat(l.clone().toLongArray()).containsExactly(1, 2, 3, 4, 5, 6);
        assertThat(l.to(DType.FLOAT32).t().toFloatArray()).containsExactly(1, 4, 2, 5, 3, 6);
    }

    @Test
    void elementwiseArithmeticMatchesTheReference() {
        for (DType dt : FLOATS) {
            Tensor other = base(dt, 5, 2, 3, 4, 5);
            Map<String, Tensor> rhs = new LinkedHashMap<>();
            rhs.put("same shape", other);
            rhs.put("permuted", base(dt, 7, 3, 2, 4, 5).permute(1, 0, 2, 3));
            rhs.put("per channel [3,1,1]", base(dt, 9, 3, 1, 1));
            rhs.put("per channel [1,3,1,1]", base(dt, 11, 1, 3, 1, 1));
            rhs.put("last dim [5]", base(dt, 12, 5));
            rhs.put("0-dim", base(dt, 13, 1).select(0, 0));
            for (var e : views().entrySet()) {
                Tensor a = e.getValue().apply(base(dt, 2, 2, 3, 4, 5));
                for (var r : rhs.entrySet()) {
                    Tensor b = r.getValue();
                    if (!broadcastable(a, b)) continue;
                    for (TensorMath.Op op : TensorMath.Op.values()) {
                        String what = dt + " " + e.getKey() + " " + op + " " + r.getKey();
                        assertSameBits(TensorMath.binary(a, b, op), ElementwiseReference.binary(a, b, op), what);
                        assertSameBits(TensorMath.binary(b, a, op), ElementwiseReference.binary(b, a, op), what + " (swapped)");
                    }
                }
                for (double v : new double[] {0.1, 3, -2.5, 1e-8, 0.5, Double.NaN, 1e300}) {
                    for (TensorMath.Op op : TensorMath.Op.values()) {
                        assertSameBits(TensorMath.binaryScalar(a, v, op), ElementwiseReference.scalar(a, v, op),
                                dt + " " + e.getKey() + " " + op + " " + v);
                    }
                }
                for (TensorMath.Unary op : TensorMath.Unary.values()) {
                    assertSameBits(TensorMath.unary(a, op), ElementwiseReference.unary(a, op), dt + " " + e.getKey() + " " + op);
                }
            }
        }
    }

    private static boolean broadcastable(Tensor a, Tensor b) {
        try {
            Shape.broadcast(a.shape(), b.shape());
            return true;
        } catch (IllegalArgumentException e) {
            return false;
        }
    }

    @Test
    void reductionsMatchTheReference() {
        for (DType dt : FLOATS) {
            for (long seed : new long[] {1, 2}) { // seed 2 holds NaN and infinities, seed 1 only finite values
                for (var e : views().entrySet()) {
                    Tensor a = e.getValue().apply(base(dt, seed, 2, 3, 4, 5));
                    String what = dt + " " + e.getKey() + " seed " + seed;
                    double[] x = ElementwiseReference.values(a);
                    for (TensorMath.Reduce r : TensorMath.Reduce.values()) {
                        if (x.length == 0 && (r == TensorMath.Reduce.MIN || r == TensorMath.Reduce.MAX)) continue;
                        for (boolean unbiased : new boolean[] {false, true}) {
                            Tensor expected = ElementwiseReference.tensor(dt, new int[0],
                                    new double[] {ElementwiseReference.reduce(x, r, unbiased)});
                            assertSameBits(TensorMath.reduceAll(a, r, unbiased), expected, what + " " + r);
                            for (int d = 0; d < a.dim(); d++) {
                                if (a.size(d) == 0 && (r == TensorMath.Reduce.MIN || r == TensorMath.Reduce.MAX)) continue;
                                for (boolean keep : new boolean[] {false, true}) {
                                    assertSameBits(TensorMath.reduceDim(a, d, keep, r, unbiased),
                                            ElementwiseReference.reduceDim(a, d, keep, r, unbiased), what + " " + r + " dim " + d);
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    @Test
    void walkMergesWhatItCanAndVisitsEveryOffsetOnce() {
        Layout nchw = Layout.contiguous(Shape.of(2, 3, 4, 5));
        Strided.Walk w = nchw.walk();
        assertThat(w.rows()).isEqualTo(1);
        assertThat(w.inner()).isEqualTo(120);
        Strided.Walk p = nchw.permute(1, 0, 2, 3).walk();
        assertThat(p.rows()).isEqualTo(6);
        assertThat(p.inner()).isEqualTo(20);
        for (var e : views().entrySet()) {
            Layout l = e.getValue().apply(base(DType.FLOAT32, 1, 2, 3, 4, 5)).layout();
            int[] expected = l.elementOffsets();
            int[] seen = new int[expected.length];
            Strided.Walk v = l.walk();
            int k = 0;
            for (int r = 0; r < v.rows(); r++, v.next()) {
                for (int i = 0; i < v.inner(); i++) seen[k++] = v.base(0) + i * v.step(0);
            }
            assertThat(k).as(e.getKey()).isEqualTo(expected.length);
            assertThat(seen).as(e.getKey()).containsExactly(expected);
            assertThat(v.base(0)).as("wraps around: " + e.getKey()).isEqualTo(l.offset());
        }
    }

    @Test
    void reshapeViewsWhenItCanAndCopiesOnceWhenItCannot() {
        Tensor t = base(DType.FLOAT32, 1, 2, 3, 4);
        Tensor v = t.reshape(6, -1);
        assertThat(v.sharesStorageWith(t)).isTrue();
        assertThat(v.strides()).containsExactly(4, 1);
        Tensor p = t.permute(2, 0, 1);
        Tensor c = p.reshape(-1, 3);
        assertThat(c.sharesStorageWith(t)).isFalse();
        assertThat(c.shape()).isEqualTo(Shape.of(8, 3));
        assertThat(c.isContiguous()).isTrue();
        assertThat(c.toFloatArray()).containsExactly(p.toFloatArray());
        assertThat(c.gradFn()).isNull();
        Tensor g = p.detach().requiresGrad(true);
        assertThat(g.reshape(24).gradFn().name()).isEqualTo("ReshapeAliasBackward0");
    }
}
