package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.convinit.data.ImageDataset;
import org.convinit.init.Init;
import org.convinit.lab.train.OptimizerKind;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/** A tiny learnable image set and a tiny CNN, so a whole study runs in about a second. */
public final class StudyFixtures {
    private StudyFixtures() {}

    /** Each class brightens its own horizontal band of a noisy 28x28 image. */
    public static ImageDataset images(int n, long seed) {
        Random r = new Random(seed);
        byte[] px = new byte[n * 28 * 28];
        long[] labels = new long[n];
        for (int i = 0; i < n; i++) {
            int c = r.nextInt(10);
            labels[i] = c;
            for (int y = 0; y < 28; y++) {
                for (int x = 0; x < 28; x++) {
                    int v = r.nextInt(120) + (y / 3 == c % 9 ? 100 : 0) + (c == 9 && x < 6 ? 120 : 0);
                    px[(i * 28 + y) * 28 + x] = (byte) Math.min(255, v);
                }
            }
        }
        Tensor images = Tensor.wrap(Storage.wrap(DType.UINT8, px), Shape.of(n, 28, 28), new int[] {784, 28, 1}, 0);
        return new ImageDataset(images, Tensor.of(labels, n), 10);
    }

    static StudyData data(int train, int test) {
        return new StudyData("synthetic bands", images(train, 5), images(test, 6), "0".repeat(64));
    }

    static final String TINY_EXPR = "Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), Flatten(), Linear(676, 10))";

    public static ModelSpec tiny() {
        return new ModelSpec("tiny", TINY_EXPR, () -> new Sequential(new Conv2d(1, 4, 3, ConvOptions.DEFAULT.stride(2)), new ReLU(),
                new Flatten(), new Linear(676, 10)));
    }

    /** Six plain 3x3 convs of 8 channels: normal_(std=10) makes the first loss ~1e12 and the second NaN. */
    public static ModelSpec deep() {
        return new ModelSpec("deep", "six 3x3 convs", () -> {
            List<Module> l = new ArrayList<>(List.of(new Conv2d(1, 8, 3, ConvOptions.DEFAULT.stride(2)), new ReLU()));
            for (int i = 0; i < 5; i++) {
                l.add(new Conv2d(8, 8, 3, ConvOptions.DEFAULT.padding(1)));
                l.add(new ReLU());
            }
            l.add(new Flatten());
            l.add(new Linear(8 * 13 * 13, 10));
            return new Sequential(l);
        });
    }

    static final Scheme XAVIER = Scheme.weights("xavier_uniform_", Init::xavierUniform);
    public static final Scheme NORMAL_10 = Scheme.weights("normal_(std=10)", t -> Init.normal(t, 0, 10));

    static StudyConfig config(int epochs, double lr) {
        return new StudyConfig(epochs, OptimizerKind.SGD, lr, 32, 0.5, 3, 16);
    }

    static Plan plan(List<Scheme> schemes, int seeds, int epochs, double lr) {
        return new Plan(List.of(tiny()), schemes, Plan.seeds(seeds), config(epochs, lr));
    }
}
