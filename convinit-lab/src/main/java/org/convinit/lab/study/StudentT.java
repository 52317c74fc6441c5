package org.convinit.lab.study;

/**
 * Student's t distribution: its CDF through the regularized incomplete beta function, and its quantiles
 * by bisection on the CDF (to double precision), for the 95% intervals over seeds.
 *
 * <pre>
 * F(t; nu) = 1 - I_x(nu/2, 1/2) / 2  for t &gt;= 0,  x = nu / (nu + t^2)
 * </pre>
 *
 * I_x is evaluated by Lentz's continued fraction (Numerical Recipes {@code betacf}); the tests pin
 * {@code quantile(0.975, nu)} against the published table (12.7062 for nu = 1, 4.3027 for 2, 2.0452 for 29, ...).
 */
public final class StudentT {
    private StudentT() {}

    /** {@code P(T <= t)} for {@code nu} degrees of freedom ({@code nu > 0}). */
    public static double cdf(double t, double nu) {
        if (!(nu > 0)) throw new IllegalArgumentException("degrees of freedom " + nu + ": expected > 0");
        if (Double.isNaN(t)) return Double.NaN;
        if (Double.isInfinite(t)) return t > 0 ? 1 : 0;
        double x = nu / (nu + t * t);
        double tail = 0.5 * regularizedBeta(x, nu / 2, 0.5);
        return t >= 0 ? 1 - tail : tail;
    }

    /** The {@code p}-quantile ({@code 0 < p < 1}) for {@code nu} degrees of freedom. */
    public static double quantile(double p, double nu) {
        if (!(p > 0 && p < 1)) throw new IllegalArgumentException("probability " + p + ": expected 0 < p < 1");
        if (!(nu > 0)) throw new IllegalArgumentException("degrees of freedom " + nu + ": expected > 0");
        if (p == 0.5) return 0;
        if (p < 0.5) return -quantile(1 - p, nu);
        double lo = 0;
        double hi = 1;
        while (cdf(hi, nu) < p) hi *= 2;
        for (int i = 0; i < 200 && hi - lo > 1e-15 * hi; i++) {
            double mid = 0.5 * (lo + hi);
            if (cdf(mid, nu) < p) lo = mid;
            else hi = mid;
        }
        return 0.5 * (lo + hi);
    }

    /** {@code I_x(a, b)}, the regularized incomplete beta function. */
    static double regularizedBeta(double x, double a, double b) {
        if (x <= 0) return 0;
        if (x >= 1) return 1;
        double lnFront = logGamma(a + b) - logGamma(a) - logGamma(b) + a * Math.log(x) + b * Math.log1p(-x);
        double front = Math.exp(lnFront);
        if (x < (a + 1) / (a + b + 2)) return front * continuedFraction(x, a, b) / a;
        return 1 - front * continuedFraction(1 - x, b, a) / b;
    }

    private static double continuedFraction(double x, double a, double b) {
        final double tiny = 1e-300;
        double qab = a + b;
        double qap = a + 1;
        double qam = a - 1;
        double c = 1;
        double d = 1 - qab * x / qap;
        if (Math.abs(d) < tiny) d = tiny;
        d = 1 / d;
        double h = d;
        for (int m = 1; m <= 10_000; m++) {
            int m2 = 2 * m;
            double aa = m * (b - m) * x / ((qam + m2) * (a + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            h *= d * c;
            aa = -(a + m) * (qab + m) * x / ((a + m2) * (qap + m2));
            d = 1 + aa * d;
            if (Math.abs(d) < tiny) d = tiny;
            c = 1 + aa / c;
            if (Math.abs(c) < tiny) c = tiny;
            d = 1 / d;
            double del = d * c;
            h *= del;
            if (Math.abs(del - 1) < 1e-16) break;
        }
        return h;
    }

    /** ln Gamma(x) for x &gt; 0 (Lanczos, g = 7, 9 terms; relative error ~1e-15). */
    static double logGamma(double x) {
        if (x < 0.5) return Math.log(Math.PI / Math.abs(Math.sin(Math.PI * x))) - logGamma(1 - x);
        double[] c = {0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059,
            12.507343278686905, -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7};
        double y = x - 1;
        double sum = c[0];
        for (int i = 1; i < 9; i++) sum += c[i] / (y + i);
        double t = y + 7.5;
        return 0.5 * Math.log(2 * Math.PI) + (y + 0.5) * Math.log(t) - t + Math.log(sum);
    }
}
