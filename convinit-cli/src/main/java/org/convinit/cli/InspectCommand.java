package org.convinit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.io.TensorInfo;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convinit inspect FILE [--json]}: every tensor of a checkpoint in file order with its dtype,
 * shape and statistics ({@code std} is torch's default, unbiased). With {@code --json}:
 * {@code {"format": ..., "tensors": [{"name", "dtype", "shape", "min", "max", "mean", "std"}]}};
 * statistics of an empty tensor, and non-finite ones, are {@code null}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors of a .pth/.pt, .safetensors, .npy or .npz file with dtype, shape and statistics.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The checkpoint to read.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Statistics of one tensor. */
    record Stats(double min, double max, double mean, double std) {
        static Stats of(Tensor t) {
            double[] v = t.toDoubleArray();
            if (v.length == 0) return null;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            for (double x : v) {
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
            }
            double mean = sum / v.length;
            double m2 = 0;
            for (double x : v) m2 += (x - mean) * (x - mean);
            double std = v.length > 1 ? Math.sqrt(m2 / (v.length - 1)) : Double.NaN;
            return new Stats(min, max, mean, std);
        }
    }

    @Override
    public Integer call() throws CheckpointException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        try (CheckpointReader r = Checkpoints.open(file)) {
            List<TensorInfo> entries = r.entries();
            long total = 0;
            for (TensorInfo i : entries) total += i.shape().numel();
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("format", r.format().label());
            ArrayNode tensors = root.putArray("tensors");
            StringBuilder table = new StringBuilder();
            table.append(String.format("%s: %s, %d tensors%n", file, r.format().label(), entries.size()));
            table.append(String.format("%-40s %-9s %-18s %12s %12s %12s %12s%n", "name", "dtype", "shape", "min", "max", "mean", "std"));
            try (Progress p = new Progress(err, "reading", total)) {
                for (TensorInfo info : entries) {
                    Stats s = info.dtype() == null ? null : Stats.of(r.tensor(info.name()));
                    p.advance(info.shape().numel(), info.name());
                    ObjectNode t = tensors.addObject();
                    t.put("name", info.name());
                    t.put("dtype", info.dtypeName());
                    ArrayNode shape = t.putArray("shape");
                    for (int d : info.shape().toArray()) shape.add(d);
                    put(t, "min", s == null ? Double.NaN : s.min());
                    put(t, "max", s == null ? Double.NaN : s.max());
                    put(t, "mean", s == null ? Double.NaN : s.mean());
                    put(t, "std", s == null ? Double.NaN : s.std());
                    table.append(String.format("%-40s %-9s %-18s %12s %12s %12s %12s%n", info.name(), info.dtypeName(),
                            info.shape(), num(s == null ? Double.NaN : s.min()), num(s == null ? Double.NaN : s.max()),
                            num(s == null ? Double.NaN : s.mean()), num(s == null ? Double.NaN : s.std())));
                }
            }
            if (json) {
                try {
                    out.println(mapper.writeValueAsString(root));
                } catch (com.fasterxml.jackson.core.JsonProcessingException e) {
                    throw new IllegalStateException(e);
                }
            } else {
                out.print(table);
            }
            out.flush();
        }
        return 0;
    }

    private static void put(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) n.put(key, v);
        else n.putNull(key);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.6g", v);
    }
}
