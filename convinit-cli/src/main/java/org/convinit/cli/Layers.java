package org.convinit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.convinit.cli.expr.PyExpr;
import org.convinit.cli.expr.Signature;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Embedding;
import org.convinit.nn.GroupNorm;
import org.convinit.nn.LayerNorm;
import org.convinit.nn.Module;
import org.convinit.nn.PaddingMode;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.tensor.DType;

/**
 * Builds modules from PyTorch constructor expressions ({@code Conv2d(3, 16, 3, padding=1)}), binding
 * arguments by torch's parameter names. Construction draws from the default generator in torch's
 * order, so {@code Generator.manualSeed(s)} before {@link #build} reproduces torch's weights.
 */
public final class Layers {
    /** Builds one layer from its bound arguments. */
    @FunctionalInterface
    interface Builder {
        Module build(Signature.Bound args, PyExpr.Call call, DType dtype);
    }

    private record Entry(Signature signature, Builder builder) {}

    private static final Map<String, Entry> REGISTRY = new TreeMap<>();

    static void register(String name, Signature signature, Builder builder) {
        REGISTRY.put(name, new Entry(signature, builder));
    }

    static {
        register("Conv2d", new Signature("Conv2d", 3, "in_channels", "out_channels", "kernel_size", "stride", "padding",
                "dilation", "groups", "bias", "padding_mode", "device", "dtype"),
                (a, c, dt) -> new Conv2d(a.intValue("in_channels", 0), a.intValue("out_channels", 0),
                        a.intsValue("kernel_size", new int[0]), convOptions(a, false), dtype(a, dt), null));
        register("ReLU", new Signature("ReLU", 0, "inplace"), (a, c, dt) -> new ReLU());
        register("LayerNorm", new Signature("LayerNorm", 1, "normalized_shape", "eps", "elementwise_affine", "device", "dtype"),
                (a, c, dt) -> new LayerNorm(a.intsValue("normalized_shape", new int[0]), a.doubleValue("eps", 1e-5),
                        a.boolValue("elementwise_affine", true), dtype(a, dt)));
        register("GroupNorm", new Signature("GroupNorm", 2, "num_groups", "num_channels", "eps", "affine", "device", "dtype"),
                (a, c, dt) -> new GroupNorm(a.intValue("num_groups", 0), a.intValue("num_channels", 0), a.doubleValue("eps", 1e-5),
                        a.boolValue("affine", true), dtype(a, dt)));
        register("Embedding", new Signature("Embedding", 2, "num_embeddings", "embedding_dim", "padding_idx", "max_norm",
                "norm_type", "scale_grad_by_freq", "sparse", "_weight", "device", "dtype"), (a, c, dt) -> {
                    for (String unsupported : new String[] {"max_norm", "_weight"}) {
                        if (a.has(unsupported)) throw new IllegalArgumentException("Embedding(): " + unsupported + " is not supported");
                    }
                    if (a.boolValue("sparse", false) || a.boolValue("scale_grad_by_freq", false)) {
                        throw new IllegalArgumentException("Embedding(): sparse and scale_grad_by_freq are not supported");
                    }
                    Integer padding = a.has("padding_idx") ? a.intValue("padding_idx", 0) : null;
                    return new Embedding(a.intValue("num_embeddings", 0), a.intValue("embedding_dim", 0), padding, dtype(a, dt), null);
                });
    }

    private Layers() {}

    /** The layer names the command line accepts. */
    public static List<String> names() {
        List<String> out = new ArrayList<>(REGISTRY.keySet());
        out.add("Sequential");
        out.sort(null);
        return out;
    }

    /** Parses and builds a model expression. */
    public static Module build(String expression, DType dtype) {
        PyExpr e = PyExpr.parse(expression);
        return build(e, dtype);
    }

    static Module build(PyExpr e, DType dtype) {
        if (!(e instanceof PyExpr.Call)) {
            throw new IllegalArgumentException("expected a layer such as Conv2d(3, 16, 3), got " + e);
        }
        PyExpr.Call call = (PyExpr.Call) e;
        String name = stripPrefix(call.name());
        if (name.equals("Sequential")) {
            if (!call.kwargs().isEmpty()) {
                throw new IllegalArgumentException("Sequential() takes layers as positional arguments, got keywords "
                        + call.kwargs().keySet());
            }
            List<Module> layers = new ArrayList<>();
            for (PyExpr a : call.args()) layers.add(build(a, dtype));
            return new Sequential(layers);
        }
        Entry entry = REGISTRY.get(name);
        if (entry == null) {
            throw new IllegalArgumentException("unknown layer '" + call.name() + "'; known layers: " + String.join(", ", names()));
        }
        if (!call.hasParens()) {
            throw new IllegalArgumentException("layer '" + name + "' needs parentheses, e.g. " + name + "(...)");
        }
        return entry.builder().build(entry.signature().bind(call), call, dtype);
    }

    static String stripPrefix(String name) {
        for (String p : new String[] {"torch.nn.", "nn."}) {
            if (name.startsWith(p)) return name.substring(p.length());
        }
        return name;
    }

    /** A layer's own {@code dtype=torch.float64} keyword wins over the command's --dtype. */
    static DType dtype(Signature.Bound a, DType fallback) {
        if (!a.has("dtype")) return fallback;
        PyExpr v = a.raw("dtype");
        String s = v instanceof PyExpr.Str ? ((PyExpr.Str) v).value() : v.toString();
        DType dt = DType.parse(s);
        if (!dt.isCompute()) throw new IllegalArgumentException("dtype=" + s + ": expected torch.float32 or torch.float64");
        return dt;
    }

    /** The conv keyword options shared by every convolution. */
    static ConvOptions convOptions(Signature.Bound a, boolean transposed) {
        ConvOptions o = ConvOptions.DEFAULT.stride(a.intsValue("stride", new int[] {1}))
                .dilation(a.intsValue("dilation", new int[] {1}))
                .groups(a.intValue("groups", 1))
                .bias(a.boolValue("bias", true))
                .paddingMode(PaddingMode.parse(a.stringValue("padding_mode", "zeros")));
        if (a.has("padding") && a.raw("padding") instanceof PyExpr.Str) o = o.padding(a.stringValue("padding", ""));
        else o = o.padding(a.intsValue("padding", new int[] {0}));
        if (transposed) o = o.outputPadding(a.intsValue("output_padding", new int[] {0}));
        return o;
    }
}
