package org.convinit.init;

import org.convinit.Warnings;
import org.convinit.autograd.GradMode;
import org.convinit.internal.HalfFloats;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.init}, as torch 1.13.1 computes it on an x86-64 CPU: each function fills its argument
 * in place under no-grad and returns it. A null generator means the default generator
 * ({@link Generator#manualSeed}). Bounds and standard deviations are computed in double exactly as the
 * Python expressions are (same operation order), then cast once to the tensor's dtype by the sampler.
 *
 * <table>
 *   <caption>torch.nn.init (1.13.1) → convinit, formulas, and what is bit-exact</caption>
 *   <tr><th>torch</th><th>convinit</th><th>formula</th><th>float32 bits</th></tr>
 *   <tr><td>calculate_gain(nl, param)</td><td>{@link #calculateGain}</td>
 *       <td>1 (linear, conv*, sigmoid); 5/3 (tanh); √2 (relu); √(2/(1+slope²)), slope 0.01 by default
 *       (leaky_relu); 3/4 (selu)</td><td>exact double¹</td></tr>
 *   <tr><td>_calculate_fan_in_and_fan_out</td><td>{@link Fans#of}</td>
 *       <td>fan_in = size(1)·∏k, fan_out = size(0)·∏k</td><td>exact</td></tr>
 *   <tr><td>uniform_(t, a, b)</td><td>{@link #uniform}</td><td>U[a, b)</td><td>exact</td></tr>
 *   <tr><td>normal_(t, mean, std)</td><td>{@link #normal}</td><td>N(mean, std²)</td><td>exact²</td></tr>
 *   <tr><td>trunc_normal_(t, mean, std, a, b)</td><td>{@link #truncNormal}</td>
 *       <td>N(mean, std²) cut to the <em>absolute</em> bounds [a, b]: U(2Φ(α)−1, 2Φ(β)−1) → erfinv →
 *       ·std√2 + mean → clamp(a, b)</td><td>exact³</td></tr>
 *   <tr><td>constant_(t, val), ones_(t), zeros_(t)</td><td>{@link #constant}, {@link #ones}, {@link #zeros}</td>
 *       <td>val, 1, 0</td><td>exact</td></tr>
 *   <tr><td>eye_(t)</td><td>{@link #eye}</td><td>identity (2-D only)</td><td>exact</td></tr>
 *   <tr><td>dirac_(t, groups)</td><td>{@link #dirac}</td><td>identity conv (3–5-D), per group</td><td>exact</td></tr>
 *   <tr><td>xavier_uniform_(t, gain)</td><td>{@link #xavierUniform}</td>
 *       <td>U[−b, b), b = √3 · gain·√(2/(fan_in+fan_out))</td><td>exact</td></tr>
 *   <tr><td>xavier_normal_(t, gain)</td><td>{@link #xavierNormal}</td>
 *       <td>N(0, σ²), σ = gain·√(2/(fan_in+fan_out))</td><td>exact</td></tr>
 *   <tr><td>kaiming_uniform_(t, a, mode, nonlinearity)</td><td>{@link #kaimingUniform}</td>
 *       <td>U[−b, b), b = √3 · (gain / √fan), gain = calculate_gain(nonlinearity, a)</td><td>exact</td></tr>
 *   <tr><td>kaiming_normal_(t, a, mode, nonlinearity)</td><td>{@link #kaimingNormal}</td>
 *       <td>N(0, σ²), σ = gain / √fan</td><td>exact</td></tr>
 *   <tr><td>orthogonal_(t, gain)</td><td>{@link #orthogonal}</td>
 *       <td>Q of the QR of a (rows × numel/rows) N(0,1) matrix (transposed if wide), columns times
 *       sign(diag R), times gain</td><td>within {@link #ORTHOGONAL_TOLERANCE}⁴</td></tr>
 *   <tr><td>sparse_(t, sparsity, std)</td><td>{@link #sparse}</td>
 *       <td>N(0, std²), then per column ⌈sparsity·rows⌉ rows zeroed (randperm)</td><td>exact</td></tr>
 * </table>
 *
 * <ol>
 *   <li>Python computes slope² with {@code pow(slope, 2.0)}, convinit with {@code slope*slope}: equal for
 *       0.01, √5 and every slope in the tests; glibc's pow differs from the product in the last bit for
 *       about 0.08% of doubles, which almost never survives the cast to float32.</li>
 *   <li>float32: both of torch's paths — the AVX2 Cephes fill for contiguous tensors with ≥ 16 elements,
 *       the scalar double Box–Muller (with its cached sample) otherwise. float64 {@code normal_} uses
 *       Java's {@code log}/{@code sin}/{@code cos} where torch uses glibc's: it differs in the last bit
 *       of about 0.2% of values (bounded by 2 ulp in the tests).</li>
 *   <li>With the erfinv of torch builds <em>without MKL</em> (Debian, aarch64, macOS); official x86-64
 *       wheels use MKL's erfinv, whose last bits differ. float64 trunc_normal_ goes through glibc's double
 *       erf/exp/log, which Java's differ from in rare last bits (0 of 2,000 values differed in the tests;
 *       tested to 2 ulp).</li>
 *   <li>LAPACK's float QR is not reproducible across builds (MKL, OpenBLAS, reference LAPACK, CPU
 *       dispatch); convinit takes the QR in double and rounds once. Against torch 1.13.1 (Debian: generic
 *       BLAS/LAPACK, float32) the largest difference seen was 8e-7 (64×64); 8–50% of the values are bit-equal.</li>
 * </ol>
 *
 * <p>float16 and bfloat16 tensors get torch's bits too (golden-tested for uniform_, normal_, kaiming_*,
 * xavier_uniform_, sparse_, and bfloat16 trunc_normal_); as in torch 1.13, float16 trunc_normal_ and
 * half-precision orthogonal_ are refused.
 *
 * <p>"Bit-exact" means equal to torch 1.13.1 (Debian build, checked with golden fixtures and live
 * differential tests) on an x86-64 CPU with AVX2 or AVX-512, which runs torch's AVX2 kernels: fused
 * multiply-adds in {@code uniform_} and the Cephes AVX2 {@code normal_} fill. torch on CPUs without AVX2,
 * on aarch64 or on macOS runs its DEFAULT kernels (unfused uniform, libm {@code logf}/{@code sinf}
 * normal fill) and gives different last bits there; convinit always reproduces the x86-64 AVX2 bits.
 * torch 2.x on x86-64 runs the same kernels by its source (not verified here: no 2.x build was at hand).
 *
 * <p>Pitfalls kept on purpose, as torch has them: fans of grouped and transposed convolutions (see
 * {@link Fans}); trunc_normal_'s a and b are absolute values, not multiples of std (so
 * {@code truncNormal(w, 0, 0.02, -2, 2)} is not truncated at all); a conv or linear layer's default
 * init is {@code kaimingUniform(w, √5, FAN_IN, LEAKY_RELU)}, i.e. U(±1/√fan_in), not He init;
 * {@code sparse} draws its permutations from the <em>default</em> generator even when a generator is
 * given (torch 2.x passes the generator to normal_ only; 1.13 has no generator argument).
 */
public final class Init {
    private Init() {}

    /** Max absolute difference between {@link #orthogonal} and torch 1.13.1 allowed by the tests, per unit gain. */
    public static final double ORTHOGONAL_TOLERANCE = 1e-5;

    // ------------------------------------------------------------------ gain

    /**
     * {@code calculate_gain(nonlinearity, param)}: 1 for linear, conv and sigmoid; 5/3 for tanh; √2 for
     * relu; √(2 / (1 + slope²)) for leaky_relu (slope = {@code param}, default 0.01); 3/4 for selu.
     *
     * @param param the negative slope for leaky_relu, or null for the default; ignored otherwise
     */
    public static double calculateGain(Nonlinearity nonlinearity, Double param) {
        switch (nonlinearity) {
            case LINEAR: case CONV1D: case CONV2D: case CONV3D:
            case CONV_TRANSPOSE1D: case CONV_TRANSPOSE2D: case CONV_TRANSPOSE3D:
            case SIGMOID:
                return 1;
            case TANH:
                return 5.0 / 3;
            case RELU:
                return Math.sqrt(2.0);
            case LEAKY_RELU: {
                double slope = param == null ? 0.01 : param;
                return Math.sqrt(2.0 / (1 + slope * slope));
            }
            case SELU:
                return 3.0 / 4;
            default:
                throw new AssertionError(nonlinearity);
        }
    }

    /** {@code calculate_gain(nonlinearity)} with the default parameter. */
    public static double calculateGain(Nonlinearity nonlinearity) {
        return calculateGain(nonlinearity, null);
    }

    // ------------------------------------------------------------------ plain distributions

    /** {@code uniform_(t, a, b)}: U[a, b). Fails like torch when {@code a > b}. */
    public static Tensor uniform(Tensor t, double a, double b, Generator generator) {
        try (var g = GradMode.noGrad()) {
            return t.uniform_(a, b, generator);
        }
    }

    /** {@code uniform_(t, a, b)} with the default generator. */
    public static Tensor uniform(Tensor t, double a, double b) {
        return uniform(t, a, b, null);
    }

    /** {@code normal_(t, mean, std)}. Fails like torch when {@code std < 0}. */
    public static Tensor normal(Tensor t, double mean, double std, Generator generator) {
        try (var g = GradMode.noGrad()) {
            return t.normal_(mean, std, generator);
        }
    }

    /** {@code normal_(t, mean, std)} with the default generator. */
    public static Tensor normal(Tensor t, double mean, double std) {
        return normal(t, mean, std, null);
    }

    /**
     * {@code trunc_normal_(t, mean, std, a, b)}: values from N(mean, std²) restricted to
     * {@code [a, b]} — absolute bounds. Torch's inverse-CDF method:
     * {@code l = Φ((a−mean)/std)}, {@code u = Φ((b−mean)/std)} (Φ from {@code math.erf} in double),
     * {@code uniform_(2l−1, 2u−1)}, {@code erfinv_}, {@code mul_(std·√2)}, {@code add_(mean)},
     * {@code clamp_(a, b)}. Warns, as torch does, when mean is more than 2 std outside [a, b].
     *
     * @throws IllegalArgumentException if {@code std <= 0} or {@code a > b} (torch fails inside
     *         {@code uniform_} or with a division by zero), or for a float16 tensor (torch 1.13 has no
     *         float16 {@code erfinv_} on CPU)
     */
    public static Tensor truncNormal(Tensor t, double mean, double std, double a, double b, Generator generator) {
        if (!(std > 0)) {
            throw new IllegalArgumentException("trunc_normal_: std = " + std + ": expected std > 0");
        }
        if (!(a <= b)) {
            throw new IllegalArgumentException("trunc_normal_: a = " + a + ", b = " + b + ": expected a <= b");
        }
        if (t.dtype() == DType.FLOAT16) {
            throw new IllegalArgumentException("trunc_normal_: tensor of dtype " + t.dtype() + ": torch 1.13 has no "
                    + "float16 erfinv_ on CPU (\"erfinv_vml_cpu\" not implemented for 'Half'); use float32 or bfloat16");
        }
        if (mean < a - 2 * std || mean > b + 2 * std) {
            Warnings.warn("mean is more than 2 std from [a, b] in nn.init.trunc_normal_. "
                    + "The distribution of values may be incorrect.");
        }
        double l = normCdf((a - mean) / std);
        double u = normCdf((b - mean) / std);
        try (var g = GradMode.noGrad()) {
            t.uniform_(2 * l - 1, 2 * u - 1, generator);
            double scale = std * Math.sqrt(2.);
            DType dt = t.dtype();
            Storage s = t.storage();
            int[] offs = t.elementOffsets();
            if (dt == DType.FLOAT32) {
                float[] d = s.floats();
                float sc = (float) scale;
                float m = (float) mean;
                float lo = (float) a;
                float hi = (float) b;
                for (int o : offs) {
                    float v = Erfinv.erfinv(d[o]) * sc + m;
                    d[o] = Math.min(Math.max(v, lo), hi);
                }
            } else if (dt == DType.FLOAT64) {
                double[] d = s.doubles();
                for (int o : offs) {
                    double v = Erfinv.erfinv(d[o]) * scale + mean;
                    d[o] = Math.min(Math.max(v, a), b);
                }
            } else {
                // bfloat16: erfinv in float; mul_, add_ and clamp_ take their scalars as bfloat16 (TensorIterator
                // casts them to the tensor's dtype) and compute in float, each result rounded to bfloat16
                float sc = toBf16((float) scale);
                float m = toBf16((float) mean);
                float lo = toBf16((float) a);
                float hi = toBf16((float) b);
                for (int o : offs) {
                    float v = toBf16(Erfinv.erfinv((float) s.getDouble(o)));
                    v = toBf16(v * sc);
                    v = toBf16(v + m);
                    s.setDouble(o, Math.min(Math.max(v, lo), hi));
                }
            }
        }
        return t;
    }

    /** {@code trunc_normal_(t, mean, std, a, b)} with the default generator. */
    public static Tensor truncNormal(Tensor t, double mean, double std, double a, double b) {
        return truncNormal(t, mean, std, a, b, null);
    }

    /** {@code trunc_normal_(t)} with torch's defaults: mean 0, std 1, a = −2, b = 2. */
    public static Tensor truncNormal(Tensor t) {
        return truncNormal(t, 0, 1, -2, 2, null);
    }

    private static float toBf16(float v) {
        return HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
    }

    /** Python's {@code (1. + math.erf(x / math.sqrt(2.))) / 2.}. */
    private static double normCdf(double x) {
        return (1. + org.convinit.random.Libm.erf(x / Math.sqrt(2.))) / 2.;
    }

    // ------------------------------------------------------------------ constants

    /** {@code constant_(t, val)}. */
    public static Tensor constant(Tensor t, double value) {
        try (var g = GradMode.noGrad()) {
            return t.fill_(value);
        }
    }

    /** {@code ones_(t)}. */
    public static Tensor ones(Tensor t) {
        return constant(t, 1);
    }

    /** {@code zeros_(t)}. */
    public static Tensor zeros(Tensor t) {
        try (var g = GradMode.noGrad()) {
            return t.zero_();
        }
    }

    /**
     * {@code eye_(t)}: the identity matrix (ones on the main diagonal of a possibly rectangular matrix),
     * as in Linear layers, to preserve the identity of the inputs.
     *
     * @throws IllegalArgumentException if {@code t} is not 2-D
     */
    public static Tensor eye(Tensor t) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("eye_: tensor of shape " + t.shape()
                    + ": Only tensors with 2 dimensions are supported");
        }
        try (var g = GradMode.noGrad()) {
            t.zero_();
            int n = Math.min(t.size(0), t.size(1));
            for (int i = 0; i < n; i++) t.set(1, i, i);
        }
        return t;
    }

    /**
     * {@code dirac_(t, groups)}: the Dirac delta, so a conv layer passes its input through (per group,
     * output channel {@code g·(out/groups) + d} copies input channel d at the kernel centre
     * {@code k/2}, for {@code d < min(out/groups, size(1))}).
     *
     * @throws IllegalArgumentException if {@code t} is not 3-, 4- or 5-D, {@code groups < 1}, or
     *         {@code size(0)} is not divisible by {@code groups}
     */
    public static Tensor dirac(Tensor t, int groups) {
        int dims = t.dim();
        if (dims < 3 || dims > 5) {
            throw new IllegalArgumentException("dirac_: tensor of shape " + t.shape()
                    + ": Only tensors with 3, 4, or 5 dimensions are supported");
        }
        if (groups < 1) {
            throw new IllegalArgumentException("dirac_: groups = " + groups + ": expected groups >= 1");
        }
        if (t.size(0) % groups != 0) {
            throw new IllegalArgumentException("dirac_: groups = " + groups + ", tensor of shape " + t.shape()
                    + ": dim 0 must be divisible by groups");
        }
        int outPerGroup = t.size(0) / groups;
        int minDim = Math.min(outPerGroup, t.size(1));
        try (var g = GradMode.noGrad()) {
            t.zero_();
            int[] idx = new int[dims];
            for (int k = 2; k < dims; k++) idx[k] = t.size(k) / 2;
            for (int gr = 0; gr < groups; gr++) {
                for (int d = 0; d < minDim; d++) {
                    idx[0] = gr * outPerGroup + d;
                    idx[1] = d;
                    t.set(1, idx);
                }
            }
        }
        return t;
    }

    /** {@code dirac_(t)}: {@link #dirac(Tensor, int)} with one group. */
    public static Tensor dirac(Tensor t) {
        return dirac(t, 1);
    }

    // ------------------------------------------------------------------ fan-based

    /** True (after warning as torch does) when {@code t} has no elements and a kaiming init is a no-op. */
    static boolean skipEmpty(Tensor t) {
        if (t.numel() == 0) {
            Warnings.warn("Initializing zero-element tensors is a no-op");
            return true;
        }
        return false;
    }

    /** σ = gain·√(2/(fan_in+fan_out)), as {@code xavier_*} computes it. */
    static double xavierStd(Shape shape, double gain) {
        Fans f = Fans.of(shape);
        long sum = f.fanIn() + f.fanOut();
        if (sum == 0) {
            throw new IllegalArgumentException("xavier init of a tensor of shape " + shape
                    + ": fan_in + fan_out is 0 (torch: float division by zero)");
        }
        return gain * Math.sqrt(2.0 / (double) sum);
    }

    /**
     * {@code xavier_uniform_(t, gain)} (Glorot &amp; Bengio 2010): U[−b, b) with
     * {@code b = √3 · gain·√(2/(fan_in + fan_out))}.
     */
    public static Tensor xavierUniform(Tensor t, double gain, Generator generator) {
        double std = xavierStd(t.shape(), gain);
        double a = Math.sqrt(3.0) * std;
        return uniform(t, -a, a, generator);
    }

    /** {@code xavier_uniform_(t)}: gain 1, default generator. */
    public static Tensor xavierUniform(Tensor t) {
        return xavierUniform(t, 1.0, null);
    }

    /** {@code xavier_normal_(t, gain)}: N(0, σ²) with {@code σ = gain·√(2/(fan_in + fan_out))}. */
    public static Tensor xavierNormal(Tensor t, double gain, Generator generator) {
        double std = xavierStd(t.shape(), gain);
        return normal(t, 0., std, generator);
    }

    /** {@code xavier_normal_(t)}: gain 1, default generator. */
    public static Tensor xavierNormal(Tensor t) {
        return xavierNormal(t, 1.0, null);
    }

    /** {@code gain / √fan}, the standard deviation kaiming init aims at. */
    static double kaimingStd(Shape shape, double a, FanMode mode, Nonlinearity nonlinearity) {
        long fan = Fans.of(shape).get(mode);
        double gain = calculateGain(nonlinearity, a);
        return gain / Math.sqrt(fan);
    }

    /**
     * {@code kaiming_uniform_(t, a, mode, nonlinearity)} (He et al. 2015): U[−b, b) with
     * {@code b = √3 · (gain / √fan)}, {@code gain = calculate_gain(nonlinearity, a)}. A zero-element
     * tensor warns and draws nothing.
     */
    public static Tensor kaimingUniform(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator generator) {
        if (skipEmpty(t)) return t;
        double std = kaimingStd(t.shape(), a, mode, nonlinearity);
        double bound = Math.sqrt(3.0) * std;
        return uniform(t, -bound, bound, generator);
    }

    /** {@code kaiming_uniform_(t)} with torch's defaults: a=0, fan_in, leaky_relu. */
    public static Tensor kaimingUniform(Tensor t) {
        return kaimingUniform(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, null);
    }

    /**
     * {@code kaiming_normal_(t, a, mode, nonlinearity)}: N(0, σ²) with {@code σ = gain / √fan}. A
     * zero-element tensor warns and draws nothing.
     */
    public static Tensor kaimingNormal(Tensor t, double a, FanMode mode, Nonlinearity nonlinearity, Generator generator) {
        if (skipEmpty(t)) return t;
        double std = kaimingStd(t.shape(), a, mode, nonlinearity);
        return normal(t, 0, std, generator);
    }

    /** {@code kaiming_normal_(t)} with torch's defaults: a=0, fan_in, leaky_relu. */
    public static Tensor kaimingNormal(Tensor t) {
        return kaimingNormal(t, 0, FanMode.FAN_IN, Nonlinearity.LEAKY_RELU, null);
    }

    // ------------------------------------------------------------------ orthogonal, sparse

    /**
     * {@code orthogonal_(t, gain)} (Saxe et al. 2013): draws a {@code rows × (numel/rows)} matrix from
     * N(0, 1) with {@code normal_} (the same draws as torch), takes its reduced QR (of the transpose when
     * rows &lt; cols), multiplies Q's columns by {@code sign(diag(R))}, and copies {@code gain · Q}
     * into {@code t}. Matches torch 1.13.1 within {@link #ORTHOGONAL_TOLERANCE}·gain (LAPACK's float32
     * QR is not bit-reproducible, see the class notes). A zero-element tensor is left alone.
     *
     * @throws IllegalArgumentException if {@code t} has fewer than 2 dimensions, or is float16/bfloat16
     *         (torch 1.13 has no QR for them)
     */
    public static Tensor orthogonal(Tensor t, double gain, Generator generator) {
        if (t.dim() < 2) {
            throw new IllegalArgumentException("orthogonal_: tensor of shape " + t.shape()
                    + ": Only tensors with 2 or more dimensions are supported");
        }
        if (t.numel() == 0) return t;
        if (t.dtype() != DType.FLOAT32 && t.dtype() != DType.FLOAT64) {
            throw new IllegalArgumentException("orthogonal_: tensor of dtype " + t.dtype() + ": torch 1.13 has no "
                    + "QR for it on CPU (\"geqrf_cpu\" not implemented); use float32 or float64");
        }
        int rows = t.size(0);
        int cols = (int) (t.numel() / rows);
        Tensor flat = Tensor.empty(t.dtype(), rows, cols).normal_(0, 1, generator);
        boolean wide = rows < cols;
        int m = wide ? cols : rows;
        int n = wide ? rows : cols;
        double[][] a = new double[m][n];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = flat.get(r, c);
                if (wide) a[c][r] = v;
                else a[r][c] = v;
            }
        }
        double[][] q = Householder.q(a);
        // copy_ into the tensor (row-major logical order = the flattened (rows, cols) view), then mul_(gain)
        int[] offs = t.elementOffsets();
        Storage st = t.storage();
        boolean f32 = t.dtype() == DType.FLOAT32;
        float gf = (float) gain;
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < cols; c++) {
                double v = wide ? q[c][r] : q[r][c];
                double out = f32 ? (double) ((float) v * gf) : v * gain;
                st.setDouble(offs[r * cols + c], out);
            }
        }
        return t;
    }

    /** {@code orthogonal_(t)}: gain 1, default generator. */
    public static Tensor orthogonal(Tensor t) {
        return orthogonal(t, 1, null);
    }

    /**
     * {@code sparse_(t, sparsity, std)} (Martens 2010): N(0, std²), then in each column
     * {@code ⌈sparsity · rows⌉} rows, chosen by {@code randperm(rows)}, are set to zero. The normal
     * values come from {@code generator}; the permutations, as in torch, from the default generator.
     *
     * @throws IllegalArgumentException if {@code t} is not 2-D, or {@code sparsity} is outside [0, 1]
     *         (torch accepts any number there and zeroes a meaningless count)
     */
    public static Tensor sparse(Tensor t, double sparsity, double std, Generator generator) {
        if (t.dim() != 2) {
            throw new IllegalArgumentException("sparse_: tensor of shape " + t.shape()
                    + ": Only tensors with 2 dimensions are supported");
        }
        if (!(sparsity >= 0 && sparsity <= 1)) {
            throw new IllegalArgumentException("sparse_: sparsity = " + sparsity + ": expected a fraction in [0, 1]");
        }
        int rows = t.size(0);
        int cols = t.size(1);
        int numZeros = (int) Math.ceil(sparsity * rows);
        try (var g = GradMode.noGrad()) {
            t.normal_(0, std, generator);
            Generator perm = Generator.defaultGenerator();
            for (int c = 0; c < cols; c++) {
                long[] p = perm.randperm(rows);
                for (int k = 0; k < numZeros; k++) t.set(0, (int) p[k], c);
            }
        }
        return t;
    }

    /** {@code sparse_(t, sparsity)}: std 0.01, default generator. */
    public static Tensor sparse(Tensor t, double sparsity) {
        return sparse(t, sparsity, 0.01, null);
    }
}
