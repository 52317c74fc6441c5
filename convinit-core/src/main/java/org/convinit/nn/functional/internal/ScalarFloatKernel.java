package org.convinit.nn.functional.internal;

/**
 * The portable kernel: plain Java, a 4 × 4 tile of scalar accumulators kept in registers (about
 * a tenth of the vector kernel's speed). Used when the Vector API is absent or disabled with
 * {@code -Dconvinit.kernels=scalar}.
 */
final class ScalarFloatKernel implements FloatKernel {
    static final ScalarFloatKernel INSTANCE = new ScalarFloatKernel();
    private static final int MR = 4;
    private static final int NR = 4;

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
        float c00, c01, c02, c03, c10, c11, c12, c13, c20, c21, c22, c23, c30, c31, c32, c33;
        if (bias != null) {
            c00 = c01 = c02 = c03 = bias[biasOff];
            c10 = c11 = c12 = c13 = bias[biasOff + 1];
            c20 = c21 = c22 = c23 = bias[biasOff + 2];
            c30 = c31 = c32 = c33 = bias[biasOff + 3];
        } else {
            c00 = c[cOff];
            c01 = c[cOff + 1];
            c02 = c[cOff + 2];
            c03 = c[cOff + 3];
            c10 = c[cOff + 1 * ldc + 0];
            c11 = c[cOff + 1 * ldc + 1];
            c12 = c[cOff + 1 * ldc + 2];
            c13 = c[cOff + 1 * ldc + 3];
            c20 = c[cOff + 2 * ldc + 0];
            c21 = c[cOff + 2 * ldc + 1];
            c22 = c[cOff + 2 * ldc + 2];
            c23 = c[cOff + 2 * ldc + 3];
            c30 = c[cOff + 3 * ldc + 0];
            c31 = c[cOff + 3 * ldc + 1];
            c32 = c[cOff + 3 * ldc + 2];
            c33 = c[cOff + 3 * ldc + 3];
        }
        for (int k = k0, ao = aOff + k0 * MR; k < k1; k++, ao += MR) {
            int bo = koff[k] + j;
            float b0 = b[bo], b1 = b[bo + 1], b2 = b[bo + 2], b3 = b[bo + 3];
            float a0 = a[ao];
            c00 += a0 * b0;
            c01 += a0 * b1;
            c02 += a0 * b2;
            c03 += a0 * b3;
            float a1 = a[ao + 1];
            c10 += a1 * b0;
            c11 += a1 * b1;
            c12 += a1 * b2;
            c13 += a1 * b3;
            float a2 = a[ao + 2];
            c20 += a2 * b0;
            c21 += a2 * b1;
            c22 += a2 * b2;
            c23 += a2 * b3;
            float a3 = a[ao + 3];
            c30 += a3 * b0;
            c31 += a3 * b1;
            c32 += a3 * b2;
            c33 += a3 * b3;
        }
        c[cOff] = c00;
        c[cOff + 1] = c01;
        c[cOff + 2] = c02;
        c[cOff + 3] = c03;
        c[cOff + 1 * ldc + 0] = c10;
        c[cOff + 1 * ldc + 1] = c11;
        c[cOff + 1 * ldc + 2] = c12;
        c[cOff + 1 * ldc + 3] = c13;
        c[cOff + 2 * ldc + 0] = c20;
        c[cOff + 2 * ldc + 1] = c21;
        c[cOff + 2 * ldc + 2] = c22;
        c[cOff + 2 * ldc + 3] = c23;
        c[cOff + 3 * ldc + 0] = c30;
        c[cOff + 3 * ldc + 1] = c31;
        c[cOff + 3 * ldc + 2] = c32;
        c[cOff + 3 * ldc + 3] = c33;
    }

    @Override
    public void depthwise(int kLen, float[] w, int wOff, float bias, float[] b, int[] koff, int base, int len, float[] out) {
        for (int x = 0; x < len; x++) out[x] = bias;
        for (int k = 0; k < kLen; k++) {
            float wv = w[wOff + k];
            int bo = base + koff[k];
            for (int x = 0; x < len; x++) out[x] += wv * b[bo + x];
        }
    }

    @Override
    public int depthwisePad(int len) {
        return len;
    }

    @Override
    public String name() {
        return "scalar";
    }

    @Override
    public void copy(float[] src, int s, float[] dst, int d, int len) {
        System.arraycopy(src, s, dst, d, len);
    }
}
