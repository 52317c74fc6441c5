package org.convinit.io.internal.pickle;

import org.convinit.tensor.DType;

/**
 * A storage named by a checkpoint's persistent id, not yet read: its record key, element type,
 * element count, and (legacy view storages only) the element offset into the root storage.
 * {@code dtype} is null for a storage type convinit cannot hold (complex, quantized); then
 * {@code typeName} says which.
 */
public record StorageRef(String key, DType dtype, String typeName, int itemSize, long numel, long elementOffset) {
    public long nbytes() {
        return numel * itemSize;
    }
}
