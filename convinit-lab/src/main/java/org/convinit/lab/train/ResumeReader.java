package org.convinit.lab.train;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** Reads the entries of a {@link Checkpointing} checkpoint back, each checked for its type; {@code where} starts every message. */
final class ResumeReader {
    private ResumeReader() {}

    /** The loop's position and metrics. */
    @SuppressWarnings("unchecked")
    static TrainState state(Map<String, Object> root, String where) {
        List<TrainingLoop.Epoch> epochs = new ArrayList<>();
        for (Object o : list(root, "epochs", where)) {
            if (!(o instanceof Map)) throw new IllegalArgumentException(where + "an entry of 'epochs' is not a dict");
            Map<String, Object> e = (Map<String, Object>) o;
            epochs.add(new TrainingLoop.Epoch((int) integer(e, "epoch", where), real(e, "train_loss", where), real(e, "test_loss", where),
                    real(e, "test_accuracy", where), real(e, "seconds", where), real(e, "train_seconds", where)));
        }
        Tensor losses = tensor(root, "step_losses", where);
        if (losses.dtype() != DType.FLOAT64 || losses.dim() != 1) {
            throw new IllegalArgumentException(where + "step_losses of dtype " + losses.dtype() + " and shape " + losses.shape()
                    + ": expected a float64 vector");
        }
        try {
            return new TrainState((int) integer(root, "epoch", where), (int) integer(root, "batch", where), integer(root, "step", where),
                    rng(root, "epoch_rng_state", where), rng(root, "rng_state", where), real(root, "epoch_loss_sum", where),
                    (int) integer(root, "epoch_examples", where), real(root, "epoch_train_seconds", where), losses.toDoubleArray(), epochs);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + "inconsistent position: " + e.getMessage(), e);
        }
    }

    /** A dict whose values are all tensors. */
    static Map<String, Tensor> tensors(Map<String, Object> dict, String what) {
        Map<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, Object> e : dict.entrySet()) {
            if (!(e.getValue() instanceof Tensor t)) throw new IllegalArgumentException(what + " entry " + e.getKey() + " is not a tensor");
            out.put(e.getKey(), t);
        }
        return out;
    }

    @SuppressWarnings("unchecked")
    static List<Object> list(Map<String, Object> m, String key, String where) {
        Object v = m.get(key);
        if (!(v instanceof List)) throw new IllegalArgumentException(where + "entry '" + key + "' missing or not a list");
        return (List<Object>) v;
    }

    private static long integer(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Long v)) throw new IllegalArgumentException(where + "entry '" + key + "' missing or not an integer");
        if (v < 0 || v > Integer.MAX_VALUE && !key.equals("step")) throw new IllegalArgumentException(where + "entry '" + key + "' is " + v);
        return v;
    }

    private static double real(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Double v)) throw new IllegalArgumentException(where + "entry '" + key + "' missing or not a float");
        return v;
    }

    private static Tensor tensor(Map<String, Object> m, String key, String where) {
        if (!(m.get(key) instanceof Tensor t)) throw new IllegalArgumentException(where + "entry '" + key + "' missing or not a tensor");
        return t;
    }

    /** A generator state: a uint8 vector of torch's {@code get_rng_state()} size. */
    private static byte[] rng(Map<String, Object> m, String key, String where) {
        Tensor t = tensor(m, key, where);
        if (t.dtype() != DType.UINT8 || t.dim() != 1) {
            throw new IllegalArgumentException(where + key + " of dtype " + t.dtype() + " and shape " + t.shape() + ": expected uint8 bytes");
        }
        long[] v = t.toLongArray();
        byte[] b = new byte[v.length];
        for (int i = 0; i < v.length; i++) b[i] = (byte) v[i];
        try {
            new org.convinit.random.Generator().setState(b); // torch's checks: size and layout
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException(where + key + ": " + e.getMessage(), e);
        }
        return b;
    }
}
