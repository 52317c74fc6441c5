package org.convinit.lab.study;

import java.util.List;

/**
 * Seeds' histograms on one grid: each seed's 40-bin histogram (its own min and max) is spread onto the common
 * range [min of the mins, max of the maxes] in proportion to how much of each source bin overlaps each target
 * bin (values taken as uniform within a bin), turned into fractions, and the fractions averaged over the seeds.
 */
final class Histograms {
    private Histograms() {}

    /** One seed's histogram: {@code counts.length} equal bins over [min, max]. */
    record Source(double min, double max, double[] counts) {}

    /** The mean fractions of {@code sources} over {@code bins} bins from {@code lo} to {@code hi}. */
    static double[] meanFractions(List<Source> sources, double lo, double hi, int bins) {
        double[] mean = new double[bins];
        for (Source s : sources) {
            double[] f = rebin(s, lo, hi, bins);
            double total = 0;
            for (double v : f) total += v;
            if (total <= 0) continue;
            for (int i = 0; i < bins; i++) mean[i] += f[i] / total / sources.size();
        }
        return mean;
    }

    static double[] rebin(Source s, double lo, double hi, int bins) {
        double[] out = new double[bins];
        double width = (hi - lo) / bins;
        int n = s.counts().length;
        double sw = (s.max() - s.min()) / n;
        for (int i = 0; i < n; i++) {
            double c = s.counts()[i];
            if (c == 0) continue;
            double a = s.min() + i * sw;
            double b = a + sw;
            if (!(width > 0) || !(sw > 0)) {
                out[index(a, lo, width, bins)] += c;
                continue;
            }
            int first = index(a, lo, width, bins);
            int last = index(b, lo, width, bins);
            for (int j = first; j <= last; j++) {
                double overlap = Math.min(b, lo + (j + 1) * width) - Math.max(a, lo + j * width);
                if (overlap > 0) out[j] += c * overlap / sw;
            }
        }
        return out;
    }

    private static int index(double x, double lo, double width, int bins) {
        if (!(width > 0)) return 0;
        int i = (int) Math.floor((x - lo) / width);
        return Math.max(0, Math.min(bins - 1, i));
    }
}
