package org.convinit.cli.expr;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A Python function signature: parameter names in order, which are required, and how a call binds to
 * them. Binding errors read like Python's ({@code Conv2d() got an unexpected keyword argument 'paddin'}).
 */
public final class Signature {
    private final String function;
    private final List<String> names;
    private final int required;

    /** {@code required} leading parameters must be given; the rest are optional. */
    public Signature(String function, int required, String... names) {
        this.function = function;
        this.names = List.of(names);
        this.required = required;
    }

    public String function() {
        return function;
    }

    /** Binds a call: the arguments given, by parameter name. */
    public Bound bind(PyExpr.Call call) {
        if (call.args().size() > names.size()) {
            throw new IllegalArgumentException(function + "() takes at most " + names.size() + " positional arguments but "
                    + call.args().size() + " were given (parameters: " + String.join(", ", names) + ")");
        }
        LinkedHashMap<String, PyExpr> bound = new LinkedHashMap<>();
        for (int i = 0; i < call.args().size(); i++) bound.put(names.get(i), call.args().get(i));
        for (Map.Entry<String, PyExpr> kw : call.kwargs().entrySet()) {
            if (!names.contains(kw.getKey())) {
                throw new IllegalArgumentException(function + "() got an unexpected keyword argument '" + kw.getKey()
                        + "' (parameters: " + String.join(", ", names) + ")");
            }
            if (bound.containsKey(kw.getKey())) {
                throw new IllegalArgumentException(function + "() got multiple values for argument '" + kw.getKey() + "'");
            }
            bound.put(kw.getKey(), kw.getValue());
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < required; i++) if (!bound.containsKey(names.get(i))) missing.add("'" + names.get(i) + "'");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(function + "() missing " + missing.size() + " required positional argument"
                    + (missing.size() > 1 ? "s" : "") + ": " + String.join(" and ", missing));
        }
        return new Bound(function, bound);
    }

    /** Arguments bound to parameter names, with typed accessors whose errors name the argument. */
    public static final class Bound {
        private final String function;
        private final Map<String, PyExpr> values;

        Bound(String function, Map<String, PyExpr> values) {
            this.function = function;
            this.values = values;
        }

        public boolean has(String name) {
            PyExpr v = values.get(name);
            return v != null && !(v instanceof PyExpr.None);
        }

        public PyExpr raw(String name) {
            return values.get(name);
        }

        private IllegalArgumentException wrong(String name, String expected) {
            return new IllegalArgumentException(function + "(): argument '" + name + "' is " + values.get(name)
                    + ", expected " + expected);
        }

        public int intValue(String name, int def) {
            if (!has(name)) return def;
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Int && Math.abs(((PyExpr.Int) v).value()) <= Integer.MAX_VALUE) {
                return (int) ((PyExpr.Int) v).value();
            }
            throw wrong(name, "an integer");
        }

        public long longValue(String name, long def) {
            if (!has(name)) return def;
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Int) return ((PyExpr.Int) v).value();
            throw wrong(name, "an integer");
        }

        public double doubleValue(String name, double def) {
            if (!has(name)) return def;
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Int) return ((PyExpr.Int) v).value();
            if (v instanceof PyExpr.Float) return ((PyExpr.Float) v).value();
            throw wrong(name, "a number");
        }

        /** A number or None (null). */
        public Double optionalDouble(String name) {
            return has(name) ? doubleValue(name, 0) : null;
        }

        public boolean boolValue(String name, boolean def) {
            if (!has(name)) return def;
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Bool) return ((PyExpr.Bool) v).value();
            throw wrong(name, "True or False");
        }

        public String stringValue(String name, String def) {
            if (!has(name)) return def;
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Str) return ((PyExpr.Str) v).value();
            throw wrong(name, "a string");
        }

        /** An int or a tuple/list of ints (torch's {@code _pair}-style arguments). */
        public int[] intsValue(String name, int[] def) {
            if (!has(name)) return def.clone();
            PyExpr v = values.get(name);
            if (v instanceof PyExpr.Int) return new int[] {intValue(name, 0)};
            if (v instanceof PyExpr.Seq) {
                List<PyExpr> items = ((PyExpr.Seq) v).items();
                int[] out = new int[items.size()];
                for (int i = 0; i < out.length; i++) {
                    if (!(items.get(i) instanceof PyExpr.Int)) throw wrong(name, "an int or a tuple of ints");
                    out[i] = (int) ((PyExpr.Int) items.get(i)).value();
                }
                if (out.length == 0) throw wrong(name, "an int or a non-empty tuple of ints");
                return out;
            }
            throw wrong(name, "an int or a tuple of ints");
        }

        @Override
        public String toString() {
            return function + values + " " + Arrays.toString(values.keySet().toArray());
        }
    }
}
