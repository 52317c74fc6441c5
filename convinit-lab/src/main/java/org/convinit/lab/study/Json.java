package org.convinit.lab.study;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON numbers as docs/study-json.md writes them: NaN and infinities as null, absent values as null. */
final class Json {
    private Json() {}

    /** {@code node.get(key)}, which must be present (it may be JSON null). */
    static JsonNode required(JsonNode node, String key) {
        JsonNode v = node.get(key);
        if (v == null) throw new IllegalArgumentException("expected a field '" + key + "' in " + abbreviate(node.toString()));
        return v;
    }

    /** A JSON number or null (NaN); the strings NaN, Infinity and -Infinity as those values. */
    static double number(JsonNode v) {
        if (v == null || v.isNull()) return Double.NaN;
        if (v.isTextual()) return Double.parseDouble(v.asText());
        return v.asDouble();
    }

    static Long optionalLong(JsonNode node, String key) {
        JsonNode v = required(node, key);
        return v.isNull() ? null : v.asLong();
    }

    private static String abbreviate(String s) {
        return s.length() <= 200 ? s : s.substring(0, 200) + "...";
    }

    static void putNumber(ObjectNode node, String key, double v) {
        if (Double.isFinite(v)) node.put(key, v);
        else node.putNull(key);
    }

    static void putNumber(ObjectNode node, String key, Long v) {
        if (v == null) node.putNull(key);
        else node.put(key, v);
    }

    static void addNumber(ArrayNode array, double v) {
        if (Double.isFinite(v)) array.add(v);
        else array.addNull();
    }

    static ArrayNode numbers(ArrayNode array, double[] values) {
        for (double v : values) addNumber(array, v);
        return array;
    }
}
