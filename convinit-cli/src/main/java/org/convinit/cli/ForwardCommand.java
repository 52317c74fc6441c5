package org.convinit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.Callable;

import org.convinit.autograd.GradMode;
import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convinit forward}: runs a model in evaluation mode on an input array, in the input's dtype
 * (float32 or float64; the weights are converted), and writes the output as {@code .npy}. With
 * {@code --grad-output G.npy --grads OUT.npz} it also writes the gradients of {@code sum(output * G)}
 * with respect to the input (key {@code input}) and every parameter (state-dict names).
 */
@Command(name = "forward", mixinStandardHelpOptions = true,
        description = "Run a model (eval mode) on a .npy input with weights from a checkpoint; optionally write gradients.")
final class ForwardCommand implements Callable<Integer> {
    @Option(names = "--model", required = true, paramLabel = "EXPR", description = "PyTorch constructor syntax, as for init.")
    String model;

    @Option(names = "--weights", required = true, paramLabel = "FILE", description = "State dict (.pth/.pt, .safetensors, .npz); loaded strictly unless --non-strict.")
    Path weights;

    @Mixin
    WeightsOptions weightsOptions;

    @Spec
    CommandSpec spec;

    @Option(names = "--input", required = true, paramLabel = "X.npy", description = "Input array, float32 or float64.")
    Path input;

    @Option(names = "--output", required = true, paramLabel = "Y.npy", description = "Where to write the output array.")
    Path output;

    @Option(names = "--grad-output", paramLabel = "G.npy", description = "Gradient of the output (same shape); requires --grads.")
    Path gradOutput;

    @Option(names = "--grads", paramLabel = "OUT.npz", description = "Where to write the gradients (input and parameters).")
    Path grads;

    @Override
    public Integer call() throws CheckpointException {
        if ((gradOutput == null) != (grads == null)) {
            throw new Main.UsageException("--grad-output and --grads go together: give both or neither", null);
        }
        Tensor x = single(input, "--input");
        if (!x.dtype().isCompute()) {
            throw new Main.UsageException("--input " + input + ": dtype " + x.dtype() + ", expected float32 or float64", null);
        }
        Module m;
        try {
            m = Layers.build(model, x.dtype());
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        weightsOptions.load(m, weights, spec.commandLine().getErr());
        m.eval();
        Tensor y;
        Tensor xin = x;
        if (grads == null) {
            try (var g = GradMode.noGrad()) {
                y = m.call(x);
            }
        } else {
            xin = x.detach().requiresGrad(true);
            y = m.call(xin);
            Tensor g = single(gradOutput, "--grad-output").to(y.dtype());
            if (!g.shape().equals(y.shape())) {
                throw new IllegalArgumentException("--grad-output " + gradOutput + " has shape " + g.shape()
                        + ", but the output has shape " + y.shape());
            }
            y.backward(g, false);
        }
        Map<String, Tensor> out = new LinkedHashMap<>();
        out.put("output", y.detach());
        Checkpoints.write(output, out);
        if (grads != null) {
            Map<String, Tensor> gs = new LinkedHashMap<>();
            gs.put("input", gradOrZeros(xin));
            for (Map.Entry<String, Parameter> p : m.namedParameters().entrySet()) gs.put(p.getKey(), gradOrZeros(p.getValue()));
            Checkpoints.write(grads, gs);
        }
        return 0;
    }

    private static Tensor gradOrZeros(Tensor t) {
        return t.grad() != null ? t.grad() : Tensor.zeros(t.dtype(), t.shape().toArray());
    }

    private static Tensor single(Path p, String option) throws CheckpointException {
        Map<String, Tensor> m = Checkpoints.readTensors(p);
        if (m.size() != 1) {
            throw new Main.UsageException(option + " " + p + ": expected one array, found " + m.size() + " tensors", null);
        }
        return m.values().iterator().next();
    }
}
