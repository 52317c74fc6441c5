package org.convinit.nn;

/** Shared normalisation step of LayerNorm and GroupNorm, in double. */
final class Norm {
    private Norm() {}

    /** {@code y[s, s+n) = (x − mean) / √(biased var + eps)} over {@code x[s, s+n)}. */
    static void normalize(double[] x, double[] y, int s, int n, double eps) {
        double mean = 0;
        for (int i = 0; i < n; i++) mean += x[s + i];
        mean /= n;
        double var = 0;
        for (int i = 0; i < n; i++) var += (x[s + i] - mean) * (x[s + i] - mean);
        var /= n;
        double inv = 1 / Math.sqrt(var + eps);
        for (int i = 0; i < n; i++) y[s + i] = (x[s + i] - mean) * inv;
    }
}
