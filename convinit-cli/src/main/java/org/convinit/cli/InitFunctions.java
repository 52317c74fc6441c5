package org.convinit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.cli.expr.PyExpr;
import org.convinit.init.InitCall;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.init} calls as the command line accepts them: the function name (with or without
 * {@code torch.nn.init.} / {@code nn.init.}, with or without parentheses when it takes no arguments)
 * and literal arguments with torch's keyword names, the tensor argument left out:
 * {@code kaiming_uniform_(a=0, mode='fan_out', nonlinearity='relu')}, {@code uniform_(-0.1, 0.1)}, {@code zeros_}.
 * Every name {@link InitCall} knows works, the schemes beyond torch.nn.init included ({@code lecun_normal_},
 * {@code variance_scaling_(scale=2.0, mode='fan_avg', distribution='uniform')}, ...); torch 1.13's deprecated aliases
 * ({@code normal(std=0.1)}) work and print torch's deprecation warning.
 */
public final class InitFunctions {
    private InitFunctions() {}

    public static List<String> names() {
        return InitCall.names();
    }

    /** A parsed, bound init call, ready to apply to tensors. */
    public record Call(String text, InitCall call) {
        public void apply(Tensor t) {
            call.apply(t, null);
        }
    }

    /**
     * Parses an init expression and binds its arguments to torch's signature ({@link InitCall}); every
     * argument error, including a bad mode or nonlinearity, surfaces here, before any work.
     */
    public static Call parse(String text) {
        PyExpr e = PyExpr.parse(text);
        if (!(e instanceof PyExpr.Call)) {
            throw new IllegalArgumentException("expected a torch.nn.init function such as kaiming_uniform_(a=0), got " + e);
        }
        PyExpr.Call call = (PyExpr.Call) e;
        String name = stripPrefix(call.name());
        boolean deprecated = InitCall.deprecatedNames().contains(name); // torch 1.13's aliases: accepted, warn when applied
        if (!deprecated && !names().contains(name) && names().contains(name + "_")) {
            throw new IllegalArgumentException("unknown init function '" + call.name() + "'; did you mean " + name + "_ "
                    + "(torch's in-place name)?");
        }
        if (!deprecated && !names().contains(name)) {
            throw new IllegalArgumentException("unknown init function '" + call.name() + "'; known: " + String.join(", ", names()));
        }
        List<Object> positional = new ArrayList<>();
        for (PyExpr a : call.args()) positional.add(value(name, a));
        Map<String, Object> kwargs = new LinkedHashMap<>();
        call.kwargs().forEach((k, v) -> kwargs.put(k, value(name, v)));
        return new Call(text, InitCall.of(name, positional, kwargs));
    }

    private static String stripPrefix(String name) {
        for (String p : new String[] {"torch.nn.init.", "nn.init.", "init."}) {
            if (name.startsWith(p)) return name.substring(p.length());
        }
        return name;
    }

    /** A literal as the Java value InitCall binds: Long, Double, String, Boolean or null (None). */
    private static Object value(String fn, PyExpr v) {
        if (v instanceof PyExpr.Int) return ((PyExpr.Int) v).value();
        if (v instanceof PyExpr.Float) return ((PyExpr.Float) v).value();
        if (v instanceof PyExpr.Str) return ((PyExpr.Str) v).value();
        if (v instanceof PyExpr.None) return null;
        if (v instanceof PyExpr.Bool) return ((PyExpr.Bool) v).value();
        throw new IllegalArgumentException(fn + "(): argument " + v + " is not a number, string or None");
    }
}
