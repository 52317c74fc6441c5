package org.convinit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.io.Format;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.nn.Module;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code convinit init}: what {@code torch.manual_seed(N); model = EXPR; model.state_dict()} holds,
 * optionally re-initialized with {@code --init}/{@code --bias-init} as
 * {@code for m in model.modules(): FN(m.weight)} over conv and linear layers would do.
 */
@Command(name = "init", mixinStandardHelpOptions = true,
        description = {"Build a model from a PyTorch constructor expression, initialize it as torch does for the seed, "
                + "and write its state dict.",
                "Example: convinit init --model \"Conv2d(3, 16, 3, padding=1)\" --seed 0 --out conv.safetensors"})
final class InitCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "EXPR",
            description = "PyTorch constructor syntax, e.g. \"Sequential(Conv2d(3, 16, 3, stride=2, bias=False), ReLU())\".")
    String model;

    @Option(names = "--seed", paramLabel = "N",
            description = "torch.manual_seed(N) before construction (negative seeds as torch: two's complement). "
                    + "Without it a random seed is drawn and recorded in the output.")
    Long seed;

    @Option(names = "--init", paramLabel = "FN",
            description = "Re-initialize every conv and linear weight, e.g. \"kaiming_normal_(mode='fan_out', nonlinearity='relu')\".")
    String init;

    @Option(names = "--bias-init", paramLabel = "FN", description = "Re-initialize every conv and linear bias, e.g. zeros_.")
    String biasInit;

    @Option(names = "--dtype", paramLabel = "float32|float64", defaultValue = "float32",
            description = "Parameter dtype, as passing dtype=torch.float64 to every constructor (default: ${DEFAULT-VALUE}).")
    String dtype;

    @Option(names = "--out", required = true, paramLabel = "FILE", description = "Output file; the format follows the extension: .safetensors (with seed and model in its metadata), .pth/.pt, .npz.")
    Path out;

    @Override
    public Integer call() throws CheckpointException {
        DType dt;
        Module m;
        Format format;
        try {
            format = Checkpoints.formatForName(out);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException("--out " + out + ": unsupported extension; expected .safetensors, .pth, .pt or .npz", e);
        }
        try {
            dt = DType.parse(dtype);
            if (!dt.isCompute()) throw new IllegalArgumentException("--dtype " + dtype + ": expected float32 or float64");
            if (seed == null) seed = new java.security.SecureRandom().nextLong() & 0xFFFFFFFFL;
            m = ModelOptions.build(model, dt, seed, init, biasInit);
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
        if (init != null) meta.put("convinit.init", init);
        if (biasInit != null) meta.put("convinit.bias_init", biasInit);
        if (format == Format.SAFETENSORS) SafeTensors.write(out, sd, meta);
        else {
            try {
                Checkpoints.write(out, sd);
            } catch (IllegalArgumentException e) {
                throw new Main.UsageException(e.getMessage(), e);
            }
        }
        return 0;
    }
}
