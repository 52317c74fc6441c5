package org.convinit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.io.Format;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.lab.data.DataSource;
import org.convinit.lab.diagnose.DiagnoseBatch;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * {@code convinit init}: what {@code torch.manual_seed(N); model = EXPR; model.state_dict()} holds,
 * optionally re-initialized with {@code --init}/{@code --bias-init} as
 * {@code for m in model.modules(): FN(m.weight)} over conv and linear layers would do, then per parameter by
 * {@code --init GLOB=FN}, {@code --set} and {@code --init-plan} ({@link InitPlan}: order, globs, plan schema); the
 * plan is recorded in the output's metadata ({@code convinit.init_plan}).
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Build a model from a PyTorch constructor expression, initialize it as torch does for the seed, "
                + "and write its state dict.",
                "Example: convinit init --model \"Conv2d(3, 16, 3, padding=1)\" --seed 0 --out conv.safetensors"})
final class InitCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "EXPR",
            description = "PyTorch constructor syntax, e.g. \"Sequential(Conv2d(3, 16, 3, stride=2, bias=False), ReLU())\".")
    String model;

    @Option(names = "--seed", converter = SeedConverter.class, paramLabel = "N",
            description = "torch.manual_seed(N) before construction (negative seeds as torch: two's complement). "
                    + "Without it a random seed is drawn and recorded in the output.")
    Long seed;

    @Mixin
    InitPlanOptions initOptions;

    @Option(names = "--data", paramLabel = "DIR", description = "For --init lsuv_: the Fashion-MNIST IDX directory its batch comes "
            + "from (default: the built-in subset).")
    Path data;

    @Option(names = "--batch-size", paramLabel = "B", defaultValue = "64",
            description = "For --init lsuv_: the first B training images in file order, scaled to [0, 1] (default: ${DEFAULT-VALUE}).")
    int batchSize;

    @Option(names = "--bias-init", paramLabel = "FN", description = "Re-initialize every conv and linear bias, e.g. zeros_.")
    String biasInit;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            description = "Parameter dtype, as passing dtype=torch.float64 to every constructor (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file; the format follows the extension: .safetensors (with seed and model in its metadata), .pth/.pt, .npz.")
    Path out;

    @picocli.CommandLine.Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** float32 or float64 (with torch's aliases); anything else names just those two, the dtypes parameters can have here. */
    static DType computeDtype(String name) {
        DType dt;
        try {
            dt = DType.parse(name);
        } catch (IllegalArgumentException e) {
            dt = null;
        }
        if (dt == null || !dt.isCompute()) throw new IllegalArgumentException("--dtype " + name + ": expected float32 or float64");
        return dt;
    }

    @Override
    public Integer call() throws CheckpointException {
        boolean drewSeed;
        DType dt;
        Module m;
        InitPlan plan;
        Format format;
        try {
            format = Checkpoints.formatForName(out);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--out " + out + ": unsupported extension; expected .safetensors, .pth, .pt or .npz", e);
        }
        try {
            dt = computeDtype(dtype);
            drewSeed = seed == null;
            if (drewSeed) seed = new java.security.SecureRandom().nextLong() & 0xFFFFFFFFL;
            plan = initOptions.parse().lsuvBatch(() -> DiagnoseBatch.first(
                    data == null ? DataSource.builtin() : DataSource.directory(data), batchSize));
            m = ModelOptions.build(model, dt, seed, plan, biasInit);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        LinkedHashMap<String, Tensor> sd = m.stateDict();
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put("format", "pt");
        meta.put("convinit.version", Main.VERSION);
        meta.put("convinit.torch_semantics", "1.13.1");
        meta.put("convinit.model", model);
        meta.put("convinit.seed", Long.toString(seed));
        meta.put("convinit.dtype", dt.torchName());
        if (plan.everyWeight != null) meta.put("convinit.init", plan.everyWeight);
        if (plan.hasRules()) meta.put("convinit.init_plan", plan.toJson().toString());
        if (biasInit != null) meta.put("convinit.bias_init", biasInit);
        if (format == Format.SAFETENSORS) SafeTensors.write(out, sd, meta);
        else {
            try {
                Checkpoints.write(out, sd);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage(), e);
            }
        }
        if (drewSeed) {
            spec.commandLine().getErr().println("convinit: no --seed given; drew seed " + seed
                    + (format == Format.SAFETENSORS ? " (recorded in the file's metadata as convinit.seed)"
                            : " (" + out.getFileName() + " has no metadata to record it in: keep this number, or write .safetensors)"));
        }
        return 0;
    }
}
