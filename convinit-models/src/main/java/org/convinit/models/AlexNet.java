package org.convinit.models;

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

/** torchvision's {@code AlexNet} (Krizhevsky 2014, the one-GPU variant); no init loop: every layer keeps torch's default. */
public final class AlexNet extends Module {
    private final Sequential features;
    private final Module avgpool;
    private final Sequential classifier;

    public AlexNet(ClassifierOptions o, DType dt) {
        PoolOptions pool = PoolOptions.DEFAULT.stride(2);
        features = registerModule("features", new Sequential(Blocks.conv(3, 64, 11, 4, 2, 1, 1, true, dt), new ReLU(true),
                new MaxPool2d(new int[] {3}, pool), Blocks.conv(64, 192, 5, 1, 2, 1, 1, true, dt), new ReLU(true),
                new MaxPool2d(new int[] {3}, pool), Blocks.conv(192, 384, 3, 1, 1, 1, 1, true, dt), new ReLU(true),
                Blocks.conv(384, 256, 3, 1, 1, 1, 1, true, dt), new ReLU(true), Blocks.conv(256, 256, 3, 1, 1, 1, 1, true, dt), new ReLU(true),
                new MaxPool2d(new int[] {3}, pool)));
        avgpool = registerModule("avgpool", new AdaptiveAvgPool2d(6, 6));
        classifier = registerModule("classifier", new Sequential(new Dropout(o.dropout()), new Linear(256 * 6 * 6, 4096, true, dt, null),
                new ReLU(true), new Dropout(o.dropout()), new Linear(4096, 4096, true, dt, null), new ReLU(true),
                new Linear(4096, o.numClasses(), true, dt, null)));
    }

    @Override
    public Tensor forward(Tensor input) {
        return classifier.call(F.flatten(avgpool.call(features.call(input)), 1, -1));
    }
}
