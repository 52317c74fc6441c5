package org.convinit.init;

import java.util.Locale;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Structured conv inits beyond torch.nn.init: delta-orthogonal, ZerO and ICNR. Weights are in PyTorch's layout
 * {@code [out, in, *k]} ({@code [in, out/groups, *k]} for a ConvTranspose).
 */
public final class StructuredInit {
    private StructuredInit() {}

    /** Where the single non-zero tap of a delta kernel sits, per spatial dim of size k. */
    public enum Center {
        /** {@code (k − 1) // 2}: JAX's {@code delta_orthogonal}; the default. */
        JAX,
        /** {@code k // 2}: torch's {@code dirac_}. Differs from JAX's for even k. */
        TORCH;

        int of(int k) {
            return this == JAX ? (k - 1) / 2 : k / 2;
        }

        /** Parses {@code 'jax'} or {@code 'torch'}. */
        public static Center parse(String s) {
            switch (s.toLowerCase(Locale.ROOT)) {
                case "jax": return JAX;
                case "torch": return TORCH;
                default: throw new IllegalArgumentException("center = '" + s + "': expected 'jax' ((k-1)//2) or 'torch' (k//2)");
            }
        }
    }

    private static void checkConv(Tensor t, String fn) {
        if (t.dim() < 3 || t.dim() > 5) {
            throw new IllegalArgumentException(fn + ": tensor of shape " + t.shape() + ": Only tensors with 3, 4, or 5 dimensions "
                    + "(conv weights) are supported");
        }
    }

    /** Writes {@code m} (out × in, row-major) at the centre tap of {@code t} (zeroed first). */
    private static void centre(Tensor t, double[] m, Center c) {
        int out = t.size(0);
        int in = t.size(1);
        int[] idx = new int[t.dim()];
        for (int d = 2; d < idx.length; d++) idx[d] = c.of(t.size(d));
        try (var g = GradMode.noGrad()) {
            t.zero_();
            for (int o = 0; o < out; o++) {
                for (int i = 0; i < in; i++) {
                    idx[0] = o;
                    idx[1] = i;
                    t.set(m[o * in + i], idx);
                }
            }
        }
    }

    /**
     * {@code delta_orthogonal_(t, gain=1., center='jax')} (Xiao et al. 2018, "Dynamical Isometry and a Mean Field Theory
     * of CNNs", arXiv 1806.05393): every tap zero except the centre, which holds {@code gain · Q}, Q an out × in matrix with
     * orthonormal columns drawn as {@code orthogonal_(torch.empty(out, in))} (same RNG draws; QR within
     * {@link Init#ORTHOGONAL_TOLERANCE}). With stride 1, zero padding k//2 (odd k) and identity activations each output pixel
     * is {@code gain·Q·x} at the same pixel, so a stack of such convs preserves ‖x‖ exactly (gain 1).
     *
     * <p>Pitfalls: needs in ≤ out (else Q cannot have orthonormal columns: JAX raises the same); the centre is
     * {@code (k−1)//2} in JAX but {@code k//2} in torch's {@code dirac_} — they differ for even k, pick with {@link Center};
     * grouped convs are not supported (the in × out block would mix groups); for a ConvTranspose weight {@code [in, out, *k]}
     * the roles of dims 0 and 1 swap (the condition becomes out ≤ in of the layer).
     *
     * @throws IllegalArgumentException for a tensor that is not 3–5-D, or {@code size(1) > size(0)}
     */
    public static Tensor deltaOrthogonal(Tensor t, double gain, Center center, Generator generator) {
        checkConv(t, "delta_orthogonal_");
        int out = t.size(0);
        int in = t.size(1);
        if (in > out) {
            throw new IllegalArgumentException("delta_orthogonal_: weight of shape " + t.shape() + ": needs size(1) (in_channels = "
                    + in + ") <= size(0) (out_channels = " + out + ")");
        }
        Tensor q = Init.orthogonal(Tensor.empty(t.dtype() == DType.FLOAT64 ? DType.FLOAT64 : DType.FLOAT32, out, in), gain, generator);
        centre(t, q.toDoubleArray(), center);
        return t;
    }

    /**
     * The ZerO matrix (Zhao et al. 2021, "ZerO Initialization: Initializing Neural Networks with only Zeros and Ones", arXiv
     * 2110.12661, Algorithm 1) for an out × in weight, row-major: out ≤ in → the partial identity {@code I*} (ones at
     * (i, i)); out &gt; in → {@code c · I*(out×p) · H_p · I*(p×in)}, p = 2^⌈log2 out⌉, H_p Sylvester's Hadamard matrix
     * ({@code H[i][j] = (−1)^popcount(i & j)}, scipy's {@code hadamard(p)}), c = 2^(−⌈log2 out⌉/2) = 1/√p, so c·H_p is
     * orthogonal.
     *
     * <p>The constant: the authors' code ({@code example_mnist.ipynb} in jiaweizzhao/ZerO-initialization) divides
     * {@code hadamard(p)} by {@code 2**(clog_m/2)}, as here. The paper's Algorithm 1 prints c = 2^(−(m−1)/2) with
     * m = ⌈log2 P⌉; read with Definition 2's indexing that is the same normalisation only if H_m is 2^(m−1) square —
     * ports that took the printed constant with a 2^m Hadamard are √2 too large. convinit pins the authors' code (rows of
     * c·H_p have norm 1); this was not checked against the typeset paper here.
     */
    public static double[] zerOMatrix(int out, int in) {
        double[] m = new double[out * in];
        if (out <= in) {
            for (int i = 0; i < out; i++) m[i * in + i] = 1;
            return m;
        }
        int log = 32 - Integer.numberOfLeadingZeros(out - 1); // ⌈log2 out⌉
        double c = Math.pow(2, -log / 2.0);
        for (int i = 0; i < out; i++) {
            for (int j = 0; j < in; j++) m[i * in + j] = (Integer.bitCount(i & j) % 2 == 0 ? c : -c);
        }
        return m;
    }

    /**
     * {@code zero_init_(t)}: ZerO (see {@link #zerOMatrix}) — deterministic, the same weights for every seed, no RNG drawn.
     * 2-D weights get the matrix; conv weights get it on the centre tap {@code k//2} (Algorithm 2, odd k), zeros elsewhere.
     * For the residual-network recipe the last conv of each residual branch is zero ({@code zeros_}); that is a rule on the
     * model, not on one tensor.
     *
     * @throws IllegalArgumentException for fewer than 2 or more than 5 dims
     */
    public static Tensor zerO(Tensor t) {
        if (t.dim() < 2 || t.dim() > 5) {
            throw new IllegalArgumentException("zero_init_: tensor of shape " + t.shape() + ": Only tensors with 2 to 5 dimensions "
                    + "are supported");
        }
        double[] m = zerOMatrix(t.size(0), t.size(1));
        if (t.dim() == 2) {
            try (var g = GradMode.noGrad()) {
                for (int o = 0; o < t.size(0); o++) for (int i = 0; i < t.size(1); i++) t.set(m[o * t.size(1) + i], o, i);
            }
        } else {
            centre(t, m, Center.TORCH);
        }
        return t;
    }

    /**
     * {@code icnr_(t, upscale_factor=2, transposed=False)} (Aitken et al. 2017, "Checkerboard artifact free sub-pixel
     * convolution", arXiv 1707.02937; fastai's {@code icnr_init}), with the sub-kernel drawn by torch's default
     * {@code kaiming_normal_} (as fastai):
     * <ul>
     *   <li>a conv feeding {@code PixelShuffle(r)}, weight {@code [C·r², in, *k]}: draw {@code kaiming_normal_} on a
     *       {@code [C, in, *k]} tensor, copy sub-kernel c to the r² output channels {@code c·r² + i} (PixelShuffle's order);
     *       each r×r output block is then the same value on any input (zero checkerboard energy) — if the biases are equal
     *       within each group of r² (zero them, or replicate);</li>
     *   <li>{@code transposed=True}, a {@code ConvTranspose(stride=r)} weight {@code [in, out, *k]} with every k divisible
     *       by r: draw {@code [in, out, *k/r]} and repeat each tap r times along each spatial dim (nearest-neighbour), so
     *       every output phase sees the same kernel.</li>
     * </ul>
     *
     * @throws IllegalArgumentException if size(0) is not divisible by r² (or, transposed, a kernel size by r)
     */
    public static Tensor icnr(Tensor t, int upscaleFactor, boolean transposed, Generator generator) {
        checkConv(t, "icnr_");
        int r = upscaleFactor;
        if (r < 1) throw new IllegalArgumentException("icnr_: upscale_factor = " + r + ": expected a positive integer");
        int[] s = t.shape().toArray();
        int[] sub = s.clone();
        if (transposed) {
            for (int d = 2; d < s.length; d++) {
                if (s[d] % r != 0) {
                    throw new IllegalArgumentException("icnr_(transposed=True): weight of shape " + t.shape() + ": kernel size "
                            + s[d] + " is not divisible by upscale_factor " + r);
                }
                sub[d] = s[d] / r;
            }
        } else {
            if (s[0] % (r * r) != 0) {
                throw new IllegalArgumentException("icnr_: weight of shape " + t.shape() + ": out_channels " + s[0]
                        + " is not divisible by upscale_factor² = " + (r * r));
            }
            sub[0] = s[0] / (r * r);
        }
        Tensor k = Init.kaimingNormal(Tensor.empty(t.dtype(), sub), 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, generator);
        int[] idx = new int[s.length];
        int[] from = new int[s.length];
        try (var g = GradMode.noGrad()) {
            for (long flat = 0; flat < t.numel(); flat++) {
                long rest = flat;
                for (int d = s.length - 1; d >= 0; d--) {
                    idx[d] = (int) (rest % s[d]);
                    rest /= s[d];
                }
                for (int d = 0; d < s.length; d++) {
                    boolean scaled = transposed ? d >= 2 : d == 0;
                    from[d] = scaled ? idx[d] / (transposed ? r : r * r) : idx[d];
                }
                t.set(k.get(from), idx);
            }
        }
        return t;
    }
}
