package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
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
 * torchvision's {@code EfficientNet} B0-B7 (Tan and Le 2019): MBConv blocks (SiLU, squeeze-excitation) with stochastic
 * depth growing linearly over the blocks. Init: {@code kaiming_normal_(fan_out)} on convs (zero bias), BN 1/0, Linear
 * {@code uniform_(-1/√out, 1/√out)} with zero bias. B5-B7 use BN eps 0.001, momentum 0.01.
 */
public final class EfficientNet extends Module {
    /** torchvision's keyword arguments of {@code efficientnet_b*}. */
    public record Options(int numClasses, double stochasticDepthProb) {
        public static final Options DEFAULT = new Options(1000, 0.2);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        public Options numClasses(int n) {
            return new Options(n, stochasticDepthProb);
        }

        public Options stochasticDepthProb(double p) {
            return new Options(numClasses, p);
        }
    }

    /** expand ratio, kernel, stride, in, out, layers of B0 before the width and depth multipliers. */
    private static final int[][] BASE = {{1, 3, 1, 32, 16, 1}, {6, 3, 2, 16, 24, 2}, {6, 5, 2, 24, 40, 2}, {6, 3, 2, 40, 80, 3},
            {6, 5, 1, 80, 112, 3}, {6, 5, 2, 112, 192, 4}, {6, 3, 1, 192, 320, 1}};
    private static final double[][] SCALING = {{1.0, 1.0, 0.2}, {1.0, 1.1, 0.2}, {1.1, 1.2, 0.3}, {1.2, 1.4, 0.3}, {1.4, 1.8, 0.4},
            {1.6, 2.2, 0.4}, {1.8, 2.6, 0.5}, {2.0, 3.1, 0.5}};

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    /** efficientnet_b{@code variant}, 0 to 7. */
    public EfficientNet(int variant, Options o, DType dt) {
        if (variant < 0 || variant > 7) throw new IllegalArgumentException("EfficientNet variant b" + variant + ": expected b0 to b7");
        double width = SCALING[variant][0];
        double depth = SCALING[variant][1];
        Blocks.Norm bn = variant >= 5 ? c -> new org.convinit.nn.BatchNorm2d(c, 0.001, 0.01, true, true, dt) : c -> Blocks.bn(c, dt);
        List<Module> layers = new ArrayList<>();
        layers.add(Blocks.convNormAct(3, adjust(BASE[0][3], width), 3, 2, 1, 1, bn, () -> new SiLU(true), dt));
        int total = 0;
        for (int[] s : BASE) total += (int) Math.ceil(s[5] * depth);
        int blockId = 0;
        for (int[] s : BASE) {
            List<Module> stage = new ArrayList<>();
            int in = adjust(s[3], width);
            int out = adjust(s[4], width);
            int n = (int) Math.ceil(s[5] * depth);
            for (int i = 0; i < n; i++) {
                double sd = o.stochasticDepthProb() * (double) blockId / total;
                stage.add(new MBConv(s[0], s[1], i == 0 ? s[2] : 1, i == 0 ? in : out, out, sd, bn, dt));
                blockId++;
            }
            layers.add(new Sequential(stage));
        }
        int lastIn = adjust(BASE[BASE.length - 1][4], width);
        int lastOut = 4 * lastIn;
        layers.add(Blocks.convNormAct(lastIn, lastOut, 1, 1, 1, 1, bn, () -> new SiLU(true), dt));
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = registerModule("classifier", new Sequential(new Dropout(SCALING[variant][2]),
                new Linear(lastOut, o.numClasses(), true, dt, null)));
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

    /** Expand (1x1), depthwise, squeeze-excitation (SiLU, sigmoid), project; stochastic depth on the residual branch. */
    public static final class MBConv extends Module {
        private final Sequential block;
        private final Module stochasticDepth;
        private final boolean residual;

        MBConv(int expandRatio, int kernel, int stride, int in, int out, double sdProb, Blocks.Norm bn, DType dt) {
            if (stride < 1 || stride > 2) throw new IllegalArgumentException("illegal stride value");
            residual = stride == 1 && in == out;
            int expanded = adjust(in, expandRatio);
            List<Module> layers = new ArrayList<>();
            if (expanded != in) layers.add(Blocks.convNormAct(in, expanded, 1, 1, 1, 1, bn, () -> new SiLU(true), dt));
            layers.add(Blocks.convNormAct(expanded, expanded, kernel, stride, expanded, 1, bn, () -> new SiLU(true), dt));
            layers.add(new SqueezeExcitation(expanded, Math.max(1, in / 4), SiLU::new, Sigmoid::new, dt));
            layers.add(Blocks.convNormAct(expanded, out, 1, 1, 1, 1, bn, null, dt));
            block = registerModule("block", new Sequential(layers));
            stochasticDepth = registerModule("stochastic_depth", new StochasticDepth(sdProb, "row"));
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor result = block.call(input);
            return residual ? stochasticDepth.call(result).add(input) : result;
        }
    }
}
