package org.convinit.nn.functional.internal;

/**
 * The portable kernel: plain Java loops written so that C2 vectorizes the inner column loop
 * (row updates of an {@code mr × nr} tile held in L1). Used when the Vector API is absent or
 * disabled with {@code -Dconvinit.kernels=scalar}.
 */
final class ScalarFloatKernel implements FloatKernel {
    static final ScalarFloatKernel INSTANCE = new ScalarFloatKernel();
    private static final int MR = 4;
    private static final int NR = 32;

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
        for (int r = 0; r < MR && bias != null; r++) {
            float v = bias[biasOff + r];
            for (int x = 0; x < NR; x++) c[cOff + r * ldc + x] = v;
        }
        for (int k = k0; k < k1; k++) {
            int bo = koff[k] + j;
            int ao = aOff + k * MR;
            for (int r = 0; r < MR; r++) {
                float av = a[ao + r];
                int t = cOff + r * ldc;
                for (int x = 0; x < NR; x++) c[t + x] += av * b[bo + x];
            }
        }
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
