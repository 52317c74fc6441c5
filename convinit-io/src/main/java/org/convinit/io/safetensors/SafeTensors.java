package org.convinit.io.safetensors;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.core.StreamReadFeature;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
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
 * The safetensors format: an 8-byte little-endian header length N, N bytes of JSON
 * ({@code {"name": {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}}),
 * then the data. Reading treats the file as hostile, with the reference crate's rules and a few
 * stricter ones: header at most 100,000,000 bytes and starting with '{'; duplicate keys refused;
 * offsets sorted must start at 0, be contiguous and non-overlapping, and end exactly at the end of the
 * file; each span must equal numel × item size, computed with overflow checks.
 *
 * <p>The format carries no checksum: damage to tensor data cannot be detected when reading (a
 * damaged header is refused by the checks above). Keep a hash beside shared files, or use
 * {@code .pth}/{@code .npz}, whose zip records carry a CRC-32 that convinit checks.
 *
 * <p>Writing is deterministic (tensors ordered by dtype alignment, largest first, then by name, as the
 * reference writer does; compact JSON padded with spaces to a multiple of 8) and atomic.
 */
public final class SafeTensors {
    /** The reference crate's MAX_HEADER_SIZE. */
    public static final long MAX_HEADER_SIZE = 100_000_000L;
    private static final ObjectMapper JSON = new ObjectMapper(JsonFactory.builder()
            .enable(StreamReadFeature.STRICT_DUPLICATE_DETECTION).build());

    private SafeTensors() {}

    /** One tensor's entry in the header. */
    public record Entry(String name, DType dtype, Shape shape, long begin, long end) {}

    /** safetensors dtype string of a convinit dtype. */
    public static String formatName(DType dt) {
        switch (dt) {
            case FLOAT32: return "F32";
            case FLOAT64: return "F64";
            case FLOAT16: return "F16";
            case BFLOAT16: return "BF16";
            case INT8: return "I8";
            case UINT8: return "U8";
            case INT16: return "I16";
            case INT32: return "I32";
            case INT64: return "I64";
            case BOOL: return "BOOL";
            default: throw new AssertionError(dt);
        }
    }

    /** Bits per element of every dtype the format defines (null for an unknown string). */
    static Integer formatBits(String name) {
        switch (name) {
            case "BOOL": case "U8": case "I8": case "F8_E5M2": case "F8_E4M3": case "F8_E8M0":
            case "F8_E4M3FNUZ": case "F8_E5M2FNUZ": return 8;
            case "F4": return 4;
            case "F6_E2M3": case "F6_E3M2": return 6;
            case "I16": case "U16": case "F16": case "BF16": return 16;
            case "I32": case "U32": case "F32": return 32;
            case "C64": case "F64": case "I64": case "U64": return 64;
            default: return null;
        }
    }

    static DType dtypeOf(String name) {
        switch (name) {
            case "F32": return DType.FLOAT32;
            case "F64": return DType.FLOAT64;
            case "F16": return DType.FLOAT16;
            case "BF16": return DType.BFLOAT16;
            case "I8": return DType.INT8;
            case "U8": return DType.UINT8;
            case "I16": return DType.INT16;
            case "I32": return DType.INT32;
            case "I64": return DType.INT64;
            case "BOOL": return DType.BOOL;
            default: return null;
        }
    }

    // ------------------------------------------------------------------ writing

    /** Writes {@code tensors} (and string metadata, may be empty) to {@code path}, atomically. */
    public static void write(Path path, Map<String, Tensor> tensors, Map<String, String> metadata) throws CheckpointException {
        List<Map.Entry<String, Tensor>> order = new ArrayList<>(tensors.entrySet());
        order.sort(Comparator.<Map.Entry<String, Tensor>>comparingInt(e -> -e.getValue().dtype().itemSize())
                .thenComparing(Map.Entry::getKey));
        ObjectNode header = JSON.createObjectNode();
        if (metadata != null && !metadata.isEmpty()) {
            ObjectNode md = header.putObject("__metadata__");
            metadata.forEach(md::put);
        }
        long offset = 0;
        for (Map.Entry<String, Tensor> e : order) {
            if (e.getKey().equals("__metadata__")) {
                throw new IllegalArgumentException("tensor name '__metadata__' is reserved by the safetensors format");
            }
            Tensor t = e.getValue();
            long bytes = Math.multiplyExact(t.numel(), (long) t.dtype().itemSize());
            ObjectNode entry = header.putObject(e.getKey());
            entry.put("dtype", formatName(t.dtype()));
            ArrayNode shape = entry.putArray("shape");
            for (int d : t.shape().toArray()) shape.add(d);
            ArrayNode offs = entry.putArray("data_offsets");
            offs.add(offset);
            offs.add(offset + bytes);
            offset += bytes;
        }
        byte[] json;
        try {
            json = JSON.writeValueAsBytes(header);
        } catch (JsonProcessingException e) {
            throw new IllegalStateException(e);
        }
        int padded = (json.length + 7) / 8 * 8;
        byte[] head = new byte[8 + padded];
        ByteBuffer.wrap(head).order(ByteOrder.LITTLE_ENDIAN).putLong(padded);
        System.arraycopy(json, 0, head, 8, json.length);
        for (int i = 8 + json.length; i < head.length; i++) head[i] = ' ';
        AtomicFiles.write(path, (OutputStream out) -> {
            out.write(head);
            for (Map.Entry<String, Tensor> e : order) TensorBytes.writeTensor(e.getValue(), out);
        });
    }

    /** {@link #write(Path, Map, Map)} with metadata {@code {"format": "pt"}}. */
    public static void write(Path path, Map<String, Tensor> tensors) throws CheckpointException {
        write(path, tensors, Map.of("format", "pt"));
    }

    // ------------------------------------------------------------------ reading

    /** An open file: its validated index, with tensors read on demand by key. */
    public static final class Reader implements AutoCloseable {
        private final Path path;
        private final FileChannel channel;
        private final long dataStart;
        private final LinkedHashMap<String, Entry> entries;
        private final Map<String, String> metadata;

        private Reader(Path path, FileChannel channel, long dataStart, LinkedHashMap<String, Entry> entries,
                       Map<String, String> metadata) {
            this.path = path;
            this.channel = channel;
            this.dataStart = dataStart;
            this.entries = entries;
            this.metadata = metadata;
        }

        /** Entries in file (data offset) order. */
        public List<Entry> entries() {
            return List.copyOf(entries.values());
        }

        public Map<String, String> metadata() {
            return metadata;
        }

        /** Reads one tensor: costs about its own size. */
        public Tensor tensor(String name) throws CheckpointException {
            Entry e = entries.get(name);
            if (e == null) {
                throw new CheckpointException(Reason.MISSING_KEY, path + ": no tensor named '" + name + "'; the file has "
                        + entries.keySet());
            }
            if (e.dtype() == null) {
                throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, path + ": tensor '" + name + "' has a dtype convinit does not support");
            }
            long len = e.end() - e.begin();
            if (len > Integer.MAX_VALUE - 8) {
                throw new CheckpointException(Reason.TOO_LARGE, path + ": tensor '" + name + "' is " + len
                        + " bytes; at most " + (Integer.MAX_VALUE - 8) + " per tensor are supported");
            }
            try {
                Storage s = HeapLimit.guard(path, "tensor '" + name + "'", len, () ->
                        TensorBytes.readStorage(channel, dataStart + e.begin(), e.dtype(), e.shape().numel(), ByteOrder.LITTLE_ENDIAN));
                return Tensor.wrap(s, e.shape(), e.shape().contiguousStrides(), 0);
            } catch (java.io.EOFException ex) {
                throw new CheckpointException(Reason.TRUNCATED, path + ": file ends inside tensor '" + name + "'", ex);
            } catch (IOException ex) {
                throw new CheckpointException(Reason.IO, path + ": " + ex.getMessage(), ex);
            }
        }

        /** Every tensor, in file order. */
        public LinkedHashMap<String, Tensor> readAll() throws CheckpointException {
            long total = 0;
            for (Entry e : entries.values()) total += e.end() - e.begin();
            HeapLimit.require(path, total, "reading every tensor");
            LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
            for (String k : entries.keySet()) out.put(k, tensor(k));
            return out;
        }

        @Override
        public void close() {
            try {
                channel.close();
            } catch (IOException ignored) {
                // read-only channel: nothing to lose
            }
        }
    }

    /** Opens and validates a file's header; tensors are read later, by key. */
    public static Reader open(Path path) throws CheckpointException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, "cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            long size = ch.size();
            if (size < 8) throw new CheckpointException(Reason.TRUNCATED, path + ": " + size + " bytes, expected at least 8 (header length)");
            ByteBuffer lenBuf = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            readFully(ch, lenBuf, 0);
            long n = lenBuf.flip().getLong();
            if (n < 0 || n > MAX_HEADER_SIZE) {
                throw new CheckpointException(Reason.TOO_LARGE, path + ": header length " + Long.toUnsignedString(n)
                        + " exceeds the limit of " + MAX_HEADER_SIZE + " bytes");
            }
            if (8 + n > size) {
                throw new CheckpointException(Reason.TRUNCATED, path + ": header length " + n + " but the file has only "
                        + (size - 8) + " bytes after the length");
            }
            ByteBuffer hb = ByteBuffer.allocate((int) n);
            readFully(ch, hb, 8);
            hb.flip();
            Reader r = parseHeader(path, ch, hb, 8 + n, size);
            return r;
        } catch (CheckpointException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        } catch (IOException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw new CheckpointException(Reason.IO, path + ": " + e.getMessage(), e);
        }
    }

    /** Reads every tensor of a file, in file order. */
    public static LinkedHashMap<String, Tensor> read(Path path) throws CheckpointException {
        try (Reader r = open(path)) {
            return r.readAll();
        }
    }

    private static void readFully(FileChannel ch, ByteBuffer buf, long pos) throws IOException, CheckpointException {
        while (buf.hasRemaining()) {
            int r = ch.read(buf, pos + buf.position());
            if (r < 0) throw new CheckpointException(Reason.TRUNCATED, "file ends early");
        }
    }

    private static Reader parseHeader(Path path, FileChannel ch, ByteBuffer hb, long dataStart, long fileSize)
            throws CheckpointException {
        String text;
        try {
            text = StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(hb).toString();
        } catch (CharacterCodingException e) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": header is not valid UTF-8");
        }
        if (!text.startsWith("{")) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": header must start with '{'");
        }
        String trimmed = stripTrailingSpaces(text);
        JsonNode root;
        try (JsonParser p = JSON.getFactory().createParser(trimmed)) {
            root = JSON.readTree(p);
            if (p.nextToken() != null) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": trailing characters after the header JSON");
            }
        } catch (JsonProcessingException e) {
            boolean dup = e.getMessage() != null && e.getMessage().startsWith("Duplicate field");
            throw new CheckpointException(dup ? Reason.DUPLICATE_KEY : Reason.MALFORMED_HEADER,
                    path + ": " + (dup ? "duplicate key in header: " : "header is not valid JSON: ") + e.getOriginalMessage());
        } catch (IOException e) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": header is not valid JSON: " + e.getMessage());
        }
        if (root == null || !root.isObject()) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": header must be a JSON object");
        }
        Map<String, String> metadata = new LinkedHashMap<>();
        List<Entry> list = new ArrayList<>();
        for (Map.Entry<String, JsonNode> f : (Iterable<Map.Entry<String, JsonNode>>) root::fields) {
            String name = f.getKey();
            JsonNode v = f.getValue();
            if (name.equals("__metadata__")) {
                if (v.isNull()) continue;
                if (!v.isObject()) throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": __metadata__ must be an object of strings");
                for (Map.Entry<String, JsonNode> m : (Iterable<Map.Entry<String, JsonNode>>) v::fields) {
                    if (!m.getValue().isTextual()) {
                        throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": __metadata__ value of '" + m.getKey()
                                + "' must be a string");
                    }
                    metadata.put(m.getKey(), m.getValue().asText());
                }
                continue;
            }
            list.add(parseEntry(path, name, v));
        }
        list.sort(Comparator.comparingLong(Entry::begin).thenComparingLong(Entry::end));
        long expected = 0;
        LinkedHashMap<String, Entry> entries = new LinkedHashMap<>();
        for (Entry e : list) {
            if (e.begin() != expected) {
                throw new CheckpointException(Reason.BAD_OFFSETS, path + ": tensor '" + e.name() + "' starts at byte " + e.begin()
                        + ", expected " + expected + " (offsets must be contiguous, without gaps or overlaps)");
            }
            expected = e.end();
            entries.put(e.name(), e);
        }
        if (dataStart + expected != fileSize) {
            throw new CheckpointException(fileSize < dataStart + expected ? Reason.TRUNCATED : Reason.BAD_OFFSETS,
                    path + ": the tensors cover " + expected + " data bytes but the file has " + (fileSize - dataStart));
        }
        return new Reader(path, ch, dataStart, entries, metadata);
    }

    private static String stripTrailingSpaces(String s) {
        int end = s.length();
        while (end > 0 && s.charAt(end - 1) == ' ') end--;
        return s.substring(0, end);
    }

    private static Entry parseEntry(Path path, String name, JsonNode v) throws CheckpointException {
        String where = path + ": tensor '" + name + "'";
        if (!v.isObject()) throw new CheckpointException(Reason.MALFORMED_HEADER, where + " must be an object");
        JsonNode dt = v.get("dtype");
        JsonNode shape = v.get("shape");
        JsonNode offs = v.get("data_offsets");
        if (dt == null || !dt.isTextual()) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": missing string 'dtype'");
        Integer bits = formatBits(dt.asText());
        if (bits == null) {
            throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, where + ": unknown dtype '" + dt.asText() + "'");
        }
        if (shape == null || !shape.isArray()) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": missing array 'shape'");
        if (offs == null || !offs.isArray() || offs.size() != 2) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": 'data_offsets' must be [begin, end]");
        }
        int[] dims = new int[shape.size()];
        long bitCount = bits;
        for (int i = 0; i < dims.length; i++) {
            JsonNode d = shape.get(i);
            if (!d.isIntegralNumber() || !d.canConvertToLong() || d.asLong() < 0) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": shape " + shape + " must hold non-negative integers");
            }
            if (d.asLong() > Integer.MAX_VALUE) {
                throw new CheckpointException(Reason.TOO_LARGE, where + ": dim " + i + " of size " + d.asLong() + " is too large");
            }
            dims[i] = (int) d.asLong();
            try {
                bitCount = Math.multiplyExact(bitCount, d.asLong());
            } catch (ArithmeticException e) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": shape " + shape + " overflows");
            }
        }
        for (JsonNode o : offs) {
            if (!o.isIntegralNumber() || !o.canConvertToLong() || o.asLong() < 0) {
                throw new CheckpointException(Reason.BAD_OFFSETS, where + ": data_offsets " + offs + " must be non-negative integers");
            }
        }
        long begin = offs.get(0).asLong();
        long end = offs.get(1).asLong();
        if (end < begin) throw new CheckpointException(Reason.BAD_OFFSETS, where + ": data_offsets " + offs + " end before they begin");
        if (bitCount % 8 != 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": " + bitCount + " bits is not a whole number of bytes");
        if (end - begin != bitCount / 8) {
            throw new CheckpointException(Reason.BAD_SHAPE, where + ": dtype " + dt.asText() + " and shape " + shape
                    + " need " + (bitCount / 8) + " bytes, but data_offsets " + offs + " span " + (end - begin));
        }
        return new Entry(name, dtypeOf(dt.asText()), Shape.of(dims), begin, end);
    }
}
