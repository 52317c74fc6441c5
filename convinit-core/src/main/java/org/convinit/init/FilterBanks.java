package org.convinit.init;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

import org.convinit.autograd.GradMode;
import org.convinit.tensor.Tensor;

/**
 * Fixed filter banks for a first conv layer, sized to its kernel and channels: oriented Gabor filters and 2-D DCT-II
 * bases. Deterministic (no RNG). Each output channel's filter is the same on every input channel, divided by √in, and
 * has unit L2 norm over {@code [in, kh, kw]}; output channels beyond the bank's size cycle through it.
 */
public final class FilterBanks {
    private FilterBanks() {}

    private static void check(Tensor t, String fn) {
        if (t.dim() != 4) {
            throw new IllegalArgumentException(fn + ": tensor of shape " + t.shape() + ": expected a Conv2d weight [out, in, kh, kw]");
        }
    }

    /** Writes {@code filters[o % filters.size()]} (kh × kw, unit norm) to every input channel of output o, over √in. */
    private static Tensor fill(Tensor t, List<double[]> filters) {
        int out = t.size(0);
        int in = t.size(1);
        int kh = t.size(2);
        int kw = t.size(3);
        double s = 1 / Math.sqrt(in);
        try (var g = GradMode.noGrad()) {
            for (int o = 0; o < out; o++) {
                double[] f = filters.get(o % filters.size());
                for (int i = 0; i < in; i++) {
                    for (int y = 0; y < kh; y++) for (int x = 0; x < kw; x++) t.set(f[y * kw + x] * s, o, i, y, x);
                }
            }
        }
        return t;
    }

    /**
     * The 2-D DCT-II basis of a kh × kw kernel, orthonormal: {@code B_uv(y, x) = α_u α_v cos(π(2y+1)u / 2kh)
     * cos(π(2x+1)v / 2kw)}, {@code α_0 = √(1/N)}, {@code α_u = √(2/N)}; ordered from low to high frequency
     * (by u + v, then u). B_00 is the constant (DC) filter.
     */
    public static List<double[]> dctBasis(int kh, int kw) {
        List<int[]> uv = new ArrayList<>();
        for (int u = 0; u < kh; u++) for (int v = 0; v < kw; v++) uv.add(new int[] {u, v});
        uv.sort(Comparator.<int[]>comparingInt(p -> p[0] + p[1]).thenComparingInt(p -> p[0]));
        List<double[]> out = new ArrayList<>();
        for (int[] p : uv) {
            double[] f = new double[kh * kw];
            for (int y = 0; y < kh; y++) {
                for (int x = 0; x < kw; x++) {
                    f[y * kw + x] = alpha(p[0], kh) * alpha(p[1], kw) * Math.cos(Math.PI * (2 * y + 1) * p[0] / (2.0 * kh))
                            * Math.cos(Math.PI * (2 * x + 1) * p[1] / (2.0 * kw));
                }
            }
            out.add(f);
        }
        return out;
    }

    private static double alpha(int u, int n) {
        return Math.sqrt((u == 0 ? 1.0 : 2.0) / n);
    }

    /**
     * {@code dct_(t)}: output channel o gets DCT-II basis {@code o mod (kh·kw)} ({@link #dctBasis}). With
     * out = kh·kw and in = 1 the weight is an orthogonal matrix (the layer is the blockwise 2-D DCT, as in JPEG).
     */
    public static Tensor dct(Tensor t) {
        check(t, "dct_");
        return fill(t, dctBasis(t.size(2), t.size(3)));
    }

    /**
     * Oriented Gabor filters on a kh × kw grid centred at ((kh−1)/2, (kw−1)/2):
     * {@code g(x, y) = exp(−(x'² + y'²) / 2σ²) · cos(2π x'/λ + ψ)}, {@code x' = x cos θ + y sin θ},
     * {@code y' = −x sin θ + y cos θ}. Filter j: θ = π·(j mod n)/n (n = {@code orientations}); the next bank
     * {@code b = j div n} uses phase ψ = 0 (even, b even) or π/2 (odd, b odd) and wavelength λ = max(kh, kw) / 2^⌊b/2⌋
     * (at least 2 pixels); σ = 0.56·λ (a one-octave bandwidth). Each filter has its mean removed (no DC response) and unit
     * L2 norm (a filter that vanishes, e.g. an odd phase on a 1-pixel kernel, is left at zero).
     */
    public static double[] gaborFilter(int kh, int kw, int j, int orientations) {
        double theta = Math.PI * (j % orientations) / orientations;
        int b = j / orientations;
        double psi = b % 2 == 0 ? 0 : Math.PI / 2;
        double lambda = Math.max(2, Math.max(kh, kw) / Math.pow(2, b / 2));
        double sigma = 0.56 * lambda;
        double[] f = new double[kh * kw];
        double mean = 0;
        for (int yi = 0; yi < kh; yi++) {
            for (int xi = 0; xi < kw; xi++) {
                double x = xi - (kw - 1) / 2.0;
                double y = yi - (kh - 1) / 2.0;
                double xr = x * Math.cos(theta) + y * Math.sin(theta);
                double yr = -x * Math.sin(theta) + y * Math.cos(theta);
                double v = Math.exp(-(xr * xr + yr * yr) / (2 * sigma * sigma)) * Math.cos(2 * Math.PI * xr / lambda + psi);
                f[yi * kw + xi] = v;
                mean += v;
            }
        }
        mean /= f.length;
        double norm = 0;
        for (int i = 0; i < f.length; i++) {
            f[i] -= mean;
            norm += f[i] * f[i];
        }
        norm = Math.sqrt(norm);
        for (int i = 0; i < f.length; i++) f[i] = norm > 1e-12 ? f[i] / norm : 0;
        return f;
    }

    /** {@code gabor_(t, orientations=8)}: output channel o gets {@link #gaborFilter}(kh, kw, o, orientations). */
    public static Tensor gabor(Tensor t, int orientations) {
        check(t, "gabor_");
        if (orientations < 1) throw new IllegalArgumentException("gabor_: orientations = " + orientations + ": expected at least 1");
        List<double[]> bank = new ArrayList<>();
        for (int o = 0; o < t.size(0); o++) bank.add(gaborFilter(t.size(2), t.size(3), o, orientations));
        return fill(t, bank);
    }
}
