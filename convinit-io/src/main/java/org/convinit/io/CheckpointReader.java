package org.convinit.io;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.tensor.Tensor;

/**
 * An open checkpoint: its index is read and validated, tensor data is read when asked for, by
 * name. Names are flattened ({@code '.'}-joined, list and tuple items by index). Tensors read from
 * one reader that shared a storage in the file share one {@link org.convinit.tensor.Storage}.
 * Not thread-safe. Close it to release the file.
 */
public interface CheckpointReader extends AutoCloseable {
    Format format();

    /** Every tensor in file order, without reading data. */
    List<TensorInfo> entries();

    /** Tensor names in file order. */
    default List<String> keys() {
        List<String> out = new ArrayList<>();
        for (TensorInfo i : entries()) out.add(i.name());
        return out;
    }

    /**
     * torch's {@code _metadata} module versions by flattened module prefix (see
     * {@link org.convinit.nn.Module#loadStateDict(java.util.Map, java.util.Map, boolean)}); empty for formats
     * and dicts without them.
     */
    default java.util.Map<String, Integer> versions() {
        return java.util.Map.of();
    }

    /** Reads one tensor: costs about the size of its storage. */
    Tensor tensor(String name) throws CheckpointException;

    /** Reads every tensor, in file order. */
    default LinkedHashMap<String, Tensor> readAll() throws CheckpointException {
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (TensorInfo i : entries()) out.put(i.name(), tensor(i.name()));
        return out;
    }

    /**
     * The plain values beside the tensors, by flattened name in file order, without reading tensor data: for pickled
     * checkpoints, every leaf and every sub-tree that holds no tensor ({@code epoch -> 3L},
     * {@code optimizer.param_groups -> [{lr: 0.1, ...}]}), as {@link #tree()} gives them (dict keys as Python's
     * {@code str}); empty for the formats that hold tensors only.
     */
    default LinkedHashMap<String, Object> values() throws CheckpointException {
        return new LinkedHashMap<>();
    }

    /** The file's string metadata (safetensors' {@code __metadata__}); empty for the formats without any. */
    default Map<String, String> metadata() {
        return Map.of();
    }

    /**
     * The whole content with tensors read: nested {@code Map<String, Object>} / {@code List} containers
     * and plain values for pickled checkpoints, a flat name-to-tensor map for the other formats.
     */
    Object tree() throws CheckpointException;

    @Override
    void close();
}
