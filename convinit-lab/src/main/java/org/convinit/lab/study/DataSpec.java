package org.convinit.lab.study;

import java.nio.file.Path;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.data.ImageDataset;
import org.convinit.lab.data.DataSource;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * Where a study's data comes from, as data: the built-in Fashion-MNIST subset ({@code directory} null) or a directory
 * of IDX files, cut to its first {@code trainLimit} training and {@code testLimit} test images (null: all). A cell carries
 * it, so any machine that sees the directory (every machine, for the built-in subset) loads the same images.
 */
public record DataSpec(String directory, Integer trainLimit, Integer testLimit) {
    private static final Map<DataSpec, StudyData> LOADED = new ConcurrentHashMap<>();

    public DataSpec {
        if (trainLimit != null && trainLimit < 1) throw new IllegalArgumentException("--limit " + trainLimit + ": expected at least 1");
        if (testLimit != null && testLimit < 1) throw new IllegalArgumentException("test limit " + testLimit + ": expected at least 1");
    }

    /**
     * The data, read now. A directory that is missing or lacks a file is a {@link org.convinit.lab.data.DataSourceException}
     * naming it.
     */
    public StudyData load() {
        return read(this);
    }

    /** The data, read once per JVM and kept: the cells a Spark executor runs share it. */
    public StudyData shared() {
        return LOADED.computeIfAbsent(this, DataSpec::read);
    }

    private static StudyData read(DataSpec s) {
        DataSource source = s.directory == null ? DataSource.builtin() : DataSource.directory(Path.of(s.directory));
        ImageDataset train = first(source.train(), s.trainLimit);
        ImageDataset test = first(source.test(), s.testLimit);
        String what = source.name() + (train.size() < source.trainSize() || test.size() < source.testSize()
                ? ", first " + train.size() + " training and " + test.size() + " test images" : "");
        return new StudyData(what, train, test, source.sha256());
    }

    /** The first {@code n} images (all when {@code n} is null or not smaller), pixels and labels unchanged. */
    public static ImageDataset first(ImageDataset d, Integer n) {
        return n == null || n >= d.size() ? d : subset(d, n);
    }

    /** The first {@code n} images of {@code d} as uint8 pixels, labels unchanged. */
    public static ImageDataset subset(ImageDataset d, int n) {
        int[] idx = new int[n];
        for (int i = 0; i < n; i++) idx[i] = i;
        ImageDataset.Batch b = d.batch(idx);
        Tensor pixels = b.images().mul(255).add(0.5).reshape(n, d.height(), d.width()).to(DType.UINT8);
        return new ImageDataset(pixels, b.labels(), 0);
    }

    void write(ObjectNode n) {
        if (directory == null) n.putNull("directory");
        else n.put("directory", directory);
        Json.putNumber(n, "train_limit", trainLimit == null ? null : trainLimit.longValue());
        Json.putNumber(n, "test_limit", testLimit == null ? null : testLimit.longValue());
    }

    static DataSpec read(JsonNode n) {
        JsonNode dir = Json.required(n, "directory");
        return new DataSpec(dir.isNull() ? null : dir.asText(), optionalInt(n, "train_limit"), optionalInt(n, "test_limit"));
    }

    private static Integer optionalInt(JsonNode n, String key) {
        JsonNode v = Json.required(n, key);
        return v.isNull() ? null : v.asInt();
    }
}
