package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Dropout;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.Sequential;
import org.convinit.nn.SiLU;
import org.convinit.nn.Sigmoid;
import org.convinit.nn.StochasticDepth;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code EfficientNet} B0-B7 (Tan and Le 2019) and V2 S/M/L (Tan and Le 2021): MBConv blocks (SiLU,
 * squeeze-excitation), V2's first stages fused, with stochastic depth growing linearly over the blocks. Init: {@code kaiming_normal_(fan_out)} on convs (zero bias), BN 1/0, Linear
 * {@code uniform_(-1/√out, 1/√out)} with zero bias. B5-B7 use BN eps 0.001, momentum 0.01; V2 eps 0.001.
 */
public final class EfficientNet extends Module {
    /** torchvision's keyword arguments of {@code efficientnet_b*}. */
    public record Options(int numClasses, double stochasticDepthProb, NormLayer normLayer) {
        public static final Options DEFAULT = new Options(1000, 0.2);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        /** With the variant's own norm layer. */
        public Options(int numClasses, double stochasticDepthProb) {
            this(numClasses, stochasticDepthProb, null);
        }

        public Options numClasses(int n) {
            return new Options(n, stochasticDepthProb, normLayer);
        }

        public Options stochasticDepthProb(double p) {
            return new Options(numClasses, p, normLayer);
        }

        /**
         * torchvision's {@code norm_layer} for B0-B4 (null: BatchNorm2d); B5-B7 and V2 fix their own, and reject one
         * as torchvision's builders do.
         */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, stochasticDepthProb, n);
        }
    }

    /** expand ratio, kernel, stride, in, out, layers of B0 before the width and depth multipliers. */
    private static final int[][] BASE = {{1, 3, 1, 32, 16, 1}, {6, 3, 2, 16, 24, 2}, {6, 5, 2, 24, 40, 2}, {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
    private static final double[][] SCALING = {{1.0, 1.0, 0.2}, {1.0, 1.1, 0.2}, {1.1, 1.2, 0.3}, {1.2, 1.4, 0.3}, {1.4, 1.8, 0.4},
            {1.6, 2.2, 0.4}, {1.8, 2.6, 0.5}, {2.0, 3.1, 0.5}};
    /**
     * EfficientNetV2 S, M, L ({@code _efficientnet_conf}): fused (1) or not (0), expand ratio, kernel, stride, in, out,
     * layers; the head's width is 1280 and the dropout 0.2, 0.3, 0.4.
     */
    private static final int[][][] V2 = {
        {{1, 1, 3, 1, 24, 24, 2}, {1, 4, 3, 2, 24, 48, 4}, {1, 4, 3, 2, 48, 64, 4}, {0, 4, 3, 2, 64, 128, 6}, {0, 6, 3, 1, 128, 160, 9},
            {0, 6, 3, 2, 160, 256, 15}},
        {{1, 1, 3, 1, 24, 24, 3}, {1, 4, 3, 2, 24, 48, 5}, {1, 4, 3, 2, 48, 80, 5}, {0, 4, 3, 2, 80, 160, 7}, {0, 6, 3, 1, 160, 176, 14},
            {0, 6, 3, 2, 176, 304, 18}, {0, 6, 3, 1, 304, 512, 5}},
        {{1, 1, 3, 1, 32, 32, 4}, {1, 4, 3, 2, 32, 64, 7}, {1, 4, 3, 2, 64, 96, 7}, {0, 4, 3, 2, 96, 192, 10}, {0, 6, 3, 1, 192, 224, 19},
            {0, 6, 3, 2, 224, 384, 25}, {0, 6, 3, 1, 384, 640, 7}}};
    private static final String V2_SIZES = "sml";

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    /** efficientnet_b{@code variant}, 0 to 7. */
    public EfficientNet(int variant, Options o, DType dt) {
        this(bStages(variant), 0, SCALING[variant][2], variant >= 5 ? fixedNorm(o, c -> new BatchNorm2d(c, 0.001, 0.01, true, true, dt))
                : o.normLayer() == null ? c -> Blocks.bn(c, dt) : c -> o.normLayer().make(c, dt), o, dt);
    }

    /** efficientnet_v2_{@code size}: "s", "m" or "l" (BN eps 0.001). */
    public static EfficientNet v2(String size, Options o, DType dt) {
        int i = size.length() == 1 ? V2_SIZES.indexOf(size) : -1;
        if (i < 0) throw new IllegalArgumentException("EfficientNetV2 size '" + size + "': expected s, m or l");
        return new EfficientNet(List.of(V2[i]), 1280, new double[] {0.2, 0.3, 0.4}[i],
                fixedNorm(o, c -> new BatchNorm2d(c, 0.001, 0.1, true, true, dt)), o, dt);
    }

    /** A builder's own {@code norm_layer=}: torchvision's TypeError when the caller passes one too. */
    private static Blocks.Norm fixedNorm(Options o, Blocks.Norm norm) {
        if (o.normLayer() != null) {
            throw new IllegalArgumentException("_efficientnet() got multiple values for keyword argument 'norm_layer'");
        }
        return norm;
    }

    private static List<int[]> bStages(int variant) {
        if (variant < 0 || variant > 7) throw new IllegalArgumentException("EfficientNet variant b" + variant + ": expected b0 to b7");
        List<int[]> stages = new ArrayList<>();
        for (int[] s : BASE) {
            stages.add(new int[] {0, s[0], s[1], s[2], adjust(s[3], SCALING[variant][0]), adjust(s[4], SCALING[variant][0]),
                (int) Math.ceil(s[5] * SCALING[variant][1])});
        }
        return stages;
    }

    /** {@code stages}: fused, expand ratio, kernel, stride, in, out, layers; {@code lastChannel} 0 for 4·(last out). */
    private EfficientNet(List<int[]> stages, int lastChannel, double dropout, Blocks.Norm bn, Options o, DType dt) {
        List<Module> layers = new ArrayList<>();
        layers.add(Blocks.convNormAct(3, stages.get(0)[4], 3, 2, 1, 1, bn, () -> new SiLU(true), dt));
        int total = 0;
        for (int[] s : stages) total += s[6];
        int blockId = 0;
        for (int[] s : stages) {
            List<Module> stage = new ArrayList<>();
            for (int i = 0; i < s[6]; i++) {
                double sd = o.stochasticDepthProb() * (double) blockId / total;
                int in = i == 0 ? s[4] : s[5];
                int stride = i == 0 ? s[3] : 1;
                stage.add(new MBConv(s[0] == 1, s[1], s[2], stride, in, s[5], sd, bn, dt));
                blockId++;
            }
            layers.add(new Sequential(stage));
        }
        int lastIn = stages.get(stages.size() - 1)[5];
        int lastOut = lastChannel > 0 ? lastChannel : 4 * lastIn;
        layers.add(Blocks.convNormAct(lastIn, lastOut, 1, 1, 1, 1, bn, () -> new SiLU(true), dt));
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = registerModule("classifier", new Sequential(new Dropout(dropout), new Linear(lastOut, o.numClasses(), true, dt, null)));
        Blocks.initLoop(this, Blocks::kaimingFanOut, Blocks::onesZeros, l -> {
            double r = 1.0 / Math.sqrt(l.outFeatures());
            Init.uniform(l.weight(), -r, r);
            Init.zeros(l.bias());
        });
    }

    private static int adjust(int channels, double widthMult) {
        return Blocks.makeDivisible(channels * widthMult, 8);
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(F.flatten(avgpool.call(features.call(input)), 1, -1));
    }

    /**
     * {@code MBConv}: expand (1x1), depthwise, squeeze-excitation (SiLU, sigmoid), project. Fused (EfficientNetV2's
     * {@code FusedMBConv}): the expansion and the depthwise conv as one full {@code k×k} conv (SiLU), then the 1x1
     * projection, or a single {@code k×k} conv when the ratio is 1; no squeeze-excitation. Stochastic depth on the
     * residual branch.
     */
    public static final class MBConv extends Module {
        private final Sequential block;
        private final Module stochasticDepth;
        private final boolean residual;

        MBConv(boolean fused, int expandRatio, int kernel, int stride, int in, int out, double sdProb, Blocks.Norm bn, DType dt) {
            if (stride < 1 || stride > 2) throw new IllegalArgumentException("illegal stride value");
            residual = stride == 1 && in == out;
            int expanded = adjust(in, expandRatio);
            List<Module> layers = new ArrayList<>();
            if (fused && expanded == in) {
                layers.add(Blocks.convNormAct(in, out, kernel, stride, 1, 1, bn, () -> new SiLU(true), dt));
            } else if (fused) {
                layers.add(Blocks.convNormAct(in, expanded, kernel, stride, 1, 1, bn, () -> new SiLU(true), dt));
                layers.add(Blocks.convNormAct(expanded, out, 1, 1, 1, 1, bn, null, dt));
            } else {
                if (expanded != in) layers.add(Blocks.convNormAct(in, expanded, 1, 1, 1, 1, bn, () -> new SiLU(true), dt));
                layers.add(Blocks.convNormAct(expanded, expanded, kernel, stride, expanded, 1, bn, () -> new SiLU(true), dt));
                layers.add(new SqueezeExcitation(expanded, Math.max(1, in / 4), SiLU::new, Sigmoid::new, dt));
                layers.add(Blocks.convNormAct(expanded, out, 1, 1, 1, 1, bn, null, dt));
            }
            block = registerModule("block", new Sequential(layers));
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(sdProb, "row"));
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor result = block.call(input);
            return residual ? Residual.addInPlace(stochasticDepth.call(result), input) : result;
        }
    }
}
