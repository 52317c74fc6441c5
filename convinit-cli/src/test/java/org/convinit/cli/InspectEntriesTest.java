package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code inspect} shows what a checkpoint holds besides tensors: a .pth's plain values, safetensors' __metadata__. */
class InspectEntriesTest {
    @TempDir
    Path dir;

    @Test
    void plainValuesOfATorchCheckpointAsPythonShowsThem() throws Exception {
        Torch.require();
        Path f = dir.resolve("ck.pth");
        // torch saves a training checkpoint; Python prints the repr of each plain entry the way inspect must show it
        String reprs = Torch.run(String.join("\n",
                "import sys, torch, torch.nn as nn",
                "torch.manual_seed(0)",
                "m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU())",
                "opt = torch.optim.SGD(m.parameters(), lr=0.1, momentum=0.9)",
                "m(torch.randn(1, 1, 5, 5)).sum().backward(); opt.step()",
                "ck = {'state_dict': m.state_dict(), 'optimizer': opt.state_dict(), 'epoch': 3, 'lr': 0.1, 'arch': \"it's a\\nnet\",",
                "      'best': None, 'done': True, 'history': {'loss': [2.3, 1.9], 'acc': (0.5,)}, 'big': 2 ** 70, 'nan': float('nan')}",
                "torch.save(ck, sys.argv[1])",
                "print(repr(ck['optimizer']['param_groups']))",
                "for k in ['epoch', 'lr', 'arch', 'best', 'done', 'history', 'big', 'nan']: print(repr(ck[k]))"), f.toString());
        String[] expected = reprs.strip().split("\n");

        CliRunner text = CliRunner.run("inspect", f.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains(f + ": pth, 4 tensors, 9 other entries").contains("non-tensor entries:");
        String[] names = {"optimizer.param_groups", "epoch", "lr", "arch", "best", "done", "history", "big", "nan"};
        String[] types = {"list", "int", "float", "str", "NoneType", "bool", "dict", "int", "float"};
        for (int i = 0; i < names.length; i++) {
            assertThat(text.out()).contains(String.format("%-40s %-9s %s%n", names[i], types[i], expected[i]));
        }
        assertThat(text.out()).doesNotContain("__metadata__");

        CliRunner json = CliRunner.run("inspect", f.toString(), "--json");
        assertThat(json.code()).as(json.err()).isZero();
        JsonNode root = new ObjectMapper().readTree(json.out());
        assertThat(root.get("metadata").isNull()).isTrue();
        JsonNode values = root.get("values");
        assertThat(values.size()).isEqualTo(names.length);
        for (int i = 0; i < names.length; i++) {
            assertThat(values.get(i).get("name").asText()).isEqualTo(names[i]);
            assertThat(values.get(i).get("type").asText()).isEqualTo(types[i]);
        }
        assertThat(values.get(1).get("value").asLong()).isEqualTo(3);
        assertThat(values.get(2).get("value").asDouble()).isEqualTo(0.1);
        assertThat(values.get(3).get("value").asText()).isEqualTo("it's a\nnet");
        assertThat(values.get(4).get("value").isNull()).isTrue();
        assertThat(values.get(6).get("value").toString()).isEqualTo("{\"loss\":[2.3,1.9],\"acc\":[0.5]}");
        assertThat(values.get(7).get("value").bigIntegerValue()).isEqualTo(java.math.BigInteger.TWO.pow(70));
        assertThat(values.get(8).get("value").asText()).isEqualTo("nan");
        JsonNode group = values.get(0).get("value").get(0);
        assertThat(group.get("lr").asDouble()).isEqualTo(0.1);
        assertThat(group.get("momentum").asDouble()).isEqualTo(0.9);
        assertThat(group.get("params").toString()).isEqualTo("[0,1]");
        assertThat(root.get("tensors").size()).isEqualTo(4); // the momentum buffers are tensors: listed above, not here
    }

    @Test
    void safetensorsMetadataInTextAndJson() throws Exception {
        Path f = dir.resolve("w.safetensors");
        assertThat(CliRunner.run("init", "--model", "Conv2d(1, 2, 3)", "--seed", "11", "--out", f.toString()).code()).isZero();
        CliRunner text = CliRunner.run("inspect", f.toString());
        assertThat(text.code()).as(text.err()).isZero();
        assertThat(text.out()).contains("__metadata__:").contains(String.format("  %-38s %s%n", "convinit.seed", "11"))
                .contains(String.format("  %-38s %s%n", "convinit.model", "Conv2d(1, 2, 3)"));
        assertThat(text.out()).doesNotContain("non-tensor entries");
        JsonNode root = new ObjectMapper().readTree(CliRunner.run("inspect", f.toString(), "--json").out());
        assertThat(root.get("metadata").get("convinit.seed").asText()).isEqualTo("11");
        assertThat(root.get("metadata").get("format").asText()).isEqualTo("pt");
        assertThat(root.get("values").size()).isZero();
    }
}
