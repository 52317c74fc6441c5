package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

import org.convinit.lab.train.OptimizerKind;

/**
 * A ready-made study: models as PyTorch constructor expressions (built by the caller), schemes as the
 * {@code --inits} texts, and the training settings. Command-line options given explicitly override these.
 * {@code trainLimit}/{@code testLimit} (null: all) take the first images of the data set in file order.
 */
public record Preset(String name, String description, List<NamedModel> models, List<String> inits, int seeds, int epochs,
                     OptimizerKind optimizer, double lr, int batchSize, Integer trainLimit, Integer testLimit, double targetAccuracy) {

    /** A model of a preset: a short name and its constructor expression. */
    public record NamedModel(String name, String expr) {}

    public Preset {
        models = List.copyOf(models);
        inits = List.copyOf(inits);
    }

    /** The CNN of the no-argument study: two 3x3 conv + ReLU + 2x2 max-pool stages (8 and 16 channels), then a linear classifier. */
    public static final String DEFAULT_CNN = "Sequential(Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2), "
            + "Conv2d(8, 16, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(784, 10))";

    /**
     * {@code convinit study} with no arguments: the small CNN; default, xavier_uniform_, kaiming_normal_, orthogonal_;
     * 3 seeds; 2 epochs of SGD (lr 0.01, momentum 0.9, batch 64) on the built-in subset (10,000 / 2,000 images).
     */
    public static Preset defaultStudy() {
        return new Preset("default", "a small CNN, four common initializations", List.of(new NamedModel("cnn", DEFAULT_CNN)),
                List.of("default", "xavier_uniform_", "kaiming_normal_", "orthogonal_"), 3, 2, OptimizerKind.SGD, 0.01, 64,
                null, null, 0.75);
    }

    /** The width of the he2015 plain nets. */
    public static final int HE_WIDTH = 16;

    /**
     * He et al. 2015 ("Delving Deep into Rectifiers", sec. 2.2, Fig. 3): a plain net of {@code depth} weight layers,
     * 3x3 convs with ReLU, no biases (the paper's analysis takes them as zero) and no normalization between layers: a
     * stride-2 stem to 14x14, {@code depth - 2} more convs of {@value #HE_WIDTH} channels, and a linear classifier.
     * The input is standardized first ({@code BatchNorm2d(1, affine=False)}: no weights, the batch's mean and std in
     * training, the running ones in eval), as the paper subtracts the mean image: without it the uncentered pixels
     * leave every deep ReLU net, Kaiming's included, at chance within a few hundred steps.
     */
    public static String plainNet(int depth) {
        if (depth < 3) throw new IllegalArgumentException("plain net depth " + depth + ": expected at least 3");
        StringBuilder sb = new StringBuilder("Sequential(BatchNorm2d(1, affine=False), Conv2d(1, " + HE_WIDTH
                + ", 3, stride=2, padding=1, bias=False), ReLU()");
        for (int i = 0; i < depth - 2; i++) sb.append(", Conv2d(" + HE_WIDTH + ", " + HE_WIDTH + ", 3, padding=1, bias=False), ReLU()");
        return sb.append(", Flatten(), Linear(" + HE_WIDTH * 14 * 14 + ", 10))").toString();
    }

    /**
     * {@code --preset he2015}: plain nets of depth 8, 16 and 30; default vs xavier_uniform_ vs
     * kaiming_normal_(mode='fan_in', nonlinearity='relu'); 3 seeds; 2 epochs of SGD (lr 0.005, momentum 0.9, batch 32) on
     * the first 4,000 training images, tested on the first 1,000. He et al. predict the conv outputs' std to change by
     * 1/sqrt(2) per layer under Xavier, 1 under Kaiming (1/sqrt(6) under PyTorch's default), and the 30-layer net to
     * stall with Xavier while it trains with Kaiming. At 14x14 the zero padding drops about 9% of a 3x3 conv's inputs on
     * average, so the measured ratios sit about 5% below the predicted ones.
     */
    public static Preset he2015() {
        List<NamedModel> models = new ArrayList<>();
        for (int d : new int[] {8, 16, 30}) models.add(new NamedModel("plain" + d, plainNet(d)));
        return new Preset("he2015", "He et al. 2015, plain ReLU nets of depth 8, 16 and 30", models,
                List.of("default", "xavier_uniform_", "kaiming_normal_(mode='fan_in', nonlinearity='relu')"), 3, 2, OptimizerKind.SGD,
                0.005, 32, 4000, 1000, 0.3);
    }

    /** The preset called {@code name} ({@code he2015}); an unknown name is an {@link IllegalArgumentException} listing the known ones. */
    public static Preset named(String name) {
        if (name.toLowerCase(Locale.ROOT).equals("he2015")) return he2015();
        if (name.toLowerCase(Locale.ROOT).equals("default")) return defaultStudy();
        throw new IllegalArgumentException("--preset " + name + ": unknown; known presets: he2015, default");
    }
}
