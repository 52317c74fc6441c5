package org.convinit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Callable;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.io.Format;
import org.convinit.io.HeapLimit;
import org.convinit.io.ReadOptions;
import org.convinit.io.TensorInfo;
import org.convinit.io.pth.PthWriter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convinit convert IN OUT [--dtype D]}: rewrites a checkpoint in the format OUT's extension
 * names. Nested checkpoints are flattened into '.'-joined names; {@code --select KEY} and
 * {@code --strip-prefix P} map them as for {@code forward --weights}. Plain values (an {@code epoch}, a
 * learning rate) are kept in a {@code .pth} output and otherwise reported on stderr, one line each. {@code --dtype} converts the
 * floating-point tensors only (integer buffers such as {@code num_batches_tracked} keep their dtype),
 * as {@code model.to(dtype)} does in torch. Zip records ({@code .pth}, {@code .npz}) are checked
 * against their CRC-32 unless {@code --no-crc-check}; tensors that cannot fit the heap are refused
 * before reading, with the {@code CONVINIT_JAVA_OPTS=-Xmx...} to give.
 */
@Command(name = "convert", mixinStandardHelpOptions = true,
        description = "Convert between .pth/.pt, .safetensors, .npz and .npy (format by extension), optionally changing the float dtype.")
final class ConvertCommand implements Callable<Integer> {
    @Parameters(index = "0", paramLabel = "IN", description = "The checkpoint to read.")
    Path in;

    @Parameters(index = "1", paramLabel = "OUT", description = "The file to write: .safetensors, .pth, .pt, .npz or .npy (one tensor).")
    Path out;

    @Option(names = "--dtype", paramLabel = "D", description = "Convert floating-point tensors to D (float32, float64, float16, bfloat16).")
    String dtype;

    @Option(names = "--no-crc-check", description = "Do not check .pth/.npz zip records against their CRC-32 (to salvage a damaged file; "
            + "safetensors and .npy carry no checksum).")
    boolean noCrcCheck;

    @Mixin
    WeightKeys keys;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() throws CheckpointException {
        DType target;
        try {
            target = dtype == null ? null : DType.parse(dtype);
            if (target != null && !target.isFloatingPoint()) {
                throw new IllegalArgumentException("--dtype " + dtype + ": expected a floating-point dtype "
                        + "(float32, float64, float16, bfloat16)");
            }
            Checkpoints.formatForName(out);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        ReadOptions options = noCrcCheck ? ReadOptions.DEFAULT.withoutChecksums() : ReadOptions.DEFAULT;
        Format outFormat = Checkpoints.formatForName(out);
        long bytes = 0;
        List<String> dropped = new ArrayList<>();
        try {
            LinkedHashMap<String, Object> entries = new LinkedHashMap<>();
            try (CheckpointReader r = Checkpoints.open(in, options)) {
                Map<String, String> names = new LinkedHashMap<>();
                for (String k : r.keys()) names.put(k, k);
                Set<String> wanted = new HashSet<>(keys.apply(names, "IN " + in).values());
                long total = 0;
                for (TensorInfo i : r.entries()) {
                    if (!wanted.contains(i.name())) continue;
                    total += i.shape().numel();
                    if (i.dtype() == null) continue;
                    bytes += i.shape().numel() * i.dtype().itemSize();
                    if (target != null && i.dtype().isFloatingPoint()) bytes += i.shape().numel() * target.itemSize();
                }
                HeapLimit.require(in, bytes, "converting every tensor");
                LinkedHashMap<String, Object> flat = new LinkedHashMap<>();
                boolean pickled = r.format() == Format.PTH_ZIP || r.format() == Format.PTH_LEGACY;
                if (pickled) {
                    flatten(r.tree(), "", flat); // tensors and plain values (an epoch, a learning rate) in file order
                    for (String k : r.keys()) if (!(flat.get(k) instanceof Tensor)) flat.put(k, r.tensor(k)); // never lose a tensor
                } else {
                    for (String k : r.keys()) flat.put(k, k);
                }
                try (Progress p = new Progress(spec.commandLine().getErr(), "converting", total)) {
                    for (Map.Entry<String, Object> e : keys.apply(flat, "IN " + in).entrySet()) {
                        Object v = e.getValue();
                        if (!pickled) v = r.tensor((String) v);
                        if (v instanceof Tensor t) {
                            if (target != null && t.dtype().isFloatingPoint()) t = t.to(target);
                            entries.put(e.getKey(), t);
                            p.advance(t.shape().numel(), e.getKey());
                        } else if (outFormat == Format.PTH_ZIP && writable(v)) {
                            entries.put(e.getKey(), v);
                        } else {
                            dropped.add("convert: dropped non-tensor entry '" + e.getKey() + "' (" + PyValues.type(v) + "): "
                                    + (outFormat == Format.PTH_ZIP ? "the .pth writer cannot hold it" : outFormat.label() + " holds tensors only"));
                        }
                    }
                }
            }
            write(entries);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            Runtime rt = Runtime.getRuntime();
            throw HeapLimit.exhausted(in, "converting every tensor", bytes, Math.max(bytes, rt.totalMemory() - rt.freeMemory()) + bytes / 4);
        }
        PrintWriter err = spec.commandLine().getErr();
        for (String d : dropped) err.println(d);
        err.flush();
        return 0;
    }

    /** Writes tensors as {@link Checkpoints#write} does; a .pth with plain values through the pickle writer. */
    @SuppressWarnings("unchecked")
    private void write(LinkedHashMap<String, Object> entries) throws CheckpointException {
        boolean tensorsOnly = entries.values().stream().allMatch(v -> v instanceof Tensor);
        if (tensorsOnly) {
            LinkedHashMap<String, Tensor> t = new LinkedHashMap<>();
            for (Map.Entry<String, Object> e : entries.entrySet()) t.put(e.getKey(), (Tensor) e.getValue());
            Checkpoints.write(out, t);
        } else {
            PthWriter.write(out, entries);
        }
    }

    /** Flattens dicts and lists into '.'-joined names as the readers name tensors; empty containers stay as values. */
    static void flatten(Object node, String name, Map<String, Object> out) {
        if (node instanceof Map<?, ?> m && !m.isEmpty()) {
            for (Map.Entry<?, ?> e : m.entrySet()) flatten(e.getValue(), join(name, String.valueOf(e.getKey())), out);
        } else if (node instanceof List<?> l && !l.isEmpty()) {
            for (int i = 0; i < l.size(); i++) flatten(l.get(i), join(name, Integer.toString(i)), out);
        } else {
            out.put(name, node);
        }
    }

    private static String join(String a, String b) {
        return a.isEmpty() ? b : a + "." + b;
    }

    /** What {@link PthWriter} can pickle (leaves here: containers are flattened unless empty). */
    private static boolean writable(Object v) {
        return v == null || v instanceof Boolean || v instanceof Long || v instanceof Integer || v instanceof java.math.BigInteger
                || v instanceof Double || v instanceof String || v instanceof Map || v instanceof List;
    }
}
