package org.convinit.models;

import java.util.ArrayList;
import java.util.List;

import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Dropout;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code VGG} 11/13/16/19 (configurations A, B, D, E; Simonyan and Zisserman 2014), with or without BN.
 * Init (unless {@code initWeights} is false): {@code kaiming_normal_(fan_out, relu)} convs with zero bias, BN 1/0,
 * Linear {@code normal_(0, 0.01)} with zero bias.
 */
public final class Vgg extends Module {
    /** torchvision's keyword arguments of {@code VGG}. */
    public record Options(int numClasses, boolean initWeights, double dropout) {
        public static final Options DEFAULT = new Options(1000, true, 0.5);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
        }

        public Options numClasses(int n) {
            return new Options(n, initWeights, dropout);
        }

        public Options initWeights(boolean i) {
            return new Options(numClasses, i, dropout);
        }

        public Options dropout(double p) {
            return new Options(numClasses, initWeights, p);
        }
    }

    private static final int M = -1;

    /** The layer configuration of VGG-{@code depth} (11, 13, 16 or 19); -1 is a max pool. */
    static int[] config(int depth) {
        switch (depth) {
            case 11: return new int[] {64, M, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 13: return new int[] {64, 64, M, 128, 128, M, 256, 256, M, 512, 512, M, 512, 512, M};
            case 16: return new int[] {64, 64, M, 128, 128, M, 256, 256, 256, M, 512, 512, 512, M, 512, 512, 512, M};
            case 19: return new int[] {64, 64, M, 128, 128, M, 256, 256, 256, 256, M, 512, 512, 512, 512, M, 512, 512, 512, 512, M};
            default: throw new IllegalArgumentException("VGG depth " + depth + ": expected 11, 13, 16 or 19");
        }
    }

    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    public Vgg(int depth, boolean batchNorm, Options o, DType dt) {
        List<Module> layers = new ArrayList<>();
        int in = 3;
        for (int v : config(depth)) {
            if (v == M) {
                layers.add(new MaxPool2d(new int[] {2}, PoolOptions.DEFAULT.stride(2)));
                continue;
            }
            layers.add(Blocks.conv(in, v, 3, 1, 1, 1, 1, true, dt));
            if (batchNorm) layers.add(Blocks.bn(v, dt));
            layers.add(new ReLU(true));
            in = v;
        }
        features = registerModule("features", new Sequential(layers));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(7, 7));
        classifier = registerModule("classifier", new Sequential(new Linear(512 * 7 * 7, 4096, true, dt, null), new ReLU(true),
                new Dropout(o.dropout()), new Linear(4096, 4096, true, dt, null), new ReLU(true), new Dropout(o.dropout()),
                new Linear(4096, o.numClasses(), true, dt, null)));
        if (o.initWeights()) Blocks.initLoop(this, Blocks::kaimingFanOut, Blocks::onesZeros, Blocks::normal001);
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(F.flatten(avgpool.call(features.call(input)), 1, -1));
    }
}
