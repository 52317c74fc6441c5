package org.convinit.models;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Supplier;

import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Dropout;
import org.convinit.nn.Hardsigmoid;
import org.convinit.nn.Hardswish;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code MobileNetV3} small and large (Howard et al. 2019): inverted residuals with squeeze-excitation
 * (Hardsigmoid gate), Hardswish, BN eps 0.001 momentum 0.01. Init as {@link MobileNetV2}.
 */
public final class MobileNetV3 extends Module {
    /** torchvision's keyword arguments of {@code mobilenet_v3_small/large}. */
    public record Options(int numClasses, double widthMult, boolean reducedTail, boolean dilated, double dropout, NormLayer normLayer) {
        /** MobileNetV3's own norm: {@code partial(nn.BatchNorm2d, eps=0.001, momentum=0.01)}. */
        public static final NormLayer BATCH_NORM = (c, dt) -> new BatchNorm2d(c, 0.001, 0.01, true, true, dt);
        public static final Options DEFAULT = new Options(1000, 1.0, false, false, 0.2);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
            if (!(widthMult > 0)) throw new IllegalArgumentException("width_mult=" + widthMult + " must be positive");
            if (normLayer == null) normLayer = BATCH_NORM;
        }

        /** With MobileNetV3's own {@link #BATCH_NORM}. */
        public Options(int numClasses, double widthMult, boolean reducedTail, boolean dilated, double dropout) {
            this(numClasses, widthMult, reducedTail, dilated, dropout, null);
        }

        public Options numClasses(int n) {
            return new Options(n, widthMult, reducedTail, dilated, dropout, normLayer);
        }

        public Options widthMult(double w) {
            return new Options(numClasses, w, reducedTail, dilated, dropout, normLayer);
        }

        public Options reducedTail(boolean r) {
            return new Options(numClasses, widthMult, r, dilated, dropout, normLayer);
        }

        public Options dilated(boolean d) {
            return new Options(numClasses, widthMult, reducedTail, d, dropout, normLayer);
        }

        public Options dropout(double p) {
            return new Options(numClasses, widthMult, reducedTail, dilated, p, normLayer);
        }

        /** torchvision's {@code norm_layer}: every norm of the features ({@link #BATCH_NORM} by default). */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, widthMult, reducedTail, dilated, dropout, n);
        }
    }

    /** {@code InvertedResidualConfig} before width scaling: in, kernel, expanded, out, SE, Hardswish, stride, dilation. */
    private record Conf(int in, int kernel, int expanded, int out, boolean se, boolean hs, int stride, int dilation) {}

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    /** {@code large}: mobilenet_v3_large, else mobilenet_v3_small. */
    public MobileNetV3(boolean large, Options o, DType dt) {
        int rd = o.reducedTail() ? 2 : 1;
        int dil = o.dilated() ? 2 : 1;
        List<Conf> cs = large ? large(rd, dil) : small(rd, dil);
        int lastChannel = adjust((large ? 1280 : 1024) / rd, o.widthMult());
        Blocks.Norm bn = c -> o.normLayer().make(c, dt);
        List<Module> layers = new ArrayList<>();
        int first = adjust(cs.get(0).in(), o.widthMult());
        layers.add(Blocks.convNormAct(3, first, 3, 2, 1, 1, bn, () -> new Hardswish(true), dt));
        for (Conf c : cs) layers.add(new InvertedResidual(c, o.widthMult(), bn, dt));
        int lastIn = adjust(cs.get(cs.size() - 1).out(), o.widthMult());
        int lastOut = 6 * lastIn;
        layers.add(Blocks.convNormAct(lastIn, lastOut, 1, 1, 1, 1, bn, () -> new Hardswish(true), dt));
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(1));
        classifier = registerModule("classifier", new Sequential(new Linear(lastOut, lastChannel, true, dt, null), new Hardswish(true),
                new Dropout(o.dropout()), new Linear(lastChannel, o.numClasses(), true, dt, null)));
        Blocks.initLoop(this, Blocks::kaimingFanOut, Blocks::onesZeros, Blocks::normal001);
    }

    private static int adjust(int channels, double widthMult) {
        return Blocks.makeDivisible(channels * widthMult, 8);
    }

    private static List<Conf> large(int rd, int d) {
        return List.of(new Conf(16, 3, 16, 16, false, false, 1, 1), new Conf(16, 3, 64, 24, false, false, 2, 1),
                new Conf(24, 3, 72, 24, false, false, 1, 1), new Conf(24, 5, 72, 40, true, false, 2, 1),
                new Conf(40, 5, 120, 40, true, false, 1, 1), new Conf(40, 5, 120, 40, true, false, 1, 1),
                new Conf(40, 3, 240, 80, false, true, 2, 1), new Conf(80, 3, 200, 80, false, true, 1, 1),
                new Conf(80, 3, 184, 80, false, true, 1, 1), new Conf(80, 3, 184, 80, false, true, 1, 1),
                new Conf(80, 3, 480, 112, true, true, 1, 1), new Conf(112, 3, 672, 112, true, true, 1, 1),
                new Conf(112, 5, 672, 160 / rd, true, true, 2, d), new Conf(160 / rd, 5, 960 / rd, 160 / rd, true, true, 1, d),
                new Conf(160 / rd, 5, 960 / rd, 160 / rd, true, true, 1, d));
    }

    private static List<Conf> small(int rd, int d) {
        return List.of(new Conf(16, 3, 16, 16, true, false, 2, 1), new Conf(16, 3, 72, 24, false, false, 2, 1),
                new Conf(24, 3, 88, 24, false, false, 1, 1), new Conf(24, 5, 96, 40, true, true, 2, 1),
                new Conf(40, 5, 240, 40, true, true, 1, 1), new Conf(40, 5, 240, 40, true, true, 1, 1),
                new Conf(40, 5, 120, 48, true, true, 1, 1), new Conf(48, 5, 144, 48, true, true, 1, 1),
                new Conf(48, 5, 288, 96 / rd, true, true, 2, d), new Conf(96 / rd, 5, 576 / rd, 96 / rd, true, true, 1, d),
                new Conf(96 / rd, 5, 576 / rd, 96 / rd, true, true, 1, d));
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(F.flatten(avgpool.call(features.call(input)), 1, -1));
    }

    /** Expand, depthwise, squeeze-excitation, project; the input added when stride 1 keeps the channels. */
    public static final class InvertedResidual extends Module {
        private final Sequential block;
        private final boolean residual;

        InvertedResidual(Conf c, double w, Blocks.Norm bn, DType dt) {
            int in = adjust(c.in(), w);
            int exp = adjust(c.expanded(), w);
            int out = adjust(c.out(), w);
            residual = c.stride() == 1 && in == out;
            Supplier<Module> act = c.hs() ? () -> new Hardswish(true) : () -> new ReLU(true);
            List<Module> layers = new ArrayList<>();
            if (exp != in) layers.add(Blocks.convNormAct(in, exp, 1, 1, 1, 1, bn, act, dt));
            int stride = c.dilation() > 1 ? 1 : c.stride();
            layers.add(Blocks.convNormAct(exp, exp, c.kernel(), stride, exp, c.dilation(), bn, act, dt));
            if (c.se()) layers.add(new SqueezeExcitation(exp, Blocks.makeDivisible(exp / 4, 8), ReLU::new, Hardsigmoid::new, dt));
            layers.add(Blocks.convNormAct(exp, out, 1, 1, 1, 1, bn, null, dt));
            block = registerModule("block", new Sequential(layers));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = block.call(x);
            return residual ? Residual.addInPlace(y, x) : y;
        }
    }
}
