package org.convinit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.FashionMnist;
import org.convinit.data.ImageDataset;
import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.lab.train.Checkpointing;
import org.convinit.lab.train.OptimizerKind;
import org.convinit.lab.train.TrainState;
import org.convinit.lab.train.TrainingLoop;
import org.convinit.nn.Module;
import org.convinit.optim.Optimizer;
import org.convinit.tensor.DType;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convinit train}: trains a model on an IDX image dataset (Fashion-MNIST's four gzip files)
 * with cross-entropy, the way the usual PyTorch loop does:
 *
 * <pre>
 * torch.manual_seed(seed); model = EXPR; [FN(m.weight) for conv and linear m]
 * loader = DataLoader(train, batch_size=B, shuffle=True)
 * for epoch: for x, y in loader: opt.zero_grad(); F.cross_entropy(model(x), y).backward(); opt.step()
 * </pre>
 *
 * {@code sgd} is {@code SGD(lr, momentum=0.9)} and {@code adam} is {@code Adam(lr)}; the test set is
 * evaluated after each epoch in eval mode ({@link TrainingLoop}, shared with {@code study}). Writes the metrics file
 * DESIGN.md describes.
 */
@Command(name = "train", mixinStandardHelpOptions = true,
        description = "Train a model on an IDX dataset directory (e.g. Fashion-MNIST) and report loss and accuracy per epoch.")
final class TrainCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "EXPR", description = "PyTorch constructor syntax, as for init.")
    String model;

    @Option(names = "--data", required = true, paramLabel = "DIR",
            description = "Directory with train-/t10k-images-idx3-ubyte[.gz] and -labels-idx1-ubyte[.gz], e.g. "
                    + "/usr/share/datasets/fashion-mnist (Debian's dataset-fashion-mnist).")
    Path data;

    @Option(names = "--epochs", defaultValue = "1", paramLabel = "N", description = "Epochs (default: ${DEFAULT-VALUE}).")
    int epochs;

    @Option(names = "--batch-size", defaultValue = "64", paramLabel = "B", description = "Batch size (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.01 for sgd, 0.001 for adam).")
    Double lr;

    @Option(names = "--optimizer", defaultValue = "sgd", paramLabel = "sgd|adam",
            description = "sgd = SGD(lr, momentum=0.9); adam = Adam(lr) (default: ${DEFAULT-VALUE}).")
    String optimizer;

    @Option(names = "--seed", converter = SeedConverter.class, defaultValue = "0", paramLabel = "S", description = "torch.manual_seed(S) before construction (default: ${DEFAULT-VALUE}).")
    long seed;

    @Mixin
    InitPlanOptions initOptions;

    @Option(names = "--weights", paramLabel = "FILE", description = "Start from these weights (a state dict: .pth/.pt, "
            + ".safetensors, .npz; loaded strictly unless --non-strict) instead of the model's init; --seed still orders the batches.")
    Path weights;

    @Mixin
    WeightsOptions weightsOptions;

    @Option(names = "--bias-init", paramLabel = "FN", description = "Re-initialize every conv and linear bias, e.g. zeros_, as for init.")
    String biasInit;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            description = "Build and train the model in this dtype, as for init; batches are cast to it (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--log-every", paramLabel = "N", description = "Print the mean loss of every N batches with its step, "
            + "and record it in the metrics' batch_losses.")
    Integer logEvery;

    @Option(names = "--out", paramLabel = "WEIGHTS", description = "Write the trained state dict (format by extension).")
    Path out;

    @Option(names = "--metrics", paramLabel = "FILE.json", description = "Write config and per-epoch metrics as JSON.")
    Path metrics;

    @Mixin
    CheckpointOptions checkpointOptions;

    @Option(names = "--limit", paramLabel = "N", hidden = true, description = "Use only the first N training and test images (for quick checks).")
    Integer limit;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws IOException, CheckpointException {
        PrintWriter outW = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        if (epochs < 1) throw new Main.UsageException("--epochs " + epochs + ": expected at least 1", null);
        if (batchSize < 1) throw new Main.UsageException("--batch-size " + batchSize + ": expected at least 1", null);
        OptimizerKind kind;
        try {
            kind = OptimizerKind.parse(optimizer);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        double rate = lr != null ? lr : kind.defaultLr();
        Module m;
        InitPlan plan;
        DType dt;
        BatchLosses log;
        try {
            dt = InitCommand.computeDtype(dtype);
            log = logEvery == null ? null : new BatchLosses(logEvery, JsonNodeFactory.instance.arrayNode());
            plan = initOptions.parse()
                    .lsuvBatch(() -> org.convinit.lab.diagnose.DiagnoseBatch.first(org.convinit.lab.data.DataSource.directory(data), batchSize));
            if (out != null) Checkpoints.formatForName(out);
            weightsOptions.requireWeights(weights);
            if (weights != null && (plan.everyWeight != null || plan.hasRules() || biasInit != null)) {
                throw new IllegalArgumentException("--weights replaces the model's init: give it or --init/--bias-init/--set/--init-plan, not both");
            }
            m = ModelOptions.build(model, dt, seed, plan, biasInit);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        OutputPaths.requireDirectory("--out", out);     // before training: a bad path must not cost a finished epoch
        OutputPaths.requireDirectory("--metrics", metrics);
        checkpointOptions.validate();
        if (weights != null && checkpointOptions.resume == null) weightsOptions.load(m, weights, err);
        ImageDataset train = FashionMnist.load(data, true);
        ImageDataset test = FashionMnist.load(data, false);
        int trainN = limit == null ? train.size() : Math.min(limit, train.size());
        int testN = limit == null ? test.size() : Math.min(limit, test.size());
        Optimizer<?> opt = kind.create(m.parameters(), rate);
        ImageDataset trainSet = limit == null ? train : subset(train, trainN);
        ImageDataset testSet = testN == test.size() ? test : subset(test, testN);

        ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
        ObjectNode root = mapper.createObjectNode();
        ObjectNode config = root.putObject("config");
        config.put("model", model);
        config.put("data", data.toString());
        config.put("train_examples", trainN);
        config.put("test_examples", testN);
        config.put("epochs", epochs);
        config.put("batch_size", batchSize);
        config.put("lr", rate);
        config.put("optimizer", kind.torchForm());
        config.put("seed", seed);
        if (plan.everyWeight != null) config.put("init", plan.everyWeight);
        if (biasInit != null) config.put("bias_init", biasInit);
        config.put("dtype", dt.torchName());
        if (log != null) config.put("log_every", logEvery);
        if (weights != null) config.put("weights", weights.toString());
        if (plan.hasRules()) config.set("init_plan", plan.toJson());
        config.put("convinit_version", Main.VERSION);
        config.put("torch_semantics", "1.13.1");
        config.put("java", Runtime.version().toString());
        config.put("threads", Runtime.getRuntime().availableProcessors());
        ArrayNode epochsNode = root.putArray("epochs");
        Map<String, String> runArgs = CheckpointOptions.runArguments(config);
        TrainState from = checkpointOptions.resume(m, opt, runArgs, err);
        if (from != null) for (TrainingLoop.Epoch e : from.epochs()) report(e, epochsNode, outW);

        TrainingLoop.Listener listener = new TrainingLoop.Listener() {
            Progress p;
            double lossSum;
            int seen;

            @Override
            public void epochStarted(int epoch) {
                p = new Progress(err, "epoch " + epoch, trainN);
                lossSum = 0;
                seen = 0;
            }

            @Override
            public void resumed(TrainState s) {
                lossSum = s.lossSum();
                seen = s.seen();
                p.advance(seen, () -> String.format("loss %.4f", lossSum / seen));
            }

            @Override
            public void batch(int epoch, long step, int size, double loss) {
                lossSum += loss * size;
                seen += size;
                double mean = lossSum / seen;
                p.advance(size, () -> String.format("loss %.4f", mean));
                if (log != null) print(log.add(epoch, step, loss));
            }

            private void print(String line) {
                if (line != null) p.println(outW, line);
            }

            @Override
            public void epochTrained(int epoch) {
                if (log != null && epoch == epochs) print(log.finish());
                p.close();
            }

            @Override
            public void epochEnded(TrainingLoop.Epoch e) {
                report(e, epochsNode, outW);
            }
        };
        try {
            TrainingLoop.run(m, opt, trainSet, testSet, TrainingLoop.Options.of(epochs, batchSize), listener,
                    checkpointOptions.checkpointing(runArgs), from);
        } catch (Checkpointing.SaveFailed e) {
            throw e.getCause();
        }
        checkpointOptions.reportSaves(err);
        if (out != null) Checkpoints.write(out, m.stateDict());
        if (log != null) root.set("batch_losses", log.entries());
        if (metrics != null) OutputPaths.writeAtomically(metrics, mapper.writeValueAsString(root));
        return 0;
    }

    /** An epoch's line on stdout and its entry in the metrics. */
    private static void report(TrainingLoop.Epoch e, ArrayNode epochsNode, PrintWriter outW) {
        ObjectNode n = epochsNode.addObject();
        n.put("epoch", e.epoch());
        n.put("train_loss", e.trainLoss());
        n.put("test_loss", e.testLoss());
        n.put("test_accuracy", e.testAccuracy());
        n.put("seconds", e.seconds());
        n.put("train_seconds", e.trainSeconds());
        outW.printf("epoch %d: train_loss %.4f  test_loss %.4f  test_accuracy %.2f%%  (%.1f s)%n", e.epoch(), e.trainLoss(),
                e.testLoss(), 100 * e.testAccuracy(), e.seconds());
        outW.flush();
    }

    /** The first {@code n} images of {@code d}, pixels and labels unchanged. */
    static ImageDataset subset(ImageDataset d, int n) {
        return org.convinit.lab.study.DataSpec.subset(d, n);
    }
}
