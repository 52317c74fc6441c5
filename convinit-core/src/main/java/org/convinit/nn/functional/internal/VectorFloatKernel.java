package org.convinit.nn.functional.internal;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;

/**
 * FloatKernel on the Vector API ({@code jdk.incubator.vector}): an 8 × 2·lanes register tile of
 * 16 accumulators updated by fused multiply-adds. Loaded only when the module is in the boot layer
 * (see {@link Kernels}), so the library runs without {@code --add-modules}.
 */
final class VectorFloatKernel implements FloatKernel {
    static final VectorFloatKernel INSTANCE = new VectorFloatKernel();
    private static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;
    private static final int L = S.length();
    private static final int MR = 8;
    private static final int NR = 2 * L;

    @Override
    public int mr() {
        return MR;
    }

    @Override
    public int nr() {
        return NR;
    }

    @Override
    public void gemmTile(int k0, int k1, float[] a, int aOff, float[] bias, int biasOff, float[] b, int[] koff, int j, float[] c, int cOff,
                         int ldc) {
        FloatVector c00, c01, c10, c11, c20, c21, c30, c31, c40, c41, c50, c51, c60, c61, c70, c71;
        if (bias != null) {
            c00 = FloatVector.broadcast(S, bias[biasOff]);
            c01 = c00;
            c10 = FloatVector.broadcast(S, bias[biasOff + 1]);
            c11 = c10;
            c20 = FloatVector.broadcast(S, bias[biasOff + 2]);
            c21 = c20;
            c30 = FloatVector.broadcast(S, bias[biasOff + 3]);
            c31 = c30;
            c40 = FloatVector.broadcast(S, bias[biasOff + 4]);
            c41 = c40;
            c50 = FloatVector.broadcast(S, bias[biasOff + 5]);
            c51 = c50;
            c60 = FloatVector.broadcast(S, bias[biasOff + 6]);
            c61 = c60;
            c70 = FloatVector.broadcast(S, bias[biasOff + 7]);
            c71 = c70;
        } else {
            c00 = FloatVector.fromArray(S, c, cOff);
            c01 = FloatVector.fromArray(S, c, cOff + L);
            c10 = FloatVector.fromArray(S, c, cOff + 1 * ldc);
            c11 = FloatVector.fromArray(S, c, cOff + 1 * ldc + L);
            c20 = FloatVector.fromArray(S, c, cOff + 2 * ldc);
            c21 = FloatVector.fromArray(S, c, cOff + 2 * ldc + L);
            c30 = FloatVector.fromArray(S, c, cOff + 3 * ldc);
            c31 = FloatVector.fromArray(S, c, cOff + 3 * ldc + L);
            c40 = FloatVector.fromArray(S, c, cOff + 4 * ldc);
            c41 = FloatVector.fromArray(S, c, cOff + 4 * ldc + L);
            c50 = FloatVector.fromArray(S, c, cOff + 5 * ldc);
            c51 = FloatVector.fromArray(S, c, cOff + 5 * ldc + L);
            c60 = FloatVector.fromArray(S, c, cOff + 6 * ldc);
            c61 = FloatVector.fromArray(S, c, cOff + 6 * ldc + L);
            c70 = FloatVector.fromArray(S, c, cOff + 7 * ldc);
            c71 = FloatVector.fromArray(S, c, cOff + 7 * ldc + L);
        }
        for (int k = k0, ao = aOff + k0 * MR; k < k1; k++, ao += MR) {
            int bo = koff[k] + j;
            FloatVector b0 = FloatVector.fromArray(S, b, bo);
            FloatVector b1 = FloatVector.fromArray(S, b, bo + L);
            FloatVector av;
            av = FloatVector.broadcast(S, a[ao]);
            c00 = av.fma(b0, c00);
            c01 = av.fma(b1, c01);
            av = FloatVector.broadcast(S, a[ao + 1]);
            c10 = av.fma(b0, c10);
            c11 = av.fma(b1, c11);
            av = FloatVector.broadcast(S, a[ao + 2]);
            c20 = av.fma(b0, c20);
            c21 = av.fma(b1, c21);
            av = FloatVector.broadcast(S, a[ao + 3]);
            c30 = av.fma(b0, c30);
            c31 = av.fma(b1, c31);
            av = FloatVector.broadcast(S, a[ao + 4]);
            c40 = av.fma(b0, c40);
            c41 = av.fma(b1, c41);
            av = FloatVector.broadcast(S, a[ao + 5]);
            c50 = av.fma(b0, c50);
            c51 = av.fma(b1, c51);
            av = FloatVector.broadcast(S, a[ao + 6]);
            c60 = av.fma(b0, c60);
            c61 = av.fma(b1, c61);
            av = FloatVector.broadcast(S, a[ao + 7]);
            c70 = av.fma(b0, c70);
            c71 = av.fma(b1, c71);
        }
        c00.intoArray(c, cOff);
        c01.intoArray(c, cOff + L);
        c10.intoArray(c, cOff + 1 * ldc);
        c11.intoArray(c, cOff + 1 * ldc + L);
        c20.intoArray(c, cOff + 2 * ldc);
        c21.intoArray(c, cOff + 2 * ldc + L);
        c30.intoArray(c, cOff + 3 * ldc);
        c31.intoArray(c, cOff + 3 * ldc + L);
        c40.intoArray(c, cOff + 4 * ldc);
        c41.intoArray(c, cOff + 4 * ldc + L);
        c50.intoArray(c, cOff + 5 * ldc);
        c51.intoArray(c, cOff + 5 * ldc + L);
        c60.intoArray(c, cOff + 6 * ldc);
        c61.intoArray(c, cOff + 6 * ldc + L);
        c70.intoArray(c, cOff + 7 * ldc);
        c71.intoArray(c, cOff + 7 * ldc + L);
    }


    @Override
    public void depthwise(int kLen, float[] w, int wOff, float bias, float[] b, int[] koff, int base, int len, float[] out) {
        int x = 0;
        for (; x + 4 * L <= depthwisePad(len) && x < len; x += 4 * L) {
            FloatVector s0 = FloatVector.broadcast(S, bias), s1 = s0, s2 = s0, s3 = s0;
            for (int k = 0; k < kLen; k++) {
                FloatVector wv = FloatVector.broadcast(S, w[wOff + k]);
                int bo = base + koff[k] + x;
                s0 = wv.fma(FloatVector.fromArray(S, b, bo), s0);
                s1 = wv.fma(FloatVector.fromArray(S, b, bo + L), s1);
                s2 = wv.fma(FloatVector.fromArray(S, b, bo + 2 * L), s2);
                s3 = wv.fma(FloatVector.fromArray(S, b, bo + 3 * L), s3);
            }
            s0.intoArray(out, x);
            s1.intoArray(out, x + L);
            s2.intoArray(out, x + 2 * L);
            s3.intoArray(out, x + 3 * L);
        }
        for (; x < len; x += L) {
            FloatVector s0 = FloatVector.broadcast(S, bias);
            for (int k = 0; k < kLen; k++) {
                s0 = FloatVector.broadcast(S, w[wOff + k]).fma(FloatVector.fromArray(S, b, base + koff[k] + x), s0);
            }
            s0.intoArray(out, x);
        }
    }

    @Override
    public int depthwisePad(int len) {
        return (len + L - 1) / L * L;
    }

    @Override
    public String name() {
        return "vector-" + S.vectorBitSize();
    }

    @Override
    public void copy(float[] src, int s, float[] dst, int d, int len) {
        if (len < L) {
            System.arraycopy(src, s, dst, d, len);
            return;
        }
        int i = 0;
        for (; i + L <= len; i += L) FloatVector.fromArray(S, src, s + i).intoArray(dst, d + i);
        if (i < len) FloatVector.fromArray(S, src, s + len - L).intoArray(dst, d + len - L);
    }
}
