package org.convinit.io.numpy;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.CRC32;

import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Format;
import org.convinit.io.HeapLimit;
import org.convinit.io.ReadOptions;
import org.convinit.io.TensorBytes;
import org.convinit.io.TensorInfo;
import org.convinit.io.internal.Trees;
import org.convinit.io.internal.zip.ZipArchive;
import org.convinit.io.internal.zip.ZipWriter;
import org.convinit.tensor.Tensor;

/**
 * NumPy's {@code .npz}: a zip of {@code NAME.npy} entries ({@code np.savez} stores,
 * {@code np.savez_compressed} deflates). Opening reads the zip index and each entry's {@code .npy}
 * header; data is read by name. Every entry's size is capped ({@link #MAX_ENTRY}) and must equal
 * what its {@code .npy} header declares; deflated entries inflate to at most their declared size
 * (zip bombs are refused, not expanded). Writing stores entries, atomically.
 */
public final class Npz implements CheckpointReader {
    /** Largest uncompressed entry accepted. */
    public static final long MAX_ENTRY = Integer.MAX_VALUE - 8;

    private record Item(ZipArchive.Entry entry, Npy.Header header) {}

    private final Path path;
    private final FileChannel channel;
    private final ZipArchive zip;
    private final LinkedHashMap<String, Item> items;

    private Npz(Path path, FileChannel channel, ZipArchive zip, LinkedHashMap<String, Item> items) {
        this.path = path;
        this.channel = channel;
        this.zip = zip;
        this.items = items;
    }

    /** Opens a {@code .npz} with CRC checks on. */
    public static Npz open(Path path) throws CheckpointException {
        return open(path, ReadOptions.DEFAULT);
    }

    /**
     * Opens a {@code .npz}: reads the zip index and each entry's {@code .npy} header. With
     * {@link ReadOptions#verifyChecksums()} each entry is checked against its CRC-32 when its array is read.
     */
    public static Npz open(Path path, ReadOptions options) throws CheckpointException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, "cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            ZipArchive zip = ZipArchive.open(path, ch, options.verifyChecksums());
            LinkedHashMap<String, Item> items = new LinkedHashMap<>();
            for (ZipArchive.Entry e : zip.entries()) {
                String where = path + " (" + e.name() + ")";
                if (!e.name().endsWith(".npy")) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": .npz entry is not a .npy file");
                if (e.size() > MAX_ENTRY) throw new CheckpointException(Reason.TOO_LARGE, where + ": entry of " + e.size() + " bytes (at most " + MAX_ENTRY + ")");
                String key = e.name().substring(0, e.name().length() - 4);
                Npy.Header h;
                try {
                    h = Npy.parseHeader(zip.readPrefix(e, Npy.MAX_HEADER + 12), where);
                    if (e.size() - h.dataOffset() != h.nbytes()) {
                        throw new CheckpointException(e.size() - h.dataOffset() < h.nbytes() ? Reason.TRUNCATED : Reason.BAD_SHAPE, where + ": "
                                + h.descr() + " array of shape " + h.shape() + " needs " + h.nbytes() + " data bytes, the entry has " + (e.size() - h.dataOffset()));
                    }
                } catch (CheckpointException refused) {
                    zip.verifyWhole(e, "array '" + key + "'"); // a damaged record says so, rather than "malformed"
                    throw refused;
                }
                items.put(key, new Item(e, h));
            }
            return new Npz(path, ch, zip, items);
        } catch (CheckpointException | RuntimeException e) {
            try {
                ch.close();
            } catch (IOException ignored) {
                // already failing
            }
            throw e;
        }
    }

    @Override
    public Format format() {
        return Format.NPZ;
    }

    @Override
    public List<TensorInfo> entries() {
        List<TensorInfo> out = new ArrayList<>();
        for (Map.Entry<String, Item> e : items.entrySet()) {
            Npy.Header h = e.getValue().header();
            out.add(new TensorInfo(e.getKey(), h.dtype(), h.dtype().torchName(), h.shape()));
        }
        return out;
    }

    @Override
    public Tensor tensor(String name) throws CheckpointException {
        Item it = items.get(name);
        if (it == null) throw new CheckpointException(Reason.MISSING_KEY, path + ": no array named '" + name + "'" + Trees.suggest(name, items.keySet()));
        String where = path + " (" + it.entry().name() + ")";
        Npy.checkSize(it.header(), where);
        ZipArchive.Entry rec = it.entry();
        Npy.Header h = it.header();
        String holds = "array '" + name + "'";
        try {
            return HeapLimit.guard(path, holds, rec.size(), () -> {
                if (!rec.stored()) return Npy.fromBytes(zip.read(rec, MAX_ENTRY, holds), where);
                CRC32 crc = zip.checksum(rec);
                if (crc != null) crc.update(zip.readPrefix(rec, h.dataOffset())); // the record's CRC covers the .npy header too
                Tensor t = Npy.layout(TensorBytes.readStorage(channel, rec.dataOffset() + h.dataOffset(), h.dtype(),
                        h.shape().numel(), h.order(), crc), h);
                zip.verify(rec, crc, holds);
                return t;
            });
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, where + ": " + e.getMessage(), e);
        }
    }

    @Override
    public LinkedHashMap<String, Tensor> readAll() throws CheckpointException {
        long total = 0;
        for (Item it : items.values()) total += it.header().nbytes();
        HeapLimit.require(path, total, "reading every array");
        return CheckpointReader.super.readAll();
    }

    @Override
    public Object tree() throws CheckpointException {
        return readAll();
    }

    @Override
    public void close() {
        try {
            channel.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    /** Reads every array of a {@code .npz} file, in entry order. */
    public static LinkedHashMap<String, Tensor> read(Path path) throws CheckpointException {
        try (Npz z = open(path)) {
            return z.readAll();
        }
    }

    /** Writes tensors as a {@code .npz} (stored entries {@code NAME.npy}), atomically. */
    public static void write(Path path, Map<String, Tensor> tensors) throws CheckpointException {
        for (Tensor t : tensors.values()) Npy.descrOf(t.dtype());
        AtomicFiles.write(path, out -> {
            ZipWriter zw = new ZipWriter(out, 64);
            for (Map.Entry<String, Tensor> e : tensors.entrySet()) {
                Tensor t = e.getValue();
                zw.add(e.getKey() + ".npy", Npy.size(t), o -> Npy.write(t, o));
            }
            zw.finish();
        });
    }
}
