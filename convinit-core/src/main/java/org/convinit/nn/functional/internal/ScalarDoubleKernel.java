package org.convinit.nn.functional.internal;

/**
 * The portable kernel: plain Java loops written so that C2 vectorizes the inner column loop
 * (row updates of an {@code mr × nr} tile held in L1). Used when the Vector API is absent or
 * disabled with {@code -Dconvinit.kernels=scalar}.
 */
final class ScalarDoubleKernel implements DoubleKernel {
    static final ScalarDoubleKernel INSTANCE = new ScalarDoubleKernel();
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
    public void gemmTile(int k0, int k1, double[] a, int aOff, double[] bias, int biasOff, double[] b, int[] koff, int j, double[] c, int cOff,
                         int ldc) {
        for (int r = 0; r < MR && bias != null; r++) {
            double v = bias[biasOff + r];
            for (int x = 0; x < NR; x++) c[cOff + r * ldc + x] = v;
        }
        for (int k = k0; k < k1; k++) {
            int bo = koff[k] + j;
            int ao = aOff + k * MR;
            for (int r = 0; r < MR; r++) {
                double av = a[ao + r];
                int t = cOff + r * ldc;
                for (int x = 0; x < NR; x++) c[t + x] += av * b[bo + x];
            }
        }
    }

    @Override
    public void depthwise(int kLen, double[] w, int wOff, double bias, double[] b, int[] koff, int base, int len, double[] out) {
        for (int x = 0; x < len; x++) out[x] = bias;
        for (int k = 0; k < kLen; k++) {
            double wv = w[wOff + k];
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
    public void copy(double[] src, int s, double[] dst, int d, int len) {
        System.arraycopy(src, s, dst, d, len);
    }
}
