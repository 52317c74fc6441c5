package org.convinit.cli;

import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.concurrent.Callable;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.io.HeapLimit;
import org.convinit.io.ReadOptions;
import org.convinit.io.TensorInfo;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/**
 * {@code convinit convert IN OUT [--dtype D]}: rewrites a checkpoint in the format OUT's extension
 * names. Nested checkpoints are flattened into '.'-joined names. {@code --dtype} converts the
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
        long bytes = 0;
        try {
            LinkedHashMap<String, Tensor> tensors = new LinkedHashMap<>();
            try (CheckpointReader r = Checkpoints.open(in, options)) {
                long total = 0;
                for (TensorInfo i : r.entries()) {
                    total += i.shape().numel();
                    if (i.dtype() == null) continue;
                    bytes += i.shape().numel() * i.dtype().itemSize();
                    if (target != null && i.dtype().isFloatingPoint()) bytes += i.shape().numel() * target.itemSize();
                }
                HeapLimit.require(in, bytes, "converting every tensor");
                try (Progress p = new Progress(spec.commandLine().getErr(), "converting", total)) {
                    for (TensorInfo info : r.entries()) {
                        Tensor t = r.tensor(info.name());
                        if (target != null && t.dtype().isFloatingPoint()) t = t.to(target);
                        tensors.put(info.name(), t);
                        p.advance(info.shape().numel(), info.name());
                    }
                }
            }
            Checkpoints.write(out, tensors);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        } catch (OutOfMemoryError e) {
            Runtime rt = Runtime.getRuntime();
            throw HeapLimit.exhausted(in, "converting every tensor", bytes, Math.max(bytes, rt.totalMemory() - rt.freeMemory()) + bytes / 4);
        }
        return 0;
    }
}
