package org.convinit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.convinit.cli.expr.PyExpr;
import org.convinit.cli.expr.Signature;
import org.convinit.init.FanMode;
import org.convinit.init.Init;
import org.convinit.init.Nonlinearity;
import org.convinit.tensor.Tensor;

/**
 * {@code torch.nn.init} calls as the command line accepts them: the function name (with or without
 * {@code torch.nn.init.} / {@code nn.init.}, with or without parentheses when it takes no arguments)
 * and literal arguments with torch's keyword names, the tensor argument left out:
 * {@code kaiming_uniform_(a=0, mode='fan_out', nonlinearity='relu')}, {@code uniform_(-0.1, 0.1)}, {@code zeros_}.
 */
public final class InitFunctions {
    /** Applies a bound init call to a tensor. */
    @FunctionalInterface
    interface Applier {
        void apply(Signature.Bound args, Tensor t);
    }

    private record Entry(Signature signature, Applier applier) {}

    private static final Map<String, Entry> REGISTRY = new TreeMap<>();

    static void register(String name, Applier applier, int required, String... params) {
        REGISTRY.put(name, new Entry(new Signature(name, required, params), applier));
    }

    static {
        register("uniform_", (a, t) -> Init.uniform(t, a.doubleValue("a", 0), a.doubleValue("b", 1)), 0, "a", "b");
        register("normal_", (a, t) -> Init.normal(t, a.doubleValue("mean", 0), a.doubleValue("std", 1)), 0, "mean", "std");
        register("constant_", (a, t) -> Init.constant(t, a.doubleValue("val", 0)), 1, "val");
        register("zeros_", (a, t) -> Init.zeros(t), 0);
        register("ones_", (a, t) -> Init.ones(t), 0);
        register("kaiming_uniform_", (a, t) -> Init.kaimingUniform(t, a.doubleValue("a", 0),
                FanMode.parse(a.stringValue("mode", "fan_in")),
                Nonlinearity.parse(a.stringValue("nonlinearity", "leaky_relu")), null), 0, "a", "mode", "nonlinearity");
    }

    private InitFunctions() {}

    public static List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }

    /** A parsed, bound init call, ready to apply to tensors. */
    public record Call(String text, Signature.Bound args, Applier applier) {
        public void apply(Tensor t) {
            applier.apply(args, t);
        }
    }

    /** Parses an init expression and binds its arguments; value errors (e.g. a bad mode) surface when applied. */
    public static Call parse(String text) {
        PyExpr e = PyExpr.parse(text);
        if (!(e instanceof PyExpr.Call)) {
            throw new IllegalArgumentException("expected a torch.nn.init function such as kaiming_uniform_(a=0), got " + e);
        }
        PyExpr.Call call = (PyExpr.Call) e;
        String name = call.name();
        for (String p : new String[] {"torch.nn.init.", "nn.init.", "init."}) {
            if (name.startsWith(p)) name = name.substring(p.length());
        }
        Entry entry = REGISTRY.get(name);
        if (entry == null && REGISTRY.containsKey(name + "_")) {
            throw new IllegalArgumentException("unknown init function '" + call.name() + "'; did you mean " + name + "_ "
                    + "(torch's in-place name)?");
        }
        if (entry == null) {
            throw new IllegalArgumentException("unknown init function '" + call.name() + "'; known: " + String.join(", ", names()));
        }
        return new Call(text, entry.signature().bind(call), entry.applier());
    }
}
