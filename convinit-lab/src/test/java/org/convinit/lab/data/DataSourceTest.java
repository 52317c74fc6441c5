package org.convinit.lab.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.util.HexFormat;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import org.convinit.data.FashionMnist;
import org.convinit.data.ImageDataset;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class DataSourceTest {
    @TempDir
    Path tmp;

    static String sha256(byte[]... parts) throws Exception {
        MessageDigest md = MessageDigest.getInstance("SHA-256");
        for (byte[] p : parts) md.update(p);
        return HexFormat.of().formatHex(md.digest());
    }

    @Test
    void builtinHasTheSubsetsSizesAndTheHashOfItsFourFilesInOrder() throws Exception {
        DataSource d = DataSource.builtin();
        assertThat(d.trainSize()).isEqualTo(10000);
        assertThat(d.testSize()).isEqualTo(2000);
        assertThat(d.train().height()).isEqualTo(28);
        assertThat(d.train().width()).isEqualTo(28);
        assertThat(d.description()).isEqualTo("built-in Fashion-MNIST subset (10000 train, 2000 test)");
        byte[][] files = DataSource.FILES.stream().map(DataSource::resource).toArray(byte[][]::new);
        assertThat(d.sha256()).isEqualTo(sha256(files)).hasSize(64);
        assertThat(DataSource.expectedSums()).containsOnlyKeys(DataSource.FILES);
        assertThat(d.isBuiltin()).isTrue();
        assertThat(DataSource.builtin()).isSameAs(d);
    }

    @Test
    void aDirectoryWithTheSameFilesHasTheSameDataAndHash() throws IOException {
        for (String f : DataSource.FILES) Files.write(tmp.resolve(f), DataSource.resource(f));
        DataSource d = DataSource.directory(tmp);
        assertThat(d.isBuiltin()).isFalse();
        assertThat(d.sha256()).isEqualTo(DataSource.builtin().sha256());
        assertThat(d.trainSize()).isEqualTo(10000);
        int[] idx = {0, 1, 63, 9999};
        ImageDataset.Batch a = d.train().batch(idx);
        ImageDataset.Batch b = DataSource.builtin().train().batch(idx);
        assertThat(a.images().valueEquals(b.images())).isTrue();
        assertThat(a.labels().valueEquals(b.labels())).isTrue();
        assertThat(d.description()).isEqualTo("Fashion-MNIST in " + tmp.toAbsolutePath().normalize() + " (10000 train, 2000 test)");
    }

    @Test
    void builtinIsTheFirstImagesOfDebiansFashionMnist() throws IOException {
        Assumptions.assumeTrue(Files.isDirectory(FashionMnist.DEBIAN_DIR), "Debian's dataset-fashion-mnist is not installed");
        DataSource full = DataSource.directory(FashionMnist.DEBIAN_DIR);
        assertThat(full.trainSize()).isEqualTo(60000);
        int[] idx = {0, 5, 64, 9999};
        assertThat(full.train().batch(idx).images().valueEquals(DataSource.builtin().train().batch(idx).images())).isTrue();
        assertThat(full.test().batch(new int[] {1999}).labels().valueEquals(DataSource.builtin().test().batch(new int[] {1999}).labels()))
                .isTrue();
    }

    @Test
    void aDirectoryWithoutTheIdxFilesFailsAtOnceNamingItAndTheFiles() throws IOException {
        Files.writeString(tmp.resolve("train-images-idx3-ubyte"), "not checked yet");
        Path abs = tmp.toAbsolutePath().normalize();
        assertThatThrownBy(() -> DataSource.directory(tmp)).isInstanceOf(DataSourceException.class)
                .hasMessage("data directory " + abs + " has no Fashion-MNIST IDX files train-labels-idx1-ubyte.gz, "
                        + "t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz (or the same without .gz); expected all of "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz");
        Path empty = java.nio.file.Files.createDirectory(tmp.resolve("empty"));
        assertThatThrownBy(() -> DataSource.directory(empty)).isInstanceOf(DataSourceException.class)
                .hasMessage("data directory " + empty.toAbsolutePath().normalize() + " has no Fashion-MNIST IDX files: expected "
                        + "train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz "
                        + "(or the same without .gz)");
        Path none = tmp.resolve("nope");
        assertThatThrownBy(() -> DataSource.directory(none)).isInstanceOf(DataSourceException.class)
                .hasMessageStartingWith("data directory " + none.toAbsolutePath().normalize() + " does not exist or is not a directory");
    }

    @Test
    void aMalformedFileFailsOnFirstUseWithOneLineNamingTheDirectory() throws IOException {
        for (String f : DataSource.FILES) Files.write(tmp.resolve(f), DataSource.resource(f));
        Files.write(tmp.resolve("t10k-labels-idx1-ubyte.gz"), new byte[] {0, 0, 8, 1, 0, 0});
        DataSource d = DataSource.directory(tmp);
        assertThatThrownBy(d::train).isInstanceOf(DataSourceException.class)
                .hasMessageContaining("data directory " + tmp.toAbsolutePath().normalize())
                .hasMessageContaining("truncated header").hasMessageNotContaining("\n");
    }

    @Test
    void concurrentFirstUseLoadsOnce() throws Exception {
        for (String f : DataSource.FILES) Files.write(tmp.resolve(f), DataSource.resource(f));
        DataSource d = DataSource.directory(tmp);
        ExecutorService pool = Executors.newFixedThreadPool(4);
        try {
            List<Future<ImageDataset>> fs = pool.invokeAll(List.of(d::train, d::train, d::train, d::train));
            for (Future<ImageDataset> f : fs) assertThat(f.get()).isSameAs(fs.get(0).get());
        } finally {
            pool.shutdown();
        }
    }
}
