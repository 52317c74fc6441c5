package org.convinit.cli;

import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.CheckpointException;
import org.convinit.io.Format;
import org.convinit.io.Checkpoints;
import org.convinit.lab.train.Checkpointing;
import org.convinit.lab.train.TrainState;
import org.convinit.nn.Module;
import org.convinit.optim.Optimizer;
import picocli.CommandLine.Option;

/**
 * {@code train}'s {@code --checkpoint FILE --checkpoint-every N} and {@code --resume FILE}: the checkpoint layout is
 * {@link Checkpointing}'s. The run's arguments recorded in a checkpoint are the metrics file's {@code config}
 * entries that decide the numbers, under their option names; a resume with any of them different is refused.
 */
final class CheckpointOptions {
    /** Config entries that do not change the trained numbers (versions and machine), left out of the comparison. */
    private static final Set<String> NEUTRAL = Set.of("convinit_version", "torch_semantics", "java", "threads", "log_every");

    @Option(names = "--checkpoint", paramLabel = "FILE.pth", description = "Save a checkpoint (model, optimizer, generator "
            + "states, position in the data, metrics so far) to FILE after each epoch and every --checkpoint-every batches, "
            + "atomically; continue a killed run with the same arguments and --resume FILE.")
    Path checkpoint;

    @Option(names = "--checkpoint-every", paramLabel = "N", description = "Also checkpoint after every N batches "
            + "(default: at epoch ends only).")
    Integer every;

    @Option(names = "--resume", paramLabel = "FILE.pth", description = "Continue the run saved in this --checkpoint file; the "
            + "other arguments must be the ones it was started with. The result equals the uninterrupted run's, bit for bit.")
    Path resume;

    /** Usage mistakes, before any work: exit 2. */
    void validate() {
        if (every != null && checkpoint == null) throw new Main.UsageException("--checkpoint-every needs --checkpoint FILE", null);
        if (every != null && every < 1) throw new Main.UsageException("--checkpoint-every " + every + ": expected at least 1 (batches)", null);
        if (checkpoint != null && Checkpoints.formatForName(checkpoint) != Format.PTH_ZIP) {
            throw new Main.UsageException("--checkpoint " + checkpoint + ": expected a .pth file (a torch.save archive)", null);
        }
        if (resume != null && !Files.isRegularFile(resume)) {
            throw new Main.UsageException("--resume " + resume + ": " + (Files.exists(resume) ? "not a file" : "no such file"), null);
        }
        OutputPaths.requireDirectory("--checkpoint", checkpoint);
    }

    /** The arguments a checkpoint records: {@code config}'s entries under their option names ({@code --batch-size 64}). */
    static Map<String, String> runArguments(ObjectNode config) {
        Map<String, String> out = new LinkedHashMap<>();
        for (Iterator<Map.Entry<String, JsonNode>> it = config.fields(); it.hasNext();) {
            Map.Entry<String, JsonNode> e = it.next();
            if (NEUTRAL.contains(e.getKey())) continue;
            String option = switch (e.getKey()) {
                case "train_examples" -> "--limit (training examples)";
                case "test_examples" -> "--limit (test examples)";
                case "init_plan" -> "--init/--set/--init-plan";
                default -> "--" + e.getKey().replace('_', '-');
            };
            out.put(option, e.getValue().isTextual() ? e.getValue().asText() : e.getValue().toString());
        }
        return out;
    }

    private Checkpointing saver;

    /** Where to save, or null without {@code --checkpoint}. */
    Checkpointing checkpointing(Map<String, String> args) {
        saver = checkpoint == null ? null : new Checkpointing(checkpoint, every == null ? 0 : every, args);
        return saver;
    }

    /** After the run: {@code checkpoints: N written to FILE (SIZE each), M ms per checkpoint} on {@code err}. */
    void reportSaves(PrintWriter err) {
        if (saver == null || saver.saves() == 0) return;
        long size = -1;
        try {
            size = Files.size(checkpoint);
        } catch (java.io.IOException e) {
            // gone since: the line says so
        }
        err.printf("checkpoints: %d written to %s (%s), %.1f ms per checkpoint%n", saver.saves(), checkpoint,
                size < 0 ? "now missing" : String.format("%.1f KiB", size / 1024.0), 1000 * saver.saveSeconds() / saver.saves());
        err.flush();
    }

    /**
     * With {@code --resume}: loads the checkpoint into {@code model} and {@code optimizer}, says where the run continues
     * on {@code err} and returns the state; null without it. A checkpoint of other arguments or another model is a usage
     * mistake (exit 2); a damaged file is the reader's error (exit 1).
     */
    TrainState resume(Module model, Optimizer<?> optimizer, Map<String, String> args, PrintWriter err) throws CheckpointException {
        if (resume == null) return null;
        TrainState s;
        try {
            s = Checkpointing.resume(resume, model, optimizer, args);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage(), e);
        }
        err.println("resuming from " + resume + ": epoch " + s.epoch() + ", " + s.batch() + " batches done in it, step " + s.step());
        err.flush();
        return s;
    }
}
