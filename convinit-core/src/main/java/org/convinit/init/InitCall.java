package org.convinit.init;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.Warnings;
import org.convinit.internal.ArgumentBinder;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * A {@code torch.nn.init} call by its torch name with Python-style arguments, e.g.
 * {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')} as
 * {@code InitCall.of("kaiming_normal_", List.of(), Map.of("mode", "fan_out", "nonlinearity", "relu"))}.
 * Arguments are bound to torch 1.13.1's signatures (positional after the tensor, then keywords), with
 * Python's errors for unknown, missing or repeated arguments. The CLI's {@code --init FN} and the
 * differential tests use it.
 *
 * <p>Signatures: {@code uniform_(a=0., b=1.)}, {@code normal_(mean=0., std=1.)},
 * {@code trunc_normal_(mean=0., std=1., a=-2., b=2.)}, {@code constant_(val)}, {@code ones_()},
 * {@code zeros_()}, {@code eye_()}, {@code dirac_(groups=1)}, {@code xavier_uniform_(gain=1.)},
 * {@code xavier_normal_(gain=1.)}, {@code kaiming_uniform_(a=0, mode='fan_in', nonlinearity='leaky_relu')},
 * {@code kaiming_normal_(a=0, mode='fan_in', nonlinearity='leaky_relu')}, {@code orthogonal_(gain=1)},
 * {@code sparse_(sparsity, std=0.01)}; beyond torch: {@code variance_scaling_(scale=1.0, mode='fan_in',
 * distribution='truncated_normal')} (Keras' defaults), {@code lecun_normal_()}, {@code lecun_uniform_()},
 * {@code glorot_normal_()}, {@code glorot_uniform_()}, {@code he_normal_()}, {@code he_uniform_()} (JAX's presets,
 * {@link VarianceScaling}), {@code trunc_normal_tf_(mean=0., std=1., a=-2., b=2.)} (timm's),
 * {@code delta_orthogonal_(gain=1., center='jax')}, {@code icnr_(upscale_factor=2, transposed=False)},
 * {@code zero_init_()} ({@link StructuredInit}), {@code gabor_(orientations=8)}, {@code dct_()} ({@link FilterBanks}),
 * {@code fixup_(num_branches, layers_per_branch=2)} ({@link Residual}),
 * {@code lsuv_(tol=0.1, max_iter=10, bias='zero')} (model-level: {@code org.convinit.nn.init.Lsuv}; {@link #apply} on a
 * tensor refuses it).
 * torch 1.13's deprecated aliases ({@code normal}, {@code xavier_uniform}, ...) bind like the function they name and
 * warn as torch does when applied.
 */
public final class InitCall {
    private static final Object REQUIRED = new Object();
    private static final Map<String, LinkedHashMap<String, Object>> SIGNATURES = new LinkedHashMap<>();
    private static final Map<String, ArgumentBinder> BINDERS = new LinkedHashMap<>();
    private static final List<String> TORCH_NAMES = new java.util.ArrayList<>();

    static {
        sig("uniform_", "a", 0.0, "b", 1.0);
        sig("normal_", "mean", 0.0, "std", 1.0);
        sig("trunc_normal_", "mean", 0.0, "std", 1.0, "a", -2.0, "b", 2.0);
        sig("constant_", "val", REQUIRED);
        sig("ones_");
        sig("zeros_");
        sig("eye_");
        sig("dirac_", "groups", 1);
        sig("xavier_uniform_", "gain", 1.0);
        sig("xavier_normal_", "gain", 1.0);
        sig("kaiming_uniform_", "a", 0.0, "mode", "fan_in", "nonlinearity", "leaky_relu");
        sig("kaiming_normal_", "a", 0.0, "mode", "fan_in", "nonlinearity", "leaky_relu");
        sig("orthogonal_", "gain", 1.0);
        sig("sparse_", "sparsity", REQUIRED, "std", 0.01);
        TORCH_NAMES.addAll(SIGNATURES.keySet());
        // beyond torch.nn.init (VarianceScaling's Javadoc has the formulas and papers)
        sig("variance_scaling_", "scale", 1.0, "mode", "fan_in", "distribution", "truncated_normal");
        sig("lecun_normal_");
        sig("lecun_uniform_");
        sig("glorot_normal_");
        sig("glorot_uniform_");
        sig("he_normal_");
        sig("he_uniform_");
        sig("trunc_normal_tf_", "mean", 0.0, "std", 1.0, "a", -2.0, "b", 2.0);
        sig("delta_orthogonal_", "gain", 1.0, "center", "jax");
        sig("icnr_", "upscale_factor", 2, "transposed", false);
        sig("lsuv_", "tol", 0.1, "max_iter", 10, "bias", "zero");
        sig("zero_init_");
        sig("gabor_", "orientations", 8);
        sig("dct_");
        sig("fixup_", "num_branches", REQUIRED, "layers_per_branch", 2);
    }

    /** Schemes that act on a whole model and a batch, not on one tensor ({@code org.convinit.nn.init.Lsuv}). */
    public static final List<String> MODEL_LEVEL = List.of("lsuv_");

    /** torch 1.13's deprecated aliases ({@code nn.init.normal} for {@code normal_}, ...): they warn, then call it. */
    private static final List<String> DEPRECATED = List.of("uniform", "normal", "constant", "eye", "dirac",
            "xavier_uniform", "xavier_normal", "kaiming_uniform", "kaiming_normal", "orthogonal", "sparse");

    private static void sig(String name, Object... params) {
        LinkedHashMap<String, Object> p = new LinkedHashMap<>();
        int required = 0;
        for (int i = 0; i < params.length; i += 2) {
            p.put((String) params[i], params[i + 1]);
            if (params[i + 1] == REQUIRED) required++; // required parameters come first, as in Python
        }
        SIGNATURES.put(name, p);
        BINDERS.put(name, new ArgumentBinder(name, List.of("tensor"), List.copyOf(p.keySet()), required));
    }

    private final String name;
    private final Map<String, Object> args;
    private final String deprecatedAlias;

    private InitCall(String name, Map<String, Object> args, String deprecatedAlias) {
        this.name = name;
        this.args = args;
        this.deprecatedAlias = deprecatedAlias;
    }

    /**
     * Every supported name: torch's ({@link #torchNames()}), then the schemes beyond torch.nn.init
     * ({@code variance_scaling_}, ...). torch's deprecated aliases are accepted by {@link #of} but not listed.
     */
    public static List<String> names() {
        return List.copyOf(SIGNATURES.keySet());
    }

    /** The torch.nn.init functions of torch 1.13.1 ({@code uniform_}, ..., {@code sparse_}), in its documentation order. */
    public static List<String> torchNames() {
        return List.copyOf(TORCH_NAMES);
    }

    /** torch 1.13's deprecated aliases without the underscore ({@code normal}, {@code xavier_uniform}, ...). */
    public static List<String> deprecatedNames() {
        return DEPRECATED;
    }

    /** A call with keyword arguments only. */
    public static InitCall of(String name, Map<String, ?> kwargs) {
        return of(name, List.of(), kwargs);
    }

    /**
     * Binds {@code positional} (the arguments after the tensor) and {@code kwargs} to the function's
     * signature. Values are numbers, strings (mode, nonlinearity) or null (kaiming's {@code a=None}: the
     * default slope 0.01).
     *
     * @throws IllegalArgumentException for an unknown function, unknown keyword, repeated or missing
     *         argument, a value of the wrong type, or an unknown mode or nonlinearity
     */
    public static InitCall of(String name, List<?> positional, Map<String, ?> kwargs) {
        String alias = DEPRECATED.contains(name) ? name : null;
        if (alias != null) name = name + "_";
        LinkedHashMap<String, Object> sig = SIGNATURES.get(name);
        if (sig == null) {
            throw new IllegalArgumentException("unknown init function '" + name + "'; expected one of " + names());
        }
        Map<String, Object> given = BINDERS.get(name).bind(positional, kwargs);
        LinkedHashMap<String, Object> all = new LinkedHashMap<>();
        for (Map.Entry<String, Object> p : sig.entrySet()) {
            all.put(p.getKey(), given.containsKey(p.getKey()) ? given.get(p.getKey()) : p.getValue());
        }
        InitCall call = new InitCall(name, Collections.unmodifiableMap(all), alias);
        call.validate();
        return call;
    }

    /** The torch name, e.g. {@code kaiming_normal_} (for a deprecated alias, the function it calls). */
    public String name() {
        return name;
    }

    /** All arguments after binding, defaults included, in signature order. */
    public Map<String, Object> arguments() {
        return args;
    }

    private double num(String key) {
        Object v = args.get(key);
        if (v instanceof Number && !(v instanceof Boolean)) return ((Number) v).doubleValue();
        throw new IllegalArgumentException(name + "(): " + key + " = " + repr(v) + ": expected a number");
    }

    /** kaiming's {@code a}; {@code None} means calculate_gain's default negative slope, 0.01. */
    private double slope() {
        return args.get("a") == null ? 0.01 : num("a");
    }

    private int integer(String key) {
        Object v = args.get(key);
        boolean integral = v instanceof Integer || v instanceof Long || v instanceof Double && ((Double) v) == Math.rint((Double) v);
        if (integral && Math.abs(((Number) v).doubleValue()) <= Integer.MAX_VALUE) return (int) ((Number) v).doubleValue();
        throw new IllegalArgumentException(name + "(): " + key + " = " + repr(v) + ": expected an integer"
                + (integral ? " of at most " + Integer.MAX_VALUE + " in magnitude" : ""));
    }

    private boolean bool(String key) {
        Object v = args.get(key);
        if (v instanceof Boolean) return (Boolean) v;
        throw new IllegalArgumentException(name + "(): " + key + " = " + repr(v) + ": expected True or False");
    }

    private String str(String key) {
        Object v = args.get(key);
        if (v instanceof String) return (String) v;
        throw new IllegalArgumentException(name + "(): " + key + " = " + repr(v) + ": expected a string");
    }

    private static String repr(Object v) {
        if (v instanceof Boolean) return (Boolean) v ? "True" : "False";
        if (v == null) return "None";
        return v instanceof String ? "'" + v + "'" : String.valueOf(v);
    }

    private void validate() {
        for (String k : args.keySet()) {
            switch (k) {
                case "mode":
                    if (name.equals("variance_scaling_")) VarianceScaling.Mode.parse(str(k));
                    else FanMode.parse(str(k));
                    break;
                case "distribution": VarianceScaling.Distribution.parse(str(k)); break;
                case "center": StructuredInit.Center.parse(str(k)); break;
                case "bias": str(k); break;
                case "transposed": bool(k); break;
                case "upscale_factor": case "max_iter": case "orientations": case "num_branches": case "layers_per_branch":
                    integer(k);
                    break;
                case "nonlinearity": Nonlinearity.parse(str(k)); break;
                case "groups": integer(k); break;
                case "a":
                    if (args.get(k) == null && name.startsWith("kaiming_")) break; // a=None: calculate_gain's 0.01
                    num(k);
                    break;
                default: num(k);
            }
        }
    }

    /**
     * Runs the call on {@code t} (in place) with {@code generator} (null: the default). A deprecated alias warns first,
     * with torch's text: {@code nn.init.normal is now deprecated in favor of nn.init.normal_.}
     */
    public Tensor apply(Tensor t, Generator generator) {
        if (deprecatedAlias != null) {
            Warnings.warn("nn.init." + deprecatedAlias + " is now deprecated in favor of nn.init." + name + ".");
        }
        switch (name) {
            case "uniform_": return Init.uniform(t, num("a"), num("b"), generator);
            case "normal_": return Init.normal(t, num("mean"), num("std"), generator);
            case "trunc_normal_": return Init.truncNormal(t, num("mean"), num("std"), num("a"), num("b"), generator);
            case "constant_": return Init.constant(t, num("val"));
            case "ones_": return Init.ones(t);
            case "zeros_": return Init.zeros(t);
            case "eye_": return Init.eye(t);
            case "dirac_": return Init.dirac(t, integer("groups"));
            case "xavier_uniform_": return Init.xavierUniform(t, num("gain"), generator);
            case "xavier_normal_": return Init.xavierNormal(t, num("gain"), generator);
            case "kaiming_uniform_":
                return Init.kaimingUniform(t, slope(), FanMode.parse(str("mode")),
                        Nonlinearity.parse(str("nonlinearity")), generator);
            case "kaiming_normal_":
                return Init.kaimingNormal(t, slope(), FanMode.parse(str("mode")),
                        Nonlinearity.parse(str("nonlinearity")), generator);
            case "orthogonal_": return Init.orthogonal(t, num("gain"), generator);
            case "sparse_": return Init.sparse(t, num("sparsity"), num("std"), generator);
            case "variance_scaling_":
                return VarianceScaling.varianceScaling(t, num("scale"), VarianceScaling.Mode.parse(str("mode")),
                        VarianceScaling.Distribution.parse(str("distribution")), generator);
            case "lecun_normal_": return VarianceScaling.lecunNormal(t, generator);
            case "lecun_uniform_": return VarianceScaling.lecunUniform(t, generator);
            case "glorot_normal_": return VarianceScaling.glorotNormal(t, generator);
            case "glorot_uniform_": return VarianceScaling.glorotUniform(t, generator);
            case "he_normal_": return VarianceScaling.heNormal(t, generator);
            case "he_uniform_": return VarianceScaling.heUniform(t, generator);
            case "trunc_normal_tf_":
                return VarianceScaling.truncNormalTf(t, num("mean"), num("std"), num("a"), num("b"), generator);
            case "delta_orthogonal_":
                return StructuredInit.deltaOrthogonal(t, num("gain"), StructuredInit.Center.parse(str("center")), generator);
            case "icnr_": return StructuredInit.icnr(t, integer("upscale_factor"), bool("transposed"), generator);
            case "zero_init_": return StructuredInit.zerO(t);
            case "gabor_": return FilterBanks.gabor(t, integer("orientations"));
            case "dct_": return FilterBanks.dct(t);
            case "fixup_": return Residual.fixup(t, integer("num_branches"), integer("layers_per_branch"), generator);
            case "lsuv_":
                throw new IllegalArgumentException("lsuv_ acts on a whole model and a batch, not on one tensor: use it as a bare "
                        + "--init lsuv_ (or org.convinit.nn.init.Lsuv.apply)");
            default: throw new AssertionError(name);
        }
    }

    /** Python-like: {@code kaiming_normal_(a=0.0, mode='fan_out', nonlinearity='relu')}. */
    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder(deprecatedAlias != null ? deprecatedAlias : name).append('(');
        boolean first = true;
        for (Map.Entry<String, Object> e : args.entrySet()) {
            if (!first) sb.append(", ");
            first = false;
            sb.append(e.getKey()).append('=').append(repr(e.getValue()));
        }
        return sb.append(')').toString();
    }
}
