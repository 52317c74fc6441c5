package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.internal.zip.ZipArchive;
import org.convinit.io.numpy.Npz;
import org.convinit.io.pth.PthWriter;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/**
 * The damaged-record corpus: files written by convinit, torch 1.13 and numpy with one byte flipped
 * in tensor data, in a local header, in the pickle, or anywhere, are refused with the record's name
 * (and the tensor's), or read unchanged; CRC checks can be turned off to salvage a file.
 */
class DamagedRecordsTest {
    @TempDir
    Path dir;

    private Path source(String name) throws Exception {
        LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
        sd.put("conv.weight", Tensor.of(new float[] {1, 2, 3, 4, 5, 6, 7, 8}, 2, 4));
        sd.put("conv.bias", Tensor.of(new float[] {0.5f, -0.5f}, 2));
        sd.put("steps", Tensor.of(new long[] {7}, 1));
        switch (name) {
            case "own.pth": { Path f = dir.resolve(name); PthWriter.write(f, sd); return f; }
            case "own.npz": { Path f = dir.resolve(name); Npz.write(f, sd); return f; }
            default: return CorpusFixtures.file(name);
        }
    }

    private static List<ZipArchive.Entry> records(Path f) throws Exception {
        try (FileChannel ch = FileChannel.open(f, StandardOpenOption.READ)) {
            return ZipArchive.open(f, ch).entries();
        }
    }

    private Path flipped(Path src, long pos, String as) throws Exception {
        byte[] b = Files.readAllBytes(src);
        b[(int) pos] ^= 0x5A;
        Path out = dir.resolve(as);
        Files.write(out, b);
        return out;
    }

    private static boolean isData(ZipArchive.Entry e) {
        return e.name().contains("/data/") || e.name().endsWith(".npy");
    }

    @ParameterizedTest
    @ValueSource(strings = {"own.pth", "state_dict.pth", "deflated.pth", "own.npz", "arrays.npz", "arrays_compressed.npz"})
    void aByteFlippedInTensorDataIsRefusedNamingTheRecordAndTheTensor(String name) throws Exception {
        Path src = source(name);
        LinkedHashMap<String, Tensor> clean = Checkpoints.readTensors(src);
        int damaged = 0;
        for (ZipArchive.Entry rec : records(src)) {
            if (!isData(rec) || rec.size() == 0 || name.endsWith(".npz") && rec.size() <= 128) continue; // an .npz record of an empty array is all header
            long at = rec.dataOffset() + rec.compressedSize() - 2;
            Path bad = flipped(src, at, "d" + damaged++ + "-" + name);
            List<String> refused = new ArrayList<>();
            try (CheckpointReader r = Checkpoints.open(bad)) {
                for (String key : r.keys()) {
                    try {
                        assertThat(r.tensor(key).toDoubleArray()).as(key).isEqualTo(clean.get(key).toDoubleArray());
                    } catch (CheckpointException e) {
                        refused.add(key);
                        assertThat(e.getMessage()).as(key).contains("'" + rec.name() + "'").contains("'" + key + "'");
                        if (rec.stored()) {
                            assertThat(e.reason()).isEqualTo(Reason.CHECKSUM);
                            assertThat(e.getMessage()).contains("is damaged: its content has CRC-32");
                        }
                    }
                }
            }
            assertThat(refused).as("tensors over %s refused, the others read (lazily, each checking its own record)", rec.name()).isNotEmpty();
            assertThatThrownBy(() -> Checkpoints.readTensors(bad)).isInstanceOf(CheckpointException.class).hasMessageContaining(rec.name());
            if (rec.stored()) {
                LinkedHashMap<String, Tensor> salvaged = Checkpoints.readTensors(bad, ReadOptions.DEFAULT.withoutChecksums());
                assertThat(salvaged.keySet()).isEqualTo(clean.keySet());
            }
        }
        assertThat(damaged).isPositive();
    }

    @ParameterizedTest
    @ValueSource(strings = {"own.pth", "state_dict.pth", "own.npz", "arrays.npz"})
    void aByteFlippedInALocalHeaderIsRefusedNamingTheRecord(String name) throws Exception {
        Path src = source(name);
        for (ZipArchive.Entry rec : records(src)) {
            Path crc = flipped(src, rec.headerOffset() + 15, "crc-" + name);
            assertThatThrownBy(() -> Checkpoints.readTensors(crc)).isInstanceOfSatisfying(CheckpointException.class, e -> {
                assertThat(e.reason()).as(rec.name()).isEqualTo(Reason.CHECKSUM);
                assertThat(e.getMessage()).contains("record '" + rec.name() + "'").contains("its local header gives CRC-32");
            });
            Path nm = flipped(src, rec.headerOffset() + 30 + rec.name().length() - 1, "name-" + name);
            assertThatThrownBy(() -> Checkpoints.readTensors(nm)).isInstanceOfSatisfying(CheckpointException.class, e ->
                    assertThat(e.getMessage()).as(rec.name()).contains("'" + rec.name() + "': local header name differs from the central directory"));
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"own.pth", "state_dict.pth", "nested.pth"})
    void aByteFlippedInThePickleIsRefusedNamingItsRecord(String name) throws Exception {
        Path src = source(name);
        ZipArchive.Entry pkl = records(src).stream().filter(e -> e.name().endsWith("/data.pkl")).findFirst().orElseThrow();
        for (long at : new long[] {pkl.dataOffset() + 2, pkl.dataOffset() + pkl.size() / 2, pkl.dataOffset() + pkl.size() - 2}) {
            Path bad = flipped(src, at, "pkl-" + name);
            assertThatThrownBy(() -> Checkpoints.open(bad)).isInstanceOfSatisfying(CheckpointException.class, e -> {
                assertThat(e.reason()).isEqualTo(Reason.CHECKSUM);
                assertThat(e.getMessage()).contains("record '" + pkl.name() + "' (the pickle");
            });
        }
    }

    @ParameterizedTest
    @ValueSource(strings = {"own.npz", "arrays.npz"})
    void aByteFlippedInAnNpyHeaderIsRefusedAsDamageNamingTheRecord(String name) throws Exception {
        Path src = source(name);
        ZipArchive.Entry rec = records(src).get(0);
        Path bad = flipped(src, rec.dataOffset() + 20, "npyhead-" + name);
        assertThatThrownBy(() -> Checkpoints.open(bad)).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.CHECKSUM);
            assertThat(e.getMessage()).contains("record '" + rec.name() + "' (array '" + rec.name().replace(".npy", "") + "')");
        });
    }

    /** Every single byte of a small checkpoint flipped: the file is refused, or every tensor reads unchanged. */
    @ParameterizedTest
    @ValueSource(strings = {"own.pth", "own.npz"})
    void noFlippedByteChangesATensorSilently(String name) throws Exception {
        Path src = source(name);
        LinkedHashMap<String, Tensor> clean = Checkpoints.readTensors(src);
        long size = Files.size(src);
        int refused = 0;
        for (long at = 0; at < size; at++) {
            Path bad = flipped(src, at, "sweep-" + name);
            LinkedHashMap<String, Tensor> read;
            try {
                read = Checkpoints.readTensors(bad);
            } catch (CheckpointException e) {
                refused++;
                continue;
            }
            assertThat(read.keySet()).as("byte %d", at).isEqualTo(clean.keySet());
            for (Map.Entry<String, Tensor> e : clean.entrySet()) {
                assertThat(read.get(e.getKey()).toDoubleArray()).as("byte %d, %s", at, e.getKey()).isEqualTo(e.getValue().toDoubleArray());
            }
        }
        assertThat(refused).isGreaterThan((int) (size / 4));
    }

    /** torch >= 2.5 with compute_crc32=False writes CRC fields of 0: such records are read unchecked. */
    @Test
    void aZeroCrcFieldMeansNoCrcWasComputed() throws Exception {
        Path src = source("own.pth");
        ZipArchive.Entry rec = records(src).stream().filter(DamagedRecordsTest::isData).findFirst().orElseThrow();
        byte[] b = Files.readAllBytes(src);
        ByteBuffer bb = ByteBuffer.wrap(b).order(ByteOrder.LITTLE_ENDIAN);
        bb.putInt((int) rec.headerOffset() + 14, 0);
        for (int p = 0; p + 46 < b.length; p++) {
            if (bb.getInt(p) == 0x02014b50 && bb.getInt(p + 42) == (int) rec.headerOffset()) bb.putInt(p + 16, 0);
        }
        b[(int) rec.dataOffset()] ^= 0x5A;
        Path f = dir.resolve("nocrc.pth");
        Files.write(f, b);
        assertThat(Checkpoints.readTensors(f)).hasSize(3);
    }
}
