package org.convinit.data;

import java.util.Objects;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * Grayscale images with class labels, as torchvision's MNIST/FashionMNIST datasets with
 * {@code transform=ToTensor()}: example {@code i} is the uint8 image {@code images[i]} as a float32 tensor
 * {@code [1, H, W]} divided by 255 (in float32, as {@code ToTensor} does), and its label as an int64.
 */
public final class ImageDataset implements Dataset<ImageDataset.Example, ImageDataset.Batch> {

    /** One image {@code [1, H, W]} in [0, 1] and its label. */
    public record Example(Tensor image, long label) {}

    /** Images {@code [B, 1, H, W]} float32 and labels {@code [B]} int64. */
    public record Batch(Tensor images, Tensor labels) {
        public int size() {
            return labels.size(0);
        }
    }

    private final byte[] pixels;
    private final int pixelOffset;
    private final long[] labels;
    private final int height;
    private final int width;

    /**
     * Images {@code [N, H, W]} uint8 and labels {@code [N]} (uint8, int8, int32 or int64), each checked.
     * {@code numClasses} (if positive) bounds the labels to {@code [0, numClasses)}.
     */
    public ImageDataset(Tensor images, Tensor labels, int numClasses) {
        Objects.requireNonNull(images, "images");
        Objects.requireNonNull(labels, "labels");
        if (images.dtype() != DType.UINT8 || images.dim() != 3) {
            throw new IllegalArgumentException("images of dtype " + images.dtype() + " and shape " + images.shape()
                    + ": expected uint8 of shape [N, H, W]");
        }
        if (labels.dim() != 1 || labels.dtype().isFloatingPoint() || labels.size(0) != images.size(0)) {
            throw new IllegalArgumentException("labels of dtype " + labels.dtype() + " and shape " + labels.shape()
                    + ": expected integers of shape [" + images.size(0) + "], one per image of " + images.shape());
        }
        Tensor c = images.contiguous();
        this.pixels = c.storage().bytes();
        this.pixelOffset = c.storageOffset();
        this.labels = labels.toLongArray();
        this.height = images.size(1);
        this.width = images.size(2);
        if (numClasses > 0) {
            for (int i = 0; i < this.labels.length; i++) {
                if (this.labels[i] < 0 || this.labels[i] >= numClasses) {
                    throw new IllegalArgumentException("label " + this.labels[i] + " at index " + i + ": expected 0 to " + (numClasses - 1));
                }
            }
        }
    }

    @Override
    public int size() {
        return labels.length;
    }

    /** The label of example {@code index}. */
    public long label(int index) {
        return labels[Objects.checkIndex(index, labels.length)];
    }

    public int height() {
        return height;
    }

    public int width() {
        return width;
    }

    @Override
    public Example get(int index) {
        Batch b = batch(new int[] {index});
        return new Example(b.images().select(0, 0), labels[index]);
    }

    /** {@code b / 255f} for every byte value {@code b}: ToTensor's float32 division, looked up. */
    private static final float[] SCALED = new float[256];

    static {
        for (int b = 0; b < 256; b++) SCALED[b] = b / 255f;
    }

    /** The float32 value of pixel byte {@code b} ({@code b / 255f}). */
    static float scaled(byte b) {
        return SCALED[b & 0xFF];
    }

    @Override
    public Batch batch(int[] indices) {
        int hw = height * width;
        float[] out = new float[Math.multiplyExact(indices.length, hw)];
        long[] ls = new long[indices.length];
        for (int k = 0; k < indices.length; k++) {
            int i = indices[k];
            Objects.checkIndex(i, labels.length);
            int src = pixelOffset + i * hw;
            int dst = k * hw;
            for (int j = 0; j < hw; j++) out[dst + j] = SCALED[pixels[src + j] & 0xFF];
            ls[k] = labels[i];
        }
        // the arrays are new and not kept: the tensors take them without a copy
        Shape images = Shape.of(indices.length, 1, height, width);
        Shape labelShape = Shape.of(indices.length);
        return new Batch(Tensor.wrap(Storage.wrap(out), images, images.contiguousStrides(), 0),
                Tensor.wrap(Storage.wrap(ls), labelShape, labelShape.contiguousStrides(), 0));
    }
}
