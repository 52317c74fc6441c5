package org.convinit.cli.expr;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The Python expressions the command line accepts: constructor and function calls with literal
 * arguments, as a PyTorch user writes them ({@code Conv2d(3, 16, (1, 3), padding='same', bias=False)},
 * {@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}). Literals: integers, floats, strings,
 * {@code True}/{@code False}/{@code None}, tuples and lists, nested calls. A dotted prefix such as
 * {@code nn.} or {@code torch.nn.init.} is kept in the name; callers strip what they accept.
 */
public sealed interface PyExpr {

    /** A call {@code name(args..., key=value...)}; a bare name parses as a call with no arguments. */
    record Call(String name, List<PyExpr> args, Map<String, PyExpr> kwargs, boolean hasParens) implements PyExpr {
        public Call {
            args = List.copyOf(args);
            kwargs = Collections.unmodifiableMap(new LinkedHashMap<>(kwargs));
        }

        @Override
        public String toString() {
            if (!hasParens) return name;
            List<String> parts = new ArrayList<>();
            for (PyExpr a : args) parts.add(a.toString());
            kwargs.forEach((k, v) -> parts.add(k + "=" + v));
            return name + "(" + String.join(", ", parts) + ")";
        }
    }

    record Int(long value) implements PyExpr {
        @Override
        public String toString() {
            return Long.toString(value);
        }
    }

    record Float(double value, String text) implements PyExpr {
        @Override
        public String toString() {
            return text;
        }
    }

    record Str(String value) implements PyExpr {
        @Override
        public String toString() {
            return "'" + value + "'";
        }
    }

    record Bool(boolean value) implements PyExpr {
        @Override
        public String toString() {
            return value ? "True" : "False";
        }
    }

    record None() implements PyExpr {
        @Override
        public String toString() {
            return "None";
        }
    }

    /** A tuple or list. */
    record Seq(List<PyExpr> items, boolean isList) implements PyExpr {
        public Seq {
            items = List.copyOf(items);
        }

        @Override
        public String toString() {
            List<String> parts = new ArrayList<>();
            for (PyExpr a : items) parts.add(a.toString());
            String body = String.join(", ", parts);
            return isList ? "[" + body + "]" : "(" + body + (items.size() == 1 ? ",)" : ")");
        }
    }

    /** Parses one expression; the whole text must be consumed. */
    static PyExpr parse(String text) {
        return new PyParser(text).parseAll();
    }
}
