package org.convinit.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.cli.expr.PyExpr;
import org.convinit.cli.expr.Signature;
import org.convinit.models.Models;
import org.convinit.nn.AdaptiveAvgPool1d;
import org.convinit.nn.AdaptiveAvgPool3d;
import org.convinit.nn.AdaptiveMaxPool1d;
import org.convinit.nn.AdaptiveMaxPool2d;
import org.convinit.nn.AdaptiveMaxPool3d;
import org.convinit.nn.ChannelShuffle;
import org.convinit.nn.Hardsigmoid;
import org.convinit.nn.Hardswish;
import org.convinit.nn.ReLU6;
import org.convinit.nn.SiLU;

/**
 * torchvision's model builders as layer names ({@code resnet18(num_classes=10)}, {@code mobilenet_v3_small(width_mult=0.75)},
 * {@code torchvision.models.densenet121()}), keyword arguments only, as torchvision's builders take them; and the layers
 * those models brought to convinit ({@code ReLU6()}, {@code Hardswish()}, {@code AdaptiveMaxPool2d(7)}, ...).
 */
final class ModelNames {
    private ModelNames() {}

    /** Registers every name of {@link Models#names()} and the models' layers with {@link Layers}. */
    static void registerAll() {
        registerLayers();
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

    private static void registerLayers() {
        Layers.register("ReLU6", new Signature("ReLU6", 0, "inplace"), (a, c, dt) -> new ReLU6(a.boolValue("inplace", false)));
        Layers.register("Hardswish", new Signature("Hardswish", 0, "inplace"), (a, c, dt) -> new Hardswish(a.boolValue("inplace", false)));
        Layers.register("Hardsigmoid", new Signature("Hardsigmoid", 0, "inplace"), (a, c, dt) -> new Hardsigmoid());
        Layers.register("SiLU", new Signature("SiLU", 0, "inplace"), (a, c, dt) -> new SiLU(a.boolValue("inplace", false)));
        Layers.register("ChannelShuffle", new Signature("ChannelShuffle", 1, "groups"), (a, c, dt) -> new ChannelShuffle(a.intValue("groups", 0)));
        String[] pools = {"AdaptiveAvgPool1d", "AdaptiveAvgPool3d", "AdaptiveMaxPool1d", "AdaptiveMaxPool2d", "AdaptiveMaxPool3d"};
        for (String pool : pools) {
            boolean max = pool.contains("Max");
            Signature sig = max ? new Signature(pool, 1, "output_size", "return_indices") : new Signature(pool, 1, "output_size");
            Layers.register(pool, sig, (a, c, dt) -> {
                if (max && a.boolValue("return_indices", false)) {
                    throw new IllegalArgumentException(pool + "(): return_indices=True returns two tensors; a model layer returns one");
                }
                Integer[] size = outputSize(pool, a.raw("output_size"));
                switch (pool) {
                    case "AdaptiveAvgPool1d": return new AdaptiveAvgPool1d(size);
                    case "AdaptiveAvgPool3d": return new AdaptiveAvgPool3d(size);
                    case "AdaptiveMaxPool1d": return new AdaptiveMaxPool1d(size);
                    case "AdaptiveMaxPool2d": return new AdaptiveMaxPool2d(size);
                    default: return new AdaptiveMaxPool3d(size);
                }
            });
        }
    }

    /** {@code 7}, {@code (7, None)} or {@code [2, 3, 4]}: one size or one per dim, None keeping the input's. */
    private static Integer[] outputSize(String fn, PyExpr v) {
        List<PyExpr> items = v instanceof PyExpr.Seq ? ((PyExpr.Seq) v).items() : List.of(v);
        Integer[] out = new Integer[items.size()];
        for (int i = 0; i < out.length; i++) {
            PyExpr e = items.get(i);
            if (e instanceof PyExpr.None) out[i] = null;
            else if (e instanceof PyExpr.Int) out[i] = Math.toIntExact(((PyExpr.Int) e).value());
            else throw new IllegalArgumentException(fn + "(): output_size entry " + e + ", expected an int or None");
        }
        return out;
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
