package org.convinit.io.pth;

import java.io.IOException;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.Collections;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.zip.CRC32;

import org.convinit.internal.Parallel;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Format;
import org.convinit.io.HeapLimit;
import org.convinit.io.ReadOptions;
import org.convinit.io.TensorBytes;
import org.convinit.io.TensorInfo;
import org.convinit.io.internal.Trees;
import org.convinit.io.internal.pickle.PickleReader;
import org.convinit.io.internal.pickle.StorageRef;
import org.convinit.io.internal.pickle.TensorRef;
import org.convinit.io.internal.pickle.TorchGlobals;
import org.convinit.io.internal.zip.ZipArchive;
import org.convinit.nn.Parameter;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * Reads {@code torch.save} checkpoints: the zip format (torch >= 1.6; any archive prefix, zip64,
 * stored or deflated records) and the legacy format (five pickles followed by raw storages).
 * Opening reads the zip index and {@code data.pkl} only; each storage is read the first time a
 * tensor over it is asked for, and cached, so tensors sharing a storage in the file share one
 * {@link Storage}. Each zip record is checked against its CRC-32 as it is read (see {@link ReadOptions}).
 *
 * <p>Checks beyond torch's: every storage record must be exactly {@code numel × item size} bytes
 * (torch 1.13 silently loads a short one), every view must lie inside its storage, the pickle goes
 * through {@link PickleReader}'s allow-list. TorchScript and torch.package archives are refused
 * with a message that says what they are.
 */
public final class PthReader implements CheckpointReader {
    /** Largest {@code data.pkl} accepted. */
    public static final long MAX_PICKLE = 64L << 20;
    static final BigInteger LEGACY_MAGIC = new BigInteger("1950a86a20f9469cfc6c", 16);

    public static final String TORCHSCRIPT_MESSAGE = "This is a TorchScript archive (torch.jit.save), not a torch.save checkpoint. "
            + "TorchScript files contain executable code and are not supported. In Python, export the weights with "
            + "torch.save(torch.jit.load(path).state_dict(), 'weights.pt') or save them as safetensors.";

    /** Where one storage's bytes are. */
    private record Location(long offset, long nbytes, ZipArchive.Entry entry) {}

    private final Path path;
    private final FileChannel channel;
    private final Format format;
    private final ZipArchive zip;
    private final ByteOrder order;
    private final Object root;
    private final LinkedHashMap<String, TensorRef> flat;
    private final Map<String, Integer> versions;
    private final Map<String, Location> locations;
    private final Map<String, Storage> cache = new HashMap<>();
    /** A tensor over each storage key (the first in file order), to name it in messages. */
    private final Map<String, String> owners = new HashMap<>();

    private PthReader(Path path, FileChannel channel, Format format, ZipArchive zip, ByteOrder order, Object root,
                      Map<String, Location> locations) throws CheckpointException {
        this.path = path;
        this.channel = channel;
        this.format = format;
        this.zip = zip;
        this.order = order;
        this.root = root;
        this.locations = locations;
        this.flat = Trees.flattenRefs(root, PickleReader.Limits.DEFAULT.maxObjects(), path.toString());
        this.versions = Trees.versions(root, PickleReader.Limits.DEFAULT.maxObjects(), path.toString());
        for (Map.Entry<String, TensorRef> e : flat.entrySet()) owners.putIfAbsent(e.getValue().storage().key(), e.getKey());
    }

    /** Opens a zip or legacy {@code torch.save} file, with CRC checks on. */
    public static PthReader open(Path path) throws CheckpointException {
        return open(path, ReadOptions.DEFAULT);
    }

    /**
     * Opens a zip or legacy {@code torch.save} file. With {@link ReadOptions#verifyChecksums()} every
     * zip record is checked against its CRC-32 as it is read: {@code data.pkl} on opening, each
     * storage when a tensor over it is first read. Legacy files carry no checksum.
     */
    public static PthReader open(Path path, ReadOptions options) throws CheckpointException {
        FileChannel ch;
        try {
            ch = FileChannel.open(path, StandardOpenOption.READ);
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, "cannot open " + path + ": " + e.getMessage(), e);
        }
        try {
            ByteBuffer head = ByteBuffer.allocate(4).order(ByteOrder.LITTLE_ENDIAN);
            ch.read(head, 0);
            if (head.position() == 4 && head.getInt(0) == 0x04034b50) return openZip(path, ch, options.verifyChecksums());
            return openLegacy(path, ch);
        } catch (CheckpointException | RuntimeException e) {
            closeQuietly(ch);
            throw e;
        } catch (IOException e) {
            closeQuietly(ch);
            throw new CheckpointException(Reason.IO, path + ": " + e.getMessage(), e);
        }
    }

    private static void closeQuietly(FileChannel ch) {
        try {
            ch.close();
        } catch (IOException ignored) {
            // read-only
        }
    }

    // ------------------------------------------------------------------ zip format

    private static PthReader openZip(Path path, FileChannel ch, boolean verify) throws CheckpointException {
        ZipArchive zip = ZipArchive.open(path, ch, verify);
        List<String> names = zip.names();
        if (names.isEmpty()) throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": empty zip archive");
        String first = names.get(0);
        int slash = first.indexOf('/');
        if (slash <= 0) {
            if (names.stream().allMatch(n -> n.endsWith(".npy"))) {
                throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": this is a NumPy .npz archive, not a torch checkpoint");
            }
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": file in archive is not in a subdirectory: " + first);
        }
        String prefix = first.substring(0, slash + 1);
        for (String n : names) {
            if (!n.startsWith(prefix)) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": archive entries use two prefixes: " + prefix + " and " + n);
            }
        }
        if (zip.get(prefix + "constants.pkl") != null || names.stream().anyMatch(n -> n.startsWith(prefix + "code/"))) {
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": " + TORCHSCRIPT_MESSAGE);
        }
        if (zip.get(prefix + ".data/extern_modules") != null) {
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": this is a torch.package archive (it contains Python code), "
                    + "not a torch.save checkpoint; export its state_dict with torch.save in Python");
        }
        ZipArchive.Entry pkl = zip.get(prefix + "data.pkl");
        if (pkl == null) throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": archive has no " + prefix + "data.pkl");
        ZipArchive.Entry ver = zip.get(prefix + "version");
        if (ver == null) ver = zip.get(prefix + ".data/version");
        if (ver == null) throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": archive has no version record");
        String vs = StandardCharsets.US_ASCII.decode(zip.read(ver, 64, "the format version")).toString().trim();
        int version;
        try {
            version = Integer.parseInt(vs);
        } catch (NumberFormatException e) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": version record '" + vs + "' is not a number");
        }
        if (version < 1 || version > 10) {
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": archive format version " + version + "; versions 1 to 10 are read");
        }
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        ZipArchive.Entry bo = zip.get(prefix + "byteorder");
        if (bo != null) {
            String b = StandardCharsets.US_ASCII.decode(zip.read(bo, 64, "the byte order")).toString();
            if (b.equals("big")) order = ByteOrder.BIG_ENDIAN;
            else if (!b.equals("little")) throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": byteorder record '" + b + "' (expected little or big)");
        }
        ByteBuffer pickle = zip.read(pkl, MAX_PICKLE, "the pickle: the checkpoint's structure and tensor index");
        Map<String, StorageRef> refs = new HashMap<>();
        Map<String, Location> locations = new HashMap<>();
        String where = path + " (" + prefix + "data.pkl)";
        Object root = PickleReader.load(pickle, pid -> {
            if (pid.size() != 5 || !"storage".equals(pid.get(0))) {
                throw new CheckpointException(Reason.UNSAFE, where + ": persistent id " + describePid(pid) + " is not a ('storage', type, key, location, numel) tuple");
            }
            if (!(pid.get(1) instanceof TorchGlobals.StorageType)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id storage type is not a storage class");
            if (!(pid.get(2) instanceof String) || !(pid.get(3) instanceof String)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id key and location must be strings");
            if (!(pid.get(4) instanceof Long) || (Long) pid.get(4) < 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": persistent id numel must be a non-negative int, got " + pid.get(4));
            TorchGlobals.StorageType type = (TorchGlobals.StorageType) pid.get(1);
            String key = (String) pid.get(2);
            long numel = (Long) pid.get(4);
            StorageRef known = refs.get(key);
            if (known != null) {
                if (!known.typeName().equals(type.name()) || known.numel() != numel) {
                    throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": storage '" + key + "' is declared twice, as " + known.typeName()
                            + "[" + known.numel() + "] and " + type.name() + "[" + numel + "]");
                }
                return known;
            }
            long nbytes;
            try {
                nbytes = Math.multiplyExact(numel, (long) type.itemSize());
            } catch (ArithmeticException e) {
                throw new CheckpointException(Reason.TOO_LARGE, where + ": storage '" + key + "' declares " + numel + " elements");
            }
            ZipArchive.Entry rec = zip.get(prefix + "data/" + key);
            if (rec == null) throw new CheckpointException(Reason.MISSING_KEY, where + ": storage record " + prefix + "data/" + key + " is missing");
            if (rec.size() != nbytes) {
                throw new CheckpointException(rec.size() < nbytes ? Reason.TRUNCATED : Reason.BAD_SHAPE, where + ": storage '" + key + "' declares "
                        + numel + " " + type.name() + " elements (" + nbytes + " bytes) but its record holds " + rec.size() + " bytes");
            }
            StorageRef ref = new StorageRef(key, type.dtype(), type.name(), type.itemSize(), numel, 0);
            refs.put(key, ref);
            locations.put(key, new Location(rec.dataOffset(), nbytes, rec));
            return ref;
        }, PickleReader.Limits.DEFAULT, where);
        return new PthReader(path, ch, Format.PTH_ZIP, zip, order, root, locations);
    }

    static String describePid(List<Object> pid) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < pid.size() && i < 6; i++) {
            if (i > 0) sb.append(", ");
            Object o = pid.get(i);
            sb.append(o instanceof String ? "'" + o + "'" : o instanceof TorchGlobals.Global ? ((TorchGlobals.Global) o).qualifiedName() : String.valueOf(o));
        }
        return sb.append(pid.size() > 6 ? ", ...)" : ")").toString();
    }

    // ------------------------------------------------------------------ legacy format

    private static PthReader openLegacy(Path path, FileChannel ch) throws CheckpointException, IOException {
        long size = ch.size();
        int mapLen = (int) Math.min(size, MAX_PICKLE);
        ByteBuffer buf = ch.map(FileChannel.MapMode.READ_ONLY, 0, mapLen).order(ByteOrder.LITTLE_ENDIAN);
        String where = path.toString();
        if (mapLen < 2 || (buf.get(0) & 0xFF) != 0x80) {
            if (size > 262 && isTar(ch)) {
                throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": pre-0.4 tar checkpoint; re-save it with a modern torch");
            }
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": not a torch checkpoint (neither a zip archive nor a legacy pickle)");
        }
        PickleReader.Limits lim = PickleReader.Limits.DEFAULT;
        Object magic = PickleReader.load(buf, pid -> {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id in the magic number");
        }, lim, where);
        if (!LEGACY_MAGIC.equals(magic)) {
            throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": not a torch checkpoint (a pickle without torch's magic number)");
        }
        Object proto = PickleReader.load(buf, pid -> {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id in the protocol version");
        }, lim, where);
        if (!Long.valueOf(1001).equals(proto)) throw new CheckpointException(Reason.UNSUPPORTED_FORMAT, path + ": legacy protocol version " + proto + " (expected 1001)");
        Object sysInfo = PickleReader.load(buf, pid -> {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id in sys_info");
        }, lim, where);
        ByteOrder order = ByteOrder.LITTLE_ENDIAN;
        if (sysInfo instanceof Map && Boolean.FALSE.equals(((Map<?, ?>) sysInfo).get("little_endian"))) order = ByteOrder.BIG_ENDIAN;
        Map<String, StorageRef> roots = new LinkedHashMap<>();
        Map<String, StorageRef> views = new HashMap<>();
        Object root = PickleReader.load(buf, pid -> {
            if (pid.size() != 6 || !"storage".equals(pid.get(0))) {
                throw new CheckpointException(Reason.UNSAFE, where + ": persistent id " + describePid(pid)
                        + " is not a ('storage', type, key, location, numel, view) tuple (legacy whole-module pickles are refused)");
            }
            if (!(pid.get(1) instanceof TorchGlobals.StorageType)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id storage type is not a storage class");
            if (!(pid.get(2) instanceof String) || !(pid.get(3) instanceof String)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id key and location must be strings");
            if (!(pid.get(4) instanceof Long) || (Long) pid.get(4) < 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": persistent id numel must be a non-negative int");
            TorchGlobals.StorageType type = (TorchGlobals.StorageType) pid.get(1);
            String key = (String) pid.get(2);
            long numel = (Long) pid.get(4);
            try {
                Math.multiplyExact(numel, (long) type.itemSize());
            } catch (ArithmeticException e) {
                throw new CheckpointException(Reason.TOO_LARGE, where + ": storage '" + key + "' declares " + numel + " elements");
            }
            StorageRef r = roots.get(key);
            if (r == null) {
                r = new StorageRef(key, type.dtype(), type.name(), type.itemSize(), numel, 0);
                roots.put(key, r);
            } else if (!r.typeName().equals(type.name()) || r.numel() != numel) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": storage '" + key + "' is declared twice with different types or sizes");
            }
            Object view = pid.get(5);
            if (view == null) return r;
            if (!(view instanceof List) || ((List<?>) view).size() != 3 || !(((List<?>) view).get(0) instanceof String)
                    || !(((List<?>) view).get(1) instanceof Long) || !(((List<?>) view).get(2) instanceof Long)) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": storage view metadata must be (key, offset, size)");
            }
            String viewKey = (String) ((List<?>) view).get(0);
            long off = (Long) ((List<?>) view).get(1);
            long len = (Long) ((List<?>) view).get(2);
            if (off < 0 || len < 0 || off > numel || len > numel - off) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": storage view [" + off + ", +" + len + ") lies outside storage '" + key + "' of " + numel + " elements");
            }
            StorageRef v = views.get(viewKey);
            if (v == null) {
                v = new StorageRef(key, type.dtype(), type.name(), type.itemSize(), len, off);
                views.put(viewKey, v);
            } else if (!v.key().equals(key) || v.elementOffset() != off || v.numel() != len) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": storage view '" + viewKey + "' is declared twice differently");
            }
            return v;
        }, lim, where);
        Object keys = PickleReader.load(buf, pid -> {
            throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": persistent id in the storage key list");
        }, lim, where);
        if (!(keys instanceof ArrayList)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": legacy storage key list is not a list");
        Set<String> seen = new HashSet<>();
        Map<String, Location> locations = new HashMap<>();
        long pos = buf.position();
        for (Object k : (List<?>) keys) {
            if (!(k instanceof String) || !roots.containsKey(k)) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": storage key list names " + k + ", which the pickle does not use");
            }
            if (!seen.add((String) k)) throw new CheckpointException(Reason.DUPLICATE_KEY, where + ": storage '" + k + "' is listed twice");
            StorageRef r = roots.get(k);
            if (size - pos < 8) throw new CheckpointException(Reason.TRUNCATED, where + ": file ends before storage '" + k + "'");
            ByteBuffer n8 = ByteBuffer.allocate(8).order(ByteOrder.LITTLE_ENDIAN);
            while (n8.hasRemaining()) if (ch.read(n8, pos + n8.position()) < 0) break;
            long stored = n8.getLong(0);
            if (order == ByteOrder.BIG_ENDIAN) stored = Long.reverseBytes(stored);
            if (stored != r.numel()) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": storage '" + k + "' declares " + r.numel() + " elements in the pickle but " + stored + " in the data");
            }
            long nbytes = r.nbytes();
            pos += 8;
            if (size - pos < nbytes) {
                throw new CheckpointException(Reason.TRUNCATED, where + ": file ends inside storage '" + k + "' (" + nbytes + " bytes declared, " + (size - pos) + " remain)");
            }
            locations.put((String) k, new Location(pos, nbytes, null));
            pos += nbytes;
        }
        if (seen.size() != roots.size()) {
            Set<String> missing = new HashSet<>(roots.keySet());
            missing.removeAll(seen);
            throw new CheckpointException(Reason.MISSING_KEY, where + ": storages " + missing + " have no data in the file");
        }
        return new PthReader(path, ch, Format.PTH_LEGACY, null, order, root, locations);
    }

    private static boolean isTar(FileChannel ch) throws IOException {
        ByteBuffer b = ByteBuffer.allocate(5);
        ch.read(b, 257);
        return new String(b.array(), StandardCharsets.US_ASCII).equals("ustar");
    }

    // ------------------------------------------------------------------ access

    @Override
    public Format format() {
        return format;
    }

    @Override
    public List<TensorInfo> entries() {
        List<TensorInfo> out = new ArrayList<>();
        for (Map.Entry<String, TensorRef> e : flat.entrySet()) {
            TensorRef r = e.getValue();
            out.add(new TensorInfo(e.getKey(), r.dtype(), r.dtype() != null ? r.dtype().torchName() : r.storage().typeName(), r.shape()));
        }
        return out;
    }

    @Override
    public LinkedHashMap<String, Object> values() throws CheckpointException {
        return Trees.plainValues(root);
    }

    /** The unpickled structure with tensors described but not read (for inspection). */
    public Object index() {
        return root;
    }

    @Override
    public Map<String, Integer> versions() {
        return Collections.unmodifiableMap(versions);
    }

    @Override
    public Tensor tensor(String name) throws CheckpointException {
        TensorRef r = flat.get(name);
        if (r == null) {
            throw new CheckpointException(Reason.MISSING_KEY, path + ": no tensor named '" + name + "'" + Trees.suggest(name, flat.keySet()));
        }
        return materialize(r, name);
    }

    private Tensor materialize(TensorRef r, String name) throws CheckpointException {
        StorageRef s = r.storage();
        if (s.dtype() == null) {
            throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, path + ": tensor '" + name + "' is stored as " + s.typeName()
                    + " (convinit holds float16/32/64, bfloat16, int8/16/32/64, uint8, bool)");
        }
        if (r.requiresGrad() && !s.dtype().isFloatingPoint()) {
            throw new CheckpointException(Reason.MALFORMED_HEADER, path + ": tensor '" + name + "' of " + s.dtype() + " claims requires_grad=True");
        }
        Storage st = storage(s);
        long off = r.offset() + s.elementOffset();
        Tensor t = Tensor.wrap(st, r.shape(), r.strides(), (int) off);
        if (r.parameter()) return new Parameter(t, r.requiresGrad());
        return r.requiresGrad() ? t.requiresGrad(true) : t;
    }

    private static String cacheKey(StorageRef s) {
        return s.key() + "\u0000" + s.typeName();
    }

    private Storage storage(StorageRef s) throws CheckpointException {
        String cacheKey = cacheKey(s);
        Storage st = cache.get(cacheKey);
        if (st != null) return st;
        st = load(s);
        cache.put(cacheKey, st);
        return st;
    }

    /** Reads a storage (no caching; safe to call from several threads: positional reads only). */
    private Storage load(StorageRef s) throws CheckpointException {
        Storage st;
        Location loc = locations.get(s.key());
        long rootNumel = loc.nbytes() / s.itemSize();
        if (rootNumel > Integer.MAX_VALUE - 8) {
            throw new CheckpointException(Reason.TOO_LARGE, path + ": storage '" + s.key() + "' of " + rootNumel + " elements exceeds what convinit holds ("
                    + (Integer.MAX_VALUE - 8) + ")");
        }
        String holds = owners.containsKey(s.key()) ? "tensor '" + owners.get(s.key()) + "'" : "storage '" + s.key() + "'";
        try {
            ZipArchive.Entry rec = loc.entry();
            st = HeapLimit.guard(path, holds, loc.nbytes(), () -> {
                if (rec != null && !rec.stored()) return TensorBytes.storageFrom(zip.read(rec, loc.nbytes(), holds), s.dtype(), rootNumel, order);
                CRC32 crc = rec == null ? null : zip.checksum(rec);
                Storage read = TensorBytes.readStorage(channel, loc.offset(), s.dtype(), rootNumel, order, crc);
                if (rec != null) zip.verify(rec, crc, holds);
                return read;
            });
        } catch (IOException e) {
            throw new CheckpointException(Reason.IO, path + ": reading storage '" + s.key() + "': " + e.getMessage(), e);
        }
        return st;
    }

    /** Storages above this total size are read by several threads in {@link #readAll()}. */
    static final long PARALLEL_BYTES = 32L << 20;

    /**
     * Every tensor, in file order. When the storages total more than {@value #PARALLEL_BYTES} bytes
     * they are read concurrently by up to 4 short-lived threads (copying bytes is memory-bound; one
     * thread per core roughly divides the time).
     */
    @Override
    public LinkedHashMap<String, Tensor> readAll() throws CheckpointException {
        long total = 0;
        for (Location loc : locations.values()) total += loc.nbytes();
        HeapLimit.require(path, total, "reading every tensor");
        prefetch();
        LinkedHashMap<String, Tensor> out = new LinkedHashMap<>();
        for (Map.Entry<String, TensorRef> e : flat.entrySet()) out.put(e.getKey(), materialize(e.getValue(), e.getKey()));
        return out;
    }

    private void prefetch() throws CheckpointException {
        Map<String, StorageRef> todo = new LinkedHashMap<>();
        long total = 0;
        for (TensorRef r : flat.values()) {
            StorageRef s = r.storage();
            if (s.dtype() == null || cache.containsKey(cacheKey(s)) || todo.containsKey(cacheKey(s))) continue;
            Location loc = locations.get(s.key());
            if (loc.nbytes() / s.itemSize() > Integer.MAX_VALUE - 8) continue; // refused later, with its message
            todo.put(cacheKey(s), s);
            total += loc.nbytes();
        }
        if (Parallel.threads() < 2 || todo.size() < 2 || total < PARALLEL_BYTES) return;
        // storages read in parallel on the one pool (its size is the threads setting)
        List<Map.Entry<String, StorageRef>> items = new ArrayList<>(todo.entrySet());
        Storage[] loaded = new Storage[items.size()];
        try {
            Parallel.forEachItem(items.size(), i -> {
                try {
                    loaded[i] = load(items.get(i).getValue());
                } catch (CheckpointException e) {
                    throw new LoadFailure(e);
                }
            });
        } catch (LoadFailure f) {
            throw f.failure;
        }
        for (int i = 0; i < loaded.length; i++) cache.put(items.get(i).getKey(), loaded[i]);
    }

    /** Carries a storage's {@link CheckpointException} out of a parallel read. */
    private static final class LoadFailure extends RuntimeException {
        private static final long serialVersionUID = 1L;
        final transient CheckpointException failure;

        LoadFailure(CheckpointException cause) {
            super(cause.getMessage(), null, false, false);
            this.failure = cause;
        }
    }

    @Override
    public Object tree() throws CheckpointException {
        return Trees.materialize(root, r -> materialize(r, "?"));
    }

    @Override
    public void close() {
        closeQuietly(channel);
    }
}
