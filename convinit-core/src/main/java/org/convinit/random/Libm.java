package org.convinit.random;

/**
 * Ports of glibc 2.36's libm where torch's bits depend on it. Single precision: {@code expf}, {@code logf}
 * (both from ARM's optimized-routines,
 * {@code sysdeps/ieee754/flt-32/e_expf.c}, {@code e_logf.c}, with their tables) and {@code erff}
 * (Sun fdlibm, {@code s_erff.c}), so that kernels torch runs through libm (float {@code erfinv_} in
 * non-MKL builds, float16 {@code normal_}) give the same bits in Java. The x86-64 FMA variants that
 * glibc selects at run time compute the same results as the plain ones on every input we checked
 * (300,000 values per function, compared with the real libm through ctypes).
 *
 * <p>Double precision: {@link #erf} (fdlibm {@code s_erf.c} as glibc 2.36 ships it), used by
 * {@code trunc_normal_}'s Python {@code math.erf}. It calls {@link Math#exp} where glibc calls its own
 * {@code exp}; both are within one ulp, so for {@code 1.25 <= |x| < 6} {@code erf} differs from glibc
 * in the last bit of the double for about 6 in 100,000 arguments (measured against glibc 2.36 through
 * ctypes; identical below 1.25). {@code trunc_normal_} only uses it through a cast to float32.
 */
public final class Libm {
    private Libm() {}

    /** tab[i] = bits(2^(i/32)) - (i << 47). */
    private static final long[] T = {
        0x3ff0000000000000L, 0x3fefd9b0d3158574L, 0x3fefb5586cf9890fL, 0x3fef9301d0125b51L,
        0x3fef72b83c7d517bL, 0x3fef54873168b9aaL, 0x3fef387a6e756238L, 0x3fef1e9df51fdee1L,
        0x3fef06fe0a31b715L, 0x3feef1a7373aa9cbL, 0x3feedea64c123422L, 0x3feece086061892dL,
        0x3feebfdad5362a27L, 0x3feeb42b569d4f82L, 0x3feeab07dd485429L, 0x3feea47eb03a5585L,
        0x3feea09e667f3bcdL, 0x3fee9f75e8ec5f74L, 0x3feea11473eb0187L, 0x3feea589994cce13L,
        0x3feeace5422aa0dbL, 0x3feeb737b0cdc5e5L, 0x3feec49182a3f090L, 0x3feed503b23e255dL,
        0x3feee89f995ad3adL, 0x3feeff76f2fb5e47L, 0x3fef199bdd85529cL, 0x3fef3720dcef9069L,
        0x3fef5818dcfba487L, 0x3fef7c97337b9b5fL, 0x3fefa4afa2a490daL, 0x3fefd0765b6e4540L,
    };
    private static final double SHIFT = 0x1.8p+52;
    private static final double INVLN2N = 0x1.71547652b82fep+0 * 32;
    private static final double C0 = 0x1.c6af84b912394p-5 / 32 / 32 / 32;
    private static final double C1 = 0x1.ebfce50fac4f3p-3 / 32 / 32;
    private static final double C2 = 0x1.62e42ff0c52d6p-1 / 32;

    /** glibc {@code expf}. */
    public static float expf(float x) {
        double xd = x;
        int abstop = (Float.floatToRawIntBits(x) >>> 20) & 0x7ff;
        if (abstop >= (Float.floatToRawIntBits(88.0f) >>> 20)) {
            if (x == Float.NEGATIVE_INFINITY) return 0f;
            if (abstop >= (Float.floatToRawIntBits(Float.POSITIVE_INFINITY) >>> 20)) return x + x;
            if (x > 0x1.62e42ep6f) return Float.POSITIVE_INFINITY;
            if (x < -0x1.9fe368p6f) return 0f;
        }
        double z = INVLN2N * xd;
        double kd = z + SHIFT;
        long ki = Double.doubleToRawLongBits(kd);
        kd -= SHIFT;
        double r = z - kd;
        long t = T[(int) (ki & 31)];
        t += ki << (52 - 5);
        double s = Double.longBitsToDouble(t);
        double zz = C0 * r + C1;
        double r2 = r * r;
        double y = C2 * r + 1;
        y = zz * r2 + y;
        y = y * s;
        return (float) y;
    }

    private static final double[] INVC = {
        0x1.661ec79f8f3bep+0, 0x1.571ed4aaf883dp+0, 0x1.49539f0f010bp+0, 0x1.3c995b0b80385p+0,
        0x1.30d190c8864a5p+0, 0x1.25e227b0b8eap+0, 0x1.1bb4a4a1a343fp+0, 0x1.12358f08ae5bap+0,
        0x1.0953f419900a7p+0, 0x1p+0, 0x1.e608cfd9a47acp-1, 0x1.ca4b31f026aap-1,
        0x1.b2036576afce6p-1, 0x1.9c2d163a1aa2dp-1, 0x1.886e6037841edp-1, 0x1.767dcf5534862p-1,
    };
    private static final double[] LOGC = {
        -0x1.57bf7808caadep-2, -0x1.2bef0a7c06ddbp-2, -0x1.01eae7f513a67p-2, -0x1.b31d8a68224e9p-3,
        -0x1.6574f0ac07758p-3, -0x1.1aa2bc79c81p-3, -0x1.a4e76ce8c0e5ep-4, -0x1.1973c5a611cccp-4,
        -0x1.252f438e10c1ep-5, 0x0p+0, 0x1.aa5aa5df25984p-5, 0x1.c5e53aa362eb4p-4,
        0x1.526e57720db08p-3, 0x1.bc2860d22477p-3, 0x1.1058bc8a07ee1p-2, 0x1.4043057b6ee09p-2,
    };
    private static final double LN2 = 0x1.62e42fefa39efp-1;
    private static final double A0 = -0x1.00ea348b88334p-2, A1 = 0x1.5575b0be00b6ap-2, A2 = -0x1.ffffef20a4123p-2;

    /** glibc {@code logf}. */
    public static float logf(float x) {
        int ix = Float.floatToRawIntBits(x);
        if (ix == 0x3f800000) return 0f;
        if (Integer.compareUnsigned(ix - 0x00800000, 0x7f800000 - 0x00800000) >= 0) {
            if (ix * 2 == 0) return Float.NEGATIVE_INFINITY;
            if (ix == 0x7f800000) return x;
            if ((ix & 0x80000000) != 0 || Integer.compareUnsigned(ix * 2, 0xff000000) >= 0) return Float.NaN;
            ix = Float.floatToRawIntBits(x * 0x1p23f);
            ix -= 23 << 23;
        }
        int tmp = ix - 0x3f330000;
        int i = (tmp >>> (23 - 4)) % 16;
        int k = tmp >> 23;
        int iz = ix - (tmp & (0x1ff << 23));
        double invc = INVC[i];
        double logc = LOGC[i];
        double z = Float.intBitsToFloat(iz);
        double r = z * invc - 1;
        double y0 = logc + (double) k * LN2;
        double r2 = r * r;
        double y = A1 * r + A2;
        y = A0 * r2 + y;
        y = y * r2 + (y0 + r);
        return (float) y;
    }

    // s_erff.c (fdlibm), float arithmetic throughout, no contraction (glibc builds it without FMA)
    private static final float erx = 8.4506291151e-01f, efx = 1.2837916613e-01f,
    pp0 = 1.2837916613e-01f, pp1 = -3.2504209876e-01f, pp2 = -2.8481749818e-02f, pp3 = -5.7702702470e-03f, pp4 = -2.3763017452e-05f,
    qq1 = 3.9791721106e-01f, qq2 = 6.5022252500e-02f, qq3 = 5.0813062117e-03f, qq4 = 1.3249473704e-04f, qq5 = -3.9602282413e-06f,
    pa0 = -2.3621185683e-03f, pa1 = 4.1485610604e-01f, pa2 = -3.7220788002e-01f, pa3 = 3.1834661961e-01f, pa4 = -1.1089469492e-01f, pa5 = 3.5478305072e-02f, pa6 = -2.1663755178e-03f,
    qa1 = 1.0642088205e-01f, qa2 = 5.4039794207e-01f, qa3 = 7.1828655899e-02f, qa4 = 1.2617121637e-01f, qa5 = 1.3637083583e-02f, qa6 = 1.1984500103e-02f,
    ra0 = -9.8649440333e-03f, ra1 = -6.9385856390e-01f, ra2 = -1.0558626175e+01f, ra3 = -6.2375331879e+01f, ra4 = -1.6239666748e+02f, ra5 = -1.8460508728e+02f, ra6 = -8.1287437439e+01f, ra7 = -9.8143291473e+00f,
    sa1 = 1.9651271820e+01f, sa2 = 1.3765776062e+02f, sa3 = 4.3456588745e+02f, sa4 = 6.4538726807e+02f, sa5 = 4.2900814819e+02f, sa6 = 1.0863500214e+02f, sa7 = 6.5702495575e+00f, sa8 = -6.0424413532e-02f,
    rb0 = -9.8649431020e-03f, rb1 = -7.9928326607e-01f, rb2 = -1.7757955551e+01f, rb3 = -1.6063638306e+02f, rb4 = -6.3756646729e+02f, rb5 = -1.0250950928e+03f, rb6 = -4.8351919556e+02f,
    sb1 = 3.0338060379e+01f, sb2 = 3.2579251099e+02f, sb3 = 1.5367296143e+03f, sb4 = 3.1998581543e+03f, sb5 = 2.5530502930e+03f, sb6 = 4.7452853394e+02f, sb7 = -2.2440952301e+01f;

    /** glibc {@code erff}. */
    public static float erff(float x) {
        int hx = Float.floatToRawIntBits(x);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7f800000) { int i = (hx >>> 31) << 1; return (float) (1 - i) + 1f / x; }
        if (ix < 0x3f580000) {
            if (ix < 0x31800000) {
                if (ix < 0x04000000) return 0.0625f * (16.0f * x + (16.0f * efx) * x);
                return x + efx * x;
            }
            float z = x * x;
            float r = pp0 + z * (pp1 + z * (pp2 + z * (pp3 + z * pp4)));
            float s = 1f + z * (qq1 + z * (qq2 + z * (qq3 + z * (qq4 + z * qq5))));
            float y = r / s;
            return x + x * y;
        }
        if (ix < 0x3fa00000) {
            float s = Math.abs(x) - 1f;
            float P = pa0 + s * (pa1 + s * (pa2 + s * (pa3 + s * (pa4 + s * (pa5 + s * pa6)))));
            float Q = 1f + s * (qa1 + s * (qa2 + s * (qa3 + s * (qa4 + s * (qa5 + s * qa6)))));
            if (hx >= 0) return erx + P / Q; else return -erx - P / Q;
        }
        if (ix >= 0x40c00000) { if (hx >= 0) return 1f - 1e-30f; else return 1e-30f - 1f; }
        x = Math.abs(x);
        float s = 1f / (x * x);
        float R, S;
        if (ix < 0x4036DB6E) {
            R = ra0 + s * (ra1 + s * (ra2 + s * (ra3 + s * (ra4 + s * (ra5 + s * (ra6 + s * ra7))))));
            S = 1f + s * (sa1 + s * (sa2 + s * (sa3 + s * (sa4 + s * (sa5 + s * (sa6 + s * (sa7 + s * sa8)))))));
        } else {
            R = rb0 + s * (rb1 + s * (rb2 + s * (rb3 + s * (rb4 + s * (rb5 + s * rb6)))));
            S = 1f + s * (sb1 + s * (sb2 + s * (sb3 + s * (sb4 + s * (sb5 + s * (sb6 + s * sb7))))));
        }
        float z = Float.intBitsToFloat(Float.floatToRawIntBits(x) & 0xfffff000);
        float r = expf(-z * z - 0.5625f) * expf((z - x) * (z + x) + R / S);
        if (hx >= 0) return 1f - r / x; else return r / x - 1f;
    }

    // ---- double erf: glibc dbl-64/s_erf.c (fdlibm, Shimizu's pipelined form)

    private static final double ERX = 8.45062911510467529297e-01;
    private static final double EFX = 1.28379167095512586316e-01;
    private static final double[] PP = {1.28379167095512558561e-01, -3.25042107247001499370e-01,
        -2.84817495755985104766e-02, -5.77027029648944159157e-03, -2.37630166566501626084e-05};
    private static final double[] QQ = {0.0, 3.97917223959155352819e-01, 6.50222499887672944485e-02,
        5.08130628187576562776e-03, 1.32494738004321644526e-04, -3.96022827877536812320e-06};
    private static final double[] PA = {-2.36211856075265944077e-03, 4.14856118683748331666e-01,
        -3.72207876035701323847e-01, 3.18346619901161753674e-01, -1.10894694282396677476e-01,
        3.54783043256182359371e-02, -2.16637559486879084300e-03};
    private static final double[] QA = {0.0, 1.06420880400844228286e-01, 5.40397917702171048937e-01,
        7.18286544141962662868e-02, 1.26171219808761642112e-01, 1.36370839120290507362e-02,
        1.19844998467991074170e-02};
    private static final double[] RA = {-9.86494403484714822705e-03, -6.93858572707181764372e-01,
        -1.05586262253232909814e+01, -6.23753324503260060396e+01, -1.62396669462573470355e+02,
        -1.84605092906711035994e+02, -8.12874355063065934246e+01, -9.81432934416914548592e+00};
    private static final double[] SA = {0.0, 1.96512716674392571292e+01, 1.37657754143519042600e+02,
        4.34565877475229228821e+02, 6.45387271733267880336e+02, 4.29008140027567833386e+02,
        1.08635005541779435134e+02, 6.57024977031928170135e+00, -6.04244152148580987438e-02};
    private static final double[] RB = {-9.86494292470009928597e-03, -7.99283237680523006574e-01,
        -1.77579549177547519889e+01, -1.60636384855821916062e+02, -6.37566443368389627722e+02,
        -1.02509513161107724954e+03, -4.83519191608651397019e+02};
    private static final double[] SB = {0.0, 3.03380607434824582924e+01, 3.25792512996573918826e+02,
        1.53672958608443695994e+03, 3.19985821950859553908e+03, 2.55305040643316442583e+03,
        4.74528541206955367215e+02, -2.24409524465858183362e+01};

    /** glibc 2.36 {@code erf} (see the class notes for its exp). */
    public static double erf(double x) {
        int hx = (int) (Double.doubleToRawLongBits(x) >>> 32);
        int ix = hx & 0x7fffffff;
        if (ix >= 0x7ff00000) {
            int i = (hx >>> 31) << 1;
            return (double) (1 - i) + 1.0 / x;
        }
        if (ix < 0x3feb0000) {
            if (ix < 0x3e300000) {
                if (ix < 0x00800000) return 0.0625 * (16.0 * x + (16.0 * EFX) * x);
                return x + EFX * x;
            }
            double z = x * x;
            double r1 = PP[0] + z * PP[1];
            double z2 = z * z;
            double r2 = PP[2] + z * PP[3];
            double z4 = z2 * z2;
            double s1 = 1.0 + z * QQ[1];
            double s2 = QQ[2] + z * QQ[3];
            double s3 = QQ[4] + z * QQ[5];
            double r = r1 + z2 * r2 + z4 * PP[4];
            double s = s1 + z2 * s2 + z4 * s3;
            double y = r / s;
            return x + x * y;
        }
        if (ix < 0x3ff40000) {
            double s = Math.abs(x) - 1.0;
            double p1 = PA[0] + s * PA[1];
            double s2 = s * s;
            double q1 = 1.0 + s * QA[1];
            double s4 = s2 * s2;
            double p2 = PA[2] + s * PA[3];
            double s6 = s4 * s2;
            double q2 = QA[2] + s * QA[3];
            double p3 = PA[4] + s * PA[5];
            double q3 = QA[4] + s * QA[5];
            double p = p1 + s2 * p2 + s4 * p3 + s6 * PA[6];
            double q = q1 + s2 * q2 + s4 * q3 + s6 * QA[6];
            return hx >= 0 ? ERX + p / q : -ERX - p / q;
        }
        if (ix >= 0x40180000) return hx >= 0 ? 1.0 - 1e-300 : 1e-300 - 1.0;
        x = Math.abs(x);
        double s = 1.0 / (x * x);
        double rr;
        double ss;
        if (ix < 0x4006DB6E) {
            double r1 = RA[0] + s * RA[1];
            double s2 = s * s;
            double t1 = 1.0 + s * SA[1];
            double s4 = s2 * s2;
            double r2 = RA[2] + s * RA[3];
            double s6 = s4 * s2;
            double t2 = SA[2] + s * SA[3];
            double s8 = s4 * s4;
            double r3 = RA[4] + s * RA[5];
            double t3 = SA[4] + s * SA[5];
            double r4 = RA[6] + s * RA[7];
            double t4 = SA[6] + s * SA[7];
            rr = r1 + s2 * r2 + s4 * r3 + s6 * r4;
            ss = t1 + s2 * t2 + s4 * t3 + s6 * t4 + s8 * SA[8];
        } else {
            double r1 = RB[0] + s * RB[1];
            double s2 = s * s;
            double t1 = 1.0 + s * SB[1];
            double s4 = s2 * s2;
            double r2 = RB[2] + s * RB[3];
            double s6 = s4 * s2;
            double t2 = SB[2] + s * SB[3];
            double r3 = RB[4] + s * RB[5];
            double t3 = SB[4] + s * SB[5];
            double t4 = SB[6] + s * SB[7];
            rr = r1 + s2 * r2 + s4 * r3 + s6 * RB[6];
            ss = t1 + s2 * t2 + s4 * t3 + s6 * t4;
        }
        double z = Double.longBitsToDouble(Double.doubleToRawLongBits(x) & 0xFFFFFFFF00000000L);
        double r = Math.exp(-z * z - 0.5625) * Math.exp((z - x) * (z + x) + rr / ss);
        return hx >= 0 ? 1.0 - r / x : r / x - 1.0;
    }
}
