package org.convinit.lab.diagnose;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import org.convinit.data.ImageDataset;
import org.convinit.lab.data.DataSource;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The fixed batch a diagnosis runs on: images {@code [B, C, H, W]} (float32), labels {@code [B]} (int64), where they
 * come from ({@code source}), the training-set indices {@code first .. first + size - 1} in file order, and the SHA-256
 * of the images' float32 values, little-endian, after scaling.
 */
public record DiagnoseBatch(Tensor images, Tensor labels, String source, int first, String sha256) {
    /** The batch size {@code diagnose} uses unless told otherwise. */
    public static final int DEFAULT_SIZE = 64;

    public DiagnoseBatch {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (labels.dim() != 1 || images.dim() < 1 || images.size(0) != labels.size(0)) {
            throw new IllegalArgumentException("images of shape " + images.shape() + " and labels of shape " + labels.shape()
                    + ": expected one label per image");
        }
    }

    public int size() {
        return labels.size(0);
    }

    /** Index of the last image, inclusive. */
    public int last() {
        return first + size() - 1;
    }

    /**
     * The first {@code size} training images of {@code data} in file order, scaled to [0, 1] as {@code train} does
     * ({@link ImageDataset#batch}); the source reads e.g. "built-in Fashion-MNIST subset (train, 10000 images)".
     */
    public static DiagnoseBatch first(DataSource data, int size) {
        ImageDataset train = data.train();
        if (size < 1 || size > train.size()) {
            throw new IllegalArgumentException("batch size " + size + ": expected 1 to " + train.size() + " (the training images of "
                    + data.name() + ")");
        }
        int[] idx = new int[size];
        for (int i = 0; i < size; i++) idx[i] = i;
        ImageDataset.Batch b = train.batch(idx);
        return of(b.images(), b.labels(), data.name() + " (train, " + train.size() + " images)", 0);
    }

    /** A batch with its hash computed. */
    public static DiagnoseBatch of(Tensor images, Tensor labels, String source, int first) {
        return new DiagnoseBatch(images, labels, source, first, sha256(images));
    }

    /** SHA-256 (hex) of the tensor's values as float32, little-endian, in row-major order. */
    public static String sha256(Tensor t) {
        float[] v = t.dtype() == DType.FLOAT32 ? t.toFloatArray() : t.to(DType.FLOAT32).toFloatArray();
        ByteBuffer bb = ByteBuffer.allocate(Math.multiplyExact(v.length, 4)).order(ByteOrder.LITTLE_ENDIAN);
        bb.asFloatBuffer().put(v);
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bb.array()));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("the JDK has no SHA-256", e);
        }
    }
}
