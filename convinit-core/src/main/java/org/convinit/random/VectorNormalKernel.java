package org.convinit.random;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code normal_fill_AVX2}'s Box–Muller step on the Vector API: one 8-lane vector for the radius lanes
 * and one for the angle lanes of a block of 16, the lane operations of {@link NormalKernels#log256} and
 * {@link NormalKernels#sincos256} in the same order with the same fused multiply-adds, so every lane is
 * bit-identical to the scalar reference. The masks, selects and sign flips of {@code avx_mathfun.h} are
 * and/andnot/or/xor on the bits, as the C code has them (no {@code VectorMask}: C2 boxes the vectors
 * around these masks on JDK 17 and 25, which costs more than the whole kernel). Loaded only when {@code jdk.incubator.vector} is in the
 * boot layer (see {@link NormalKernels#fillFloat}).
 */
final class VectorNormalKernel {
    private VectorNormalKernel() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;
    private static final int SQRTHF_BITS = Float.floatToRawIntBits(NormalKernels.SQRTHF);
    private static final int ONE_BITS = Float.floatToRawIntBits(1.0f);

    /** Whether 256-bit vectors are native on this CPU (AVX2): emulated ones are far slower than scalar. */
    static final boolean NATIVE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    /**
     * Blocks per pass (the radius buffer is {@code 8 · CHUNK} floats). Short passes cost nothing once
     * compiled and reach C2's invocation thresholds sooner: the first vector fill of 64M values took
     * ~1.5 s at 16 or 64 blocks, ~1.9 s at 256 and ~2.4 s at 512 (steady state the same, ~0.1 s).
     */
    static final int CHUNK = 64;

    /**
     * Box–Muller over {@code blocks} blocks of 16 raw draws {@code raw[ro + 16b ..]}, each taken as the
     * uniform {@code (r & 0xFFFFFF) · 2^-24}, written to {@code d[o + 16b ..]}.
     */
    static void blocks(int[] raw, int ro, float[] d, int o, int blocks, float mean, float std) {
        float[] radius = new float[8 * Math.min(blocks, CHUNK)];
        for (int b = 0; b < blocks; b += CHUNK) {
            blocks(raw, ro + 16 * b, d, o + 16 * b, Math.min(CHUNK, blocks - b), mean, std, radius);
        }
    }

    /**
     * {@link #blocks(int[], int, float[], int, int, float, float)} for at most {@code radius.length / 8}
     * blocks, with {@code radius} as scratch. Two loops, the radii first and then the angles and the
     * results: one loop with both is too big for C2, which then stops inlining the Vector API calls
     * (NodeCountInliningCutoff) and boxes every vector.
     */
    static void blocks(int[] raw, int ro, float[] d, int o, int blocks, float mean, float std, float[] radius) {
        radii(raw, ro, blocks, radius);
        angles(raw, ro, d, o, blocks, mean, std, radius);
    }

    /** {@code radius[8b ..] = sqrtf(-2 · log256_ps(1 - u1))} for the radius lanes of each block. */
    private static void radii(int[] raw, int ro, int blocks, float[] radius) {
        FloatVector one = FloatVector.broadcast(F, 1.0f);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector p0 = FloatVector.broadcast(F, NormalKernels.P0);
        FloatVector p1 = FloatVector.broadcast(F, NormalKernels.P1);
        FloatVector p2 = FloatVector.broadcast(F, NormalKernels.P2);
        FloatVector p3 = FloatVector.broadcast(F, NormalKernels.P3);
        FloatVector p4 = FloatVector.broadcast(F, NormalKernels.P4);
        FloatVector p5 = FloatVector.broadcast(F, NormalKernels.P5);
        FloatVector p6 = FloatVector.broadcast(F, NormalKernels.P6);
        FloatVector p7 = FloatVector.broadcast(F, NormalKernels.P7);
        FloatVector p8 = FloatVector.broadcast(F, NormalKernels.P8);
        FloatVector q1 = FloatVector.broadcast(F, NormalKernels.Q1);
        FloatVector q2 = FloatVector.broadcast(F, NormalKernels.Q2);
        for (int b = 0; b < blocks; b++) {
            FloatVector u1 = ((FloatVector) IntVector.fromArray(I, raw, ro + 16 * b).and(0xFFFFFF)
                    .convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
            // log256_ps(1 - u1): x in [2^-24, 1], so neither the clamp nor the invalid mask applies
            FloatVector x = one.sub(u1);
            IntVector bx = x.reinterpretAsInts();
            FloatVector e = ((FloatVector) bx.lanewise(VectorOperators.LSHR, 23).sub(0x7f)
                    .convert(VectorOperators.I2F, 0)).add(one);
            IntVector xb = bx.and(~0x7f800000).or(0x3f000000);
            x = xb.reinterpretAsFloats();
            // mask = x < SQRTHF, as all-ones lanes: x and SQRTHF are positive, so their bits compare alike
            IntVector lt = xb.sub(SQRTHF_BITS).lanewise(VectorOperators.ASHR, 31);
            FloatVector tmp = xb.and(lt).reinterpretAsFloats();
            x = x.sub(one);
            e = e.sub(lt.and(ONE_BITS).reinterpretAsFloats());
            x = x.add(tmp);
            FloatVector z = x.mul(x);
            FloatVector y = p0.fma(x, p1);
            y = y.fma(x, p2);
            y = y.fma(x, p3);
            y = y.fma(x, p4);
            y = y.fma(x, p5);
            y = y.fma(x, p6);
            y = y.fma(x, p7);
            y = y.fma(x, p8);
            y = y.mul(x);
            y = y.fma(z, e.mul(q1));
            y = z.neg().fma(half, y);
            x = x.add(y);
            x = e.fma(q2, x);
            x.mul(-2.0f).sqrt().intoArray(radius, 8 * b);
        }
    }

    /** The angle lanes' {@code sincos256_ps(2π · u2)} and the results {@code fmaf(radius · cos|sin, std, mean)}. */
    private static void angles(int[] raw, int ro, float[] d, int o, int blocks, float mean, float std, float[] radius) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1.0f);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector magic = FloatVector.broadcast(F, 0x1p23f);
        FloatVector dp1 = FloatVector.broadcast(F, NormalKernels.DP1);
        FloatVector dp2 = FloatVector.broadcast(F, NormalKernels.DP2);
        FloatVector dp3 = FloatVector.broadcast(F, NormalKernels.DP3);
        FloatVector cos0 = FloatVector.broadcast(F, NormalKernels.COS0);
        FloatVector cos1 = FloatVector.broadcast(F, NormalKernels.COS1);
        FloatVector cos2 = FloatVector.broadcast(F, NormalKernels.COS2);
        FloatVector sin0 = FloatVector.broadcast(F, NormalKernels.SIN0);
        FloatVector sin1 = FloatVector.broadcast(F, NormalKernels.SIN1);
        FloatVector sin2 = FloatVector.broadcast(F, NormalKernels.SIN2);
        FloatVector vstd = FloatVector.broadcast(F, std);
        FloatVector vmean = FloatVector.broadcast(F, mean);
        for (int b = 0; b < blocks; b++) {
            int di = o + 16 * b;
            FloatVector u2 = ((FloatVector) IntVector.fromArray(I, raw, ro + 16 * b + 8).and(0xFFFFFF)
                    .convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
            // sincos256_ps(2π · u2): the input is >= 0, so the sine's sign is the swap bit alone
            FloatVector t = u2.mul(NormalKernels.TWO_PI_F);
            // j = (int) (t · 4/π), for 0 <= t · 4/π <= 8: JDK 17 has no vector F2I conversion. y + 2^23
            // rounds y to the nearest integer k in the low mantissa bits; one is taken off where k > y,
            // i.e. where y - k is negative (a nonzero difference of floats never rounds to zero, and an
            // exact one is +0)
            FloatVector yf = t.mul(NormalKernels.FOPI);
            FloatVector r = yf.add(magic);
            IntVector j = r.reinterpretAsInts().sub(0x4b000000)
                    .sub(yf.sub(r.sub(magic)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31));
            j = j.add(1).and(~1);
            FloatVector fj = (FloatVector) j.convert(VectorOperators.I2F, 0);
            IntVector signSin = j.and(4).lanewise(VectorOperators.LSHL, 29);
            IntVector poly = j.and(2).lanewise(VectorOperators.LSHR, 1).sub(1); // all ones where (j & 2) == 0
            t = fj.fma(dp1, t);
            t = fj.fma(dp2, t);
            t = fj.fma(dp3, t);
            IntVector signCos = j.sub(2).not().and(4).lanewise(VectorOperators.LSHL, 29);
            FloatVector zz = t.mul(t);
            FloatVector yc = cos0.fma(zz, cos1);
            yc = yc.fma(zz, cos2);
            yc = yc.mul(zz);
            yc = yc.fma(zz, zz.mul(half).neg());
            yc = yc.add(one);
            FloatVector ys = sin0.fma(zz, sin1);
            ys = ys.fma(zz, sin2);
            ys = ys.mul(zz);
            ys = ys.fma(t, t);
            IntVector ysb = ys.add(zero).reinterpretAsInts();
            IntVector ycb = yc.add(zero).reinterpretAsInts();
            FloatVector sin = ysb.and(poly).or(ycb.lanewise(VectorOperators.AND_NOT, poly))
                    .lanewise(VectorOperators.XOR, signSin).reinterpretAsFloats();
            FloatVector cos = ycb.and(poly).or(ysb.lanewise(VectorOperators.AND_NOT, poly))
                    .lanewise(VectorOperators.XOR, signCos).reinterpretAsFloats();

            FloatVector rad = FloatVector.fromArray(F, radius, 8 * b);
            rad.mul(cos).fma(vstd, vmean).intoArray(d, di);
            rad.mul(sin).fma(vstd, vmean).intoArray(d, di + 8);
        }
    }
}
