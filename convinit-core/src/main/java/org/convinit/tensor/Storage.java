package org.convinit.tensor;

import org.convinit.internal.HalfFloats;

/**
 * A flat, typed buffer that one or more tensors view. Exactly one of the backing arrays is set,
 * chosen by the dtype: float32 {@code float[]}, float64 {@code double[]}, float16/bfloat16/int16
 * {@code short[]} (raw bits), int8/uint8/bool {@code byte[]}, int32 {@code int[]}, int64 {@code long[]}.
 * Element conversions follow C++ {@code static_cast} as torch uses it.
 */
public final class Storage {
    private final DType dtype;
    private final int size;
    private final float[] f32;
    private final double[] f64;
    private final short[] i16;
    private final byte[] i8;
    private final int[] i32;
    private final long[] i64;
    /** Bumped by every in-place change, so autograd can tell a saved tensor was modified. */
    private long version;

    private Storage(DType dtype, int size, Object array) {
        this.dtype = dtype;
        this.size = size;
        this.f32 = array instanceof float[] ? (float[]) array : null;
        this.f64 = array instanceof double[] ? (double[]) array : null;
        this.i16 = array instanceof short[] ? (short[]) array : null;
        this.i8 = array instanceof byte[] ? (byte[]) array : null;
        this.i32 = array instanceof int[] ? (int[]) array : null;
        this.i64 = array instanceof long[] ? (long[]) array : null;
    }

    /** A zero-filled storage of {@code size} elements. */
    public static Storage allocate(DType dtype, long size) {
        if (size < 0 || size > Integer.MAX_VALUE - 8) {
            throw new IllegalArgumentException("storage size " + size + " for " + dtype
                    + ": expected 0 to " + (Integer.MAX_VALUE - 8) + " elements");
        }
        int n = (int) size;
        switch (dtype) {
            case FLOAT32: return new Storage(dtype, n, new float[n]);
            case FLOAT64: return new Storage(dtype, n, new double[n]);
            case FLOAT16: case BFLOAT16: case INT16: return new Storage(dtype, n, new short[n]);
            case INT8: case UINT8: case BOOL: return new Storage(dtype, n, new byte[n]);
            case INT32: return new Storage(dtype, n, new int[n]);
            case INT64: return new Storage(dtype, n, new long[n]);
            default: throw new AssertionError(dtype);
        }
    }

    /** Wraps (does not copy) a float array. */
    public static Storage wrap(float[] data) {
        return new Storage(DType.FLOAT32, data.length, data);
    }

    /** Wraps (does not copy) a double array. */
    public static Storage wrap(double[] data) {
        return new Storage(DType.FLOAT64, data.length, data);
    }

    /** Wraps (does not copy) a long array as int64. */
    public static Storage wrap(long[] data) {
        return new Storage(DType.INT64, data.length, data);
    }

    /** Wraps (does not copy) an int array as int32. */
    public static Storage wrap(int[] data) {
        return new Storage(DType.INT32, data.length, data);
    }

    /** Wraps (does not copy) raw 16-bit values; dtype must be float16, bfloat16 or int16. */
    public static Storage wrap(DType dtype, short[] data) {
        if (dtype.itemSize() != 2) {
            throw new IllegalArgumentException("dtype " + dtype + " for a short[] storage: expected float16, bfloat16 or int16");
        }
        return new Storage(dtype, data.length, data);
    }

    /** Wraps (does not copy) raw bytes; dtype must be int8, uint8 or bool. */
    public static Storage wrap(DType dtype, byte[] data) {
        if (dtype.itemSize() != 1) {
            throw new IllegalArgumentException("dtype " + dtype + " for a byte[] storage: expected int8, uint8 or bool");
        }
        return new Storage(dtype, data.length, data);
    }

    public DType dtype() {
        return dtype;
    }

    /** The in-place change counter (torch's version counter, shared by all views of this storage). */
    public long version() {
        return version;
    }

    /** Records an in-place change. */
    public void bumpVersion() {
        version++;
    }

    public int size() {
        return size;
    }

    /** Backing array of a float32 storage (shared, not a copy), for kernels. */
    public float[] floats() {
        return backing(f32, "float32");
    }

    /** Backing array of a float64 storage (shared, not a copy), for kernels. */
    public double[] doubles() {
        return backing(f64, "float64");
    }

    /** Raw backing array of a 2-byte storage (float16, bfloat16, int16). */
    public short[] shorts() {
        return backing(i16, "a 2-byte type");
    }

    /** Raw backing array of a 1-byte storage (int8, uint8, bool). */
    public byte[] bytes() {
        return backing(i8, "a 1-byte type");
    }

    /** Backing array of an int32 storage. */
    public int[] ints() {
        return backing(i32, "int32");
    }

    /** Backing array of an int64 storage. */
    public long[] longs() {
        return backing(i64, "int64");
    }

    /** The backing array, whichever type it is (shared), for copies and kernels in this package. */
    Object array() {
        if (f32 != null) return f32;
        if (f64 != null) return f64;
        if (i16 != null) return i16;
        if (i8 != null) return i8;
        return i32 != null ? i32 : i64;
    }

    private <A> A backing(A array, String expected) {
        if (array == null) throw new IllegalStateException("storage is " + dtype + ", not " + expected);
        return array;
    }

    /** Element {@code i} as a double (exact for every dtype except int64 beyond 2^53). */
    public double getDouble(int i) {
        switch (dtype) {
            case FLOAT32: return f32[i];
            case FLOAT64: return f64[i];
            case FLOAT16: return HalfFloats.halfToFloat(i16[i]);
            case BFLOAT16: return HalfFloats.bf16ToFloat(i16[i]);
            case INT16: return i16[i];
            case INT8: return i8[i];
            case UINT8: return i8[i] & 0xFF;
            case BOOL: return i8[i] != 0 ? 1 : 0;
            case INT32: return i32[i];
            case INT64: return i64[i];
            default: throw new AssertionError(dtype);
        }
    }

    /** Element {@code i} as a long; floating values are truncated toward zero as C does. */
    public long getLong(int i) {
        switch (dtype) {
            case INT16: return i16[i];
            case INT8: return i8[i];
            case UINT8: return i8[i] & 0xFF;
            case BOOL: return i8[i] != 0 ? 1 : 0;
            case INT32: return i32[i];
            case INT64: return i64[i];
            default: return (long) getDouble(i);
        }
    }

    /** Stores {@code v} at {@code i}, converted as torch converts a double to this dtype. */
    public void setDouble(int i, double v) {
        switch (dtype) {
            case FLOAT32: f32[i] = (float) v; break;
            case FLOAT64: f64[i] = v; break;
            case FLOAT16: i16[i] = HalfFloats.floatToHalf((float) v); break;
            case BFLOAT16: i16[i] = HalfFloats.floatToBf16((float) v); break;
            case BOOL: i8[i] = (byte) (v != 0 ? 1 : 0); break; // NaN != 0 is true, as in C
            default: setLong(i, (long) v); break;
        }
    }

    /** Stores {@code v} at {@code i}, converted as torch converts an int64 to this dtype (integers wrap). */
    public void setLong(int i, long v) {
        switch (dtype) {
            case FLOAT32: f32[i] = (float) v; break;
            case FLOAT64: f64[i] = (double) v; break;
            case FLOAT16: i16[i] = HalfFloats.floatToHalf((float) v); break;
            case BFLOAT16: i16[i] = HalfFloats.floatToBf16((float) v); break;
            case INT16: i16[i] = (short) v; break;
            case INT8: case UINT8: i8[i] = (byte) v; break;
            case BOOL: i8[i] = (byte) (v != 0 ? 1 : 0); break;
            case INT32: i32[i] = (int) v; break;
            case INT64: i64[i] = v; break;
            default: throw new AssertionError(dtype);
        }
    }

    /** A new storage holding a copy of this one's elements. */
    public Storage copy() {
        Object a = array();
        Object c = java.lang.reflect.Array.newInstance(a.getClass().getComponentType(), size);
        System.arraycopy(a, 0, c, 0, size);
        return new Storage(dtype, size, c);
    }
}
