package org.convinit.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A builder's keyword arguments as Python values ({@code Integer}/{@code Long}, {@code Double}, {@code Boolean},
 * {@code String}, {@code List}, {@code null} for None; a {@link NormLayer} for {@code norm_layer}), checked against the names torchvision accepts: an unknown
 * name fails as Python's TypeError does, naming it and listing the accepted ones.
 */
final class Kwargs {
    private final String function;
    private final Map<String, Object> values;

    Kwargs(String function, Map<String, Object> values, List<String> accepted) {
        this.function = function;
        this.values = new LinkedHashMap<>(values);
        for (String k : values.keySet()) {
            if (!accepted.contains(k) && !k.equals("weights") && !k.equals("progress")) {
                throw new IllegalArgumentException(function + "() got an unexpected keyword argument '" + k + "'; it accepts "
                        + String.join(", ", withCommon(accepted)));
            }
        }
        if (values.get("weights") != null) {
            throw new IllegalArgumentException(function + "(weights=" + values.get("weights") + "): pretrained weights are not "
                    + "downloaded; build with weights=None and load a torchvision state dict");
        }
    }

    static List<String> withCommon(List<String> accepted) {
        List<String> all = new ArrayList<>(List.of("weights", "progress"));
        all.addAll(accepted);
        return all;
    }

    boolean has(String name) {
        return values.containsKey(name);
    }

    int intArg(String name, int def) {
        Object v = values.get(name);
        if (v == null && !values.containsKey(name)) return def;
        if (v instanceof Integer || v instanceof Long) return Math.toIntExact(((Number) v).longValue());
        throw wrongType(name, v, "an int");
    }

    double doubleArg(String name, double def) {
        Object v = values.get(name);
        if (v == null && !values.containsKey(name)) return def;
        if (v instanceof Number) return ((Number) v).doubleValue();
        throw wrongType(name, v, "a float");
    }

    boolean boolArg(String name, boolean def) {
        Object v = values.get(name);
        if (v == null && !values.containsKey(name)) return def;
        if (v instanceof Boolean) return (Boolean) v;
        throw wrongType(name, v, "True or False");
    }

    /** A list of booleans, or the default when absent or None. */
    List<Boolean> boolListArg(String name, List<Boolean> def) {
        Object v = values.get(name);
        if (v == null) return def;
        if (v instanceof List) {
            List<Boolean> out = new ArrayList<>();
            for (Object o : (List<?>) v) {
                if (!(o instanceof Boolean)) throw wrongType(name, v, "a list of booleans");
                out.add((Boolean) o);
            }
            return out;
        }
        throw wrongType(name, v, "a list of booleans");
    }

    /**
     * A {@code norm_layer}: a {@link NormLayer} (from Java), a name {@link NormLayer#parse} reads ({@code "GroupNorm(32)"}),
     * or BatchNorm2d when absent or None.
     */
    NormLayer normLayerArg(String name) {
        NormLayer n = normLayerOrNull(name);
        return n == null ? NormLayer.BATCH_NORM : n;
    }

    /** {@link #normLayerArg}, but null when absent or None (the family's own default). */
    NormLayer normLayerOrNull(String name) {
        Object v = values.get(name);
        if (v == null) return null;
        if (v instanceof NormLayer) return (NormLayer) v;
        if (v instanceof String) return NormLayer.parse((String) v);
        throw wrongType(name, v, "a NormLayer or a name such as 'GroupNorm(32)'");
    }

    /** ConvNeXt's {@code block}: a {@link ConvNeXt.Block}, a name {@link ConvNeXt.Block#parse} reads, or null when absent or None. */
    ConvNeXt.Block blockOrNull(String name) {
        Object v = values.get(name);
        if (v == null) return null;
        if (v instanceof ConvNeXt.Block) return (ConvNeXt.Block) v;
        if (v instanceof String) return ConvNeXt.Block.parse((String) v);
        throw wrongType(name, v, "a ConvNeXt.Block or a name such as 'CNBlock(norm_layer=LayerNorm(eps=1e-05))'");
    }

    /** torchvision's {@code _ovewrite_named_param}: a fixed value the caller may repeat but not change. */
    void fixed(String name, Object value) {
        if (values.containsKey(name) && !String.valueOf(values.get(name)).equals(String.valueOf(value))) {
            throw new IllegalArgumentException("The parameter '" + name + "' expected value " + value + " but got "
                    + values.get(name) + " instead.");
        }
    }

    private IllegalArgumentException wrongType(String name, Object v, String expected) {
        return new IllegalArgumentException(function + "(): " + name + "=" + v + ", expected " + expected);
    }
}
