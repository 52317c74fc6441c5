package org.convinit.random;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.IntVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@code normal_fill_AVX2}'s Box–Muller step on the Vector API: one 8-lane vector for the radius lanes
 * and one for the angle lanes of a block of 16, the lane operations of {@link NormalKernels#log256} and
 * {@link NormalKernels#sincos256} in the same order with the same fused multiply-adds, so every lane is
 * bit-identical to the scalar reference. The masks and sign flips of {@code avx_mathfun.h} are blends
 * and xors of sign bits, as the C code has them. Loaded only when {@code jdk.incubator.vector} is in the
 * boot layer (see {@link NormalKernels#fillFloat}).
 */
final class VectorNormalKernel {
    private VectorNormalKernel() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_256;
    private static final VectorSpecies<Integer> I = IntVector.SPECIES_256;

    /** Whether 256-bit vectors are native on this CPU (AVX2): emulated ones are far slower than scalar. */
    static final boolean NATIVE = FloatVector.SPECIES_PREFERRED.vectorBitSize() >= 256;

    /**
     * Box–Muller over {@code blocks} blocks of 16 raw draws {@code raw[ro + 16b ..]}, each taken as the
     * uniform {@code (r & 0xFFFFFF) · 2^-24}, written to {@code d[o + 16b ..]}.
     */
    static void blocks(int[] raw, int ro, float[] d, int o, int blocks, float mean, float std) {
        FloatVector zero = FloatVector.zero(F);
        FloatVector one = FloatVector.broadcast(F, 1.0f);
        FloatVector half = FloatVector.broadcast(F, 0.5f);
        FloatVector sqrthf = FloatVector.broadcast(F, NormalKernels.SQRTHF);
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
        FloatVector magic = FloatVector.broadcast(F, 0x1p23f);
        for (int b = 0; b < blocks; b++) {
            int ri = ro + 16 * b;
            int di = o + 16 * b;
            FloatVector u1 = ((FloatVector) IntVector.fromArray(I, raw, ri).and(0xFFFFFF)
                    .convert(VectorOperators.I2F, 0)).mul(0x1p-24f);
            FloatVector u2 = ((FloatVector) IntVector.fromArray(I, raw, ri + 8).and(0xFFFFFF)
                    .convert(VectorOperators.I2F, 0)).mul(0x1p-24f);

            // log256_ps(1 - u1): x in [2^-24, 1], so neither the clamp nor the invalid mask applies
            FloatVector x = one.sub(u1);
            IntVector bx = x.reinterpretAsInts();
            FloatVector e = ((FloatVector) bx.lanewise(VectorOperators.LSHR, 23).sub(0x7f)
                    .convert(VectorOperators.I2F, 0)).add(one);
            x = bx.and(~0x7f800000).or(0x3f000000).reinterpretAsFloats();
            VectorMask<Float> lt = x.lt(sqrthf);
            FloatVector tmp = zero.blend(x, lt);
            x = x.sub(one);
            e = e.sub(zero.blend(one, lt));
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
            FloatVector radius = x.mul(-2.0f).sqrt();

            // sincos256_ps(2π · u2): the input is >= 0, so the sine's sign is the swap bit alone
            FloatVector t = u2.mul(NormalKernels.TWO_PI_F);
            IntVector j = truncate(t.mul(NormalKernels.FOPI), magic);
            j = j.add(1).and(~1);
            FloatVector fj = (FloatVector) j.convert(VectorOperators.I2F, 0);
            IntVector signSin = j.and(4).lanewise(VectorOperators.LSHL, 29);
            VectorMask<Integer> poly = j.and(2).eq(0);
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
            FloatVector sin = ycb.blend(ysb, poly).lanewise(VectorOperators.XOR, signSin).reinterpretAsFloats();
            FloatVector cos = ysb.blend(ycb, poly).lanewise(VectorOperators.XOR, signCos).reinterpretAsFloats();

            radius.mul(cos).fma(vstd, vmean).intoArray(d, di);
            radius.mul(sin).fma(vstd, vmean).intoArray(d, di + 8);
        }
    }

    /**
     * {@code (int) y} for {@code 0 <= y < 2^22}: JDK 17 does not compile the F2I conversion to a vector
     * instruction. {@code y + 2^23} rounds y to the nearest integer {@code k} in the low mantissa bits;
     * one is taken off where {@code k > y}, i.e. where {@code y - k} is negative (its sign bit), since a
     * nonzero difference of floats never rounds to zero and an exact one is +0.
     */
    private static IntVector truncate(FloatVector y, FloatVector magic) {
        FloatVector r = y.add(magic);
        IntVector k = r.reinterpretAsInts().sub(0x4b000000);
        IntVector below = y.sub(r.sub(magic)).reinterpretAsInts().lanewise(VectorOperators.LSHR, 31);
        return k.sub(below);
    }
}
