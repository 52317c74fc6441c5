package org.convinit.cli;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.convinit.cli.expr.PyExpr;
import org.convinit.cli.expr.Signature;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.AvgPool1d;
import org.convinit.nn.AvgPool2d;
import org.convinit.nn.AvgPool3d;
import org.convinit.nn.BatchNorm1d;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.BatchNorm3d;
import org.convinit.nn.Conv1d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Conv3d;
import org.convinit.nn.ConvTranspose1d;
import org.convinit.nn.ConvTranspose2d;
import org.convinit.nn.ConvTranspose3d;
import org.convinit.nn.Dropout;
import org.convinit.nn.Flatten;
import org.convinit.nn.GELU;
import org.convinit.nn.Identity;
import org.convinit.nn.LeakyReLU;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool1d;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.MaxPool3d;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.Sigmoid;
import org.convinit.nn.Tanh;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.ConvPadding;
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
        registerConv("Conv1d", 1, false);
        registerConv("Conv3d", 3, false);
        registerConv("ConvTranspose1d", 1, true);
        registerConv("ConvTranspose2d", 2, true);
        registerConv("ConvTranspose3d", 3, true);
        register("Linear", new Signature("Linear", 2, "in_features", "out_features", "bias", "device", "dtype"),
                (a, c, dt) -> new Linear(a.intValue("in_features", 0), a.intValue("out_features", 0), a.boolValue("bias", true),
                        dtype(a, dt), null));
        for (int d = 1; d <= 3; d++) {
            int dims = d;
            String bn = "BatchNorm" + d + "d";
            register(bn, new Signature(bn, 1, "num_features", "eps", "momentum", "affine", "track_running_stats", "device", "dtype"),
                    (a, c, dt) -> batchNorm(dims, a.intValue("num_features", 0), a.doubleValue("eps", 1e-5),
                            a.raw("momentum") == null ? Double.valueOf(0.1) : a.optionalDouble("momentum"),
                            a.boolValue("affine", true), a.boolValue("track_running_stats", true), dtype(a, dt)));
            String mp = "MaxPool" + d + "d";
            register(mp, new Signature(mp, 1, "kernel_size", "stride", "padding", "dilation", "return_indices", "ceil_mode"),
                    (a, c, dt) -> {
                        if (a.boolValue("return_indices", false)) {
                            throw new IllegalArgumentException(mp + "(): return_indices=True is not supported");
                        }
                        PoolOptions o = poolOptions(a).dilation(a.intsValue("dilation", new int[] {1}));
                        int[] k = a.intsValue("kernel_size", new int[0]);
                        return dims == 1 ? new MaxPool1d(k, o) : dims == 2 ? new MaxPool2d(k, o) : new MaxPool3d(k, o);
                    });
            String ap = "AvgPool" + d + "d";
            Signature apSig = d == 1
                    ? new Signature(ap, 1, "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad")
                    : new Signature(ap, 1, "kernel_size", "stride", "padding", "ceil_mode", "count_include_pad", "divisor_override");
            register(ap, apSig, (a, c, dt) -> {
                PoolOptions o = poolOptions(a).countIncludePad(a.boolValue("count_include_pad", true));
                if (a.has("divisor_override")) o = o.divisorOverride(a.intValue("divisor_override", 0));
                int[] k = a.intsValue("kernel_size", new int[0]);
                return dims == 1 ? new AvgPool1d(k, o) : dims == 2 ? new AvgPool2d(k, o) : new AvgPool3d(k, o);
            });
        }
        register("AdaptiveAvgPool2d", new Signature("AdaptiveAvgPool2d", 1, "output_size"), (a, c, dt) -> {
            PyExpr v = a.raw("output_size");
            if (v instanceof PyExpr.Seq && ((PyExpr.Seq) v).items().size() == 2) {
                return new AdaptiveAvgPool2d(optionalInt(((PyExpr.Seq) v).items().get(0)), optionalInt(((PyExpr.Seq) v).items().get(1)));
            }
            return new AdaptiveAvgPool2d(a.intValue("output_size", 0));
        });
        register("ReLU", new Signature("ReLU", 0, "inplace"), (a, c, dt) -> new ReLU(a.boolValue("inplace", false)));
        register("LeakyReLU", new Signature("LeakyReLU", 0, "negative_slope", "inplace"),
                (a, c, dt) -> new LeakyReLU(a.doubleValue("negative_slope", 0.01)));
        register("Tanh", new Signature("Tanh", 0), (a, c, dt) -> new Tanh());
        register("Sigmoid", new Signature("Sigmoid", 0), (a, c, dt) -> new Sigmoid());
        register("GELU", new Signature("GELU", 0, "approximate"), (a, c, dt) -> new GELU(a.stringValue("approximate", "none")));
        register("Identity", new Signature("Identity", 0), (a, c, dt) -> new Identity());
        register("Flatten", new Signature("Flatten", 0, "start_dim", "end_dim"),
                (a, c, dt) -> new Flatten(a.intValue("start_dim", 1), a.intValue("end_dim", -1)));
        register("PixelShuffle", new Signature("PixelShuffle", 1, "upscale_factor"), (a, c, dt) -> new org.convinit.nn.PixelShuffle(a.intValue("upscale_factor", 0)));
        register("PixelUnshuffle", new Signature("PixelUnshuffle", 1, "downscale_factor"), (a, c, dt) -> new org.convinit.nn.PixelUnshuffle(a.intValue("downscale_factor", 0)));
        register("Dropout", new Signature("Dropout", 0, "p", "inplace"), (a, c, dt) -> new Dropout(a.doubleValue("p", 0.5)));
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
        ModelNames.registerAll(); // torchvision's models: resnet18(num_classes=10), ...
    }

    private Layers() {}

    /** Every convolution: torch's signature (transposed ones add output_padding and move dilation). */
    private static void registerConv(String name, int dims, boolean transposed) {
        Signature sig = transposed
                ? new Signature(name, 3, "in_channels", "out_channels", "kernel_size", "stride", "padding", "output_padding",
                        "groups", "bias", "dilation", "padding_mode", "device", "dtype")
                : new Signature(name, 3, "in_channels", "out_channels", "kernel_size", "stride", "padding", "dilation", "groups",
                        "bias", "padding_mode", "device", "dtype");
        register(name, sig, (a, c, dt) -> {
            int in = a.intValue("in_channels", 0);
            int out = a.intValue("out_channels", 0);
            int[] k = a.intsValue("kernel_size", new int[0]);
            ConvOptions o = convOptions(a, transposed);
            DType t = dtype(a, dt);
            if (transposed) {
                return dims == 1 ? new ConvTranspose1d(in, out, k, o, t, null)
                        : dims == 2 ? new ConvTranspose2d(in, out, k, o, t, null) : new ConvTranspose3d(in, out, k, o, t, null);
            }
            return dims == 1 ? new Conv1d(in, out, k, o, t, null) : new Conv3d(in, out, k, o, t, null);
        });
    }

    private static Module batchNorm(int dims, int n, double eps, Double momentum, boolean affine, boolean track, DType dt) {
        switch (dims) {
            case 1: return new BatchNorm1d(n, eps, momentum, affine, track, dt);
            case 2: return new BatchNorm2d(n, eps, momentum, affine, track, dt);
            default: return new BatchNorm3d(n, eps, momentum, affine, track, dt);
        }
    }

    /** kernel_size, stride (None: the kernel size), padding, ceil_mode. */
    private static PoolOptions poolOptions(Signature.Bound a) {
        PoolOptions o = PoolOptions.DEFAULT.padding(a.intsValue("padding", new int[] {0})).ceilMode(a.boolValue("ceil_mode", false));
        if (a.has("stride")) o = o.stride(a.intsValue("stride", new int[0]));
        return o;
    }

    private static Integer optionalInt(PyExpr v) {
        if (v instanceof PyExpr.None) return null;
        if (v instanceof PyExpr.Int && Math.abs(((PyExpr.Int) v).value()) <= Integer.MAX_VALUE) return (int) ((PyExpr.Int) v).value();
        throw new IllegalArgumentException("AdaptiveAvgPool2d(): output_size entry " + v + ", expected an int or None");
    }

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
        String name = ModelNames.stripPrefix(stripPrefix(call.name()));
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
            List<String> layerNames = new ArrayList<>();
            List<String> modelNames = new ArrayList<>();
            for (String n : names()) (Character.isUpperCase(n.charAt(0)) ? layerNames : modelNames).add(n);
            throw new IllegalArgumentException("unknown layer '" + call.name() + "'; known layers: " + String.join(", ", layerNames)
                    + (modelNames.isEmpty() ? "" : "; torchvision models: " + String.join(", ", modelNames)));
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
        if (a.has("padding") && a.raw("padding") instanceof PyExpr.Str) o = o.padding(ConvPadding.parse(a.stringValue("padding", "")));
        else o = o.padding(a.intsValue("padding", new int[] {0}));
        if (transposed) o = o.outputPadding(a.intsValue("output_padding", new int[] {0}));
        return o;
    }
}
