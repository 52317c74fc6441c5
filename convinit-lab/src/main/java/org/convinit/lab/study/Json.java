package org.convinit.lab.study;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** JSON numbers as docs/study-json.md writes them: NaN and infinities as null, absent values as null. */
final class Json {
    private Json() {}

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
