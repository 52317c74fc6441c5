package org.convinit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.internal.PyRepr;

/**
 * The plain values of a pickled checkpoint (an epoch, a learning rate, an optimizer's param_groups) as Python
 * shows them and as JSON: {@code None, bool, int, float, str}, dicts, lists ({@code ArrayList}) and tuples (other
 * lists), as {@link org.convinit.io.CheckpointReader#values()} gives them.
 */
final class PyValues {
    private PyValues() {}

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    /** Python's name for a value's type, as torch's users know it. */
    static String type(Object v) {
        if (v == null) return "NoneType";
        if (v instanceof Boolean) return "bool";
        if (v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger) return "int";
        if (v instanceof Double || v instanceof Float) return "float";
        if (v instanceof String) return "str";
        if (v instanceof Map) return "dict";
        if (v instanceof ArrayList) return "list";
        if (v instanceof List) return "tuple";
        return v.getClass().getSimpleName();
    }

    /** Python's {@code repr}: {@code 3}, {@code 0.1}, {@code 'sgd'}, {@code {'lr': 0.1}}, {@code [0, 1]}, {@code (2,)}. */
    static String repr(Object v) {
        if (v == null) return "None";
        if (v instanceof Boolean b) return b ? "True" : "False";
        if (v instanceof Double d) return PyRepr.of(d);
        if (v instanceof Float f) return PyRepr.of(f);
        if (v instanceof String s) return str(s);
        if (v instanceof Map<?, ?> m) {
            List<String> items = new ArrayList<>();
            for (Map.Entry<?, ?> e : m.entrySet()) items.add(repr(e.getKey()) + ": " + repr(e.getValue()));
            return "{" + String.join(", ", items) + "}";
        }
        if (v instanceof List<?> l) {
            List<String> items = new ArrayList<>();
            for (Object o : l) items.add(repr(o));
            if (v instanceof ArrayList) return "[" + String.join(", ", items) + "]";
            return "(" + String.join(", ", items) + (items.size() == 1 ? ",)" : ")");
        }
        return String.valueOf(v);
    }

    /** Python's repr of a str: single quotes unless the text has a ' and no " (then double quotes), escapes inside. */
    private static String str(String s) {
        char q = s.indexOf('\'') >= 0 && s.indexOf('"') < 0 ? '"' : '\'';
        StringBuilder b = new StringBuilder().append(q);
        for (char c : s.toCharArray()) {
            if (c == '\\' || c == q) b.append('\\').append(c);
            else if (c == '\n') b.append("\\n");
            else if (c == '\t') b.append("\\t");
            else if (c == '\r') b.append("\\r");
            else if (c < 0x20 || c == 0x7f) b.append(String.format("\\x%02x", (int) c));
            else b.append(c);
        }
        return b.append(q).toString();
    }

    /** As JSON: numbers, strings, objects, arrays; a non-finite float as its Python repr ({@code "nan"}). */
    static JsonNode json(Object v) {
        if (v == null) return F.nullNode();
        if (v instanceof Boolean b) return F.booleanNode(b);
        if (v instanceof Long l) return F.numberNode(l);
        if (v instanceof Integer i) return F.numberNode(i);
        if (v instanceof java.math.BigInteger b) return F.numberNode(b);
        if (v instanceof Double d) return Double.isFinite(d) ? F.numberNode(d) : F.textNode(PyRepr.of(d));
        if (v instanceof String s) return F.textNode(s);
        if (v instanceof Map<?, ?> m) {
            ObjectNode o = F.objectNode();
            for (Map.Entry<?, ?> e : m.entrySet()) o.set(String.valueOf(e.getKey()), json(e.getValue()));
            return o;
        }
        if (v instanceof List<?> l) {
            ArrayNode a = F.arrayNode();
            for (Object o : l) a.add(json(o));
            return a;
        }
        return F.textNode(String.valueOf(v));
    }
}
