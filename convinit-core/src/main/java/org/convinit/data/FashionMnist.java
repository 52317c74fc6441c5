package org.convinit.data;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

import org.convinit.tensor.Tensor;

/**
 * Fashion-MNIST (Xiao, Rasul &amp; Vollgraf 2017) from a directory in the original layout
 * ({@code train-images-idx3-ubyte.gz}, {@code train-labels-idx1-ubyte.gz}, {@code t10k-images-idx3-ubyte.gz},
 * {@code t10k-labels-idx1-ubyte.gz}; uncompressed files without {@code .gz} are accepted too). Debian's
 * {@code dataset-fashion-mnist} package installs it in {@link #DEBIAN_DIR}. MNIST has the same layout.
 */
public final class FashionMnist {
    /** Where Debian's {@code dataset-fashion-mnist} package puts the files. */
    public static final Path DEBIAN_DIR = Path.of("/usr/share/datasets/fashion-mnist");

    /** The ten classes, by label. */
    public static final List<String> CLASSES = List.of("T-shirt/top", "Trouser", "Pullover", "Dress", "Coat",
            "Sandal", "Shirt", "Sneaker", "Bag", "Ankle boot");

    private FashionMnist() {}

    /** The 60,000 training images ({@code train=true}) or the 10,000 test images, with labels 0 to 9. */
    public static ImageDataset load(Path dir, boolean train) throws IOException {
        String prefix = train ? "train" : "t10k";
        Path imagesFile = find(dir, prefix + "-images-idx3-ubyte");
        Path labelsFile = find(dir, prefix + "-labels-idx1-ubyte");
        Tensor images = Idx.read(imagesFile);
        Tensor labels = Idx.read(labelsFile);
        if (images.dim() != 3 || images.dtype() != org.convinit.tensor.DType.UINT8) {
            throw new IdxFormatException(imagesFile + ": images of dtype " + images.dtype() + " and shape " + images.shape()
                    + ", expected uint8 of shape [N, H, W]");
        }
        if (labels.dim() != 1 || labels.size(0) != images.size(0)) {
            throw new IdxFormatException(labelsFile + ": labels of shape " + labels.shape() + ", expected ["
                    + images.size(0) + "], one per image in " + imagesFile);
        }
        try {
            return new ImageDataset(images, labels, CLASSES.size());
        } catch (IllegalArgumentException e) {
            throw new IdxFormatException(labelsFile + ": " + e.getMessage(), e);
        }
    }

    private static Path find(Path dir, String base) throws IOException {
        Path gz = dir.resolve(base + ".gz");
        if (Files.isRegularFile(gz)) return gz;
        Path plain = dir.resolve(base);
        if (Files.isRegularFile(plain)) return plain;
        throw new NoSuchFileException(gz.toString(), null, "neither " + gz.getFileName() + " nor " + base + " found in " + dir);
    }
}
