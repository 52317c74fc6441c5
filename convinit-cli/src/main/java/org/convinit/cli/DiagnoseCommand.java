package org.convinit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.concurrent.Callable;

import org.convinit.io.CheckpointException;
import org.convinit.lab.data.DataSource;
import org.convinit.lab.diagnose.Diagnose;
import org.convinit.lab.diagnose.DiagnoseBatch;
import org.convinit.lab.diagnose.Diagnosis;
import org.convinit.lab.diagnose.DiagnosisJson;
import org.convinit.lab.diagnose.DiagnosisTable;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convinit diagnose}: a model at init, measured on one fixed batch (the first {@code --batch-size} training
 * images in file order): per leaf module the activation statistics and histogram, the loss gradient's std, the weight
 * gradient and the update an SGD step of lr 0.01 would make, He et al. 2015's prediction beside the measurement, and a
 * verdict. Prints a table; {@code --json} also writes every number ({@code docs/study-json.md}), atomically.
 *
 * <p>Exit codes (decided by {@link Main}): 2 for a usage mistake (unknown layer or init function, bad batch size,
 * {@code --weights} with {@code --seed}/{@code --init}); 1 for a failure (a weights file that does not fit the model,
 * a data directory without the IDX files, an unwritable output). Nothing is written under the {@code --json} name
 * unless the whole diagnosis succeeded.
 */
@Command(name = "diagnose", mixinStandardHelpOptions = true,
        description = {"Measure a model at init on one fixed batch: activation and gradient statistics per layer, "
                + "He et al. 2015's prediction beside them, and a verdict (vanishing, exploding, stable).",
                "Example: convinit diagnose --model \"Sequential(Conv2d(1, 8, 3), ReLU(), Flatten(), Linear(5408, 10))\" "
                        + "--init \"kaiming_normal_(nonlinearity='relu')\" --json diag.json"})
final class DiagnoseCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "EXPR", description = "PyTorch constructor syntax, as for init.")
    String model;

    @Option(names = "--weights", paramLabel = "FILE",
            description = "Load the model's state dict from FILE (.safetensors, .pth/.pt, .npz), strictly unless --non-strict, instead of --seed/--init.")
    Path weights;

    @picocli.CommandLine.Mixin
    WeightsOptions weightsOptions;

    @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "N", description = "torch.manual_seed(N) before construction (default: 0).")
    Long seed;

    @Mixin
    InitPlanOptions initOptions;

    @Option(names = "--bias-init", paramLabel = "FN", description = "Re-initialize every conv and linear bias, e.g. zeros_.")
    String biasInit;

    @Option(names = "--data", paramLabel = "DIR",
            description = "Fashion-MNIST IDX directory (train-/t10k-images-idx3-ubyte[.gz], -labels-idx1-ubyte[.gz]); "
                    + "default: the subset built into convinit.")
    Path data;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B",
            description = "The first B training images in file order (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--json", paramLabel = "FILE", description = "Also write every number as JSON (schema convinit-diagnose/1).")
    Path json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CheckpointException {
        PrintWriter out = spec.commandLine().getOut();
        if (weights != null && (seed != null || initOptions.given() || biasInit != null)) {
            throw new Main.UsageException("--weights " + weights + " replaces every parameter: it cannot be combined with "
                    + "--seed, --init, --set, --init-plan or --bias-init", null);
        }
        weightsOptions.requireWeights(weights);
        if (batchSize < 1) throw new Main.UsageException("--batch-size " + batchSize + ": expected at least 1", null);
        OutputPaths.requireDirectory("--json", json);
        Module m;
        try {
            InitPlan plan = initOptions.parse().lsuvBatch(() -> DiagnoseBatch.first(
                    data == null ? DataSource.builtin() : DataSource.directory(data), batchSize));
            m = ModelOptions.build(model, DType.FLOAT32, seed == null ? 0 : seed, plan, biasInit);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        if (weights != null) weightsOptions.load(m, weights, spec.commandLine().getErr());
        DataSource source = data == null ? DataSource.builtin() : DataSource.directory(data);
        if (batchSize > source.trainSize()) {
            throw new Main.UsageException("--batch-size " + batchSize + ": " + source.name() + " has only " + source.trainSize()
                    + " training images", null);
        }
        DiagnoseBatch batch = DiagnoseBatch.first(source, batchSize);
        Diagnosis.InitInfo info = weights != null
                ? new Diagnosis.InitInfo(null, null, null, weights.toString())
                : new Diagnosis.InitInfo(seed == null ? 0L : seed, initOptions.init == null ? null : String.join(" ", initOptions.init), biasInit, null);
        Diagnosis d;
        try {
            d = Diagnose.run(m, model, info, batch);
        } catch (IllegalArgumentException e) {
            // the model does not take the batch (e.g. a Linear's in_features): the model expression is at fault
            throw new Main.UsageException("--model " + model + " does not take a batch of " + batch.images().shape() + ": "
                    + e.getMessage(), e);
        }
        if (json != null) DiagnosisJson.write(json, d);
        out.print(DiagnosisTable.render(d));
        if (json != null) out.println("wrote " + json);
        out.flush();
        return 0;
    }
}
