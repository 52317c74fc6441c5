package org.convinit.io;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/** Tensors to and from little-endian, C-order bytes, as every checkpoint format stores them. */
public final class TensorBytes {
    private TensorBytes() {}

    /** The tensor's elements in row-major order as little-endian bytes. */
    public static byte[] toBytes(Tensor t) {
        Tensor c = t.contiguous();
        int n = (int) c.numel();
        ByteBuffer buf = ByteBuffer.allocate(Math.multiplyExact(n, t.dtype().itemSize())).order(ByteOrder.LITTLE_ENDIAN);
        Storage s = c.storage();
        int off = c.storageOffset();
        switch (t.dtype()) {
            case FLOAT32: buf.asFloatBuffer().put(s.floats(), off, n); break;
            case FLOAT64: buf.asDoubleBuffer().put(s.doubles(), off, n); break;
            case FLOAT16: case BFLOAT16: case INT16: buf.asShortBuffer().put(s.shorts(), off, n); break;
            case INT8: case UINT8: case BOOL: buf.put(s.bytes(), off, n); break;
            case INT32: buf.asIntBuffer().put(s.ints(), off, n); break;
            case INT64: buf.asLongBuffer().put(s.longs(), off, n); break;
            default: throw new AssertionError(t.dtype());
        }
        return buf.array();
    }

    /** A new contiguous tensor from little-endian bytes; {@code bytes.remaining()} must be numel × item size. */
    public static Tensor fromBytes(DType dtype, Shape shape, ByteBuffer bytes) {
        long n = shape.numel();
        long need = n * dtype.itemSize();
        if (bytes.remaining() != need) {
            throw new IllegalArgumentException(bytes.remaining() + " bytes for a " + dtype + " tensor of shape " + shape
                    + ": expected " + need);
        }
        ByteBuffer b = bytes.slice().order(ByteOrder.LITTLE_ENDIAN);
        Tensor t = Tensor.empty(dtype, shape.toArray());
        Storage s = t.storage();
        switch (dtype) {
            case FLOAT32: b.asFloatBuffer().get(s.floats()); break;
            case FLOAT64: b.asDoubleBuffer().get(s.doubles()); break;
            case FLOAT16: case BFLOAT16: case INT16: b.asShortBuffer().get(s.shorts()); break;
            case INT8: case UINT8: b.get(s.bytes()); break;
            case BOOL: {
                byte[] d = s.bytes();
                b.get(d);
                for (int i = 0; i < d.length; i++) d[i] = (byte) (d[i] != 0 ? 1 : 0);
                break;
            }
            case INT32: b.asIntBuffer().get(s.ints()); break;
            case INT64: b.asLongBuffer().get(s.longs()); break;
            default: throw new AssertionError(dtype);
        }
        return t;
    }
}
