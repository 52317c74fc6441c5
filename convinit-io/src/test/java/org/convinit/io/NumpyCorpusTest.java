package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.numpy.Npy;
import org.convinit.io.numpy.Npz;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** .npy and .npz files written by numpy 1.24 read bit for bit; convinit's own files read back. */
class NumpyCorpusTest {
    @TempDir
    Path dir;

    private static void check(String key, Tensor t, JsonNode rec) {
        assertThat(t.dtype().torchName()).as(key).isEqualTo(rec.get("dtype").asText());
        assertThat(t.shape().toArray()).as(key).containsExactly(Golden.ints(rec.get("shape")));
        assertThat(t.isContiguous()).as(key).isTrue();
        assertThat(CorpusFixtures.sha256(t)).as(key).isEqualTo(rec.get("sha256").asText());
    }

    @Test
    void readsEveryNpyFileAsNumpyDoes() throws Exception {
        JsonNode np = CorpusFixtures.expected().get("numpy");
        for (Iterator<Map.Entry<String, JsonNode>> it = np.fields(); it.hasNext(); ) {
            Map.Entry<String, JsonNode> e = it.next();
            Path f = CorpusFixtures.file("np_" + e.getKey() + ".npy");
            assertThat(Checkpoints.detect(f)).isEqualTo(Format.NPY);
            check(e.getKey(), Npy.read(f), e.getValue());
            check(e.getKey(), Checkpoints.readTensors(f).get(""), e.getValue());
        }
    }

    @Test
    void readsStoredAndCompressedNpz() throws Exception {
        JsonNode np = CorpusFixtures.expected().get("numpy");
        for (String name : new String[] {"arrays.npz", "arrays_compressed.npz"}) {
            Path f = CorpusFixtures.file(name);
            assertThat(Checkpoints.detect(f)).isEqualTo(Format.NPZ);
            LinkedHashMap<String, Tensor> m = Checkpoints.readTensors(f);
            assertThat(m.keySet()).containsExactlyElementsOf(() -> np.fieldNames());
            for (Map.Entry<String, Tensor> e : m.entrySet()) check(name + " " + e.getKey(), e.getValue(), np.get(e.getKey()));
        }
    }

    @Test
    void refusesObjectArrays() {
        assertThatThrownBy(() -> Npy.read(CorpusFixtures.file("np_object.npy"))).isInstanceOfSatisfying(CheckpointException.class, e -> {
            assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_DTYPE);
            assertThat(e.getMessage()).endsWith(": .npy dtype '|O' (object arrays hold pickles and are refused)");
        });
    }

    @Test
    void roundTripsEveryNumpyDtypeAndRefusesBfloat16() throws Exception {
        Generator g = new Generator(3);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        m.put("f32", Tensor.empty(DType.FLOAT32, 2, 3).uniform_(-1, 1, g));
        m.put("f64_t", Tensor.empty(DType.FLOAT64, 3, 2).uniform_(-1, 1, g).t());
        m.put("f16", Tensor.empty(DType.FLOAT16, 4).uniform_(-1, 1, g));
        m.put("i64", Tensor.of(new long[] {5, -6}, 2));
        m.put("u8", Tensor.full(DType.UINT8, 255, 1));
        m.put("b", Tensor.full(DType.BOOL, 1, 2));
        m.put("s", Tensor.scalar(1.5));
        m.put("e", Tensor.empty(DType.INT32, 0));
        Path z = dir.resolve("a.npz");
        Checkpoints.write(z, m);
        LinkedHashMap<String, Tensor> back = Checkpoints.readTensors(z);
        assertThat(back.keySet()).containsExactlyElementsOf(m.keySet());
        for (String k : m.keySet()) {
            assertThat(back.get(k).dtype()).as(k).isEqualTo(m.get(k).dtype());
            assertThat(CorpusFixtures.sha256(back.get(k))).as(k).isEqualTo(CorpusFixtures.sha256(m.get(k)));
        }
        Path one = dir.resolve("one.npy");
        Checkpoints.write(one, Map.of("x", m.get("f64_t")));
        assertThat(CorpusFixtures.sha256(Npy.read(one))).isEqualTo(CorpusFixtures.sha256(m.get("f64_t")));
        assertThatThrownBy(() -> Checkpoints.write(dir.resolve("b.npy"), Map.of("x", Tensor.empty(DType.BFLOAT16, 2))))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("dtype torch.bfloat16 for a .npy file: NumPy has no such dtype; convert it first (e.g. to float32)");
        assertThatThrownBy(() -> Checkpoints.write(dir.resolve("c.npy"), m))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("output file " + dir.resolve("c.npy") + " (.npy) holds one array, but 8 tensors were given; use .npz, .pth or .safetensors");
        try (Npz r = Npz.open(z)) {
            assertThat(r.entries().get(1).shape().toArray()).containsExactly(2, 3);
        }
    }
}
