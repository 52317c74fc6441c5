package org.convinit.io;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.internal.zip.ZipArchive;
import org.convinit.io.numpy.Npy;
import org.convinit.io.numpy.Npz;
import org.convinit.io.pth.PthReader;
import org.convinit.io.pth.PthWriter;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.Tensor;

/**
 * The one entry point for checkpoint files of every format convinit reads and writes.
 *
 * <pre>{@code
 * Format f = Checkpoints.detect(path);                 // by magic bytes, not by extension
 * try (CheckpointReader r = Checkpoints.open(path)) {  // reads the index only
 *     for (TensorInfo i : r.entries()) ...             // name, dtype, shape, in file order
 *     Tensor w = r.tensor("conv1.weight");             // reads that tensor's storage only
 * }
 * LinkedHashMap<String, Tensor> all = Checkpoints.readTensors(path);  // every tensor, flattened names
 * Map<String, Object> tree = Checkpoints.read(path);   // nested containers and plain values kept
 * Checkpoints.write(out, stateDict);                   // format chosen by extension, atomic
 * }</pre>
 *
 * <p>Formats: {@code torch.save} zip (torch >= 1.6) and legacy checkpoints ({@link PthReader},
 * {@link PthWriter}); safetensors ({@link SafeTensors}); NumPy {@code .npy} and {@code .npz}
 * ({@link Npy}, {@link Npz}). TorchScript archives are recognized and refused.
 *
 * <p>Names: nested containers are flattened into names joined with {@code '.'}; list and tuple
 * items by index ({@code optimizer.param_groups.0.params.1}); a bare tensor at the root (a
 * {@code torch.save(t)} file, a {@code .npy} file) is named {@code ""}. Tensors that share a
 * storage in a {@code .pth} file share one storage when read through one reader.
 *
 * <p>Every failure caused by the file is a {@link CheckpointException} with a {@link Reason}.
 *
 * <p>Integrity: every zip record of a {@code .pth} or {@code .npz} is checked against its CRC-32 as
 * it is read (a lazy read of one tensor checks just its record); a mismatch is refused with
 * {@link Reason#CHECKSUM}, naming the record and the tensor. {@link ReadOptions#withoutChecksums()}
 * turns the check off. safetensors, {@code .npy} and legacy {@code .pth} files carry no checksum:
 * damage to their tensor data cannot be detected. A file whose tensors cannot fit the heap is
 * refused with {@link Reason#NOT_ENOUGH_MEMORY} and the {@code -Xmx} to give ({@link HeapLimit}).
 */
public final class Checkpoints {
    private Checkpoints() {}

    /** What torch's legacy writer emits first: PROTO 2, LONG1 of the magic number 0x1950a86a20f9469cfc6c, STOP. */
    private static final byte[] LEGACY_MAGIC = {(byte) 0x80, 2, (byte) 0x8a, 10, 0x6c, (byte) 0xfc, (byte) 0x9c, 0x46, (byte) 0xf9, 0x20,
        0x6a, (byte) 0xa8, 0x50, 0x19, 0x2e};

    /** Identifies a file's format from its first bytes (and, for zips, its entry names). */
    public static Format detect(Path path) throws CheckpointException {
        try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
            long size = ch.size();
            ByteBuffer head = ByteBuffer.allocate((int) Math.min(size, 16)).order(ByteOrder.LITTLE_ENDIAN);
            while (head.hasRemaining()) if (ch.read(head, head.position()) < 0) break;
            head.flip();
            int n = head.remaining();
            if (n >= 4 && head.getInt(0) == 0x04034b50) {
                ZipArchive zip = ZipArchive.open(path, ch);
                List<String> names = zip.names();
                if (!names.isEmpty() && names.stream().allMatch(x -> x.endsWith(".npy"))) return Format.NPZ;
                for (String x : names) {
                    int slash = x.indexOf('/');
                    if (slash > 0 && (x.substring(slash + 1).equals("constants.pkl") || x.substring(slash + 1).startsWith("code/"))) {
                        return Format.TORCHSCRIPT;
                    }
                }
                return Format.PTH_ZIP;
            }
            if (n >= 8 && head.get(0) == 'P' && head.get(1) == 'Y' && head.get(2) == 'T' && head.get(3) == 'O'
                    && head.get(4) == 'R' && head.get(5) == 'C' && head.get(6) == 'H' && head.get(7) == '1') {
                return Format.TORCHSCRIPT;
            }
            if (n >= 6 && (head.get(0) & 0xFF) == 0x93 && head.get(1) == 'N' && head.get(2) == 'U' && head.get(3) == 'M'
                    && head.get(4) == 'P' && head.get(5) == 'Y') {
                return Format.NPY;
            }
            if (n >= LEGACY_MAGIC.length && head.duplicate().limit(LEGACY_MAGIC.length).equals(ByteBuffer.wrap(LEGACY_MAGIC))) {
                return Format.PTH_LEGACY;
            }
            if (n >= 9) {
                // checked before the generic pickle test: a header length whose low byte is 0x80 is common
                long hl = head.getLong(0);
                if (hl > 0 && hl <= size - 8) {
                    for (int i = 8; i < n; i++) {
                        byte b = head.get(i);
                        if (b == '{') return Format.SAFETENSORS;
                        if (b != ' ' && b != '\t' && b != '\n' && b != '\r') break;
                    }
                }
            }
            if (n >= 2 && (head.get(0) & 0xFF) == 0x80 && head.get(1) >= 2 && head.get(1) <= 5) return Format.PTH_LEGACY;
            if (size > 262) {
                ByteBuffer tar = ByteBuffer.allocate(5);
                ch.read(tar, 257);
                if (new String(tar.array(), java.nio.charset.StandardCharsets.US_ASCII).equals("ustar")) {
                    throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": pre-0.4 tar checkpoint; re-save it with a modern torch");
                }
            }
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": not a checkpoint convinit reads "
                    + "(torch .pth/.pt, safetensors, .npy, .npz)");
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, "cannot read " + path + ": " + AtomicFiles.describe(e), e);
        }
    }

    /** Opens a checkpoint of any supported format, with CRC checks on; only its index is read. */
    public static CheckpointReader open(Path path) throws CheckpointException {
        return open(path, ReadOptions.DEFAULT);
    }

    /** Opens a checkpoint of any supported format with the given options; only its index is read. */
    public static CheckpointReader open(Path path, ReadOptions options) throws CheckpointException {
        Format f = detect(path);
        switch (f) {
            case PTH_ZIP:
            case PTH_LEGACY:
                return PthReader.open(path, options);
            case TORCHSCRIPT:
                throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": " + PthReader.TORCHSCRIPT_MESSAGE);
            case SAFETENSORS:
                return new SafeTensorsReader(SafeTensors.open(path));
            case NPZ:
                return Npz.open(path, options);
            case NPY:
                return new NpyReader(path);
            default:
                throw new AssertionError(f);
        }
    }

    /**
     * The content of a checkpoint with tensors read: for {@code .pth}, the saved structure (dicts as
     * {@code Map<String, Object>} with Python's {@code str} of each key, lists, plain values; a
     * non-dict root is returned under the key {@code ""}); for other formats, name to tensor.
     */
    public static Map<String, Object> read(Path path) throws CheckpointException {
        return read(path, ReadOptions.DEFAULT);
    }

    /** {@link #read(Path)} with the given options. */
    @SuppressWarnings("unchecked")
    public static Map<String, Object> read(Path path, ReadOptions options) throws CheckpointException {
        try (CheckpointReader r = open(path, options)) {
            Object t = r.tree();
            if (t instanceof Map) return (Map<String, Object>) t;
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("", t);
            return m;
        }
    }

    /** Every tensor of a checkpoint by flattened name, in file order. */
    public static LinkedHashMap<String, Tensor> readTensors(Path path) throws CheckpointException {
        return readTensors(path, ReadOptions.DEFAULT);
    }

    /** {@link #readTensors(Path)} with the given options. */
    public static LinkedHashMap<String, Tensor> readTensors(Path path, ReadOptions options) throws CheckpointException {
        try (CheckpointReader r = open(path, options)) {
            return r.readAll();
        }
    }

    /** The format a file name's extension asks for when writing. */
    public static Format formatForName(Path path) {
        String n = path.getFileName() == null ? "" : path.getFileName().toString().toLowerCase(Locale.ROOT);
        if (n.endsWith(".safetensors")) return Format.SAFETENSORS;
        if (n.endsWith(".pth") || n.endsWith(".pt") || n.endsWith(".bin") || n.endsWith(".ckpt")) return Format.PTH_ZIP;
        if (n.endsWith(".npz")) return Format.NPZ;
        if (n.endsWith(".npy")) return Format.NPY;
        throw new IllegalArgumentException("output file " + path + ": expected an extension .safetensors, .pth, .pt, .npz or .npy");
    }

    /**
     * Writes tensors in the format the extension names ({@code .safetensors}, {@code .pth}/{@code .pt},
     * {@code .npz}; {@code .npy} for exactly one tensor), atomically.
     */
    public static void write(Path path, Map<String, Tensor> tensors) throws CheckpointException {
        switch (formatForName(path)) {
            case SAFETENSORS:
                SafeTensors.write(path, tensors);
                break;
            case PTH_ZIP:
                PthWriter.write(path, tensors);
                break;
            case NPZ:
                Npz.write(path, tensors);
                break;
            case NPY:
                if (tensors.size() != 1) {
                    throw new IllegalArgumentException("output file " + path + " (.npy) holds one array, but " + tensors.size()
                            + " tensors were given; use .npz, .pth or .safetensors");
                }
                Npy.write(path, tensors.values().iterator().next());
                break;
            default:
                throw new AssertionError();
        }
    }

    private static final class SafeTensorsReader implements CheckpointReader {
        private final SafeTensors.Reader r;

        SafeTensorsReader(SafeTensors.Reader r) {
            this.r = r;
        }

        @Override public Format format() { return Format.SAFETENSORS; }

        @Override
        public List<TensorInfo> entries() {
            List<TensorInfo> out = new ArrayList<>();
            for (SafeTensors.Entry e : r.entries()) {
                out.add(new TensorInfo(e.name(), e.dtype(), e.dtype() != null ? e.dtype().torchName() : "unsupported", e.shape()));
            }
            return out;
        }

        @Override public Tensor tensor(String name) throws CheckpointException { return r.tensor(name); }
        @Override public Map<String, String> metadata() { return r.metadata(); }
        @Override public Object tree() throws CheckpointException { return new LinkedHashMap<String, Object>(r.readAll()); }
        @Override public void close() { r.close(); }
    }

    private static final class NpyReader implements CheckpointReader {
        private final Path path;
        private final TensorInfo info;

        NpyReader(Path path) throws CheckpointException {
            this.path = path;
            try (FileChannel ch = FileChannel.open(path, StandardOpenOption.READ)) {
                ByteBuffer head = ByteBuffer.allocate((int) Math.min(ch.size(), Npy.MAX_HEADER + 12));
                while (head.hasRemaining()) if (ch.read(head, head.position()) < 0) break;
                head.flip();
                Npy.Header h = Npy.parseHeader(head, path.toString());
                this.info = new TensorInfo("", h.dtype(), h.dtype().torchName(), h.shape());
            } catch (IOException e) {
                throw new CheckpointException(Reason.IO, "cannot read " + path + ": " + e.getMessage(), e);
            }
        }

        @Override public Format format() { return Format.NPY; }
        @Override public List<TensorInfo> entries() { return List.of(info); }

        @Override
        public Tensor tensor(String name) throws CheckpointException {
            if (!name.isEmpty()) throw new CheckpointException(Reason.MISSING_KEY, path + ": a .npy file holds one array, named \"\"; asked for '" + name + "'");
            return Npy.read(path);
        }

        @Override
        public Object tree() throws CheckpointException {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            m.put("", Npy.read(path));
            return m;
        }

        @Override public void close() {}
    }
}
