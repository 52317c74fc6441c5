package org.convinit.io.internal.pickle;

import java.util.Arrays;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;

/** A tensor described by a checkpoint (a validated view of a {@link StorageRef}), not yet read. */
public final class TensorRef {
    private final StorageRef storage;
    private final long offset;
    private final Shape shape;
    private final int[] strides;
    private final boolean requiresGrad;
    private final boolean parameter;

    public TensorRef(StorageRef storage, long offset, Shape shape, int[] strides, boolean requiresGrad, boolean parameter) {
        this.storage = storage;
        this.offset = offset;
        this.shape = shape;
        this.strides = strides.clone();
        this.requiresGrad = requiresGrad;
        this.parameter = parameter;
    }

    public StorageRef storage() { return storage; }
    /** Offset in elements into {@link #storage()}. */
    public long offset() { return offset; }
    public Shape shape() { return shape; }
    public int[] strides() { return strides.clone(); }
    public boolean requiresGrad() { return requiresGrad; }
    public boolean parameter() { return parameter; }
    /** Null when the storage type is not one convinit holds. */
    public DType dtype() { return storage.dtype(); }

    public TensorRef asParameter(boolean requiresGrad) {
        return new TensorRef(storage, offset, shape, strides, requiresGrad, true);
    }

    @Override
    public String toString() {
        return "TensorRef[" + storage.typeName() + " key=" + storage.key() + " offset=" + offset + " shape=" + shape
                + " strides=" + Arrays.toString(strides) + "]";
    }
}
