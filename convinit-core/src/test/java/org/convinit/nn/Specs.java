package org.convinit.nn;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;

/**
 * Builds convinit modules from torch constructor specs {@code {"cls", "args", "kwargs"}} (the JSON
 * that tools/golden and the torch oracle use), so both sides build the same layer.
 */
final class Specs {
    static final JsonNodeFactory J = JsonNodeFactory.instance;

    private Specs() {}

    static ObjectNode spec(String cls, Object... args) {
        ObjectNode s = J.objectNode();
        s.put("cls", cls);
        ArrayNode a = s.putArray("args");
        for (Object o : args) a.add(node(o));
        s.putObject("kwargs");
        return s;
    }

    /** Adds a keyword argument to a spec made by {@link #spec}. */
    static ObjectNode kw(ObjectNode spec, String key, Object value) {
        ((ObjectNode) spec.get("kwargs")).set(key, node(value));
        return spec;
    }

    static JsonNode node(Object o) {
        if (o == null) return J.nullNode();
        if (o instanceof JsonNode) return (JsonNode) o;
        if (o instanceof Integer) return J.numberNode((Integer) o);
        if (o instanceof Long) return J.numberNode((Long) o);
        if (o instanceof Double) return J.numberNode((Double) o);
        if (o instanceof Boolean) return J.booleanNode((Boolean) o);
        if (o instanceof String) return J.textNode((String) o);
        if (o instanceof int[]) {
            ArrayNode a = J.arrayNode();
            for (int v : (int[]) o) a.add(v);
            return a;
        }
        if (o instanceof Object[]) {
            ArrayNode a = J.arrayNode();
            for (Object v : (Object[]) o) a.add(node(v));
            return a;
        }
        throw new IllegalArgumentException(o.getClass().toString());
    }

    static int[] ints(JsonNode n) {
        if (!n.isArray()) return new int[] {n.asInt()};
        int[] out = new int[n.size()];
        for (int i = 0; i < out.length; i++) out[i] = n.get(i).asInt();
        return out;
    }

    static Module build(JsonNode spec, DType dtype, Generator g) {
        String cls = spec.get("cls").asText();
        JsonNode args = spec.path("args");
        JsonNode kw = spec.path("kwargs");
        switch (cls) {
            case "Sequential": {
                List<Module> layers = new ArrayList<>();
                for (JsonNode s : args) layers.add(build(s, dtype, g));
                return new Sequential(layers);
            }
            case "Conv1d": case "Conv2d": case "Conv3d":
            case "ConvTranspose1d": case "ConvTranspose2d": case "ConvTranspose3d":
                return conv(cls, args, kw, dtype, g);
            case "Linear":
                return new Linear(args.get(0).asInt(), args.get(1).asInt(), kw.path("bias").asBoolean(true), dtype, g);
            case "BatchNorm1d": case "BatchNorm2d": case "BatchNorm3d": {
                int n = args.get(0).asInt();
                double eps = kw.path("eps").asDouble(1e-5);
                Double momentum = kw.has("momentum") ? (kw.get("momentum").isNull() ? null : Double.valueOf(kw.get("momentum").asDouble())) : Double.valueOf(0.1);
                boolean affine = kw.path("affine").asBoolean(true);
                boolean track = kw.path("track_running_stats").asBoolean(true);
                if (cls.equals("BatchNorm1d")) return new BatchNorm1d(n, eps, momentum, affine, track, dtype);
                if (cls.equals("BatchNorm2d")) return new BatchNorm2d(n, eps, momentum, affine, track, dtype);
                return new BatchNorm3d(n, eps, momentum, affine, track, dtype);
            }
            case "MaxPool1d": case "MaxPool2d": case "MaxPool3d":
            case "AvgPool1d": case "AvgPool2d": case "AvgPool3d": {
                PoolOptions o = PoolOptions.DEFAULT;
                for (Iterator<Map.Entry<String, JsonNode>> it = kw.fields(); it.hasNext(); ) {
                    Map.Entry<String, JsonNode> e = it.next();
                    JsonNode v = e.getValue();
                    switch (e.getKey()) {
                        case "stride": o = o.stride(ints(v)); break;
                        case "padding": o = o.padding(ints(v)); break;
                        case "dilation": o = o.dilation(ints(v)); break;
                        case "ceil_mode": o = o.ceilMode(v.asBoolean()); break;
                        case "count_include_pad": o = o.countIncludePad(v.asBoolean()); break;
                        case "divisor_override": o = o.divisorOverride(v.isNull() ? null : v.asInt()); break;
                        default: throw new IllegalArgumentException(cls + " kwarg " + e.getKey());
                    }
                }
                int[] k = ints(args.get(0));
                switch (cls) {
                    case "MaxPool1d": return new MaxPool1d(k, o);
                    case "MaxPool2d": return new MaxPool2d(k, o);
                    case "MaxPool3d": return new MaxPool3d(k, o);
                    case "AvgPool1d": return new AvgPool1d(k, o);
                    case "AvgPool2d": return new AvgPool2d(k, o);
                    default: return new AvgPool3d(k, o);
                }
            }
            case "AdaptiveAvgPool2d": {
                JsonNode s = args.get(0);
                if (!s.isArray()) return new AdaptiveAvgPool2d(s.asInt());
                return new AdaptiveAvgPool2d(s.get(0).isNull() ? null : s.get(0).asInt(), s.get(1).isNull() ? null : s.get(1).asInt());
            }
            case "ReLU": return new ReLU();
            case "Tanh": return new Tanh();
            case "Sigmoid": return new Sigmoid();
            case "Identity": return new Identity();
            case "LeakyReLU": return new LeakyReLU(kw.path("negative_slope").asDouble(0.01));
            case "GELU": return new GELU(kw.path("approximate").asText("none"));
            case "Flatten": return new Flatten(kw.path("start_dim").asInt(1), kw.path("end_dim").asInt(-1));
            case "Dropout": return new Dropout(kw.path("p").asDouble(0.5), g);
            default: throw new IllegalArgumentException("no spec builder for " + cls);
        }
    }

    private static Module conv(String cls, JsonNode args, JsonNode kw, DType dtype, Generator g) {
        ConvOptions o = ConvOptions.DEFAULT;
        for (Iterator<Map.Entry<String, JsonNode>> it = kw.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            JsonNode v = e.getValue();
            switch (e.getKey()) {
                case "stride": o = o.stride(ints(v)); break;
                case "padding": o = v.isTextual() ? o.padding(v.asText()) : o.padding(ints(v)); break;
                case "dilation": o = o.dilation(ints(v)); break;
                case "groups": o = o.groups(v.asInt()); break;
                case "bias": o = o.bias(v.asBoolean()); break;
                case "padding_mode": o = o.paddingMode(PaddingMode.parse(v.asText())); break;
                case "output_padding": o = o.outputPadding(ints(v)); break;
                default: throw new IllegalArgumentException(cls + " kwarg " + e.getKey());
            }
        }
        int in = args.get(0).asInt();
        int out = args.get(1).asInt();
        int[] k = ints(args.get(2));
        switch (cls) {
            case "Conv1d": return new Conv1d(in, out, k, o, dtype, g);
            case "Conv2d": return new Conv2d(in, out, k, o, dtype, g);
            case "Conv3d": return new Conv3d(in, out, k, o, dtype, g);
            case "ConvTranspose1d": return new ConvTranspose1d(in, out, k, o, dtype, g);
            case "ConvTranspose2d": return new ConvTranspose2d(in, out, k, o, dtype, g);
            default: return new ConvTranspose3d(in, out, k, o, dtype, g);
        }
    }
}
