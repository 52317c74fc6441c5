package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class InspectConvertTest {
    @TempDir
    Path dir;

    @Test
    void inspectJsonOfATorchCheckpointMatchesTorchStatistics() throws Exception {
        Torch.require();
        Path f = dir.resolve("ck.pth");
        String expected = Torch.run(String.join("\n",
                "import sys, json, torch, torch.nn as nn",
                "torch.manual_seed(0)",
                "m = nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU())",
                "sd = m.state_dict()",
                "torch.save({'epoch': 3, 'state_dict': sd, 'extra': [torch.arange(4, dtype=torch.float16)]}, sys.argv[1])",
                "out = []",
                "def add(name, t):",
                "    d = t.double()",
                "    out.append([name, str(t.dtype).replace('torch.', ''), list(t.shape), d.min().item(), d.max().item(), d.mean().item(),"
                        + " d.std().item() if t.numel() > 1 else None])",
                "for k, v in sd.items(): add('state_dict.' + k, v)",
                "add('extra.0', torch.arange(4, dtype=torch.float16))",
                "print(json.dumps(out))"), f.toString());
        CliRunner r = CliRunner.run("inspect", f.toString(), "--json");
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(r.out());
        assertThat(root.get("format").asText()).isEqualTo("pth");
        JsonNode exp = new ObjectMapper().readTree(expected);
        JsonNode tensors = root.get("tensors");
        assertThat(tensors.size()).isEqualTo(exp.size());
        for (int i = 0; i < exp.size(); i++) {
            JsonNode e = exp.get(i);
            JsonNode t = tensors.get(i);
            assertThat(t.get("name").asText()).isEqualTo(e.get(0).asText());
            assertThat(t.get("dtype").asText()).isEqualTo(e.get(1).asText());
            assertThat(t.get("shape").toString()).isEqualTo(e.get(2).toString().replace(" ", ""));
            for (int k = 0; k < 4; k++) {
                String key = new String[] {"min", "max", "mean", "std"}[k];
                if (e.get(3 + k).isNull()) {
                    assertThat(t.get(key).isNull()).as("%s %s", t.get("name"), key).isTrue();
                } else {
                    assertThat(t.get(key).asDouble()).as("%s %s", t.get("name"), key)
                            .isCloseTo(e.get(3 + k).asDouble(), org.assertj.core.data.Offset.offset(1e-9));
                }
            }
        }
    }

    @Test
    void inspectTableAndConvertRoundTrip() throws Exception {
        Path pth = dir.resolve("m.pth");
        assertThat(CliRunner.run("init", "--model", "Sequential(Conv2d(2, 4, 3), LayerNorm(4))", "--seed", "1", "--out",
                pth.toString()).code()).isZero();
        CliRunner table = CliRunner.run("inspect", pth.toString());
        assertThat(table.code()).isZero();
        assertThat(table.out()).contains("pth, 4 tensors").contains("0.weight").contains("[4, 2, 3, 3]").contains("1.bias");

        Path st = dir.resolve("m.safetensors");
        CliRunner conv = CliRunner.run("convert", pth.toString(), st.toString(), "--dtype", "float64");
        assertThat(conv.code()).as(conv.err()).isZero();
        LinkedHashMap<String, Tensor> a = Checkpoints.readTensors(pth);
        LinkedHashMap<String, Tensor> b = Checkpoints.readTensors(st);
        assertThat(b.keySet()).containsExactlyInAnyOrderElementsOf(a.keySet());
        for (String k : a.keySet()) {
            assertThat(b.get(k).dtype()).isEqualTo(DType.FLOAT64);
            assertThat(b.get(k).toDoubleArray()).containsExactly(a.get(k).toDoubleArray());
        }
        Path npz = dir.resolve("m.npz");
        assertThat(CliRunner.run("convert", st.toString(), npz.toString()).code()).isZero();
        assertThat(Checkpoints.readTensors(npz).get("0.weight").toDoubleArray()).containsExactly(a.get("0.weight").toDoubleArray());
    }

    @Test
    void badFilesAndArgumentsGiveOneLine() throws Exception {
        CliRunner missing = CliRunner.run("inspect", dir.resolve("nope.pth").toString());
        assertThat(missing.code()).isEqualTo(1);
        assertThat(missing.err()).startsWith("convinit: ").doesNotContain("\tat ");
        Path junk = dir.resolve("junk.pth");
        Files.write(junk, new byte[] {1, 2, 3, 4, 5, 6, 7, 8, 9});
        CliRunner bad = CliRunner.run("inspect", junk.toString());
        assertThat(bad.code()).isEqualTo(1);
        assertThat(bad.err().strip().split("\n")).hasSize(1);
        Path st = dir.resolve("x.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 1, 1)", "--seed", "0", "--out", st.toString()).code()).isZero();
        CliRunner ext = CliRunner.run("convert", st.toString(), dir.resolve("x.txt").toString());
        assertThat(ext.code()).isEqualTo(2);
        assertThat(ext.err()).contains("expected an extension .safetensors, .pth, .pt, .npz or .npy");
        CliRunner npy = CliRunner.run("convert", st.toString(), dir.resolve("x.npy").toString());
        assertThat(npy.code()).isEqualTo(2);
        assertThat(npy.err()).contains("holds one array, but 2 tensors were given");
        CliRunner dt = CliRunner.run("convert", st.toString(), dir.resolve("y.pth").toString(), "--dtype", "int8");
        assertThat(dt.code()).isEqualTo(2);
        assertThat(dt.err()).contains("--dtype int8: expected a floating-point dtype");
    }
}
