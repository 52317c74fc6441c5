package org.convinit.io.numpy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.HeapLimit;
import org.convinit.io.TensorBytes;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * NumPy's {@code .npy} format: {@code \x93NUMPY}, version, header length, a Python dict literal
 * {@code {'descr': '<f4', 'fortran_order': False, 'shape': (3, 4), }} padded so the data starts at a
 * multiple of 64, then the raw data. The header is parsed by a tiny literal parser (never evaluated),
 * capped at {@value #MAX_HEADER} bytes as numpy does. Accepted dtypes: {@code b1 i1 i2 i4 i8 u1 f2 f4 f8}
 * in either byte order; object arrays (a pickle), strings, structured, datetime and complex dtypes are
 * refused. Fortran-order data is returned in C order.
 */
public final class Npy {
    public static final int MAX_HEADER = 10_000;
    private static final byte[] MAGIC = {(byte) 0x93, 'N', 'U', 'M', 'P', 'Y'};

    private Npy() {}

    /** A parsed header: dtype, byte order, layout, shape, and where the data starts. */
    public record Header(DType dtype, String descr, ByteOrder order, boolean fortran, Shape shape, int dataOffset) {
        public long nbytes() {
            return shape.numel() * dtype.itemSize();
        }
    }

    /** Reads a {@code .npy} file into a new contiguous tensor. */
    public static Tensor read(Path path) throws CheckpointException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, MAX_HEADER + 12));
            while (head.hasRemaining()) if (ch.read(head, head.position()) < 0) break;
            head.flip();
            Header h = parseHeader(head, path.toString());
            long n = h.nbytes();
            if (size - h.dataOffset() != n) {
                throw new CheckpointException(size - h.dataOffset() < n ? Reason.TRUNCATED : Reason.BAD_SHAPE, path + ": " + h.descr() + " array of shape "
                        + h.shape() + " needs " + n + " data bytes, the file has " + (size - h.dataOffset()));
            }
            checkSize(h, path.toString());
            Storage s = HeapLimit.guard(path, "its array", n, () -> TensorBytes.readStorage(ch, h.dataOffset(), h.dtype(), h.shape().numel(), h.order()));
            return layout(s, h);
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, "cannot read " + path + ": " + e.getMessage(), e);
        }
    }

    static void checkSize(Header h, String where) throws CheckpointException {
        if (h.shape().numel() > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(Reason.TOO_LARGE, where + ": array of " + h.shape().numel() + " elements exceeds what convinit holds");
        }
    }

    /** A tensor over storage {@code s} with the header's shape, in C order. */
    static Tensor layout(Storage s, Header h) {
        int[] dims = h.shape().toArray();
        if (!h.fortran() || dims.length < 2) return Tensor.wrap(s, h.shape(), h.shape().contiguousStrides(), 0);
        int[] strides = new int[dims.length];
        long acc = 1;
        for (int i = 0; i < dims.length; i++) {
            strides[i] = (int) acc;
            acc *= Math.max(dims[i], 1);
        }
        return Tensor.wrap(s, h.shape(), strides, 0).contiguous();
    }

    /** Tensor from bytes of a whole {@code .npy} file (used for {@code .npz} entries). */
    static Tensor fromBytes(ByteBuffer all, String where) throws CheckpointException {
        Header h = parseHeader(all.duplicate(), where);
        long n = h.nbytes();
        if (all.remaining() - h.dataOffset() != n) {
            throw new CheckpointException(all.remaining() - h.dataOffset() < n ? Reason.TRUNCATED : Reason.BAD_SHAPE, where + ": " + h.descr()
                    + " array of shape " + h.shape() + " needs " + n + " data bytes, the entry has " + (all.remaining() - h.dataOffset()));
        }
        checkSize(h, where);
        ByteBuffer data = all.duplicate();
        data.position(all.position() + h.dataOffset());
        return layout(TensorBytes.storageFrom(data, h.dtype(), h.shape().numel(), h.order()), h);
    }

    /** Parses the magic, version and header dict at the buffer's position. */
    public static Header parseHeader(ByteBuffer b, String where) throws CheckpointException {
        b = b.slice().order(ByteOrder.LITTLE_ENDIAN);
        if (b.remaining() < 10) throw new CheckpointException(Reason.TRUNCATED, where + ": too short for a .npy header");
        for (int i = 0; i < MAGIC.length; i++) {
            if (b.get(i) != MAGIC[i]) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": not a .npy file (bad magic)");
        }
        int major = b.get(6) & 0xFF;
        long hlen;
        int start;
        if (major == 1) {
            hlen = b.getShort(8) & 0xFFFF;
            start = 10;
        } else if (major == 2 || major == 3) {
            if (b.remaining() < 12) throw new CheckpointException(Reason.TRUNCATED, where + ": too short for a .npy header");
            hlen = b.getInt(8) & 0xFFFFFFFFL;
            start = 12;
        } else {
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, where + ": .npy format version " + major + " (1, 2 and 3 are read)");
        }
        if (hlen > MAX_HEADER) throw new CheckpointException(Reason.TOO_LARGE, where + ": .npy header of " + hlen + " bytes (at most " + MAX_HEADER + ")");
        if (start + hlen > b.remaining()) throw new CheckpointException(Reason.TRUNCATED, where + ": file ends inside the .npy header");
        byte[] hb = new byte[(int) hlen];
        b.position(start);
        b.get(hb);
        String text = new String(hb, major == 3 ? StandardCharsets.UTF_8 : StandardCharsets.ISO_8859_1);
        Map<String, Object> dict = new Literal(text, where).dict();
        if (!dict.keySet().equals(java.util.Set.of("descr", "fortran_order", "shape"))) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": .npy header keys " + dict.keySet() + " (expected descr, fortran_order, shape)");
        }
        Object descr = dict.get("descr");
        if (!(descr instanceof String)) {
            throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, where + ": structured .npy dtype " + descr + " is not supported");
        }
        Object fortran = dict.get("fortran_order");
        if (!(fortran instanceof Boolean)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": fortran_order must be True or False");
        Object shape = dict.get("shape");
        if (!(shape instanceof List)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": shape must be a tuple");
        List<?> sl = (List<?>) shape;
        if (sl.size() > 64) throw new CheckpointException(Reason.TOO_LARGE, where + ": array of rank " + sl.size());
        int[] dims = new int[sl.size()];
        long numel = 1;
        for (int i = 0; i < dims.length; i++) {
            Object d = sl.get(i);
            if (!(d instanceof Long) || (Long) d < 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": shape " + sl + " must hold non-negative integers");
            if ((Long) d > Integer.MAX_VALUE - 8) throw new CheckpointException(Reason.TOO_LARGE, where + ": shape " + sl + " is too large");
            dims[i] = (int) (long) (Long) d;
            try {
                numel = Math.multiplyExact(numel, dims[i]);
            } catch (ArithmeticException e) {
                throw new CheckpointException(Reason.TOO_LARGE, where + ": shape " + sl + " overflows");
            }
        }
        String ds = (String) descr;
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        String kind = ds;
        if (!ds.isEmpty() && "<>|=".indexOf(ds.charAt(0)) >= 0) {
            if (ds.charAt(0) == '>') order = ByteOrder.BIG_ENDIAN;
            kind = ds.substring(1);
        }
        DType dt = dtypeOf(kind);
        if (dt == null) {
            throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, where + ": .npy dtype '" + ds + "'"
                    + (kind.startsWith("O") ? " (object arrays hold pickles and are refused)" : " is not supported (b1, i1, i2, i4, i8, u1, f2, f4, f8 are)"));
        }
        return new Header(dt, ds, order, (Boolean) fortran, Shape.of(dims), (int) (start + hlen));
    }

    static DType dtypeOf(String kind) {
        switch (kind) {
            case "b1": case "?": return DType.BOOL;
            case "i1": return DType.INT8;
            case "u1": return DType.UINT8;
            case "i2": return DType.INT16;
            case "i4": return DType.INT32;
            case "i8": return DType.INT64;
            case "f2": return DType.FLOAT16;
            case "f4": return DType.FLOAT32;
            case "f8": return DType.FLOAT64;
            default: return null;
        }
    }

    static String descrOf(DType dt) {
        switch (dt) {
            case BOOL: return "|b1";
            case INT8: return "|i1";
            case UINT8: return "|u1";
            case INT16: return "<i2";
            case INT32: return "<i4";
            case INT64: return "<i8";
            case FLOAT16: return "<f2";
            case FLOAT32: return "<f4";
            case FLOAT64: return "<f8";
            default:
                throw new IllegalArgumentException("dtype " + dt + " for a .npy file: NumPy has no such dtype; convert it first (e.g. to float32)");
        }
    }

    /** The header bytes (magic through padding) numpy writes for this tensor: version 1.0, data at a multiple of 64. */
    static byte[] header(Tensor t) {
        StringBuilder sb = new StringBuilder("{'descr': '").append(descrOf(t.dtype())).append("', 'fortran_order': False, 'shape': (");
        int[] dims = t.shape().toArray();
        for (int i = 0; i < dims.length; i++) {
            sb.append(dims[i]);
            if (dims.length == 1 || i < dims.length - 1) sb.append(", ");
        }
        if (dims.length == 1) sb.setLength(sb.length() - 1);
        sb.append("), }");
        int total = 10 + sb.length() + 1;
        int pad = (64 - total % 64) % 64;
        sb.append(" ".repeat(pad)).append('\n');
        byte[] text = sb.toString().getBytes(StandardCharsets.ISO_8859_1);
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        out.write(MAGIC, 0, MAGIC.length);
        out.write(1);
        out.write(0);
        out.write(text.length & 0xFF);
        out.write(text.length >>> 8);
        out.write(text, 0, text.length);
        return out.toByteArray();
    }

    /** Writes {@code .npy} content (header + C-order little-endian data) to a stream. */
    public static void write(Tensor t, OutputStream out) throws IOException {
        out.write(header(t));
        TensorBytes.writeTensor(t, out);
    }

    /** Size in bytes of {@link #write(Tensor, OutputStream)}'s output. */
    static long size(Tensor t) {
        return header(t).length + t.numel() * t.dtype().itemSize();
    }

    /** Writes one tensor as a {@code .npy} file, atomically. */
    public static void write(Path path, Tensor t) throws CheckpointException {
        descrOf(t.dtype());
        AtomicFiles.write(path, out -> write(t, out));
    }

    /** A literal parser for the header dict: strings, True/False, ints, tuples, dicts. Nothing is evaluated. */
    private static final class Literal {
        private final String s;
        private final String where;
        private int i;

        Literal(String s, String where) {
            this.s = s;
            this.where = where;
        }

        Map<String, Object> dict() throws CheckpointException {
            ws();
            Object v = value(0);
            ws();
            if (i != s.length()) throw bad("trailing characters after the header dict");
            if (!(v instanceof Map)) throw bad("header is not a dict");
            @SuppressWarnings("unchecked")
            Map<String, Object> m = (Map<String, Object>) v;
            return m;
        }

        private CheckpointException bad(String msg) {
            return new CheckpointException(Reason.MALFORMED_HEADER, where + ": .npy " + msg);
        }

        private void ws() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        private Object value(int depth) throws CheckpointException {
            if (depth > 8) throw bad("header nests too deeply");
            ws();
            if (i >= s.length()) throw bad("header ends early");
            char c = s.charAt(i);
            if (c == '{') {
                i++;
                Map<String, Object> m = new LinkedHashMap<>();
                while (true) {
                    ws();
                    if (i < s.length() && s.charAt(i) == '}') { i++; return m; }
                    Object k = value(depth + 1);
                    if (!(k instanceof String)) throw bad("header dict key is not a string");
                    ws();
                    expect(':');
                    Object v = value(depth + 1);
                    if (m.put((String) k, v) != null) throw bad("header repeats key '" + k + "'");
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
                    ws();
                    expect('}');
                    return m;
                }
            }
            if (c == '(' || c == '[') {
                char close = c == '(' ? ')' : ']';
                i++;
                List<Object> l = new ArrayList<>();
                while (true) {
                    ws();
                    if (i < s.length() && s.charAt(i) == close) { i++; return c == '(' ? l : new ArrayList<>(List.of("__list__", l)); }
                    l.add(value(depth + 1));
                    ws();
                    if (i < s.length() && s.charAt(i) == ',') { i++; continue; }
                    ws();
                    expect(close);
                    return c == '(' ? l : List.of("__list__", l);
                }
            }
            if (c == '\'' || c == '"') {
                int end = s.indexOf(c, i + 1);
                if (end < 0) throw bad("unterminated string");
                String v = s.substring(i + 1, end);
                if (v.indexOf('\\') >= 0) throw bad("escapes in header strings are not supported");
                i = end + 1;
                return v;
            }
            if (s.startsWith("True", i)) { i += 4; return Boolean.TRUE; }
            if (s.startsWith("False", i)) { i += 5; return Boolean.FALSE; }
            int st = i;
            if (c == '-') i++;
            while (i < s.length() && Character.isDigit(s.charAt(i)) && i - st < 20) i++;
            if (i < s.length() && s.charAt(i) == 'L') i++;
            String num = s.substring(st, i).replace("L", "");
            if (num.isEmpty() || num.equals("-")) throw bad("unexpected character '" + c + "' in header");
            try {
                return Long.parseLong(num);
            } catch (NumberFormatException e) {
                throw bad("integer " + num + " is out of range");
            }
        }

        private void expect(char c) throws CheckpointException {
            if (i >= s.length() || s.charAt(i) != c) throw bad("expected '" + c + "' at character " + i);
            i++;
        }
    }
}
