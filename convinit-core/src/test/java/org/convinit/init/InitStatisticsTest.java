package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Arrays;
import java.util.function.DoubleUnaryOperator;

import org.convinit.random.Generator;
import org.convinit.random.Libm;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * Seeded statistical checks of every distribution: a Kolmogorov–Smirnov test against the exact CDF
 * (critical value 1.95/√n, α ≈ 0.001) and mean / variance within 5 standard errors derived from n.
 * Fixed seeds make them deterministic; the tolerances make a wrong formula (e.g. a √2 error in a
 * bound or a std) fail by a wide margin at these sizes.
 */
class InitStatisticsTest {
    static final int N = 200_000;

    static double[] sample(Tensor t) {
        double[] v = t.toDoubleArray();
        Arrays.sort(v);
        return v;
    }

    /** The KS statistic sup |F_n − F|. */
    static double ks(double[] sorted, DoubleUnaryOperator cdf) {
        double d = 0;
        int n = sorted.length;
        for (int i = 0; i < n; i++) {
            double f = cdf.applyAsDouble(sorted[i]);
            d = Math.max(d, Math.max(f - (double) i / n, (double) (i + 1) / n - f));
        }
        return d;
    }

    static double normalCdf(double x, double mean, double std) {
        return 0.5 * (1 + Libm.erf((x - mean) / (std * Math.sqrt(2))));
    }

    static void checkMoments(double[] v, double mean, double var, double fourthCentral) {
        int n = v.length;
        double m = 0;
        for (double x : v) m += x;
        m /= n;
        double s2 = 0;
        for (double x : v) s2 += (x - m) * (x - m);
        s2 /= n - 1;
        assertThat(Math.abs(m - mean)).as("mean %s vs %s", m, mean).isLessThanOrEqualTo(5 * Math.sqrt(var / n));
        // Var(s²) ≈ (μ4 − σ⁴)/n
        assertThat(Math.abs(s2 - var)).as("variance %s vs %s", s2, var)
                .isLessThanOrEqualTo(5 * Math.sqrt((fourthCentral - var * var) / n));
    }

    static void checkUniform(Tensor t, double lo, double hi) {
        double[] v = sample(t);
        assertThat(v[0]).isGreaterThanOrEqualTo(lo);
        assertThat(v[v.length - 1]).isLessThanOrEqualTo(hi);
        assertThat(ks(v, x -> Math.min(1, Math.max(0, (x - lo) / (hi - lo))))).isLessThan(1.95 / Math.sqrt(v.length));
        double w = hi - lo;
        checkMoments(v, (lo + hi) / 2, w * w / 12, Math.pow(w, 4) / 80);
    }

    static void checkNormal(Tensor t, double mean, double std) {
        double[] v = sample(t);
        assertThat(ks(v, x -> normalCdf(x, mean, std))).isLessThan(1.95 / Math.sqrt(v.length));
        checkMoments(v, mean, std * std, 3 * Math.pow(std, 4));
    }

    @Test
    void uniformAndNormal() {
        Generator g = new Generator(1);
        checkUniform(Init.uniform(Tensor.empty(DType.FLOAT32, N), -0.3, 0.7, g), -0.3, 0.7);
        checkUniform(Init.uniform(Tensor.empty(DType.FLOAT64, N), 2, 5, g), 2, 5);
        checkNormal(Init.normal(Tensor.empty(DType.FLOAT32, N), 0.5, 0.02, g), 0.5, 0.02);
        checkNormal(Init.normal(Tensor.empty(DType.FLOAT64, N), -1, 3, g), -1, 3);
        // the scalar double path: a non-contiguous view
        Tensor base = Tensor.empty(DType.FLOAT32, 400, 500);
        Init.normal(base.t(), 0, 1, g);
        checkNormal(base, 0, 1);
    }

    @Test
    void truncatedNormalHasTheTruncatedDistribution() {
        Generator g = new Generator(2);
        double mean = 0.3;
        double std = 0.7;
        double a = -0.5;
        double b = 1.0;
        Tensor t = Init.truncNormal(Tensor.empty(DType.FLOAT32, N), mean, std, a, b, g);
        double[] v = sample(t);
        assertThat(v[0]).isGreaterThanOrEqualTo(a);
        assertThat(v[v.length - 1]).isLessThanOrEqualTo(b);
        double fa = normalCdf(a, mean, std);
        double fb = normalCdf(b, mean, std);
        assertThat(ks(v, x -> (normalCdf(x, mean, std) - fa) / (fb - fa))).isLessThan(1.95 / Math.sqrt(N));
        // moments of the truncated normal
        double al = (a - mean) / std;
        double be = (b - mean) / std;
        double phiA = Math.exp(-al * al / 2) / Math.sqrt(2 * Math.PI);
        double phiB = Math.exp(-be * be / 2) / Math.sqrt(2 * Math.PI);
        double z = fb - fa;
        double tMean = mean + std * (phiA - phiB) / z;
        double tVar = std * std * (1 + (al * phiA - be * phiB) / z - Math.pow((phiA - phiB) / z, 2));
        double w = b - a;
        checkMoments(v, tMean, tVar, Math.pow(w, 4)); // μ4 ≤ w⁴ bounds the variance of s²
        // std=0.02 with the default absolute bounds ±2: no truncation at all
        checkNormal(Init.truncNormal(Tensor.empty(DType.FLOAT32, N), 0, 0.02, -2, 2, g), 0, 0.02);
    }

    @Test
    void kaimingAndXavierVariants() {
        Generator g = new Generator(3);
        int[] shape = {500, 100, 2, 2}; // fan_in 400, fan_out 2000
        double fanIn = 400;
        double fanOut = 2000;
        double b = Math.sqrt(3.0) * (Math.sqrt(2.0 / (1 + 5.0)) / Math.sqrt(fanIn));
        checkUniform(Init.kaimingUniform(Tensor.empty(DType.FLOAT32, shape), Math.sqrt(5), FanMode.FAN_IN,
                Nonlinearity.LEAKY_RELU, g), -b, b);
        double he = Math.sqrt(2.0) / Math.sqrt(fanOut);
        checkNormal(Init.kaimingNormal(Tensor.empty(DType.FLOAT32, shape), 0, FanMode.FAN_OUT, Nonlinearity.RELU, g), 0, he);
        double x = Math.sqrt(2.0 / (fanIn + fanOut));
        checkUniform(Init.xavierUniform(Tensor.empty(DType.FLOAT32, shape), 1, g), -Math.sqrt(3) * x, Math.sqrt(3) * x);
        checkNormal(Init.xavierNormal(Tensor.empty(DType.FLOAT32, shape), 5.0 / 3, g), 0, 5.0 / 3 * x);
    }

    @Test
    void sparseZeroesTheExactCountPerColumnAndIsNormalElsewhere() {
        Generator.manualSeed(4);
        Tensor t = Init.sparse(Tensor.empty(DType.FLOAT32, 1000, 300), 0.25, 0.5, new Generator(5));
        int zerosPerColumn = (int) Math.ceil(0.25 * 1000);
        double[] nonZero = new double[(1000 - zerosPerColumn) * 300];
        int k = 0;
        for (int c = 0; c < 300; c++) {
            int zeros = 0;
            for (int r = 0; r < 1000; r++) {
                double v = t.get(r, c);
                if (v == 0) zeros++;
                else nonZero[k++] = v;
            }
            assertThat(zeros).isEqualTo(zerosPerColumn);
        }
        checkNormal(Tensor.of(nonZero, nonZero.length), 0, 0.5);
    }

    @Test
    void theKsTestRejectsAWrongBound() {
        // a √2-too-wide "xavier" bound (DJL's mistake) fails the same check
        Tensor t = Init.uniform(Tensor.empty(DType.FLOAT32, N), -Math.sqrt(2), Math.sqrt(2), new Generator(6));
        double[] v = sample(t);
        assertThat(ks(v, x -> Math.min(1, Math.max(0, (x + 1) / 2)))).isGreaterThan(1.95 / Math.sqrt(N));
    }
}
