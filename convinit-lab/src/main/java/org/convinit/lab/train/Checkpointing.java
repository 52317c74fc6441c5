package org.convinit.lab.train;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.io.pth.PthWriter;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.optim.Optimizer;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The checkpoints of a resumable {@link TrainingLoop} run: where they go, how often, and the run's arguments
 * (a resume with other arguments is refused). Each is one {@code torch.save}-format {@code .pth} written
 * atomically and durably ({@code AtomicFiles}: a kill at any moment leaves the old checkpoint or the new one),
 * a dict that {@code torch.load} opens:
 *
 * <pre>
 * format            'convinit.train-checkpoint'      version  1
 * model             OrderedDict: the model's state dict
 * optimizer         optimizer.state_dict() in torch's layout: {'state': {0: {'momentum_buffer': T} or
 *                   {'step': T, 'exp_avg': T, 'exp_avg_sq': T}, ...}, 'param_groups': [{'lr': ..., ..., 'params': [0, 1, ...]}]}
 * grads             names of the parameters whose .grad is set (zeroed in place by the next zero_grad)
 * rng_state         torch.get_rng_state() of the default generator now (uint8, 5056 bytes)
 * epoch_rng_state   the same when the current epoch began, before the loader drew (its permutation comes from it)
 * epoch, batch, step                the epoch (from 1), its batches already trained, the steps of the run
 * epoch_loss_sum, epoch_examples, epoch_train_seconds   the running sums of the current epoch
 * step_losses       float64 [step]: every step's loss so far
 * epochs            [{'epoch', 'train_loss', 'test_loss', 'test_accuracy', 'seconds', 'train_seconds'}, ...] finished
 * args              {option: value}: the arguments that decide the numbers
 * </pre>
 *
 * There is no LR scheduler in {@code train}; the group's {@code lr} is saved and restored all the same.
 */
public final class Checkpointing {
    /** The value of the {@code format} entry. */
    public static final String FORMAT = "convinit.train-checkpoint";
    static final long VERSION = 1;

    private final Path file;
    private final int every;
    private final Map<String, String> args;
    private long saves;
    private long saveNanos;

    /**
     * Checkpoints to {@code file} after every {@code every}-th step (0: never within an epoch) and at every epoch's end,
     * recording {@code args}.
     */
    public Checkpointing(Path file, int every, Map<String, String> args) {
        this.file = Objects.requireNonNull(file, "file");
        if (every < 0) throw new IllegalArgumentException("--checkpoint-every " + every + ": expected at least 1 (batches)");
        this.every = every;
        this.args = new LinkedHashMap<>(args);
    }

    public int every() {
        return every;
    }

    /** Checkpoints written so far. */
    public long saves() {
        return saves;
    }

    /** Wall time spent writing them, in seconds. */
    public double saveSeconds() {
        return saveNanos / 1e9;
    }

    /** A save that failed (disk full, directory gone): its cause is the {@link CheckpointException}. */
    public static final class SaveFailed extends RuntimeException {
        SaveFailed(CheckpointException cause) {
            super(cause.getMessage(), cause);
        }

        @Override
        public synchronized CheckpointException getCause() {
            return (CheckpointException) super.getCause();
        }
    }

    /** Writes one checkpoint of the model, the optimizer and {@code state}. */
    void save(Module model, Optimizer<?> optimizer, TrainState state) {
        long t0 = System.nanoTime();
        try {
            PthWriter.write(file, tree(model, optimizer, state, args));
        } catch (CheckpointException e) {
            throw new SaveFailed(e);
        }
        saves++;
        saveNanos += System.nanoTime() - t0;
    }

    /** The checkpoint's content (the layout above). */
    static Map<String, Object> tree(Module model, Optimizer<?> optimizer, TrainState s, Map<String, String> args) {
        Map<String, Object> root = new LinkedHashMap<>();
        root.put("format", FORMAT);
        root.put("version", VERSION);
        root.put("model", model.stateDict());
        root.put("optimizer", OptimizerStates.torchLayout(optimizer));
        List<Object> grads = new ArrayList<>();
        for (Map.Entry<String, Parameter> e : model.namedParameters().entrySet()) if (e.getValue().grad() != null) grads.add(e.getKey());
        root.put("grads", grads);
        root.put("rng_state", bytes(s.rng()));
        root.put("epoch_rng_state", bytes(s.epochRng()));
        root.put("epoch", (long) s.epoch());
        root.put("batch", (long) s.batch());
        root.put("step", s.step());
        root.put("epoch_loss_sum", s.lossSum());
        root.put("epoch_examples", (long) s.seen());
        root.put("epoch_train_seconds", s.trainSeconds());
        root.put("step_losses", Tensor.of(s.stepLosses(), s.stepLosses().length));
        List<Object> epochs = new ArrayList<>();
        for (TrainingLoop.Epoch e : s.epochs()) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("epoch", (long) e.epoch());
            m.put("train_loss", e.trainLoss());
            m.put("test_loss", e.testLoss());
            m.put("test_accuracy", e.testAccuracy());
            m.put("seconds", e.seconds());
            m.put("train_seconds", e.trainSeconds());
            epochs.add(m);
        }
        root.put("epochs", epochs);
        root.put("args", new LinkedHashMap<String, Object>(args));
        return root;
    }

    /**
     * Reads the checkpoint {@code file}, checks that it was written with {@code args}, loads its model and optimizer
     * state into {@code model} and {@code optimizer} and returns the state to give {@link TrainingLoop#run}. A file
     * that is not a train checkpoint, other arguments (the first that differs is named), or a model or optimizer that
     * does not fit are an {@link IllegalArgumentException} naming the file; a damaged file is the reader's
     * {@link CheckpointException}. Nothing is changed unless everything fits.
     */
    public static TrainState resume(Path file, Module model, Optimizer<?> optimizer, Map<String, String> args) throws CheckpointException {
        Map<String, Object> root = Checkpoints.read(file);
        String where = "--resume " + file + ": ";
        if (!FORMAT.equals(root.get("format"))) {
            throw new IllegalArgumentException(where + "not a checkpoint of convinit train (no format '" + FORMAT + "' entry)");
        }
        if (!Long.valueOf(VERSION).equals(root.get("version"))) {
            throw new IllegalArgumentException(where + "checkpoint version " + root.get("version") + ", this convinit reads version " + VERSION);
        }
        String differs = firstDifference(asMap(root, "args", where), args);
        if (differs != null) throw new IllegalArgumentException(where + "the checkpoint was written by a run with " + differs
                + "; resume with the same arguments");
        TrainState state = ResumeReader.state(root, where);
        Map<String, Tensor> modelDict = ResumeReader.tensors(asMap(root, "model", where), where + "model");
        Map<String, Tensor> optimizerDict = OptimizerStates.flat(asMap(root, "optimizer", where), where);
        var report = model.checkStateDict(modelDict);
        if (!report.isExactMatch() || !report.dtypeConversions().isEmpty()) {
            throw new IllegalArgumentException(where + "its model does not fit: " + report.describe(model.name()));
        }
        try {
            optimizer.loadStateDict(optimizerDict);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + e.getMessage(), e);
        }
        model.loadStateDict(modelDict);
        Map<String, Parameter> params = model.namedParameters();
        for (Object name : ResumeReader.list(root, "grads", where)) {
            Parameter p = params.get(String.valueOf(name));
            if (p != null) p.setGrad(Tensor.zeros(p.dtype(), p.shape().toArray())); // as the interrupted run had them
        }
        return state;
    }

    /** {@code option value there, not value here} for the first argument that differs; null when none does. */
    static String firstDifference(Map<String, Object> saved, Map<String, String> now) {
        for (Map.Entry<String, String> e : now.entrySet()) {
            Object was = saved.get(e.getKey());
            if (was == null) return "no " + e.getKey() + ", not " + e.getKey() + " " + e.getValue();
            if (!was.equals(e.getValue())) return e.getKey() + " " + was + ", not " + e.getKey() + " " + e.getValue();
        }
        for (String k : saved.keySet()) if (!now.containsKey(k)) return k + " " + saved.get(k) + ", not without " + k;
        return null;
    }

    @SuppressWarnings("unchecked")
    static Map<String, Object> asMap(Map<String, Object> root, String key, String where) {
        Object v = root.get(key);
        if (!(v instanceof Map)) throw new IllegalArgumentException(where + "entry '" + key + "' missing or not a dict");
        return (Map<String, Object>) v;
    }

    static Tensor bytes(byte[] b) {
        long[] v = new long[b.length];
        for (int i = 0; i < b.length; i++) v[i] = b[i] & 0xff;
        return Tensor.of(v, v.length).to(DType.UINT8);
    }
}
