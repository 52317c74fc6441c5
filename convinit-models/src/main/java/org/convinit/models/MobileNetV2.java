package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.Dropout;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU6;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code MobileNetV2} (Sandler et al. 2018): inverted residuals with linear bottlenecks and ReLU6. Init:
 * {@code kaiming_normal_(fan_out)} on convs (zero bias), BN 1/0, Linear {@code normal_(0, 0.01)} with zero bias.
 */
public final class MobileNetV2 extends Module {
    /** torchvision's keyword arguments of {@code MobileNetV2}. */
    public record Options(int numClasses, double widthMult, int roundNearest, double dropout, NormLayer normLayer) {
        public static final Options DEFAULT = new Options(1000, 1.0, 8, 0.2);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
            if (!(widthMult > 0)) throw new IllegalArgumentException("width_mult=" + widthMult + " must be positive");
            if (normLayer == null) normLayer = NormLayer.BATCH_NORM;
        }

        /** With BatchNorm2d as the norm layer. */
        public Options(int numClasses, double widthMult, int roundNearest, double dropout) {
            this(numClasses, widthMult, roundNearest, dropout, null);
        }

        public Options numClasses(int n) {
            return new Options(n, widthMult, roundNearest, dropout, normLayer);
        }

        public Options widthMult(double w) {
            return new Options(numClasses, w, roundNearest, dropout, normLayer);
        }

        public Options roundNearest(int r) {
            return new Options(numClasses, widthMult, r, dropout, normLayer);
        }

        public Options dropout(double p) {
            return new Options(numClasses, widthMult, roundNearest, p, normLayer);
        }

        /** torchvision's {@code norm_layer}: every norm of the features (BatchNorm2d by default). */
        public Options normLayer(NormLayer n) {
            return new Options(numClasses, widthMult, roundNearest, dropout, n);
        }
    }

    private static final int[][] SETTING = {{1, 16, 1, 1}, {6, 24, 2, 2}, {6, 32, 3, 2}, {6, 64, 4, 2}, {6, 96, 3, 1},
            {6, 160, 3, 2}, {6, 320, 1, 1}};

    private final Sequential features;
    private final Sequential classifier;

    public MobileNetV2(Options o, DType dt) {
        Blocks.Norm bn = c -> o.normLayer().make(c, dt);
        int input = Blocks.makeDivisible(32 * o.widthMult(), o.roundNearest());
        int last = Blocks.makeDivisible(1280 * Math.max(1.0, o.widthMult()), o.roundNearest());
        List<Module> f = new ArrayList<>();
        f.add(Blocks.convNormAct(3, input, 3, 2, 1, 1, bn, () -> new ReLU6(true), dt));
        for (int[] s : SETTING) {
            int out = Blocks.makeDivisible(s[1] * o.widthMult(), o.roundNearest());
            for (int i = 0; i < s[2]; i++) {
                f.add(new InvertedResidual(input, out, i == 0 ? s[3] : 1, s[0], bn, dt));
                input = out;
            }
        }
        f.add(Blocks.convNormAct(input, last, 1, 1, 1, 1, bn, () -> new ReLU6(true), dt));
        features = registerModule("features", new Sequential(f));
        classifier = registerModule("classifier", new Sequential(new Dropout(o.dropout()), new Linear(last, o.numClasses(), true, dt, null)));
        Blocks.initLoop(this, Blocks::kaimingFanOut, Blocks::onesZeros, Blocks::normal001);
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor x = F.adaptiveAvgPool2d(features.call(input), 1, 1);
        return classifier.call(F.flatten(x, 1, -1));
    }

    /** Expand (1x1, unless the ratio is 1), depthwise 3x3, project (1x1, no activation); residual when shapes allow. */
    public static final class InvertedResidual extends Module {
        private final Sequential conv;
        private final boolean residual;

        InvertedResidual(int inp, int oup, int stride, int expandRatio, Blocks.Norm bn, DType dt) {
            if (stride != 1 && stride != 2) throw new IllegalArgumentException("stride should be 1 or 2 insted of " + stride);
            int hidden = (int) Math.round((double) inp * expandRatio);
            residual = stride == 1 && inp == oup;
            List<Module> layers = new ArrayList<>();
            if (expandRatio != 1) layers.add(Blocks.convNormAct(inp, hidden, 1, 1, 1, 1, bn, () -> new ReLU6(true), dt));
            layers.add(Blocks.convNormAct(hidden, hidden, 3, stride, hidden, 1, bn, () -> new ReLU6(true), dt));
            layers.add(Blocks.conv(hidden, oup, 1, 1, 0, 1, 1, false, dt));
            layers.add(bn.make(oup));
            conv = registerModule("conv", new Sequential(layers));
        }

        @Override
        public Tensor forward(Tensor x) {
            Tensor y = conv.call(x);
            return residual ? Residual.add(x, y) : y;
        }
    }
}
