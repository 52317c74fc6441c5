package org.convinit.io;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.numpy.Npz;
import org.convinit.io.pth.PthWriter;
import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Differential tests against the real torch 1.13.1 and numpy: files convinit writes, loaded by
 * {@code torch.load(weights_only=True)} / {@code np.load}; and torchvision's resnet18 state dict,
 * generated at test time, read by convinit.
 */
class TorchRoundTripTest {
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    static String gen(String... args) {
        Path script = Path.of("..", "tools", "golden", "gen_checkpoints.py").toAbsolutePath().normalize();
        StringBuilder argv = new StringBuilder("['" + script + "'");
        for (String a : args) argv.append(", '").append(a).append("'");
        argv.append(']');
        return Torch.run("import runpy, sys\nsys.argv = " + argv + "\nrunpy.run_path(sys.argv[0], run_name='__main__')\n");
    }

    static LinkedHashMap<String, Tensor> sample() {
        Generator g = new Generator(7);
        LinkedHashMap<String, Tensor> m = new LinkedHashMap<>();
        Tensor base = Tensor.empty(DType.FLOAT32, 4, 6).uniform_(-1, 1, g);
        m.put("conv.weight", new Parameter(Tensor.empty(DType.FLOAT32, 2, 3, 3, 3).uniform_(-1, 1, g)));
        m.put("conv.bias", new Parameter(Tensor.empty(DType.FLOAT32, 2).uniform_(-1, 1, g), false));
        m.put("base", base);
        m.put("base_t", base.t());
        m.put("base_row", base.select(0, 2));
        m.put("base_strided", base.slice(1, 1, 6, 2));
        m.put("grad", Tensor.empty(DType.FLOAT64, 3).uniform_(-1, 1, g).requiresGrad(true));
        m.put("f16", Tensor.empty(DType.FLOAT16, 5).uniform_(-3, 3, g));
        m.put("bf16", Tensor.empty(DType.BFLOAT16, 2, 2).uniform_(-3, 3, g));
        m.put("i64", Tensor.of(new long[] {1, -2, 1L << 50}, 3));
        m.put("i32", Tensor.full(DType.INT32, -7, 2));
        m.put("i16", Tensor.full(DType.INT16, 300, 2));
        m.put("i8", Tensor.full(DType.INT8, -5, 2));
        m.put("u8", Tensor.full(DType.UINT8, 250, 2));
        m.put("bool", Tensor.full(DType.BOOL, 1, 3));
        m.put("scalar", Tensor.scalar(2.5));
        m.put("num_batches_tracked", Tensor.of(new long[] {12}));
        m.put("empty", Tensor.empty(DType.FLOAT32, 0, 4));
        return m;
    }

    @Test
    void torchLoadsConvinitPthWithWeightsOnlyAndKeepsSharing() throws Exception {
        Torch.require();
        Path f = dir.resolve("java.pth");
        LinkedHashMap<String, Tensor> m = sample();
        Checkpoints.write(f, m);
        JsonNode got = JSON.readTree(gen("describe", f.toString()));
        assertThat(got).hasSize(m.size());
        Map<Integer, Storage> groups = new HashMap<>();
        IdentityHashMap<Storage, Integer> seen = new IdentityHashMap<>();
        int i = 0;
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            JsonNode rec = got.get(i++);
            Tensor t = e.getValue();
            String as = e.getKey();
            assertThat(rec.get("name").asText()).isEqualTo(e.getKey());
            assertThat(rec.get("dtype").asText()).as(as).isEqualTo(t.dtype().torchName());
            assertThat(Golden.ints(rec.get("shape"))).as(as).containsExactly(t.shape().toArray());
            assertThat(rec.get("sha256").asText()).as(as).isEqualTo(CorpusFixtures.sha256(t));
            assertThat(rec.get("requires_grad").asBoolean()).as(as).isEqualTo(t.requiresGrad());
            assertThat(rec.get("parameter").asBoolean()).as(as).isEqualTo(t instanceof Parameter);
            if (t.numel() > 0) {
                assertThat(Golden.ints(rec.get("stride"))).as(as).containsExactly(t.strides());
                assertThat(rec.get("offset").asInt()).as(as).isEqualTo(t.storageOffset());
                int gid = rec.get("storage").asInt();
                Storage prior = groups.putIfAbsent(gid, t.storage());
                if (prior != null) assertThat(t.storage()).as(as + ": torch shares storage, convinit does not").isSameAs(prior);
                Integer g2 = seen.putIfAbsent(t.storage(), gid);
                if (g2 != null) assertThat(gid).as(as + ": convinit shares storage, torch does not").isEqualTo(g2);
            }
        }
        // and convinit reads its own file back identically, sharing included
        LinkedHashMap<String, Tensor> back = Checkpoints.readTensors(f);
        assertThat(back.get("base_t").storage()).isSameAs(back.get("base").storage());
        assertThat(back.get("base_strided").storage()).isSameAs(back.get("base").storage());
        for (String k : m.keySet()) assertThat(CorpusFixtures.sha256(back.get(k))).as(k).isEqualTo(CorpusFixtures.sha256(m.get(k)));
    }

    @Test
    void torchLoadsNestedCheckpointWithoutFloats() throws Exception {
        Torch.require();
        Path f = dir.resolve("nested.pt");
        LinkedHashMap<String, Object> root = new LinkedHashMap<>();
        root.put("epoch", 3L);
        root.put("state_dict", sample());
        root.put("names", java.util.List.of("a", "b"));
        root.put("big", java.math.BigInteger.ONE.shiftLeft(70));
        root.put("none", null);
        PthWriter.write(f, root);
        JsonNode got = JSON.readTree(gen("describe", f.toString()));
        assertThat(got.get(0).get("name").asText()).isEqualTo("epoch");
        assertThat(got.get(0).get("value").asText()).isEqualTo("3");
        JsonNode last = got.get(got.size() - 1);
        assertThat(last.get("name").asText()).isEqualTo("none");
        assertThat(got.get(got.size() - 2).get("value").asText()).isEqualTo(java.math.BigInteger.ONE.shiftLeft(70).toString());
        assertThat(got.get(got.size() - 3).get("value").asText()).isEqualTo("b");
    }

    @Test
    void numpyReadsConvinitNpzIdentically() throws Exception {
        Torch.require();
        Path f = dir.resolve("java.npz");
        LinkedHashMap<String, Tensor> m = sample();
        m.remove("bf16");
        Npz.write(f, m);
        JsonNode got = JSON.readTree(gen("describe-npz", f.toString()));
        assertThat(got.size()).isEqualTo(m.size());
        for (Map.Entry<String, Tensor> e : m.entrySet()) {
            JsonNode rec = got.get(e.getKey());
            assertThat(rec).as(e.getKey()).isNotNull();
            assertThat(Golden.ints(rec.get("shape"))).as(e.getKey()).containsExactly(e.getValue().shape().toArray());
            assertThat(rec.get("sha256").asText()).as(e.getKey()).isEqualTo(CorpusFixtures.sha256(e.getValue()));
        }
    }

    @Test
    void readsTorchvisionResnet18BitForBit() throws Exception {
        Torch.require();
        gen("resnet18", dir.toString());
        Path f = dir.resolve("resnet18.pth");
        JsonNode expected = JSON.readTree(Files.readString(dir.resolve("resnet18.json")));
        assertThat(expected.size()).isEqualTo(122);
        PthCorpusTest.compare(f, expected, "resnet18.pth");
    }
}
