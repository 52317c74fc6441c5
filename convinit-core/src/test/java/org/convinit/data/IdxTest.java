package org.convinit.data;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.zip.GZIPOutputStream;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** IDX files made in the test, plain and gzip-compressed, every dtype, and one refusal per kind of bad file. */
class IdxTest {
    @TempDir
    Path dir;

    static byte[] gzip(byte[] data) throws IOException {
        ByteArrayOutputStream bos = new ByteArrayOutputStream();
        try (GZIPOutputStream gz = new GZIPOutputStream(bos)) {
            gz.write(data);
        }
        return bos.toByteArray();
    }

    Path write(String name, byte[] bytes) throws IOException {
        Path p = dir.resolve(name);
        Files.write(p, bytes);
        return p;
    }

    static Tensor sample(DType dtype) {
        Tensor f = Tensor.empty(DType.FLOAT64, 3, 4, 5).uniform_(-200, 200, new Generator(1));
        return f.to(dtype);
    }

    @ParameterizedTest
    @ValueSource(strings = {"uint8", "int8", "int16", "int32", "float32", "float64"})
    void roundTripsEveryDtypePlainAndGzip(String dt) throws IOException {
        DType dtype = DType.parse(dt);
        Tensor t = sample(dtype);
        byte[] bytes = Idx.encode(t);
        for (Path p : new Path[] {write("plain.idx", bytes), write("packed.idx.gz", gzip(bytes))}) {
            Tensor r = Idx.read(p);
            assertThat(r.dtype()).isEqualTo(dtype);
            assertThat(r.shape().toArray()).containsExactly(3, 4, 5);
            assertThat(r.valueEquals(t)).as("%s %s", dt, p).isTrue();
        }
    }

    @Test
    void readsStreamsPlainAndGzipWithTheGivenNameInMessages() throws IOException {
        Tensor t = sample(DType.INT32);
        byte[] bytes = Idx.encode(t);
        for (byte[] b : new byte[][] {bytes, gzip(bytes)}) {
            Tensor r = Idx.read(new java.io.ByteArrayInputStream(b), "resource");
            assertThat(r.dtype()).isEqualTo(DType.INT32);
            assertThat(r.valueEquals(t)).isTrue();
        }
        byte[] cut = Arrays.copyOf(bytes, bytes.length - 1);
        assertThatThrownBy(() -> Idx.read(new java.io.ByteArrayInputStream(cut), "resource"))
                .isInstanceOf(IdxFormatException.class).hasMessageStartingWith("resource: the header declares shape [3, 4, 5]");
        assertThatThrownBy(() -> Idx.read(new java.io.ByteArrayInputStream(gzip(cut)), "resource"))
                .hasMessageStartingWith("resource (gzip): the header declares shape [3, 4, 5]");
    }

    @Test
    void headerLayoutIsBigEndianAsLeCunDescribes() throws IOException {
        byte[] bytes = {0, 0, 0x08, 2, 0, 0, 0, 2, 0, 0, 0, 3, 1, 2, 3, (byte) 250, (byte) 251, (byte) 255};
        Tensor t = Idx.read(write("hand.idx", bytes));
        assertThat(t.shape().toArray()).containsExactly(2, 3);
        assertThat(t.toLongArray()).containsExactly(1, 2, 3, 250, 251, 255);
        assertThat(Idx.encode(t)).containsExactly(bytes);
        byte[] ints = {0, 0, 0x0C, 1, 0, 0, 0, 2, 0x12, 0x34, 0x56, 0x78, (byte) 0xFF, (byte) 0xFF, (byte) 0xFF, (byte) 0xFE};
        assertThat(Idx.read(write("ints.idx", ints)).toLongArray()).containsExactly(0x12345678L, -2L);
    }

    @Test
    void refusesWrongMagic() throws IOException {
        Path p = write("bad", new byte[] {1, 0, 8, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessage(p + ": not an IDX file: it starts with 0x01 0x00, expected 0x00 0x00");
    }

    @Test
    void refusesUnknownTypeCode() throws IOException {
        Path p = write("bad", new byte[] {0, 0, 0x0A, 1, 0, 0, 0, 0});
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessage(p + ": unknown IDX data type code 0x0a, expected 0x08 (uint8), 0x09 (int8), 0x0b (int16), "
                        + "0x0c (int32), 0x0d (float32) or 0x0e (float64)");
    }

    @Test
    void refusesZeroDimensions() throws IOException {
        Path p = write("bad", new byte[] {0, 0, 8, 0});
        assertThatThrownBy(() -> Idx.read(p)).hasMessage(p + ": the header declares 0 dimensions, expected 1 to 255");
    }

    @Test
    void refusesTruncatedHeaders() throws IOException {
        Path p = write("bad", new byte[] {0, 0, 8});
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessage(p + ": truncated header: expected the 4-byte magic number (4 bytes), found 3");
        Path q = write("bad2", new byte[] {0, 0, 8, 3, 0, 0, 0, 1, 0, 0});
        assertThatThrownBy(() -> Idx.read(q)).hasMessage(q + ": truncated header: expected 3 dimension sizes (12 bytes), found 6");
        Path e = write("empty", new byte[0]);
        assertThatThrownBy(() -> Idx.read(e)).hasMessage(e + ": truncated header: expected the 4-byte magic number (4 bytes), found 0");
    }

    @Test
    void refusesAnEmptyShapeWhoseStridesOverflow() throws IOException {
        // found by IdxFuzzTest (IdxFuzzTestInputs/idx/empty_shape_stride_overflow): [0, 201523200, 143105] has no
        // elements, but dimension 0's stride does not fit an int; it was an IllegalArgumentException from Tensor.wrap
        byte[] bytes = {0, 0, 0x0D, 3, 0, 0, 0, 0, 0x0C, 3, 0, 0, 0, 2, 0x2F, 1};
        assertThatThrownBy(() -> Idx.read(new java.io.ByteArrayInputStream(bytes), "empty")).isInstanceOf(IdxFormatException.class)
                .hasMessage("empty: the header declares shape [0, 201523200, 143105], whose dimension 0 has a stride of "
                        + "28838977536000 elements, more than a tensor can index (2147483639)");
        // IdxFuzzTestInputs/idx/zero_dim_inside_stride_overflow: a size 0 between large ones counts as 1 in a stride
        byte[] inside = {0, 0, 0x08, 4, 0, 0, 0, 0, 0, 1, 0, 0, 0, 0, 0, 0, 0, 1, 0, 0};
        assertThatThrownBy(() -> Idx.read(new java.io.ByteArrayInputStream(inside), "inside")).isInstanceOf(IdxFormatException.class)
                .hasMessage("inside: the header declares shape [0, 65536, 0, 65536], whose dimension 0 has a stride of "
                        + "4294967296 elements, more than a tensor can index (2147483639)");
    }

    @Test
    void refusesDataShorterOrLongerThanDeclared() throws IOException {
        byte[] good = Idx.encode(sample(DType.UINT8)); // 16-byte header + 60 bytes
        Path shortFile = write("short", Arrays.copyOf(good, good.length - 1));
        assertThatThrownBy(() -> Idx.read(shortFile)).isInstanceOf(IdxFormatException.class)
                .hasMessage(shortFile + ": the header declares shape [3, 4, 5] of torch.uint8, which needs 60 data bytes after "
                        + "the 16-byte header, but the file has 59 (file size 75)");
        Path longFile = write("long", Arrays.copyOf(good, good.length + 2));
        assertThatThrownBy(() -> Idx.read(longFile))
                .hasMessage(longFile + ": the header declares shape [3, 4, 5] of torch.uint8, which needs 60 data bytes after "
                        + "the 16-byte header, but the file has 62 (file size 78)");
        Path shortGz = write("short.gz", gzip(Arrays.copyOf(good, good.length - 1)));
        assertThatThrownBy(() -> Idx.read(shortGz)).isInstanceOf(IdxFormatException.class)
                .hasMessage(shortGz + " (gzip): the header declares shape [3, 4, 5] of torch.uint8, which needs 60 data bytes after "
                        + "the 16-byte header, but the data ends after 59");
        Path longGz = write("long.gz", gzip(Arrays.copyOf(good, good.length + 1)));
        assertThatThrownBy(() -> Idx.read(longGz))
                .hasMessage(longGz + " (gzip): the header declares shape [3, 4, 5] of torch.uint8, which needs 60 data bytes after "
                        + "the 16-byte header, but more data follows");
    }

    @Test
    void refusesHostileSizesWithoutAllocatingThem() throws IOException {
        // 65535^3 elements: far more than a tensor can hold
        byte[] huge = ByteBuffer.allocate(16).put(new byte[] {0, 0, 8, 3}).putInt(65535).putInt(65535).putInt(65535).array();
        Path p = write("huge", huge);
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessage(p + ": the header declares shape [65535, 65535, 65535], 281462092005375 elements, "
                        + "more than a tensor can hold (2147483639)");
        // a size with the sign bit set
        byte[] neg = ByteBuffer.allocate(8).put(new byte[] {0, 0, 8, 1}).putInt(-1).array();
        Path q = write("neg", neg);
        assertThatThrownBy(() -> Idx.read(q)).hasMessage(q + ": dimension 0 has size 4294967295, expected at most 2147483647");
        // plausible element count but too many bytes for float64
        byte[] wide = ByteBuffer.allocate(8).put(new byte[] {0, 0, 0x0E, 1}).putInt(1 << 29).array();
        Path w = write("wide", wide);
        assertThatThrownBy(() -> Idx.read(w)).hasMessage(w + ": the header declares shape [536870912] of torch.float64, "
                + "4294967296 bytes of data, more than 2147483639 bytes");
        // a gzip whose header claims 1.9 GB but holds 10 bytes: refused after reading what is there
        byte[] liar = ByteBuffer.allocate(18).put(new byte[] {0, 0, 8, 1}).putInt(1_900_000_000).array();
        Path g = write("liar.gz", gzip(liar));
        assertThatThrownBy(() -> Idx.read(g)).hasMessage(g + " (gzip): the header declares shape [1900000000] of torch.uint8, "
                + "which needs 1900000000 data bytes after the 8-byte header, but the data ends after 10");
    }

    @Test
    void refusesCorruptGzip() throws IOException {
        byte[] gz = gzip(Idx.encode(sample(DType.INT16)));
        gz[gz.length / 2] ^= 0x55;
        gz[gz.length / 2 + 1] ^= 0x55;
        Path p = write("corrupt.gz", gz);
        assertThatThrownBy(() -> Idx.read(p)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(p + ": corrupt or truncated gzip data: ");
        byte[] cut = Arrays.copyOf(gzip(Idx.encode(sample(DType.INT16))), 30);
        Path c = write("cut.gz", cut);
        assertThatThrownBy(() -> Idx.read(c)).isInstanceOf(IdxFormatException.class)
                .hasMessageStartingWith(c + ": corrupt or truncated gzip data: ");
    }

    @Test
    void emptyDimensionsReadAsEmptyTensors() throws IOException {
        byte[] bytes = ByteBuffer.allocate(12).put(new byte[] {0, 0, 8, 2}).putInt(0).putInt(28).array();
        Tensor t = Idx.read(write("empty.idx", bytes));
        assertThat(t.shape().toArray()).containsExactly(0, 28);
    }

    @Test
    void encodeRefusesUnsupportedTensors() {
        Tensor t = Tensor.wrap(Storage.wrap(new long[] {1}), org.convinit.tensor.Shape.of(1), new int[] {1}, 0);
        assertThatThrownBy(() -> Idx.encode(t)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dtype torch.int64: IDX holds uint8, int8, int16, int32, float32 or float64");
    }
}
