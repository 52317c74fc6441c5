package org.convinit.lab.diagnose;

import java.util.List;

/**
 * Counts of values in {@link #BINS} equal-width bins over {@code [min, max]}, like {@code torch.histc(x, 40, min, max)}:
 * value {@code x} goes to bin {@code floor((x - min) / (max - min) * 40)} computed in double, {@code x == max} to the
 * last bin. When every value is equal, the range is widened to {@code [min - 1, max + 1]} (histc does the same), so the
 * values land in the middle bin. Non-finite values are not counted.
 */
public record Histogram(double min, double max, List<Long> counts) {
    public static final int BINS = 40;

    public Histogram {
        counts = List.copyOf(counts);
        if (counts.size() != BINS) throw new IllegalArgumentException("histogram of " + counts.size() + " bins, expected " + BINS);
    }

    /** The histogram of {@code values} over their finite range; an empty one (all zero, range [0, 0]) if none is finite. */
    public static Histogram of(double[] values) {
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            lo = Math.min(lo, v);
            hi = Math.max(hi, v);
        }
        long[] c = new long[BINS];
        if (lo > hi) return new Histogram(0, 0, toList(c));
        if (lo == hi) {
            lo -= 1;
            hi += 1;
        }
        for (double v : values) {
            if (!Double.isFinite(v)) continue;
            c[bin(v, lo, hi)]++;
        }
        return new Histogram(lo, hi, toList(c));
    }

    /** The bin of {@code v} in {@code [lo, hi]}, {@code lo < hi}. */
    static int bin(double v, double lo, double hi) {
        int b = (int) Math.floor((v - lo) / (hi - lo) * BINS);
        return Math.max(0, Math.min(BINS - 1, b));
    }

    /** The total count. */
    public long total() {
        long t = 0;
        for (long x : counts) t += x;
        return t;
    }

    private static List<Long> toList(long[] c) {
        Long[] boxed = new Long[c.length];
        for (int i = 0; i < c.length; i++) boxed[i] = c[i];
        return List.of(boxed);
    }
}
