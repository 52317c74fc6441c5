package org.convinit.lab.report;

import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.ImageDataset;
import org.convinit.init.Init;
import org.convinit.lab.data.DataSource;
import org.convinit.lab.study.CellResult;
import org.convinit.lab.study.Diagnoser;
import org.convinit.lab.study.ModelSpec;
import org.convinit.lab.study.Plan;
import org.convinit.lab.study.Provenance;
import org.convinit.lab.study.Scheme;
import org.convinit.lab.study.StudyConfig;
import org.convinit.lab.study.StudyData;
import org.convinit.lab.study.StudyDocument;
import org.convinit.lab.study.StudyRunner;
import org.convinit.lab.train.OptimizerKind;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.Flatten;
import org.convinit.nn.Linear;
import org.convinit.nn.Module;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.tensor.DType;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/**
 * A study document as the study code writes it (not a hand-made fixture): org.convinit.lab.study runs a tiny
 * study on the first 256 built-in Fashion-MNIST images — a small CNN and a plain 6-conv net; default,
 * xavier_uniform_ and normal_(std=10), which diverges on the plain net; 2 seeds, 1 epoch — so a renamed or
 * reshaped field shows up here as a report that no longer says what it should.
 */
final class RealStudy {
    private static ObjectNode document;

    private RealStudy() {}

    static synchronized ObjectNode document() {
        if (document == null) document = run();
        return document.deepCopy();
    }

    private static ObjectNode run() {
        DataSource source = DataSource.builtin();
        StudyData data = new StudyData(source.description(), first(source.train(), 256), first(source.test(), 64),
                source.sha256());
        ModelSpec cnn = new ModelSpec("small", "Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), Flatten(), Linear(676, 10))",
                () -> new Sequential(new Conv2d(1, 4, 3, ConvOptions.DEFAULT.stride(2)), new ReLU(), new Flatten(),
                        new Linear(676, 10)));
        ModelSpec plain = new ModelSpec("plain6", "six 3x3 convs of 8 channels, ReLU after each", RealStudy::plain6);
        List<Scheme> schemes = List.of(Scheme.DEFAULT, Scheme.weights("xavier_uniform_", Init::xavierUniform),
                Scheme.weights("normal_(std=10)", t -> Init.normal(t, 0, 10)));
        Plan plan = new Plan(List.of(cnn, plain), schemes, Plan.seeds(2),
                new StudyConfig(1, OptimizerKind.SGD, 0.05, 32, 0.5, 3, 16));
        List<CellResult> results = StudyRunner.run(plan, data, Diagnoser.STANDARD, 2, () -> false, StudyRunner.SILENT);
        return StudyDocument.build(plan, data, results,
                new Provenance("convinit study (RealStudy)", "0.1.0", Instant.EPOCH, 1.5, true, null, null, 2));
    }

    private static Module plain6() {
        List<Module> layers = new ArrayList<>();
        for (int i = 0; i < 6; i++) {
            layers.add(i == 0 ? new Conv2d(1, 8, 3, ConvOptions.DEFAULT.stride(2)) : new Conv2d(8, 8, 3, ConvOptions.DEFAULT.padding(1)));
            layers.add(new ReLU());
        }
        layers.add(new Flatten());
        layers.add(new Linear(8 * 13 * 13, 10));
        return new Sequential(layers);
    }

    /** The first {@code n} examples, as uint8 images again. */
    private static ImageDataset first(ImageDataset d, int n) {
        int[] idx = java.util.stream.IntStream.range(0, n).toArray();
        ImageDataset.Batch b = d.batch(idx);
        return new ImageDataset(b.images().mul(255).add(0.5).reshape(n, d.height(), d.width()).to(DType.UINT8), b.labels(), 10);
    }
}
