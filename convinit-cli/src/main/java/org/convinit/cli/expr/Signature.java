package org.convinit.cli.expr;

import java.util.Arrays;
import java.util.List;
import java.util.Map;

import org.convinit.internal.ArgumentBinder;

/**
 * A Python function signature: parameter names in order, which are required, and how a call binds to
 * them. Binding errors read like Python's ({@code Conv2d() got an unexpected keyword argument 'paddin'; ...}).
 */
public final class Signature {
    private final ArgumentBinder binder;

    /** {@code required} leading parameters must be given; the rest are optional. */
    public Signature(String function, int required, String... names) {
        this.binder = new ArgumentBinder(function, List.of(), List.of(names), required);
    }

    public String function() {
        return binder.function();
    }

    /** Binds a call: the arguments given, by parameter name (Python's rules and messages, {@link ArgumentBinder}). */
    public Bound bind(PyExpr.Call call) {
        return new Bound(binder.function(), binder.bind(call.args(), call.kwargs()));
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
            return toInt(values.get(name), name, "an integer");
        }

        /** {@code v} as an int; an integer beyond int is refused, not truncated. */
        private int toInt(PyExpr v, String name, String expected) {
            if (v instanceof PyExpr.Int && Math.abs(((PyExpr.Int) v).value()) <= Integer.MAX_VALUE
                    && ((PyExpr.Int) v).value() != Long.MIN_VALUE) { // Math.abs(Long.MIN_VALUE) < 0
                return (int) ((PyExpr.Int) v).value();
            }
            throw wrong(name, expected);
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
                for (int i = 0; i < out.length; i++) out[i] = toInt(items.get(i), name, "an int or a tuple of ints");
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
