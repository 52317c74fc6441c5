package org.convinit.random;

import org.convinit.internal.HalfFloats;
import org.convinit.internal.VectorSupport;

/**
 * torch 1.13.1's CPU {@code normal_} fill kernels ({@code aten/src/ATen/native/cpu/DistributionTemplates.h}),
 * for contiguous tensors of 16 or more elements. All draw every uniform first, then run Box–Muller over
 * blocks of 16 (radius from the first 8, angle from the second 8) and, when {@code n % 16 != 0},
 * redraw 16 fresh uniforms into the last 16 slots and recompute that window.
 *
 * <ul>
 *   <li>{@link #fillFloat}: {@code normal_fill_AVX2}, the kernel x86 CPUs with AVX2 run (AVX512 CPUs
 *       too: 1.13 registers no AVX512 normal kernel). Lane-exact: float32 Cephes {@code log256_ps} and
 *       {@code sincos256_ps} with the FMA contractions GCC makes, {@code sqrtf}, then
 *       {@code fmaf(r·cos, std, mean)}. Bit-exact. With the Vector API in use, {@link VectorNormalKernel}
 *       runs the same lane operations eight lanes at a time, straight from the raw draws.</li>
 *   <li>{@link #fillDouble}: {@code normal_fill<double>}: 53-bit uniforms (two draws each), double
 *       {@code log}/{@code cos}/{@code sin} and {@code fma(r·cos, std, mean)}. torch uses glibc's libm,
 *       convinit {@link Math}; neither is correctly rounded, so 0.2% of the results differ in the last
 *       bits (43 of 21,207 values against torch 1.13.1, at most 2 ulp; tested): float64 normal is exact
 *       to 2 ulp, not bit-exact. Porting glibc's {@code log}/{@code sin}/{@code cos} would close it.</li>
 *   <li>{@link #fillHalf} / {@link #fillBFloat16}: {@code normal_fill<Half>} and {@code <BFloat16>} with
 *       c10's operator rounding (see the reference notes §3.3). Bit-exact in our tests.</li>
 * </ul>
 * Every method holds the generator's lock for the whole fill, as torch holds its mutex.
 */
public final class NormalKernels {
    private NormalKernels() {}

    static final float TWO_PI_F = (float) (2.0 * Math.PI); // 0x40c90fdb

    /**
     * {@code normal_fill_AVX2}: fills {@code a[off, off+n)}, {@code n >= 16}; on the Vector API kernel
     * once {@link VectorGate} lets it.
     */
    public static void fillFloat(Generator g, float[] a, int off, int n, float mean, float std) {
        fillFloat(g, a, off, n, mean, std, n >= 16 && VectorGate.FILLS.admit(n));
    }

    /**
     * {@link #fillFloat} through the Vector API kernel ({@link VectorNormalKernel}, when {@code vector}
     * and the module is present) or the scalar one; both give the same bits.
     */
    static void fillFloat(Generator g, float[] a, int off, int n, float mean, float std, boolean vector) {
        if (n < 16) throw new IllegalArgumentException("fillFloat: n = " + n + ": expected n >= 16");
        if (vector && VectorSupport.AVAILABLE) {
            fillFloatVector(g, a, off, n, mean, std);
            return;
        }
        synchronized (g) {
            drawUnitFloats(g, a, off, n);
            Lanes lanes = new Lanes(Math.min(n / 16, CHUNK_BLOCKS));
            for (int b = 0; b < n / 16; b += CHUNK_BLOCKS) {
                lanes.blocks(a, off + 16 * b, Math.min(CHUNK_BLOCKS, n / 16 - b), mean, std);
            }
            if (n % 16 != 0) {
                int base = off + n - 16;
                drawUnitFloats(g, a, base, 16);
                lanes.blocks(a, base, 1, mean, std);
            }
        }
    }

    /**
     * The same draws and lanes as the scalar path, fused: each chunk of raw draws goes straight through
     * the vector Box–Muller step, uniforms included, without a pass that stores the uniforms first. The
     * {@code n % 16} draws past the last whole block are drawn and dropped, as torch overwrites them.
     */
    private static void fillFloatVector(Generator g, float[] a, int off, int n, float mean, float std) {
        int whole = n - n % 16;
        int[] raw = new int[Math.min(whole, 16 * VectorNormalKernel.CHUNK)];
        float[] radius = new float[raw.length / 2];
        synchronized (g) {
            for (int i = 0; i < whole; i += raw.length) {
                int k = Math.min(raw.length, whole - i);
                g.nextInts(raw, 0, k);
                VectorNormalKernel.blocks(raw, 0, a, off + i, k / 16, mean, std, radius);
            }
            if (n % 16 != 0) {
                g.nextInts(raw, 0, n % 16);
                g.nextInts(raw, 0, 16);
                VectorNormalKernel.blocks(raw, 0, a, off + n - 16, 1, mean, std, radius);
            }
        }
    }

    /** {@code uniform_real_distribution<float>(0, 1)} per element: {@code (r & 0xFFFFFF) · 2^-24}. */
    private static void drawUnitFloats(Generator g, float[] a, int off, int n) {
        int[] raw = new int[Math.min(n, 4096)];
        while (n > 0) {
            int k = Math.min(n, raw.length);
            g.nextInts(raw, 0, k);
            for (int i = 0; i < k; i++) a[off + i] = (raw[i] & 0xFFFFFF) * 0x1p-24f;
            off += k;
            n -= k;
        }
    }

    private static final int CHUNK_BLOCKS = 512;

    /**
     * Box–Muller over consecutive blocks of 16, one lane op at a time over all lanes of a chunk
     * (structure of arrays), so that simple loops remain for the JIT to vectorize. Per lane it computes
     * exactly {@code log256_ps}/{@code sincos256_ps} as {@link #log256}/{@link #sincos256} do, for the
     * kernel's inputs ({@code u1 = 1 − d ∈ [2^-24, 1]}: no clamping or NaN masks apply;
     * {@code θ = 2π·u2 ∈ [0, 2π)}: the input sign is +). The lane selects and sign flips are written as
     * exact multiplications by 0, 1 or −1 (all values are finite and the cosine polynomial is positive).
     */
    private static final class Lanes {
        final float[] radius;
        final float[] sin;
        final float[] cos;

        Lanes(int blocks) {
            radius = new float[8 * blocks];
            sin = new float[8 * blocks];
            cos = new float[8 * blocks];
        }

        void blocks(float[] d, int o, int blocks, float mean, float std) {
            int m = 8 * blocks;
            float[] r = radius;
            float[] s = sin;
            float[] c = cos;
            for (int i = 0; i < m; i++) r[i] = d[o + (i >>> 3) * 16 + (i & 7)];
            for (int i = 0; i < m; i++) s[i] = d[o + (i >>> 3) * 16 + 8 + (i & 7)];
            for (int i = 0; i < m; i++) {
                // log256_ps(1 - u)
                float x = 1.0f - r[i];
                int bx = Float.floatToRawIntBits(x);
                float e = (float) ((bx >>> 23) - 0x7f) + 1.0f;
                x = Float.intBitsToFloat((bx & ~0x7f800000) | 0x3f000000);
                float lt = (float) (((bx & 0x7FFFFF) - 0x3504F3) >>> 31); // x < SQRTHF (= 0x3f3504f3)
                float tmp = x * lt;
                x = x - 1.0f;
                e = e - lt;
                x = x + tmp;
                float z = x * x;
                float y = Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(Math.fma(
                        P0, x, P1), x, P2), x, P3), x, P4), x, P5), x, P6), x, P7), x, P8);
                y = y * x;
                y = Math.fma(y, z, e * Q1);
                y = Math.fma(-z, 0.5f, y);
                x = x + y;
                r[i] = (float) Math.sqrt(-2.0f * Math.fma(e, Q2, x));
            }
            for (int i = 0; i < m; i++) {
                // sincos256_ps(2π · u)
                float t = TWO_PI_F * s[i];
                int q = ((int) (t * FOPI) + 1) & ~1;
                float fq = (float) q;
                t = Math.fma(fq, DP1, t);
                t = Math.fma(fq, DP2, t);
                t = Math.fma(fq, DP3, t);
                float zz = t * t;
                float yc = Math.fma(Math.fma(COS0, zz, COS1), zz, COS2);
                yc = yc * zz;
                yc = Math.fma(yc, zz, -(zz * 0.5f));
                yc = yc + 1.0f;
                float ys = Math.fma(Math.fma(SIN0, zz, SIN1), zz, SIN2);
                ys = ys * zz;
                ys = Math.fma(ys, t, t);
                ys = 0f + ys;
                float pf = (float) (((q & 2) >>> 1) ^ 1); // poly mask: (q & 2) == 0
                float npf = 1.0f - pf;
                float sn = ys * pf + yc * npf;
                float cs = yc * pf + ys * npf;
                s[i] = sn * (1 - 2 * ((q >>> 2) & 1));
                c[i] = cs * (1 - 2 * ((~(q - 2) >>> 2) & 1));
            }
            for (int i = 0; i < m; i++) {
                int k = o + (i >>> 3) * 16 + (i & 7);
                d[k] = Math.fma(r[i] * c[i], std, mean);
                d[k + 8] = Math.fma(r[i] * s[i], std, mean);
            }
        }
    }

    /**
     * The literal lane-by-lane form of {@link #fillFloat}'s Box–Muller step over one block of 16 (the
     * naive reference the tests compare the structure-of-arrays kernel with).
     */
    static void fill16Reference(float[] d, int o, float mean, float std) {
        for (int j = 0; j < 8; j++) {
            float u1 = 1.0f - d[o + j];
            float u2 = d[o + j + 8];
            float radius = (float) Math.sqrt(-2.0f * log256(u1));
            long sc = sincos256(TWO_PI_F * u2);
            float s = Float.intBitsToFloat((int) (sc >>> 32));
            float c = Float.intBitsToFloat((int) sc);
            d[o + j] = Math.fma(radius * c, std, mean);
            d[o + j + 8] = Math.fma(radius * s, std, mean);
        }
    }

    /** Runs the structure-of-arrays Box–Muller step on {@code blocks} blocks of 16 at {@code d[o]}. */
    static void fillBlocks(float[] d, int o, int blocks, float mean, float std) {
        new Lanes(blocks).blocks(d, o, blocks, mean, std);
    }

    // Cephes constants of avx_mathfun.h
    static final float SQRTHF = 0.707106781186547524f;
    static final float P0 = 7.0376836292E-2f, P1 = -1.1514610310E-1f, P2 = 1.1676998740E-1f,
            P3 = -1.2420140846E-1f, P4 = 1.4249322787E-1f, P5 = -1.6668057665E-1f, P6 = 2.0000714765E-1f,
            P7 = -2.4999993993E-1f, P8 = 3.3333331174E-1f;
    static final float Q1 = -2.12194440e-4f, Q2 = 0.693359375f;

    /** One lane of {@code log256_ps} for {@code x > 0}, with GCC's contractions. */
    static float log256(float x) {
        if (!(x > 0)) return Float.NaN; // invalid_mask
        x = Math.max(x, Float.MIN_NORMAL);
        int b = Float.floatToRawIntBits(x);
        int imm0 = (b >>> 23) - 0x7f;
        x = Float.intBitsToFloat((b & ~0x7f800000) | 0x3f000000);
        float e = (float) imm0;
        e = e + 1.0f;
        boolean mask = x < SQRTHF;
        float tmp = mask ? x : 0f;
        x = x - 1.0f;
        e = e - (mask ? 1.0f : 0f);
        x = x + tmp;
        float z = x * x;
        float y = P0;
        y = Math.fma(y, x, P1);
        y = Math.fma(y, x, P2);
        y = Math.fma(y, x, P3);
        y = Math.fma(y, x, P4);
        y = Math.fma(y, x, P5);
        y = Math.fma(y, x, P6);
        y = Math.fma(y, x, P7);
        y = Math.fma(y, x, P8);
        y = y * x;
        float v = e * Q1;
        y = Math.fma(y, z, v);
        y = Math.fma(-z, 0.5f, y);
        x = x + y;
        x = Math.fma(e, Q2, x);
        return x;
    }

    static final float FOPI = 1.27323954473516f;
    static final float DP1 = -0.78515625f, DP2 = -2.4187564849853515625e-4f, DP3 = -3.77489497744594108e-8f;
    static final float COS0 = 2.443315711809948E-005f, COS1 = -1.388731625493765E-003f,
            COS2 = 4.166664568298827E-002f;
    static final float SIN0 = -1.9515295891E-4f, SIN1 = 8.3321608736E-3f, SIN2 = -1.6666654611E-1f;

    /** One lane of {@code sincos256_ps}: sine bits in the high word, cosine bits in the low word. */
    static long sincos256(float x) {
        int signSin = Float.floatToRawIntBits(x) & 0x80000000;
        x = Math.abs(x);
        float y = x * FOPI;
        int j = (int) y;
        j = (j + 1) & ~1;
        y = (float) j;
        int swapSin = (j & 4) << 29;
        boolean poly = (j & 2) == 0;
        x = Math.fma(y, DP1, x);
        x = Math.fma(y, DP2, x);
        x = Math.fma(y, DP3, x);
        int signCos = (~(j - 2) & 4) << 29;
        signSin ^= swapSin;
        float z = x * x;
        float yc = Math.fma(COS0, z, COS1);
        yc = Math.fma(yc, z, COS2);
        yc = yc * z;
        yc = Math.fma(yc, z, -(z * 0.5f));
        yc = yc + 1.0f;
        float ys = Math.fma(SIN0, z, SIN1);
        ys = Math.fma(ys, z, SIN2);
        ys = ys * z;
        ys = Math.fma(ys, x, x);
        float sin = poly ? 0f + ys : yc + 0f;
        float cos = poly ? yc + 0f : 0f + ys;
        int sb = Float.floatToRawIntBits(sin) ^ signSin;
        int cb = Float.floatToRawIntBits(cos) ^ signCos;
        return ((long) sb << 32) | (cb & 0xFFFFFFFFL);
    }

    // ------------------------------------------------------------------ normal_fill<double>

    /** {@code normal_fill<double>}: fills {@code a[off, off+n)}, {@code n >= 16}. */
    public static void fillDouble(Generator g, double[] a, int off, int n, double mean, double std) {
        if (n < 16) throw new IllegalArgumentException("fillDouble: n = " + n + ": expected n >= 16");
        synchronized (g) {
            drawUnitDoubles(g, a, off, n);
            for (int i = 0; i < n - 15; i += 16) fill16(a, off + i, mean, std);
            if (n % 16 != 0) {
                int base = off + n - 16;
                drawUnitDoubles(g, a, base, 16);
                fill16(a, base, mean, std);
            }
        }
    }

    private static void drawUnitDoubles(Generator g, double[] a, int off, int n) {
        for (int i = 0; i < n; i++) {
            long hi = g.nextInt() & 0xFFFFFFFFL;
            long lo = g.nextInt() & 0xFFFFFFFFL;
            a[off + i] = (((hi << 32) | lo) & ((1L << 53) - 1)) * 0x1p-53;
        }
    }

    private static final double TWO_PI_D = 2.0f * Math.PI; // 2.0f * c10::pi<double>, in double

    private static void fill16(double[] d, int o, double mean, double std) {
        for (int j = 0; j < 8; j++) {
            double u1 = 1 - d[o + j];
            double u2 = d[o + j + 8];
            double radius = Math.sqrt(-2 * Math.log(u1));
            double theta = TWO_PI_D * u2;
            d[o + j] = Math.fma(radius * Math.cos(theta), std, mean);
            d[o + j + 8] = Math.fma(radius * Math.sin(theta), std, mean);
        }
    }

    // ------------------------------------------------------------------ normal_fill<Half>, <BFloat16>

    /**
     * {@code normal_fill<c10::Half>} (1.13): uniforms {@code (r & 0x7FF) · 2^-11}; {@code u1 = Half(1 - d)};
     * {@code radius = Half(sqrtf(-2 · logf(u1)))}; {@code theta = Half((float)(2π · (double) u2))};
     * {@code out = Half(fmaf(radius · cosf(theta), std_h, mean_h))}. Values are returned as floats
     * exactly representable in half precision, in {@code out[0, n)}.
     */
    public static float[] fillHalf(Generator g, int n, double mean, double std) {
        return fillReduced(g, n, mean, std, true);
    }

    /**
     * {@code normal_fill<c10::BFloat16>} (1.13): uniforms {@code (r & 0xFF) · 2^-8}; every intermediate is a
     * BFloat16 (c10's math overloads return BFloat16), so no step is fused.
     */
    public static float[] fillBFloat16(Generator g, int n, double mean, double std) {
        return fillReduced(g, n, mean, std, false);
    }

    private static float[] fillReduced(Generator g, int n, double mean, double std, boolean half) {
        if (n < 16) throw new IllegalArgumentException("fill: n = " + n + ": expected n >= 16");
        float[] d = new float[n];
        float m = round(half, (float) mean);
        float s = round(half, (float) std);
        synchronized (g) {
            drawReduced(g, d, 0, n, half);
            for (int i = 0; i < n - 15; i += 16) fill16(d, i, m, s, half);
            if (n % 16 != 0) {
                drawReduced(g, d, n - 16, 16, half);
                fill16(d, n - 16, m, s, half);
            }
        }
        return d;
    }

    private static void drawReduced(Generator g, float[] d, int off, int n, boolean half) {
        for (int i = 0; i < n; i++) {
            int r = g.nextInt();
            d[off + i] = half ? (r & 0x7FF) * 0x1p-11f : (r & 0xFF) * 0x1p-8f;
        }
    }

    private static void fill16(float[] d, int o, float mean, float std, boolean half) {
        for (int j = 0; j < 8; j++) {
            float u1 = round(half, 1 - d[o + j]);
            float u2 = d[o + j + 8];
            if (half) {
                float radius = round(true, (float) Math.sqrt(-2 * Libm.logf(u1)));
                float theta = round(true, (float) (TWO_PI_D * u2));
                d[o + j] = round(true, Math.fma(radius * cosf(theta), std, mean));
                d[o + j + 8] = round(true, Math.fma(radius * sinf(theta), std, mean));
            } else {
                float lg = round(false, Libm.logf(u1));
                float radius = round(false, (float) Math.sqrt(round(false, -2 * lg)));
                float theta = round(false, (float) (TWO_PI_D * u2));
                float c = round(false, cosf(theta));
                float s = round(false, sinf(theta));
                d[o + j] = round(false, round(false, round(false, radius * c) * std) + mean);
                d[o + j + 8] = round(false, round(false, round(false, radius * s) * std) + mean);
            }
        }
    }

    /** cosf/sinf via the double functions rounded once: glibc's are within 0.56 ulp; the result is then
     *  rounded to 8 or 11 bits, where the difference does not show. */
    private static float cosf(float x) {
        return (float) Math.cos(x);
    }

    private static float sinf(float x) {
        return (float) Math.sin(x);
    }

    private static float round(boolean half, float v) {
        return half ? HalfFloats.halfToFloat(HalfFloats.floatToHalf(v))
                : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
    }
}
