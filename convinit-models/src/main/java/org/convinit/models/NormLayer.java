package org.convinit.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.GroupNorm;
import org.convinit.nn.LayerNorm;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;

/**
 * torchvision's {@code norm_layer} argument: a callable from a channel count to a normalization module, built in the
 * model's dtype. {@code (c, dt) -> new GroupNorm(32, c, 1e-5, true, dt)} is Python's {@code partial(nn.GroupNorm, 32)}.
 * By name (a model's {@code norm_layer} keyword as a string, e.g. from the command line), {@link #parse} reads
 * {@code "BatchNorm2d"}, {@code "BatchNorm2d(eps=0.001, momentum=0.01)"}, {@code "GroupNorm(32)"} or
 * {@code "LayerNorm(eps=1e-06)"} as that {@code functools.partial} of {@code torch.nn}'s class: the given arguments
 * first, the channel count in the next positional slot. {@code "LayerNorm2d(...)"} is ConvNeXt's
 * ({@code torchvision.models.convnext.LayerNorm2d}, an {@code nn.LayerNorm} over the channels of NCHW).
 */
@FunctionalInterface
public interface NormLayer {
    Module make(int channels, DType dtype);

    /** {@code nn.BatchNorm2d} with torch's defaults. */
    NormLayer BATCH_NORM = (c, dt) -> new BatchNorm2d(c, 1e-5, 0.1, true, true, dt);

    /** {@code partial(nn.GroupNorm, numGroups)}. */
    static NormLayer groupNorm(int numGroups) {
        return (c, dt) -> new GroupNorm(numGroups, c, 1e-5, true, dt);
    }

    /** {@code partial(nn.LayerNorm, eps=eps)}: over the last dim (ConvNeXt's blocks use it on NHWC with eps 1e-6). */
    static NormLayer layerNorm(double eps) {
        return (c, dt) -> new LayerNorm(new int[] {c}, eps, true, dt);
    }

    /** {@code partial(LayerNorm2d, eps=eps)}: ConvNeXt's LayerNorm over the channels of NCHW (its default, eps 1e-6). */
    static NormLayer layerNorm2d(double eps) {
        return (c, dt) -> new ConvNeXt.LayerNorm2d(c, eps, true, dt);
    }

    /** A norm layer by name: see the class comment. Unknown names and arguments are named in the message. */
    static NormLayer parse(String spec) {
        Matcher m = Pattern.compile("\\s*((?:torch\\.)?nn\\.|(?:torchvision\\.models\\.)?convnext\\.)?(\\w+)\\s*(?:\\((.*)\\))?\\s*").matcher(spec);
        if (!m.matches()) throw new IllegalArgumentException("norm_layer='" + spec + "': expected e.g. 'BatchNorm2d' or 'GroupNorm(32)'");
        String cls = m.group(2);
        String prefix = m.group(1) == null ? "" : m.group(1);
        if (!prefix.isEmpty() && prefix.contains("convnext") != cls.equals("LayerNorm2d")) {
            throw new IllegalArgumentException("norm_layer='" + spec + "': " + prefix + cls + " does not exist; "
                    + "LayerNorm2d is torchvision.models.convnext's, the others torch.nn's");
        }
        List<String> params;
        if (cls.equals("BatchNorm2d")) params = List.of("num_features", "eps", "momentum", "affine", "track_running_stats");
        else if (cls.equals("GroupNorm")) params = List.of("num_groups", "num_channels", "eps", "affine");
        else if (cls.equals("LayerNorm") || cls.equals("LayerNorm2d")) params = List.of("normalized_shape", "eps", "elementwise_affine");
        else throw new IllegalArgumentException("norm_layer='" + spec + "': unknown layer '" + cls
                + "'; expected BatchNorm2d, GroupNorm, LayerNorm or LayerNorm2d");
        Map<String, String> args = new LinkedHashMap<>();
        List<String> positional = new ArrayList<>();
        String body = m.group(3) == null ? "" : m.group(3).trim();
        for (String a : body.isEmpty() ? new String[0] : body.split(",")) {
            String[] kv = a.split("=", 2);
            if (kv.length == 1) {
                if (!args.isEmpty()) throw new IllegalArgumentException("norm_layer='" + spec + "': positional argument follows keyword argument");
                positional.add(kv[0].trim());
            } else if (!params.contains(kv[0].trim())) {
                throw new IllegalArgumentException("norm_layer='" + spec + "': " + cls + "() got an unexpected keyword argument '"
                        + kv[0].trim() + "'; it accepts " + String.join(", ", params));
            } else {
                args.put(kv[0].trim(), kv[1].trim());
            }
        }
        String channels = params.get(cls.equals("GroupNorm") ? 1 : 0);
        if (positional.size() >= params.size() || !params.get(positional.size()).equals(channels) || args.containsKey(channels)) {
            throw new IllegalArgumentException("norm_layer='" + spec + "': the channel count must be " + cls + "'s next positional "
                    + "argument, " + channels + " (as functools.partial passes it)");
        }
        for (int i = 0; i < positional.size(); i++) args.put(params.get(i), positional.get(i));
        double eps = number(spec, args.getOrDefault("eps", "1e-05"));
        boolean affine = bool(spec, args.getOrDefault(cls.startsWith("LayerNorm") ? "elementwise_affine" : "affine", "True"));
        if (cls.equals("LayerNorm")) return (c, dt) -> new LayerNorm(new int[] {c}, eps, affine, dt);
        if (cls.equals("LayerNorm2d")) return (c, dt) -> new ConvNeXt.LayerNorm2d(c, eps, affine, dt);
        if (cls.equals("GroupNorm")) {
            int groups;
            try {
                groups = Integer.parseInt(args.get("num_groups"));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("norm_layer='" + spec + "': num_groups=" + args.get("num_groups") + ", expected an int", e);
            }
            return (c, dt) -> new GroupNorm(groups, c, eps, affine, dt);
        }
        String mom = args.getOrDefault("momentum", "0.1");
        Double momentum = mom.equals("None") ? null : number(spec, mom);
        boolean track = bool(spec, args.getOrDefault("track_running_stats", "True"));
        return (c, dt) -> new BatchNorm2d(c, eps, momentum, affine, track, dt);
    }

    private static double number(String spec, String v) {
        try {
            return Double.parseDouble(v);
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("norm_layer='" + spec + "': " + v + " is not a number", e);
        }
    }

    private static boolean bool(String spec, String v) {
        if (v.equals("True") || v.equals("False")) return v.equals("True");
        throw new IllegalArgumentException("norm_layer='" + spec + "': " + v + ", expected True or False");
    }
}
