package org.convinit.lab.data;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;

import org.convinit.data.FashionMnist;
import org.convinit.data.Idx;
import org.convinit.data.ImageDataset;
import org.convinit.tensor.Tensor;

/**
 * Where the Fashion-MNIST images come from: the subset shipped in convinit-lab's jar ({@link #builtin()}: the first
 * 10,000 training and 2,000 test images, read from the classpath, so it works from the shaded jar) or a directory in
 * the original layout ({@link #directory(Path)}, read by {@link FashionMnist#load}).
 *
 * <p>Both sets are loaded together on first use, once, and cached; every method is thread-safe. Failures are
 * {@link DataSourceException}s with a one-line message naming the directory or file; {@link #directory(Path)} checks
 * at once that the four files are there.
 *
 * <p>{@link #sha256()} is the SHA-256 of the bytes of the four files as stored (gzip or plain), concatenated in the
 * order of {@link #FILES}. For the built-in set every file is also checked against its {@code SHA256SUMS} line.
 */
public final class DataSource {
    /** The four files, in the order {@link #sha256()} hashes them (each may lack {@code .gz} in a directory). */
    public static final List<String> FILES = List.of("train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz",
            "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz");

    /** Classpath folder of the built-in subset. */
    static final String RESOURCE_DIR = "/org/convinit/lab/data/fashion-mnist-subset/";

    private static final DataSource BUILTIN = new DataSource(null);

    private final Path dir;
    private volatile Loaded loaded;

    private record Loaded(ImageDataset train, ImageDataset test, String sha256) {}

    private DataSource(Path dir) {
        this.dir = dir;
    }

    /** The Fashion-MNIST subset shipped with convinit (10,000 train, 2,000 test images; MIT license beside it). */
    public static DataSource builtin() {
        return BUILTIN;
    }

    /**
     * Fashion-MNIST (or MNIST) in {@code dir}: the four files of {@link #FILES}, gzip-compressed or plain.
     *
     * @throws DataSourceException at once if {@code dir} is not a directory or lacks any of the four files
     */
    public static DataSource directory(Path dir) {
        Objects.requireNonNull(dir, "dir");
        Path abs = dir.toAbsolutePath().normalize();
        if (!Files.isDirectory(abs)) {
            throw new DataSourceException("data directory " + abs + " does not exist or is not a directory; expected one with "
                    + String.join(", ", FILES) + " (or the same without .gz)");
        }
        List<String> missing = new ArrayList<>();
        for (String f : FILES) if (locate(abs, f) == null) missing.add(f);
        if (missing.size() == FILES.size()) {
            throw new DataSourceException("data directory " + abs + " has no Fashion-MNIST IDX files: expected " + String.join(", ", FILES)
                    + " (or the same without .gz)");
        }
        if (!missing.isEmpty()) {
            throw new DataSourceException("data directory " + abs + " has no Fashion-MNIST IDX files " + String.join(", ", missing)
                    + " (or the same without .gz); expected all of " + String.join(", ", FILES));
        }
        return new DataSource(abs);
    }

    /** True for {@link #builtin()}. */
    public boolean isBuiltin() {
        return dir == null;
    }

    /** The directory, or null for the built-in set. */
    public Path dir() {
        return dir;
    }

    /** A short name without sizes (no loading): "built-in Fashion-MNIST subset" or "Fashion-MNIST in DIR". */
    public String name() {
        return dir == null ? "built-in Fashion-MNIST subset" : "Fashion-MNIST in " + dir;
    }

    /** {@link #name()} with the sizes, e.g. "built-in Fashion-MNIST subset (10000 train, 2000 test)". Loads the data. */
    public String description() {
        return name() + " (" + trainSize() + " train, " + testSize() + " test)";
    }

    /** The training images, scaled to [0, 1] by {@link ImageDataset#batch} as {@code ToTensor} does. */
    public ImageDataset train() {
        return loaded().train();
    }

    /** The test images. */
    public ImageDataset test() {
        return loaded().test();
    }

    public int trainSize() {
        return train().size();
    }

    public int testSize() {
        return test().size();
    }

    /** Lower-case hex SHA-256 of the four files' bytes, concatenated in the order of {@link #FILES}. */
    public String sha256() {
        return loaded().sha256();
    }

    @Override
    public String toString() {
        return name();
    }

    private Loaded loaded() {
        Loaded l = loaded;
        if (l == null) {
            synchronized (this) {
                l = loaded;
                if (l == null) loaded = l = dir == null ? loadBuiltin() : loadDirectory(dir);
            }
        }
        return l;
    }

    private static Loaded loadDirectory(Path dir) {
        MessageDigest all = sha256Digest();
        for (String f : FILES) {
            Path p = locate(dir, f);
            if (p == null) throw new DataSourceException("data directory " + dir + ": " + f + " (or without .gz) disappeared");
            try (InputStream in = Files.newInputStream(p)) {
                byte[] buf = new byte[1 << 16];
                for (int r; (r = in.read(buf)) > 0; ) all.update(buf, 0, r);
            } catch (IOException e) {
                throw new DataSourceException(p + ": cannot read: " + e.getMessage(), e);
            }
        }
        try {
            return new Loaded(FashionMnist.load(dir, true), FashionMnist.load(dir, false), HexFormat.of().formatHex(all.digest()));
        } catch (IOException | UncheckedIOException e) {
            throw new DataSourceException("data directory " + dir + ": " + oneLine(e.getMessage()), e);
        }
    }

    private static Loaded loadBuiltin() {
        Map<String, String> sums = expectedSums();
        MessageDigest all = sha256Digest();
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        for (String f : FILES) {
            byte[] bytes = resource(f);
            String sum = HexFormat.of().formatHex(sha256Digest().digest(bytes));
            if (!sum.equals(sums.get(f))) {
                throw new DataSourceException("built-in Fashion-MNIST subset: " + f + " has sha256 " + sum + " but SHA256SUMS says "
                        + sums.get(f) + " (a damaged jar?)");
            }
            all.update(bytes);
            try {
                tensors.put(f, Idx.read(new ByteArrayInputStream(bytes), "built-in " + f));
            } catch (IOException e) {
                throw new DataSourceException(oneLine(e.getMessage()), e);
            }
        }
        return new Loaded(dataset(tensors, "train"), dataset(tensors, "t10k"), HexFormat.of().formatHex(all.digest()));
    }

    private static ImageDataset dataset(Map<String, Tensor> tensors, String prefix) {
        try {
            return new ImageDataset(tensors.get(prefix + "-images-idx3-ubyte.gz"), tensors.get(prefix + "-labels-idx1-ubyte.gz"),
                    FashionMnist.CLASSES.size());
        } catch (IllegalArgumentException e) {
            throw new DataSourceException("built-in Fashion-MNIST subset, " + prefix + ": " + e.getMessage(), e);
        }
    }

    /** {@code SHA256SUMS}: "hex  name" per line. */
    static Map<String, String> expectedSums() {
        Map<String, String> sums = new LinkedHashMap<>();
        for (String line : new String(resource("SHA256SUMS"), StandardCharsets.UTF_8).split("\n")) {
            String[] parts = line.trim().split("\\s+");
            if (parts.length == 2) sums.put(parts[1].startsWith("*") ? parts[1].substring(1) : parts[1], parts[0]);
        }
        return sums;
    }

    static byte[] resource(String name) {
        try (InputStream in = DataSource.class.getResourceAsStream(RESOURCE_DIR + name)) {
            if (in == null) throw new DataSourceException("built-in Fashion-MNIST subset: " + RESOURCE_DIR + name + " is not on the classpath");
            return in.readAllBytes();
        } catch (IOException e) {
            throw new DataSourceException("built-in Fashion-MNIST subset: cannot read " + RESOURCE_DIR + name + ": " + e.getMessage(), e);
        }
    }

    /** The file for {@code gzName} in {@code dir}: {@code gzName} itself, or without {@code .gz}; null if neither. */
    private static Path locate(Path dir, String gzName) {
        Path gz = dir.resolve(gzName);
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(gzName.substring(0, gzName.length() - 3));
        return Files.isRegularFile(plain) ? plain : null;
    }

    private static MessageDigest sha256Digest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }

    private static String oneLine(String s) {
        return s == null ? "" : s.replace('\n', ' ');
    }
}
