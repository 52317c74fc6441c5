package org.convinit.lab.study;

import com.fasterxml.jackson.databind.node.ObjectNode;

/**
 * A mean over seeds with its 95% Student-t interval, {@code mean ± t(0.975, n-1) · s / √n} (s the
 * unbiased standard deviation); with one value {@code low = high = mean}.
 */
public record Interval(double mean, double low, double high, int n) {

    /** The interval of {@code values} (at least one, all finite). */
    public static Interval of(double[] values) {
        int n = values.length;
        if (n == 0) throw new IllegalArgumentException("an interval needs at least one value");
        double sum = 0;
        for (double v : values) sum += v;
        double mean = sum / n;
        if (n == 1) return new Interval(mean, mean, mean, 1);
        double ss = 0;
        for (double v : values) ss += (v - mean) * (v - mean);
        double half = StudentT.quantile(0.975, n - 1) * Math.sqrt(ss / (n - 1)) / Math.sqrt(n);
        return new Interval(mean, mean - half, mean + half, n);
    }

    /** True when the two intervals share a point. */
    public boolean overlaps(Interval other) {
        return low <= other.high && other.low <= high;
    }

    /** Writes {@code {"mean", "low", "high"}} into {@code node}, non-finite values as null. */
    public ObjectNode writeTo(ObjectNode node) {
        Json.putNumber(node, "mean", mean);
        Json.putNumber(node, "low", low);
        Json.putNumber(node, "high", high);
        return node;
    }
}
