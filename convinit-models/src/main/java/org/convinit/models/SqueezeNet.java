package org.convinit.models;

import org.convinit.init.Init;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Dropout;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code SqueezeNet} 1.0 and 1.1 (Iandola et al. 2016): Fire modules (squeeze 1x1, then 1x1 and 3x3
 * expands concatenated). Init: the final conv {@code normal_(0, 0.01)}, every other conv {@code kaiming_uniform_}
 * (torch's defaults), biases 0.
 */
public final class SqueezeNet extends Module {
    private final Sequential features;
    private final Sequential classifier;

    /** {@code version}: "1_0" or "1_1". */
    public SqueezeNet(String version, ClassifierOptions o, DType dt) {
        PoolOptions pool = PoolOptions.DEFAULT.stride(2).ceilMode(true);
        if ("1_0".equals(version)) {
            features = registerModule("features", new Sequential(Blocks.conv(3, 96, 7, 2, 0, 1, 1, true, dt), new ReLU(true),
                    new MaxPool2d(new int[] {3}, pool), new Fire(96, 16, 64, dt), new Fire(128, 16, 64, dt), new Fire(128, 32, 128, dt),
                    new MaxPool2d(new int[] {3}, pool), new Fire(256, 32, 128, dt), new Fire(256, 48, 192, dt), new Fire(384, 48, 192, dt),
                    new Fire(384, 64, 256, dt), new MaxPool2d(new int[] {3}, pool), new Fire(512, 64, 256, dt)));
        } else if ("1_1".equals(version)) {
            features = registerModule("features", new Sequential(Blocks.conv(3, 64, 3, 2, 0, 1, 1, true, dt), new ReLU(true),
                    new MaxPool2d(new int[] {3}, pool), new Fire(64, 16, 64, dt), new Fire(128, 16, 64, dt),
                    new MaxPool2d(new int[] {3}, pool), new Fire(128, 32, 128, dt), new Fire(256, 32, 128, dt),
                    new MaxPool2d(new int[] {3}, pool), new Fire(256, 48, 192, dt), new Fire(384, 48, 192, dt),
                    new Fire(384, 64, 256, dt), new Fire(512, 64, 256, dt)));
        } else {
            throw new IllegalArgumentException("Unsupported SqueezeNet version " + version + ": 1_0 or 1_1 expected");
        }
        Conv2d finalConv = Blocks.conv(512, o.numClasses(), 1, 1, 0, 1, 1, true, dt);
        classifier = registerModule("classifier", new Sequential(new Dropout(o.dropout()), finalConv, new ReLU(true), new AdaptiveAvgPool2d(1, 1)));
        Blocks.initLoop(this, c -> {
            if (c == finalConv) Init.normal(c.weight(), 0, 0.01);
            else Init.kaimingUniform(c.weight());
            Init.zeros(c.bias());
        }, null, null);
    }

    @Override
    public Tensor forward(Tensor input) {
        return F.flatten(classifier.call(features.call(input)), 1, -1);
    }

    /** Squeeze 1x1 + ReLU, then ReLU(expand 1x1) and ReLU(expand 3x3) concatenated along channels. */
    public static final class Fire extends Module {
        private final Conv2d squeeze;
        private final Module squeezeActivation;
        private final Conv2d expand1x1;
        private final Module expand1x1Activation;
        private final Conv2d expand3x3;
        private final Module expand3x3Activation;

        Fire(int in, int squeezePlanes, int expandPlanes, DType dt) {
            squeeze = registerModule("squeeze", Blocks.conv(in, squeezePlanes, 1, 1, 0, 1, 1, true, dt));
            squeezeActivation = registerModule("squeeze_activation", new ReLU(true));
            expand1x1 = registerModule("expand1x1", Blocks.conv(squeezePlanes, expandPlanes, 1, 1, 0, 1, 1, true, dt));
            expand1x1Activation = registerModule("expand1x1_activation", new ReLU(true));
            expand3x3 = registerModule("expand3x3", Blocks.conv(squeezePlanes, expandPlanes, 3, 1, 1, 1, 1, true, dt));
            expand3x3Activation = registerModule("expand3x3_activation", new ReLU(true));
        }

        @Override
        public Tensor forward(Tensor input) {
            Tensor x = squeezeActivation.call(squeeze.call(input));
            return F.cat(1, expand1x1Activation.call(expand1x1.call(x)), expand3x3Activation.call(expand3x3.call(x)));
        }
    }
}
