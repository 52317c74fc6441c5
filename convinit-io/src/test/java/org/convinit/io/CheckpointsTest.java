package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.CheckpointException.Reason;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The facade: detection by magic bytes, writing by extension, lazy readers for every format, atomic saves. */
class CheckpointsTest {
    @TempDir
    Path dir;

    @Test
    void detectsSafetensorsWhoseHeaderLengthLooksLikeAPickle() throws Exception {
        byte[] f = new byte[8 + 640];
        ByteBuffer.wrap(f).order(ByteOrder.LITTLE_ENDIAN).putLong(640);
        Arrays.fill(f, 8, f.length, (byte) ' ');
        f[8] = '{';
        f[9] = '}';
        Path p = dir.resolve("x.bin");
        Files.write(p, f);
        assertThat(f[0] & 0xFF).isEqualTo(0x80);
        assertThat(Checkpoints.detect(p)).isEqualTo(Format.SAFETENSORS);
        assertThat(Checkpoints.readTensors(p)).isEmpty();
    }

    @Test
    void refusesUnknownFilesAndTarCheckpointsByName() throws Exception {
        Path txt = dir.resolve("a.txt");
        Files.writeString(txt, "hello, world");
        assertThatThrownBy(() -> Checkpoints.detect(txt)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_FORMAT);
            assertThat(e.getMessage()).isEqualTo(txt + ": not a checkpoint convinit reads (torch .pth/.pt, safetensors, .npy, .npz)");
        });
        byte[] tar = new byte[1024];
        System.arraycopy("ustar".getBytes(java.nio.charset.StandardCharsets.US_ASCII), 0, tar, 257, 5);
        Path t = dir.resolve("old.pth");
        Files.write(t, tar);
        assertThatThrownBy(() -> Checkpoints.open(t)).isInstanceOfSatisfying(CheckpointException.class,
                e -> assertThat(e.getMessage()).isEqualTo(t + ": pre-0.4 tar checkpoint; re-save it with a modern torch"));
        Path missing = dir.resolve("nope.pth");
        assertThatThrownBy(() -> Checkpoints.open(missing)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.IO);
            assertThat(e.getMessage()).isEqualTo("cannot read " + missing + ": no such file or directory");
        });
    }

    @Test
    void writesEveryFormatByExtensionAndListsEntriesLazily() throws Exception {
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("conv.weight", Tensor.ones(DType.FLOAT32, 2, 1, 3, 3));
        m.put("conv.bias", Tensor.zeros(DType.FLOAT32, 2));
        m.put("bn.num_batches_tracked", Tensor.of(new long[] {4}));
        Map<String, Format> expected = Map.of("m.pth", Format.PTH_ZIP, "m.pt", Format.PTH_ZIP, "m.safetensors", Format.SAFETENSORS,
                "m.npz", Format.NPZ);
        for (Map.Entry<String, Format> e : expected.entrySet()) {
            Path f = dir.resolve(e.getKey());
            Checkpoints.write(f, m);
            assertThat(Checkpoints.detect(f)).as(e.getKey()).isEqualTo(e.getValue());
            try (CheckpointReader r = Checkpoints.open(f)) {
                assertThat(r.format()).isEqualTo(e.getValue());
                assertThat(r.keys()).as(e.getKey()).containsExactlyInAnyOrderElementsOf(m.keySet());
                TensorInfo info = r.entries().stream().filter(i -> i.name().equals("conv.weight")).findFirst().orElseThrow();
                assertThat(info.dtype()).isEqualTo(DType.FLOAT32);
                assertThat(info.shape().toArray()).containsExactly(2, 1, 3, 3);
                assertThat(r.tensor("bn.num_batches_tracked").toLongArray()).containsExactly(4);
            }
        }
        assertThatThrownBy(() -> Checkpoints.write(dir.resolve("m.h5"), m)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output file " + dir.resolve("m.h5") + ": expected an extension .safetensors, .pth, .pt, .npz or .npy");
    }

    @Test
    void aFailedSaveLeavesThePreviousFileIntact() throws Exception {
        Path f = dir.resolve("keep.pth");
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("w", Tensor.ones(DType.FLOAT32, 3));
        Checkpoints.write(f, m);
        byte[] before = Files.readAllBytes(f);
        LinkedHashMap<String, Object> bad = new LinkedHashMap<>();
        bad.put("w", Tensor.zeros(DType.FLOAT32, 3));
        bad.put("x", new Object());
        assertThatThrownBy(() -> org.convinit.io.pth.PthWriter.write(f, bad)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("value of type java.lang.Object: expected a Tensor, Map, List, String, integer, Double, Boolean or null");
        assertThat(Files.readAllBytes(f)).isEqualTo(before);
        try (var files = Files.list(dir)) {
            assertThat(files.map(p -> p.getFileName().toString())).containsExactly("keep.pth");
        }
    }

    @Test
    void openingReadsOnlyTheIndexAndEachTensorOnlyItsOwnBytes() throws Exception {
        byte[] pkl = Hostile.pickle().op('}', '(').str("good").tensor("FloatStorage", "0", 4, 0, new long[] {4}, new long[] {1})
                .str("bad").tensor("FloatStorage", "1", 4, 0, new long[] {4}, new long[] {1}).op('u').stop();
        byte[] garbage = {(byte) 0xff, (byte) 0xff, (byte) 0xff, (byte) 0xff};
        Path f = dir.resolve("lazy.pth");
        Files.write(f, Hostile.rawZip(Hostile.RawEntry.stored("archive/data.pkl", pkl),
                Hostile.RawEntry.stored("archive/data/0", new byte[16]),
                new Hostile.RawEntry("archive/data/1", garbage, 8, 16, garbage.length),
                Hostile.RawEntry.stored("archive/version", "3\n".getBytes(java.nio.charset.StandardCharsets.US_ASCII))));
        try (CheckpointReader r = Checkpoints.open(f)) {
            assertThat(r.keys()).containsExactly("good", "bad");
            assertThat(r.tensor("good").toDoubleArray()).containsExactly(0, 0, 0, 0);
            assertThatThrownBy(() -> r.tensor("bad")).isInstanceOfSatisfying(CheckpointException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.MALFORMED_HEADER);
                assertThat(e.getMessage()).contains("zip entry 'archive/data/1' (tensor 'bad') is not valid deflate data");
            });
        }
    }

    @Test
    void readersOfOneFileShareStoragesAcrossCalls() throws Exception {
        Path f = dir.resolve("shared.pth");
        Tensor base = Tensor.of(new float[] {1, 2, 3, 4, 5, 6}, 2, 3);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("base", base);
        m.put("t", base.t());
        Checkpoints.write(f, m);
        try (CheckpointReader r = Checkpoints.open(f)) {
            Tensor t = r.tensor("t");
            Tensor b = r.tensor("base");
            assertThat(t.storage()).isSameAs(b.storage());
            assertThat(t.strides()).containsExactly(1, 3);
            assertThat(t.get(2, 1)).isEqualTo(6.0);
        }
    }
}
