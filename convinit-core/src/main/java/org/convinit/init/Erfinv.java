package org.convinit.init;

import org.convinit.random.Libm;

/**
 * torch's {@code calc_erfinv} ({@code aten/src/ATen/native/Math.h}), the {@code erfinv_} of builds
 * without MKL (Debian's torch here, aarch64 and macOS wheels): a rational first guess (Giles/Pavlis)
 * and two Newton steps. The float version is bit-exact: Horner evaluations are fused as GCC contracts
 * them in the AVX2 build, and {@code erff}/{@code expf}/{@code logf} are glibc's ({@link Libm}).
 * Official x86-64 wheels link MKL's {@code vsErfInv} instead, which this does not reproduce.
 */
final class Erfinv {
    private Erfinv() {}

    private static final float A0 = 0.886226899f, A1 = -1.645349621f, A2 = 0.914624893f, A3 = -0.140543331f;
    private static final float B0 = -2.118377725f, B1 = 1.442710462f, B2 = -0.329097515f, B3 = 0.012229801f;
    private static final float C0 = -1.970840454f, C1 = -1.624906493f, C2 = 3.429567803f, C3 = 1.641345311f;
    private static final float D0 = 3.543889200f, D1 = 1.637067800f;
    private static final float TWO_OVER_SQRT_PI_F = 2.0f / (float) Math.sqrt(Math.PI);

    /** {@code calc_erfinv<float>}. */
    static float erfinv(float y) {
        float ya = Math.abs(y);
        if (ya > 1.0f) return Float.NaN;
        if (ya == 1.0f) return Math.copySign(Float.POSITIVE_INFINITY, y);
        float x;
        if (ya <= 0.7f) {
            float z = y * y;
            float num = Math.fma(Math.fma(Math.fma(A3, z, A2), z, A1), z, A0);
            float dem = Math.fma(Math.fma(Math.fma(Math.fma(B3, z, B2), z, B1), z, B0), z, 1.0f);
            x = y * num / dem;
        } else {
            float z = (float) Math.sqrt(-Libm.logf((1.0f - ya) / 2.0f));
            float num = Math.fma(Math.fma(Math.fma(C3, z, C2), z, C1), z, C0);
            float dem = Math.fma(Math.fma(D1, z, D0), z, 1.0f);
            x = Math.copySign(num, y) / dem;
        }
        x = x - (Libm.erff(x) - y) / (TWO_OVER_SQRT_PI_F * Libm.expf(-x * x));
        x = x - (Libm.erff(x) - y) / (TWO_OVER_SQRT_PI_F * Libm.expf(-x * x));
        return x;
    }

    private static final double TWO_OVER_SQRT_PI = 2.0 / Math.sqrt(Math.PI);

    /**
     * {@code calc_erfinv<double>} with {@link Libm#erf} and Java's {@code exp}/{@code log}: within a few
     * ulp of torch's float64 {@code erfinv_}, not bit-exact (torch uses glibc's double libm).
     */
    static double erfinv(double y) {
        double ya = Math.abs(y);
        if (ya > 1.0) return Double.NaN;
        if (ya == 1.0) return Math.copySign(Double.POSITIVE_INFINITY, y);
        double x;
        if (ya <= 0.7) {
            double z = y * y;
            double num = Math.fma(Math.fma(Math.fma(A3d, z, A2d), z, A1d), z, A0d);
            double dem = Math.fma(Math.fma(Math.fma(Math.fma(B3d, z, B2d), z, B1d), z, B0d), z, 1.0);
            x = y * num / dem;
        } else {
            double z = Math.sqrt(-Math.log((1.0 - ya) / 2.0));
            double num = Math.fma(Math.fma(Math.fma(C3d, z, C2d), z, C1d), z, C0d);
            double dem = Math.fma(Math.fma(D1d, z, D0d), z, 1.0);
            x = Math.copySign(num, y) / dem;
        }
        x = x - (Libm.erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
        x = x - (Libm.erf(x) - y) / (TWO_OVER_SQRT_PI * Math.exp(-x * x));
        return x;
    }

    private static final double A0d = 0.886226899, A1d = -1.645349621, A2d = 0.914624893, A3d = -0.140543331;
    private static final double B0d = -2.118377725, B1d = 1.442710462, B2d = -0.329097515, B3d = 0.012229801;
    private static final double C0d = -1.970840454, C1d = -1.624906493, C2d = 3.429567803, C3d = 1.641345311;
    private static final double D0d = 3.543889200, D1d = 1.637067800;
}
