package org.convinit.lab.diagnose;

/**
 * Statistics of one tensor's values, in double: the mean, torch's {@code Tensor.std()} (unbiased, {@code n - 1};
 * NaN for one value), min, max, and the fractions of exact zeros (a dead ReLU's output) and of saturated values.
 * Any non-finite value makes the mean and std NaN, as in torch; min and max are then those of torch too
 * (NaN if any value is NaN).
 */
public record Summary(long count, double mean, double std, double min, double max, double zeroFraction, double saturatedFraction) {

    /** What counts as saturated: a {@code Tanh} output with |y| > 0.99, a {@code Sigmoid} output outside [0.01, 0.99]. */
    public enum Saturation {
        NONE, TANH, SIGMOID;

        boolean test(double y) {
            switch (this) {
                case TANH: return Math.abs(y) > 0.99;
                case SIGMOID: return y < 0.01 || y > 0.99;
                default: return false;
            }
        }

        /** The rule for a module type name ({@code Tanh}, {@code Sigmoid}; anything else has none). */
        public static Saturation forType(String type) {
            switch (type) {
                case "Tanh": return TANH;
                case "Sigmoid": return SIGMOID;
                default: return NONE;
            }
        }
    }

    public static Summary of(double[] x, Saturation saturation) {
        int n = x.length;
        if (n == 0) return new Summary(0, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN, Double.NaN);
        double sum = 0;
        double min = Double.POSITIVE_INFINITY;
        double max = Double.NEGATIVE_INFINITY;
        long zeros = 0;
        long saturated = 0;
        boolean nan = false;
        for (double v : x) {
            sum += v;
            if (Double.isNaN(v)) nan = true;
            min = Math.min(min, v);
            max = Math.max(max, v);
            if (v == 0) zeros++;
            if (saturation.test(v)) saturated++;
        }
        double mean = sum / n;
        double ss = 0;
        for (double v : x) ss += (v - mean) * (v - mean);
        double std = n > 1 ? Math.sqrt(ss / (n - 1)) : Double.NaN;
        if (nan) {
            min = Double.NaN;
            max = Double.NaN;
        }
        return new Summary(n, mean, std, min, max, (double) zeros / n, (double) saturated / n);
    }

    /** Torch's unbiased std of {@code x} in double (NaN for fewer than two values). */
    public static double std(double[] x) {
        return of(x, Saturation.NONE).std();
    }
}
