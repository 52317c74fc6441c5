package org.convinit.nn.functional.internal;

/**
 * The inner loops of the float32 convolution: a register-tiled GEMM tile and a depthwise row.
 * Operands follow {@link ConvGeometry}: the right-hand matrix row {@code k} is the contiguous run
 * {@code b[koff[k] + j ...]}.
 */
public interface FloatKernel {
    /** Rows of a GEMM tile (output channels). */
    int mr();

    /** Columns of a GEMM tile (wide output positions). */
    int nr();

    /**
     * {@code c[cOff + r·ldc + x] = init + Σ_{k0 ≤ k < k1} a[aOff + k·mr + r] · b[koff[k] + j + x]} for
     * {@code r < mr, x < nr}, where {@code init} is {@code bias[biasOff + r]}, or the current value of
     * {@code c} when {@code bias} is null (accumulating over blocks of k); {@code a} is packed in
     * panels of {@code mr} rows, k-major.
     */
    void gemmTile(int k0, int k1, float[] a, int aOff, float[] bias, int biasOff, float[] b, int[] koff, int j, float[] c, int cOff, int ldc);


    /**
     * {@code out[x] = bias + Σ_k w[wOff + k] · b[base + koff[k] + x]} for {@code x < len}; may write
     * {@code out} up to {@link #depthwisePad(int)} of {@code len}, and read {@code b} as far.
     */
    void depthwise(int kLen, float[] w, int wOff, float bias, float[] b, int[] koff, int base, int len, float[] out);

    /** {@code len} rounded up to the granularity {@link #depthwise} writes. */
    int depthwisePad(int len);

    /** A short name for reports: {@code vector-512} or {@code scalar}. */
    String name();

    /** {@code System.arraycopy(src, s, dst, d, len)} for distinct arrays, fast for short runs. */
    void copy(float[] src, int s, float[] dst, int d, int len);
}
