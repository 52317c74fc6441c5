package org.convinit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.cli.expr.PyExpr;
import org.convinit.cli.expr.Signature;
import org.convinit.models.Models;

/**
 * torchvision's model builders as layer names ({@code resnet18(num_classes=10)}, {@code mobilenet_v3_small(width_mult=0.75)},
 * {@code torchvision.models.densenet121()}), keyword arguments only, as torchvision's builders take them.
 */
final class ModelNames {
    private ModelNames() {}

    /** Registers every name of {@link Models#names()} with {@link Layers}. */
    static void registerAll() {
        for (String name : Models.names()) {
            Signature sig = new Signature(name, 0, Models.parameters(name).toArray(new String[0]));
            Layers.register(name, sig, (a, call, dt) -> {
                if (!call.args().isEmpty()) {
                    throw new IllegalArgumentException(name + "() takes 0 positional arguments but " + call.args().size()
                            + " were given; torchvision's builders take keywords: " + String.join(", ", Models.parameters(name)));
                }
                Map<String, Object> kwargs = new LinkedHashMap<>();
                for (Map.Entry<String, PyExpr> e : call.kwargs().entrySet()) kwargs.put(e.getKey(), value(name, e.getKey(), e.getValue()));
                return Models.create(name, kwargs, dt);
            });
        }
    }

    /** {@code torchvision.models.resnet18} and {@code models.resnet18} name the same builder. */
    static String stripPrefix(String name) {
        for (String p : new String[] {"torchvision.models.", "models."}) {
            if (name.startsWith(p)) return name.substring(p.length());
        }
        return name;
    }

    private static Object value(String fn, String key, PyExpr v) {
        if (v instanceof PyExpr.Int) return ((PyExpr.Int) v).value();
        if (v instanceof PyExpr.Float) return ((PyExpr.Float) v).value();
        if (v instanceof PyExpr.Bool) return ((PyExpr.Bool) v).value();
        if (v instanceof PyExpr.Str) return ((PyExpr.Str) v).value();
        if (v instanceof PyExpr.None) return null;
        if (v instanceof PyExpr.Seq) {
            List<Object> out = new ArrayList<>();
            for (PyExpr item : ((PyExpr.Seq) v).items()) out.add(value(fn, key, item));
            return out;
        }
        throw new IllegalArgumentException(fn + "(): " + key + "=" + v + " is not a constant");
    }
}
