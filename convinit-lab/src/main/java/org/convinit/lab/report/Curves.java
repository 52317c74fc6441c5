package org.convinit.lab.report;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

/**
 * Long curves made readable for a page: a centred moving average, then every {@code k}-th point.
 * Missing values are {@code NaN}; they are skipped inside a window, and a window with no value stays
 * {@code NaN} (the chart leaves a gap).
 */
final class Curves {
    /** At most this many points of a curve reach the page. */
    static final int MAX_POINTS = 300;
    /** Curves longer than this are smoothed. */
    static final int SMOOTH_ABOVE = 150;

    private Curves() {}

    /**
     * The moving-average window for a curve of {@code n} points: 1 (no smoothing) up to
     * {@value #SMOOTH_ABOVE} points, then the odd number nearest {@code n / 50}, so a window spans
     * about 2% of the run.
     */
    static int window(int n) {
        if (n <= SMOOTH_ABOVE) return 1;
        int w = Math.max(3, Math.round(n / 50f));
        return w % 2 == 1 ? w : w + 1;
    }

    /** Keep every {@code stride(n)}-th point: at most {@value #MAX_POINTS} remain. */
    static int stride(int n) {
        return Math.max(1, (n + MAX_POINTS - 1) / MAX_POINTS);
    }

    /**
     * Centred moving average of odd width {@code w}: {@code out[i]} is the mean of the finite values in
     * {@code v[i - w/2 .. i + w/2]} (clipped at the ends), {@code NaN} when there is none.
     */
    static double[] movingAverage(double[] v, int w) {
        if (w < 1 || w % 2 == 0) throw new IllegalArgumentException("window must be odd and >= 1, got " + w);
        int half = w / 2;
        double[] out = new double[v.length];
        for (int i = 0; i < v.length; i++) {
            double sum = 0;
            int count = 0;
            for (int j = Math.max(0, i - half); j <= Math.min(v.length - 1, i + half); j++) {
                if (Double.isFinite(v[j])) {
                    sum += v[j];
                    count++;
                }
            }
            out[i] = count == 0 ? Double.NaN : sum / count;
        }
        return out;
    }

    /** The indices kept when every {@code stride}-th point is shown: 0, stride, 2·stride, ... and always the last. */
    static int[] keptIndices(int n, int stride) {
        if (stride < 1) throw new IllegalArgumentException("stride must be >= 1, got " + stride);
        List<Integer> kept = new ArrayList<>();
        for (int i = 0; i < n; i += stride) kept.add(i);
        if (n > 0 && kept.get(kept.size() - 1) != n - 1) kept.add(n - 1);
        return kept.stream().mapToInt(Integer::intValue).toArray();
    }

    static double[] pick(double[] v, int[] indices) {
        return Arrays.stream(indices).mapToDouble(i -> v[i]).toArray();
    }
}
