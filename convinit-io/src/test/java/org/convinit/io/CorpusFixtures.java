package org.convinit.io;

import java.math.BigInteger;
import java.net.URISyntaxException;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;

/** The torch 1.13.1 corpus from tools/golden/gen_checkpoints.py and helpers to compare with it. */
final class CorpusFixtures {
    private CorpusFixtures() {}

    static JsonNode expected() {
        return Golden.load("checkpoints/expected.json");
    }

    static Path file(String name) {
        try {
            return Path.of(CorpusFixtures.class.getResource("/golden/checkpoints/" + name).toURI());
        } catch (URISyntaxException | NullPointerException e) {
            throw new IllegalStateException("fixture golden/checkpoints/" + name + " is missing; run tools/golden/gen_checkpoints.py", e);
        }
    }

    static String sha256(Tensor t) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(TensorBytes.toBytes(t)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    /** Flattens a tree as the generator does: '.'-joined names, list items by index. */
    static LinkedHashMap<String, Object> flatten(Object root) {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        flatten("", root, out);
        return out;
    }

    private static void flatten(String name, Object v, LinkedHashMap<String, Object> out) {
        if (v instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) flatten(name.isEmpty() ? (String) e.getKey() : name + "." + e.getKey(), e.getValue(), out);
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) flatten(name.isEmpty() ? "" + i : name + "." + i, l.get(i), out);
        } else {
            out.put(name, v);
        }
    }

    /** A plain value as the generator records it, for comparison. */
    static String describe(Object v) {
        if (v == null) return "none";
        if (v instanceof Boolean) return "bool:" + v;
        if (v instanceof Long || v instanceof BigInteger) return "int:" + v;
        if (v instanceof Double) return "float:" + Double.doubleToRawLongBits((Double) v);
        if (v instanceof String) return "str:" + v;
        return "other:" + v.getClass();
    }

    static String describe(JsonNode rec) {
        String kind = rec.get("kind").asText();
        switch (kind) {
            case "none": return "none";
            case "bool": return "bool:" + rec.get("value").asBoolean();
            case "int": return "int:" + rec.get("value").asText();
            case "float": return "float:" + Double.doubleToRawLongBits(Double.parseDouble(rec.get("value").asText()));
            case "str": return "str:" + rec.get("value").asText();
            default: return "other:" + kind;
        }
    }
}
