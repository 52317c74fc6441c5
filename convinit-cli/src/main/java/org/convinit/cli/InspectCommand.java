package org.convinit.cli;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.io.Format;
import org.convinit.io.HeapLimit;
import org.convinit.io.ReadOptions;
import org.convinit.io.TensorInfo;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convinit inspect FILE [--json] [--no-crc-check]}: every tensor of a checkpoint in file order
 * with its dtype, shape and statistics ({@code std} is torch's default, unbiased). A tensor holding
 * NaN or infinite values shows their counts instead of statistics. With {@code --json}:
 * {@code {"format": ..., "tensors": [{"name", "dtype", "shape", "min", "max", "mean", "std",
 * "nan_count", "inf_count"}]}}; statistics of an empty tensor, and non-finite ones, are {@code null};
 * the counts are {@code null} only for a dtype convinit cannot read; {@code "values"}: the plain entries of a pickled
 * checkpoint ({@code {"name", "type", "value"}}: an epoch, an optimizer's param_groups), {@code "metadata"}: safetensors'
 * {@code __metadata__} (null for the other formats). The table lists both after the tensors. Zip records ({@code .pth},
 * {@code .npz}) are checked against their CRC-32 unless {@code --no-crc-check}.
 */
@Command(name = "inspect", mixinStandardHelpOptions = true,
        description = "List the tensors of a .pth/.pt, .safetensors, .npy or .npz file with dtype, shape and statistics.")
final class InspectCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "FILE", description = "The checkpoint to read.")
    Path file;

    @Option(names = "--json", description = "Print JSON instead of a table.")
    boolean json;

    @Option(names = "--no-crc-check", description = "Do not check .pth/.npz zip records against their CRC-32 (to look into a damaged file; "
            + "safetensors and .npy carry no checksum).")
    boolean noCrcCheck;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    /** Statistics of one tensor (NaN where they cannot be computed) and its NaN and infinite elements. */
    record Stats(double min, double max, double mean, double std, long nanCount, long infCount) {
        static final Stats EMPTY = new Stats(Double.NaN, Double.NaN, Double.NaN, Double.NaN, 0, 0);

        /** Read from the storage element by element: no copy beyond {@code contiguous()}. */
        static Stats of(Tensor t) {
            Tensor c = t.contiguous();
            Storage s = c.storage();
            int off = c.storageOffset();
            int n = (int) c.numel();
            if (n == 0) return EMPTY;
            double min = Double.POSITIVE_INFINITY;
            double max = Double.NEGATIVE_INFINITY;
            double sum = 0;
            long nan = 0;
            long inf = 0;
            for (int i = 0; i < n; i++) {
                double x = s.getDouble(off + i);
                min = Math.min(min, x);
                max = Math.max(max, x);
                sum += x;
                if (Double.isNaN(x)) nan++;
                else if (Double.isInfinite(x)) inf++;
            }
            double mean = sum / n;
            double m2 = 0;
            for (int i = 0; i < n; i++) {
                double d = s.getDouble(off + i) - mean;
                m2 += d * d;
            }
            double std = n > 1 ? Math.sqrt(m2 / (n - 1)) : Double.NaN;
            return new Stats(min, max, mean, std, nan, inf);
        }

        /** The table's statistics columns: the counts of NaN and infinite values when there are any. */
        String cells() {
            if (nanCount + infCount > 0) return String.format("non-finite: %d NaN, %d Inf", nanCount, infCount);
            return String.format("%12s %12s %12s %12s", num(min), num(max), num(mean), num(std));
        }
    }

    @Override
    public Integer call() throws CheckpointException {
        var out = spec.commandLine().getOut();
        var err = spec.commandLine().getErr();
        ReadOptions options = noCrcCheck ? ReadOptions.DEFAULT.withoutChecksums() : ReadOptions.DEFAULT;
        try (CheckpointReader r = Checkpoints.open(file, options)) {
            List<TensorInfo> entries = r.entries();
            long total = 0;
            for (TensorInfo i : entries) total += i.shape().numel();
            ObjectMapper mapper = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);
            ObjectNode root = mapper.createObjectNode();
            root.put("format", r.format().label());
            ArrayNode tensors = root.putArray("tensors");
            StringBuilder table = new StringBuilder();
            Map<String, Object> values = r.values();
            Map<String, String> metadata = r.metadata();
            table.append(String.format("%s: %s, %d tensors%s%n", file, r.format().label(), entries.size(),
                    values.isEmpty() ? "" : ", " + values.size() + (values.size() == 1 ? " other entry" : " other entries")));
            table.append(String.format("%-40s %-9s %-18s %12s %12s %12s %12s%n", "name", "dtype", "shape", "min", "max", "mean", "std"));
            try (Progress p = new Progress(err, "reading", total)) {
                for (TensorInfo info : entries) {
                    Stats s = info.dtype() == null ? null : stats(r, info);
                    p.advance(info.shape().numel(), info.name());
                    ObjectNode t = tensors.addObject();
                    t.put("name", info.name());
                    t.put("dtype", info.dtypeName());
                    ArrayNode shape = t.putArray("shape");
                    for (int d : info.shape().toArray()) shape.add(d);
                    Stats v = s == null ? Stats.EMPTY : s;
                    put(t, "min", v.min());
                    put(t, "max", v.max());
                    put(t, "mean", v.mean());
                    put(t, "std", v.std());
                    if (s == null) {
                        t.putNull("nan_count");
                        t.putNull("inf_count");
                    } else {
                        t.put("nan_count", s.nanCount());
                        t.put("inf_count", s.infCount());
                    }
                    table.append(String.format("%-40s %-9s %-18s %s%n", info.name(), info.dtypeName(), info.shape(), v.cells()));
                }
            }
            otherEntries(values, metadata, r.format(), root, table);
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

    /**
     * The non-tensor entries (JSON {@code "values": [{"name", "type", "value"}]}; a table of name, Python type and repr)
     * and safetensors' {@code __metadata__} (JSON {@code "metadata"}: an object for safetensors, else null).
     */
    private static void otherEntries(Map<String, Object> values, Map<String, String> metadata, Format format, ObjectNode root,
            StringBuilder table) {
        ArrayNode vs = root.putArray("values");
        if (!values.isEmpty()) table.append(String.format("%nnon-tensor entries:%n%-40s %-9s %s%n", "name", "type", "value"));
        for (Map.Entry<String, Object> e : values.entrySet()) {
            String type = PyValues.type(e.getValue());
            vs.addObject().put("name", e.getKey()).put("type", type).set("value", PyValues.json(e.getValue()));
            String repr = PyValues.repr(e.getValue());
            table.append(String.format("%-40s %-9s %s%n", e.getKey(), type, repr.length() > 200 ? repr.substring(0, 197) + "..." : repr));
        }
        if (format != Format.SAFETENSORS) {
            root.putNull("metadata");
            return;
        }
        ObjectNode md = root.putObject("metadata");
        table.append(metadata.isEmpty() ? String.format("%nno __metadata__%n") : String.format("%n__metadata__:%n"));
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            md.put(e.getKey(), e.getValue());
            table.append(String.format("  %-38s %s%n", e.getKey(), e.getValue()));
        }
    }

    /** One tensor's statistics; running out of heap is the one-line refusal, with the -Xmx to give. */
    private Stats stats(CheckpointReader r, TensorInfo info) throws CheckpointException {
        long bytes = info.shape().numel() * info.dtype().itemSize();
        try {
            return Stats.of(r.tensor(info.name()));
        } catch (OutOfMemoryError e) {
            Runtime rt = Runtime.getRuntime();
            throw HeapLimit.exhausted(file, "tensor '" + info.name() + "'", bytes, rt.totalMemory() - rt.freeMemory() + 2 * bytes);
        }
    }

    private static void put(ObjectNode n, String key, double v) {
        if (Double.isFinite(v)) n.put(key, v);
        else n.putNull(key);
    }

    private static String num(double v) {
        return Double.isNaN(v) ? "-" : String.format("%.6g", v);
    }
}
