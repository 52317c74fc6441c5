package org.convinit.models;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

import org.convinit.nn.Module;
import org.convinit.tensor.DType;

/**
 * torchvision 0.14's classification models by name, as {@code torchvision.models.resnet18(weights=None, **kwargs)}:
 * the same modules, state-dict keys and initialization. Each builder draws from the default generator in torch's
 * order, so
 *
 * <pre>{@code
 * Generator.manualSeed(0);
 * ResNet net = Models.resnet18(ResNet.Options.DEFAULT.numClasses(10));   // == torch.manual_seed(0); resnet18(num_classes=10)
 * Module m = Models.create("mobilenet_v3_small", Map.of("width_mult", 0.75), DType.FLOAT32);
 * }</pre>
 *
 * <p>Use {@link org.convinit.random.Generator#withDefault} to build from a generator of your own. Pretrained weights are
 * not downloaded: load a torchvision state dict with {@link Module#loadStateDict} (DenseNet: {@link DenseNet#remapLegacyKeys}
 * first for old checkpoints).
 */
public final class Models {
    private Models() {}

    private interface Builder {
        Module build(Kwargs kw, DType dt);
    }

    private record Entry(List<String> accepted, Builder builder) {}

    private static final Map<String, Entry> REGISTRY = new TreeMap<>();

    private static final List<String> RESNET = List.of("num_classes", "zero_init_residual", "groups", "width_per_group",
            "replace_stride_with_dilation", "norm_layer");

    static {
        int[][] resnetBlocks = {{2, 2, 2, 2}, {3, 4, 6, 3}, {3, 4, 6, 3}, {3, 4, 23, 3}, {3, 8, 36, 3}};
        int[] depths = {18, 34, 50, 101, 152};
        for (int i = 0; i < depths.length; i++) {
            int[] blocks = resnetBlocks[i];
            boolean bottleneck = depths[i] >= 50;
            REGISTRY.put("resnet" + depths[i], new Entry(RESNET, (k, dt) -> new ResNet(bottleneck, blocks, resnetOptions(k, 0, 0), dt)));
        }
        resnetVariant("resnext50_32x4d", resnetBlocks[2], 32, 4);
        resnetVariant("resnext101_32x8d", resnetBlocks[3], 32, 8);
        resnetVariant("resnext101_64x4d", resnetBlocks[3], 64, 4);
        resnetVariant("wide_resnet50_2", resnetBlocks[2], 0, 128);
        resnetVariant("wide_resnet101_2", resnetBlocks[3], 0, 128);
        for (int d : new int[] {11, 13, 16, 19}) {
            for (boolean bn : new boolean[] {false, true}) {
                REGISTRY.put("vgg" + d + (bn ? "_bn" : ""), new Entry(List.of("num_classes", "init_weights", "dropout"),
                        (k, dt) -> new Vgg(d, bn, new Vgg.Options(k.intArg("num_classes", 1000), k.boolArg("init_weights", true),
                                k.doubleArg("dropout", 0.5)), dt)));
            }
        }
        REGISTRY.put("alexnet", new Entry(List.of("num_classes", "dropout"),
                (k, dt) -> new AlexNet(new ClassifierOptions(k.intArg("num_classes", 1000), k.doubleArg("dropout", 0.5)), dt)));
        for (String v : new String[] {"1_0", "1_1"}) {
            REGISTRY.put("squeezenet" + v, new Entry(List.of("num_classes", "dropout"),
                    (k, dt) -> new SqueezeNet(v, new ClassifierOptions(k.intArg("num_classes", 1000), k.doubleArg("dropout", 0.5)), dt)));
        }
        REGISTRY.put("mobilenet_v2", new Entry(List.of("num_classes", "width_mult", "round_nearest", "dropout", "norm_layer"),
                (k, dt) -> new MobileNetV2(new MobileNetV2.Options(k.intArg("num_classes", 1000), k.doubleArg("width_mult", 1.0),
                        k.intArg("round_nearest", 8), k.doubleArg("dropout", 0.2), k.normLayerOrNull("norm_layer")), dt)));
        for (boolean large : new boolean[] {false, true}) {
            REGISTRY.put(large ? "mobilenet_v3_large" : "mobilenet_v3_small", new Entry(
                    List.of("num_classes", "width_mult", "reduced_tail", "dilated", "dropout", "norm_layer"),
                    (k, dt) -> new MobileNetV3(large, new MobileNetV3.Options(k.intArg("num_classes", 1000), k.doubleArg("width_mult", 1.0),
                            k.boolArg("reduced_tail", false), k.boolArg("dilated", false), k.doubleArg("dropout", 0.2),
                            k.normLayerOrNull("norm_layer")), dt)));
        }
        densenet("densenet121", 32, new int[] {6, 12, 24, 16}, 64);
        densenet("densenet161", 48, new int[] {6, 12, 36, 24}, 96);
        densenet("densenet169", 32, new int[] {6, 12, 32, 32}, 64);
        densenet("densenet201", 32, new int[] {6, 12, 48, 32}, 64);
        for (int b = 0; b <= 7; b++) {
            int variant = b;
            List<String> accepted = b <= 4 ? List.of("num_classes", "stochastic_depth_prob", "norm_layer")
                    : List.of("num_classes", "stochastic_depth_prob");
            REGISTRY.put("efficientnet_b" + b, new Entry(accepted, (k, dt) -> new EfficientNet(variant, new EfficientNet.Options(
                    k.intArg("num_classes", 1000), k.doubleArg("stochastic_depth_prob", 0.2), k.normLayerOrNull("norm_layer")), dt)));
        }
        for (String size : new String[] {"s", "m", "l"}) {
            REGISTRY.put("efficientnet_v2_" + size, new Entry(List.of("num_classes", "stochastic_depth_prob"),
                    (k, dt) -> EfficientNet.v2(size, new EfficientNet.Options(k.intArg("num_classes", 1000),
                            k.doubleArg("stochastic_depth_prob", 0.2)), dt)));
        }
        RegNet.Params.SIZES.forEach(Models::regnet);
        for (boolean small : new boolean[] {false, true}) {
            REGISTRY.put(small ? "convnext_small" : "convnext_tiny", new Entry(List.of("num_classes", "stochastic_depth_prob", "layer_scale",
                    "block", "norm_layer"), (k, dt) -> new ConvNeXt(small, new ConvNeXt.Options(k.intArg("num_classes", 1000),
                            k.has("stochastic_depth_prob") ? k.doubleArg("stochastic_depth_prob", 0) : null, k.doubleArg("layer_scale", 1e-6),
                            k.blockOrNull("block"), k.normLayerOrNull("norm_layer")), dt)));
        }
        shufflenet("shufflenet_v2_x0_5", new int[] {24, 48, 96, 192, 1024});
        shufflenet("shufflenet_v2_x1_0", new int[] {24, 116, 232, 464, 1024});
        shufflenet("shufflenet_v2_x1_5", new int[] {24, 176, 352, 704, 1024});
        shufflenet("shufflenet_v2_x2_0", new int[] {24, 244, 488, 976, 2048});
    }

    private static ResNet.Options resnetOptions(Kwargs k, int groups, int width) {
        return new ResNet.Options(k.intArg("num_classes", 1000), k.boolArg("zero_init_residual", false),
                groups > 0 ? groups : k.intArg("groups", 1), width > 0 ? width : k.intArg("width_per_group", 64),
                k.boolListArg("replace_stride_with_dilation", List.of(false, false, false)), k.normLayerArg("norm_layer"));
    }

    private static void resnetVariant(String name, int[] blocks, int groups, int width) {
        REGISTRY.put(name, new Entry(RESNET, (k, dt) -> {
            if (groups > 0) k.fixed("groups", groups);
            k.fixed("width_per_group", width);
            return new ResNet(true, blocks, resnetOptions(k, groups, width), dt);
        }));
    }

    private static void densenet(String name, int growth, int[] blocks, int init) {
        REGISTRY.put(name, new Entry(List.of("num_classes", "bn_size", "drop_rate", "memory_efficient"),
                (k, dt) -> new DenseNet(growth, blocks, init, new DenseNet.Options(k.intArg("num_classes", 1000), k.intArg("bn_size", 4),
                        k.doubleArg("drop_rate", 0), k.boolArg("memory_efficient", false)), dt)));
    }

    private static void regnet(String name, RegNet.Params p) {
        REGISTRY.put(name, new Entry(List.of("num_classes", "stem_width", "norm_layer"),
                (k, dt) -> new RegNet(p, new RegNet.Options(k.intArg("num_classes", 1000), k.intArg("stem_width", 32),
                        k.normLayerOrNull("norm_layer")), dt)));
    }

    private static void shufflenet(String name, int[] channels) {
        REGISTRY.put(name, new Entry(List.of("num_classes"),
                (k, dt) -> new ShuffleNetV2(new int[] {4, 8, 4}, channels, new ShuffleNetV2.Options(k.intArg("num_classes", 1000)), dt)));
    }

    /** Every model name, sorted. */
    public static List<String> names() {
        return new ArrayList<>(REGISTRY.keySet());
    }

    /** The keyword arguments {@code name} accepts (torchvision's), {@code weights} (None only) and {@code progress} first. */
    public static List<String> parameters(String name) {
        return Kwargs.withCommon(entry(name).accepted());
    }

    /** Whether {@code name} is a model name. */
    public static boolean contains(String name) {
        return REGISTRY.containsKey(name);
    }

    /**
     * Builds {@code name(**kwargs)} in {@code dtype}. Values are Python's: Integer/Long, Double, Boolean, String, List,
     * null for None. An unknown name lists the known ones; an argument torchvision does not accept is named.
     */
    public static Module create(String name, Map<String, Object> kwargs, DType dtype) {
        Entry e = entry(name);
        return e.builder().build(new Kwargs(name, kwargs, e.accepted()), dtype);
    }

    private static Entry entry(String name) {
        Entry e = REGISTRY.get(name);
        if (e == null) throw new IllegalArgumentException("unknown model '" + name + "'; known models: " + String.join(", ", names()));
        return e;
    }

    // ------------------------------------------------------------------ typed factories (float32; float64 via the dtype overloads)

    public static ResNet resnet18(ResNet.Options o) { return resnet(o, DType.FLOAT32, false, 2, 2, 2, 2); }
    public static ResNet resnet34(ResNet.Options o) { return resnet(o, DType.FLOAT32, false, 3, 4, 6, 3); }
    public static ResNet resnet50(ResNet.Options o) { return resnet(o, DType.FLOAT32, true, 3, 4, 6, 3); }
    public static ResNet resnet101(ResNet.Options o) { return resnet(o, DType.FLOAT32, true, 3, 4, 23, 3); }
    public static ResNet resnet152(ResNet.Options o) { return resnet(o, DType.FLOAT32, true, 3, 8, 36, 3); }
    public static ResNet resnext50_32x4d(ResNet.Options o) { return resnet(o.groups(32).widthPerGroup(4), DType.FLOAT32, true, 3, 4, 6, 3); }
    public static ResNet wideResnet50_2(ResNet.Options o) { return resnet(o.widthPerGroup(128), DType.FLOAT32, true, 3, 4, 6, 3); }

    public static ResNet resnet18() { return resnet18(ResNet.Options.DEFAULT); }

    /** {@code ResNet(block, layers, **o)} in {@code dtype}: bottleneck blocks or basic ones, {@code blocks} per stage. */
    public static ResNet resnet(ResNet.Options o, DType dtype, boolean bottleneck, int... blocks) {
        return new ResNet(bottleneck, blocks, o, dtype);
    }

    public static Vgg vgg(int depth, boolean batchNorm, Vgg.Options o, DType dtype) { return new Vgg(depth, batchNorm, o, dtype); }
    public static AlexNet alexnet(ClassifierOptions o, DType dtype) { return new AlexNet(o, dtype); }
    public static SqueezeNet squeezenet1_0(ClassifierOptions o, DType dtype) { return new SqueezeNet("1_0", o, dtype); }
    public static SqueezeNet squeezenet1_1(ClassifierOptions o, DType dtype) { return new SqueezeNet("1_1", o, dtype); }
    public static MobileNetV2 mobilenetV2(MobileNetV2.Options o, DType dtype) { return new MobileNetV2(o, dtype); }
    public static MobileNetV2 mobilenetV2() { return mobilenetV2(MobileNetV2.Options.DEFAULT, DType.FLOAT32); }
    public static MobileNetV3 mobilenetV3Small(MobileNetV3.Options o, DType dtype) { return new MobileNetV3(false, o, dtype); }
    public static MobileNetV3 mobilenetV3Large(MobileNetV3.Options o, DType dtype) { return new MobileNetV3(true, o, dtype); }
    public static DenseNet densenet121(DenseNet.Options o, DType dtype) { return new DenseNet(32, new int[] {6, 12, 24, 16}, 64, o, dtype); }
    public static EfficientNet efficientnetB0(EfficientNet.Options o, DType dtype) { return new EfficientNet(0, o, dtype); }
    public static EfficientNet efficientnetV2S(EfficientNet.Options o, DType dtype) { return EfficientNet.v2("s", o, dtype); }
    public static RegNet regnetY400mf(RegNet.Options o, DType dtype) { return new RegNet(RegNet.Params.Y_400MF, o, dtype); }
    /** {@code regnet_x_*} / {@code regnet_y_*} by size, e.g. {@code regnet("y_1_6gf", ...)}. */
    public static RegNet regnet(String size, RegNet.Options o, DType dtype) {
        RegNet.Params p = RegNet.Params.SIZES.get("regnet_" + size);
        if (p == null) throw new IllegalArgumentException("unknown RegNet size '" + size + "'; known: " + RegNet.Params.SIZES.keySet());
        return new RegNet(p, o, dtype);
    }
    public static ConvNeXt convnextTiny(ConvNeXt.Options o, DType dtype) { return new ConvNeXt(false, o, dtype); }
    public static ConvNeXt convnextSmall(ConvNeXt.Options o, DType dtype) { return new ConvNeXt(true, o, dtype); }
    public static ShuffleNetV2 shufflenetV2X1_0(ShuffleNetV2.Options o, DType dtype) {
        return new ShuffleNetV2(new int[] {4, 8, 4}, new int[] {24, 116, 232, 464, 1024}, o, dtype);
    }
}
