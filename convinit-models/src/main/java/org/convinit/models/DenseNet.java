package org.convinit.models;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.convinit.init.Init;
import org.convinit.nn.AvgPool2d;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.PoolOptions;
import org.convinit.nn.ReLU;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torchvision's {@code DenseNet}-BC (Huang et al. 2016) 121/161/169/201: each dense layer sees the concatenation of
 * every earlier feature map. Init: {@code kaiming_normal_} (torch's defaults: fan_in, leaky_relu 0) on convs, BN 1/0,
 * Linear bias 0 (its weight keeps the default). {@link #remapLegacyKeys} renames old checkpoints' keys as torchvision does.
 */
public final class DenseNet extends Module {
    /** torchvision's keyword arguments of {@code densenet121(...)} and its siblings. */
    public record Options(int numClasses, int bnSize, double dropRate, boolean memoryEfficient) {
        public static final Options DEFAULT = new Options(1000, 4, 0, false);

        public Options {
            if (numClasses <= 0) throw new IllegalArgumentException("num_classes=" + numClasses + " must be positive");
            if (bnSize <= 0) throw new IllegalArgumentException("bn_size=" + bnSize + " must be positive");
        }

        public Options numClasses(int n) {
            return new Options(n, bnSize, dropRate, memoryEfficient);
        }

        public Options bnSize(int b) {
            return new Options(numClasses, b, dropRate, memoryEfficient);
        }

        public Options dropRate(double p) {
            return new Options(numClasses, bnSize, p, memoryEfficient);
        }

        /** Checkpointing changes memory, not values; accepted for torchvision's signature. */
        public Options memoryEfficient(boolean m) {
            return new Options(numClasses, bnSize, dropRate, m);
        }
    }

    private final Chain features;
    private final Linear classifier;

    public DenseNet(int growthRate, int[] blockConfig, int numInitFeatures, Options o, DType dt) {
        features = registerModule("features", new Chain()
                .add("conv0", Blocks.conv(3, numInitFeatures, 7, 2, 3, 1, 1, false, dt))
                .add("norm0", Blocks.bn(numInitFeatures, dt))
                .add("relu0", new ReLU(true))
                .add("pool0", new MaxPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1))));
        int n = numInitFeatures;
        for (int i = 0; i < blockConfig.length; i++) {
            features.add("denseblock" + (i + 1), new DenseBlock(blockConfig[i], n, o.bnSize(), growthRate, o.dropRate(), dt));
            n += blockConfig[i] * growthRate;
            if (i != blockConfig.length - 1) {
                features.add("transition" + (i + 1), new Chain().add("norm", Blocks.bn(n, dt)).add("relu", new ReLU(true))
                        .add("conv", Blocks.conv(n, n / 2, 1, 1, 0, 1, 1, false, dt))
                        .add("pool", new AvgPool2d(new int[] {2}, PoolOptions.DEFAULT.stride(2))));
                n /= 2;
            }
        }
        features.add("norm5", Blocks.bn(n, dt));
        classifier = registerModule("classifier", new Linear(n, o.numClasses(), true, dt, null));
        Blocks.initLoop(this, c -> Init.kaimingNormal(c.weight()), Blocks::onesZeros, l -> Init.zeros(l.bias()));
    }

    @Override
    public Tensor forward(Tensor input) {
        Tensor out = F.adaptiveAvgPool2d(F.relu(features.call(input)), 1, 1);
        return classifier.call(F.flatten(out, 1, -1));
    }

    private static final Pattern LEGACY = Pattern.compile(
            "^(.*denselayer\\d+\\.(?:norm|relu|conv))\\.((?:[12])\\.(?:weight|bias|running_mean|running_var))$");

    /**
     * torchvision's {@code _load_state_dict} renaming: {@code ...denselayerN.norm.1.weight} becomes
     * {@code ...denselayerN.norm1.weight} (checkpoints saved before the layers were attributes); other keys keep their name.
     */
    public static LinkedHashMap<String, Tensor> remapLegacyKeys(Map<String, Tensor> stateDict) {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Tensor> e : stateDict.entrySet()) {
            Matcher m = LEGACY.matcher(e.getKey());
            out.put(m.matches() ? m.group(1) + m.group(2) : e.getKey(), e.getValue());
        }
        return out;
    }

    /** {@code denselayer1..N}, each fed the concatenation of the block input and every earlier layer's output. */
    static final class DenseBlock extends Module {
        private final List<DenseLayer> layers = new ArrayList<>();

        DenseBlock(int numLayers, int in, int bnSize, int growthRate, double dropRate, DType dt) {
            for (int i = 0; i < numLayers; i++) {
                layers.add(registerModule("denselayer" + (i + 1), new DenseLayer(in + i * growthRate, growthRate, bnSize, dropRate, dt)));
            }
        }

        @Override
        public Tensor forward(Tensor input) {
            List<Tensor> features = new ArrayList<>();
            features.add(input);
            for (DenseLayer l : layers) features.add(l.call(F.cat(1, features.toArray(new Tensor[0]))));
            return F.cat(1, features.toArray(new Tensor[0]));
        }
    }

    /** BN-ReLU-conv1x1 (to bnSize·growth) then BN-ReLU-conv3x3 (to growth), dropout in training. */
    public static final class DenseLayer extends Module {
        private final BatchNorm2d norm1;
        private final Module relu1;
        private final Conv2d conv1;
        private final BatchNorm2d norm2;
        private final Module relu2;
        private final Conv2d conv2;
        private final double dropRate;

        DenseLayer(int in, int growthRate, int bnSize, double dropRate, DType dt) {
            norm1 = registerModule("norm1", Blocks.bn(in, dt));
            relu1 = registerModule("relu1", new ReLU(true));
            conv1 = registerModule("conv1", Blocks.conv(in, bnSize * growthRate, 1, 1, 0, 1, 1, false, dt));
            norm2 = registerModule("norm2", Blocks.bn(bnSize * growthRate, dt));
            relu2 = registerModule("relu2", new ReLU(true));
            conv2 = registerModule("conv2", Blocks.conv(bnSize * growthRate, growthRate, 3, 1, 1, 1, 1, false, dt));
            this.dropRate = dropRate;
        }

        @Override
        public Tensor forward(Tensor concatenated) {
            Tensor bottleneck = conv1.call(relu1.call(norm1.call(concatenated)));
            Tensor out = conv2.call(relu2.call(norm2.call(bottleneck)));
            return dropRate > 0 ? F.dropout(out, dropRate, isTraining(), null) : out;
        }
    }
}
