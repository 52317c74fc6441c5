package org.convinit.data;

import java.io.BufferedInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPInputStream;
import java.util.zip.ZipException;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * Reader for the IDX format of MNIST and Fashion-MNIST (LeCun): two zero bytes, a data type code, the number
 * of dimensions, each dimension's size as a big-endian int32, then the elements in row-major order,
 * big-endian. Files compressed with gzip (detected by the magic bytes {@code 1f 8b}) are decompressed on the fly.
 *
 * <table>
 * <caption>IDX type codes and the tensor dtypes they are read as</caption>
 * <tr><th>code</th><th>IDX type</th><th>dtype</th></tr>
 * <tr><td>0x08</td><td>unsigned byte</td><td>uint8</td></tr>
 * <tr><td>0x09</td><td>signed byte</td><td>int8</td></tr>
 * <tr><td>0x0B</td><td>short (2 bytes)</td><td>int16</td></tr>
 * <tr><td>0x0C</td><td>int (4 bytes)</td><td>int32</td></tr>
 * <tr><td>0x0D</td><td>float (4 bytes)</td><td>float32</td></tr>
 * <tr><td>0x0E</td><td>double (8 bytes)</td><td>float64</td></tr>
 * </table>
 *
 * The file is treated as hostile: the header must declare a known type, 1 to 255 dimensions and sizes
 * whose product fits a Java array, and the data must have exactly the declared length (for a gzip file,
 * the decompressed data; memory grows with the data actually read, not with the header's claim).
 */
public final class Idx {
    /** Largest element count (and byte count) a storage holds. */
    static final long MAX_ELEMENTS = Integer.MAX_VALUE - 8;

    private Idx() {}

    /** Reads an IDX file, plain or gzip-compressed, into a contiguous tensor of the file's type and shape. */
    public static Tensor read(Path file) throws IOException {
        try (InputStream raw = Files.newInputStream(file)) {
            return readMaybeGzip(raw, file.toString(), Files.size(file));
        }
    }

    /**
     * Reads an IDX stream, plain or gzip-compressed (for example a classpath resource), into a contiguous tensor of
     * the stream's type and shape. {@code name} is used in messages. The stream is read to its end, not closed.
     */
    public static Tensor read(InputStream stream, String name) throws IOException {
        return readMaybeGzip(stream, name, -1);
    }

    private static Tensor readMaybeGzip(InputStream stream, String name, long plainBytes) throws IOException {
        InputStream raw = new BufferedInputStream(stream, 1 << 16);
        raw.mark(2);
        int b0 = raw.read();
        int b1 = raw.read();
        raw.reset();
        if (b0 == 0x1f && b1 == 0x8b) {
            try {
                return read(new GZIPInputStream(raw, 1 << 16), name + " (gzip)", -1);
            } catch (ZipException | EOFException e) {
                throw new IdxFormatException(name + ": corrupt or truncated gzip data: " + e.getMessage(), e);
            }
        }
        return read(raw, name, plainBytes);
    }

    /**
     * Reads one IDX stream. {@code name} is used in messages; {@code totalBytes} is the stream length when
     * known (a plain file), so a size mismatch is refused before any data is allocated; -1 if unknown.
     */
    static Tensor read(InputStream in, String name, long totalBytes) throws IOException {
        byte[] magic = readHeader(in, 4, name, "the 4-byte magic number");
        if (magic[0] != 0 || magic[1] != 0) {
            throw new IdxFormatException(String.format("%s: not an IDX file: it starts with 0x%02x 0x%02x, expected 0x00 0x00",
                    name, magic[0] & 0xFF, magic[1] & 0xFF));
        }
        DType dtype = dtypeOf(magic[2] & 0xFF, name);
        int rank = magic[3] & 0xFF;
        if (rank == 0) throw new IdxFormatException(name + ": the header declares 0 dimensions, expected 1 to 255");
        ByteBuffer dimBytes = ByteBuffer.wrap(readHeader(in, 4 * rank, name, rank + " dimension sizes")).order(ByteOrder.BIG_ENDIAN);
        int[] dims = new int[rank];
        java.math.BigInteger product = java.math.BigInteger.ONE;
        for (int d = 0; d < rank; d++) {
            long size = dimBytes.getInt() & 0xFFFFFFFFL;
            if (size > Integer.MAX_VALUE) {
                throw new IdxFormatException(name + ": dimension " + d + " has size " + size + ", expected at most " + Integer.MAX_VALUE);
            }
            dims[d] = (int) size;
            product = product.multiply(java.math.BigInteger.valueOf(size));
        }
        if (product.compareTo(java.math.BigInteger.valueOf(MAX_ELEMENTS)) > 0) {
            throw new IdxFormatException(name + ": the header declares shape " + Arrays.toString(dims) + ", " + product
                    + " elements, more than a tensor can hold (" + MAX_ELEMENTS + ")");
        }
        // an empty shape passes the count check, but its strides must be ints too: as Shape.contiguousStrides
        // computes them (and torch), the product of the trailing sizes with a size 0 counted as 1
        long stride = 1;
        for (int d = rank - 1; d > 0; d--) {
            stride *= Math.max(dims[d], 1); // <= MAX_ELEMENTS * Integer.MAX_VALUE: no overflow
            if (stride > MAX_ELEMENTS) {
                throw new IdxFormatException(name + ": the header declares shape " + Arrays.toString(dims) + ", whose dimension "
                        + (d - 1) + " has a stride of " + stride + " elements, more than a tensor can index (" + MAX_ELEMENTS + ")");
            }
        }
        long count = product.longValueExact();
        Shape shape = Shape.of(dims);
        long dataBytes = count * dtype.itemSize();
        if (dataBytes > MAX_ELEMENTS) {
            throw new IdxFormatException(name + ": the header declares shape " + shape + " of " + dtype + ", " + dataBytes
                    + " bytes of data, more than " + MAX_ELEMENTS + " bytes");
        }
        long headerBytes = 4 + 4L * rank;
        if (totalBytes >= 0 && totalBytes != headerBytes + dataBytes) {
            throw new IdxFormatException(name + ": the header declares shape " + shape + " of " + dtype + ", which needs "
                    + dataBytes + " data bytes after the " + headerBytes + "-byte header, but the file has "
                    + (totalBytes - headerBytes) + " (file size " + totalBytes + ")");
        }
        byte[] data = readData(in, (int) dataBytes, name, shape, dtype, headerBytes);
        if (in.read() != -1) {
            throw new IdxFormatException(name + ": the header declares shape " + shape + " of " + dtype + ", which needs "
                    + dataBytes + " data bytes after the " + headerBytes + "-byte header, but more data follows");
        }
        return Tensor.wrap(storage(dtype, data), shape, shape.contiguousStrides(), 0);
    }

    private static DType dtypeOf(int code, String name) throws IdxFormatException {
        switch (code) {
            case 0x08: return DType.UINT8;
            case 0x09: return DType.INT8;
            case 0x0B: return DType.INT16;
            case 0x0C: return DType.INT32;
            case 0x0D: return DType.FLOAT32;
            case 0x0E: return DType.FLOAT64;
            default:
                throw new IdxFormatException(String.format("%s: unknown IDX data type code 0x%02x, expected 0x08 (uint8), "
                        + "0x09 (int8), 0x0b (int16), 0x0c (int32), 0x0d (float32) or 0x0e (float64)", name, code));
        }
    }

    /** IDX type code of a dtype, for writers. */
    static int typeCode(DType dtype) {
        switch (dtype) {
            case UINT8: return 0x08;
            case INT8: return 0x09;
            case INT16: return 0x0B;
            case INT32: return 0x0C;
            case FLOAT32: return 0x0D;
            case FLOAT64: return 0x0E;
            default: throw new IllegalArgumentException("dtype " + dtype + ": IDX holds uint8, int8, int16, int32, float32 or float64");
        }
    }

    private static byte[] readHeader(InputStream in, int n, String name, String what) throws IOException {
        byte[] b = in.readNBytes(n);
        if (b.length < n) {
            throw new IdxFormatException(name + ": truncated header: expected " + what + " (" + n + " bytes), found " + b.length);
        }
        return b;
    }

    /** Reads exactly {@code n} bytes, growing the buffer as data arrives (a lying header cannot force a huge allocation). */
    private static byte[] readData(InputStream in, int n, String name, Shape shape, DType dtype, long headerBytes) throws IOException {
        byte[] buf = new byte[Math.min(n, 1 << 20)];
        int filled = 0;
        while (filled < n) {
            if (filled == buf.length) buf = Arrays.copyOf(buf, (int) Math.min(n, 2L * buf.length));
            int r = in.read(buf, filled, buf.length - filled);
            if (r < 0) {
                throw new IdxFormatException(name + ": the header declares shape " + shape + " of " + dtype + ", which needs "
                        + n + " data bytes after the " + headerBytes + "-byte header, but the data ends after " + filled);
            }
            filled += r;
        }
        return buf;
    }

    private static Storage storage(DType dtype, byte[] data) {
        ByteBuffer bb = ByteBuffer.wrap(data).order(ByteOrder.BIG_ENDIAN);
        switch (dtype) {
            case UINT8: case INT8: return Storage.wrap(dtype, data);
            case INT16: {
                short[] s = new short[data.length / 2];
                bb.asShortBuffer().get(s);
                return Storage.wrap(DType.INT16, s);
            }
            case INT32: {
                int[] s = new int[data.length / 4];
                bb.asIntBuffer().get(s);
                return Storage.wrap(s);
            }
            case FLOAT32: {
                float[] s = new float[data.length / 4];
                bb.asFloatBuffer().get(s);
                return Storage.wrap(s);
            }
            case FLOAT64: {
                double[] s = new double[data.length / 8];
                bb.asDoubleBuffer().get(s);
                return Storage.wrap(s);
            }
            default: throw new AssertionError(dtype);
        }
    }

    /** The bytes of an IDX file holding {@code t} (uint8, int8, int16, int32, float32 or float64; at least 1-D). */
    public static byte[] encode(Tensor t) {
        int code = typeCode(t.dtype());
        if (t.dim() == 0 || t.dim() > 255) throw new IllegalArgumentException("tensor of shape " + t.shape() + ": IDX holds 1 to 255 dimensions");
        int n = (int) t.numel();
        ByteBuffer bb = ByteBuffer.allocate(Math.toIntExact(4 + 4L * t.dim() + (long) n * t.dtype().itemSize())).order(ByteOrder.BIG_ENDIAN);
        bb.put((byte) 0).put((byte) 0).put((byte) code).put((byte) t.dim());
        for (int d = 0; d < t.dim(); d++) bb.putInt(t.size(d));
        Tensor c = t.contiguous();
        Storage s = c.storage();
        int off = c.storageOffset();
        for (int i = 0; i < n; i++) {
            switch (t.dtype()) {
                case UINT8: case INT8: bb.put(s.bytes()[off + i]); break;
                case INT16: bb.putShort(s.shorts()[off + i]); break;
                case INT32: bb.putInt(s.ints()[off + i]); break;
                case FLOAT32: bb.putFloat(s.floats()[off + i]); break;
                default: bb.putDouble(s.doubles()[off + i]); break;
            }
        }
        return bb.array();
    }
}
