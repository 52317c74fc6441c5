package org.convinit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;

import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Fashion-MNIST layout on small generated files; the real files only when Debian's package is installed. */
class FashionMnistTest {
    @TempDir
    Path dir;

    static Tensor bytes(byte[] data, int... shape) {
        Shape s = Shape.of(shape);
        return Tensor.wrap(Storage.wrap(DType.UINT8, data), s, s.contiguousStrides(), 0);
    }

    /** n images 28x28 whose pixel (r, c) of image i is (i * 31 + r * 7 + c) % 256, labels i % 10. */
    void writeSplit(String prefix, int n, boolean gz) throws IOException {
        byte[] px = new byte[n * 28 * 28];
        for (int i = 0; i < n; i++) for (int r = 0; r < 28; r++) for (int c = 0; c < 28; c++) px[(i * 28 + r) * 28 + c] = (byte) ((i * 31 + r * 7 + c) % 256);
        byte[] lb = new byte[n];
        for (int i = 0; i < n; i++) lb[i] = (byte) (i % 10);
        byte[] images = Idx.encode(bytes(px, n, 28, 28));
        byte[] labels = Idx.encode(bytes(lb, n));
        String ext = gz ? ".gz" : "";
        Files.write(dir.resolve(prefix + "-images-idx3-ubyte" + ext), gz ? IdxTest.gzip(images) : images);
        Files.write(dir.resolve(prefix + "-labels-idx1-ubyte" + ext), gz ? IdxTest.gzip(labels) : labels);
    }

    @Test
    void loadsBothSplitsGzipAndPlainScaledLikeToTensor() throws IOException {
        writeSplit("train", 12, true);
        writeSplit("t10k", 3, false);
        ImageDataset train = FashionMnist.load(dir, true);
        ImageDataset test = FashionMnist.load(dir, false);
        assertThat(train.size()).isEqualTo(12);
        assertThat(test.size()).isEqualTo(3);
        ImageDataset.Example e = train.get(11);
        assertThat(e.label()).isEqualTo(1);
        assertThat(e.image().shape().toArray()).containsExactly(1, 28, 28);
        assertThat(e.image().dtype()).isEqualTo(DType.FLOAT32);
        int v = (11 * 31 + 5 * 7 + 9) % 256;
        assertThat((float) e.image().get(0, 5, 9)).isEqualTo(v / 255f);
        ImageDataset.Batch b = train.batch(new int[] {3, 0, 11});
        assertThat(b.images().shape().toArray()).containsExactly(3, 1, 28, 28);
        assertThat(b.labels().dtype()).isEqualTo(DType.INT64);
        assertThat(b.labels().toLongArray()).containsExactly(3, 0, 1);
        assertThat(b.images().select(0, 2).valueEquals(e.image())).isTrue();
        assertThat(b.size()).isEqualTo(3);
    }

    @Test
    void toTensorScalingIsFloat32DivisionBy255() {
        byte[] px = new byte[256];
        for (int i = 0; i < 256; i++) px[i] = (byte) i;
        ImageDataset ds = new ImageDataset(bytes(px, 1, 16, 16), Tensor.of(new long[] {0}, 1), 10);
        float[] f = ds.get(0).image().toFloatArray();
        // torch: torch.arange(256, dtype=torch.uint8).float().div(255) gives exactly these float32 values
        for (int i = 0; i < 256; i++) assertThat(f[i]).isEqualTo((float) i / 255f);
        assertThat(f[255]).isEqualTo(1f);
        assertThat(f[128]).isEqualTo(0.5019608f);
    }

    @Test
    void refusesMissingFilesAndMismatchedCounts() throws IOException {
        assertThatThrownBy(() -> FashionMnist.load(dir, true)).isInstanceOf(NoSuchFileException.class)
                .hasMessageContaining("neither train-images-idx3-ubyte.gz nor train-images-idx3-ubyte found in " + dir);
        writeSplit("train", 4, true);
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(Idx.encode(bytes(new byte[] {1, 2, 3}, 3))));
        assertThatThrownBy(() -> FashionMnist.load(dir, true)).isInstanceOf(IdxFormatException.class)
                .hasMessage(dir.resolve("train-labels-idx1-ubyte.gz") + ": labels of shape [3], expected [4], one per image in "
                        + dir.resolve("train-images-idx3-ubyte.gz"));
        Files.write(dir.resolve("train-labels-idx1-ubyte.gz"), IdxTest.gzip(Idx.encode(bytes(new byte[] {1, 2, 10, 3}, 4))));
        assertThatThrownBy(() -> FashionMnist.load(dir, true)).isInstanceOf(IdxFormatException.class)
                .hasMessage(dir.resolve("train-labels-idx1-ubyte.gz") + ": label 10 at index 2: expected 0 to 9");
    }

    @Test
    void imageDatasetChecksItsTensors() {
        assertThatThrownBy(() -> new ImageDataset(Tensor.zeros(DType.FLOAT32, 2, 28, 28), Tensor.of(new long[] {0, 1}, 2), 10))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("images of dtype torch.float32 and shape [2, 28, 28]: expected uint8 of shape [N, H, W]");
        assertThatThrownBy(() -> new ImageDataset(bytes(new byte[2 * 9], 2, 3, 3), Tensor.of(new long[] {0}, 1), 10))
                .hasMessage("labels of dtype torch.int64 and shape [1]: expected integers of shape [2], one per image of [2, 3, 3]");
    }

    @Test
    void realFashionMnistWhenInstalled() throws IOException {
        assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR), "Debian's dataset-fashion-mnist is not installed");
        ImageDataset train = FashionMnist.load(FashionMnist.DEBIAN_DIR, true);
        ImageDataset test = FashionMnist.load(FashionMnist.DEBIAN_DIR, false);
        assertThat(train.size()).isEqualTo(60000);
        assertThat(test.size()).isEqualTo(10000);
        long[] first = new long[12];
        long sum = 0;
        long weighted = 0;
        for (int i = 0; i < train.size(); i++) {
            long l = train.label(i);
            if (i < 12) first[i] = l;
            sum += l;
            weighted += i * l;
        }
        // values read from the files with Python's gzip module
        assertThat(first).containsExactly(9, 0, 0, 3, 0, 2, 7, 2, 5, 5, 0, 9);
        assertThat(sum).isEqualTo(270000);
        assertThat(weighted).isEqualTo(8087216427L);
        float[] row = test.get(0).image().select(0, 0).select(0, 14).toFloatArray();
        int[] expected = {0, 0, 0, 0, 0, 0, 2, 4, 1, 0, 0, 0, 98, 136, 110, 109, 110, 162, 135, 144, 149, 159, 167, 144, 158, 169, 119, 0};
        for (int c = 0; c < 28; c++) assertThat(row[c]).isEqualTo(expected[c] / 255f);
    }
}
