package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.io.Checkpoints;
import org.convinit.io.numpy.Npy;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** --init GLOB=FN, --set and --init-plan: torch's bits for the equivalent script, and one line + exit 2 for every mistake. */
class InitPlanTest {
    static final String MODEL = "Sequential(Conv2d(3, 8, 3), BatchNorm2d(8), ReLU(), Conv2d(8, 4, 3, padding=1), Flatten(), Linear(64, 10))";
    static final String TORCH_MODEL = "nn.Sequential(nn.Conv2d(3, 8, 3), nn.BatchNorm2d(8), nn.ReLU(), nn.Conv2d(8, 4, 3, padding=1), "
            + "nn.Flatten(), nn.Linear(64, 10))";
    static final List<String> RULES = List.of(
            "[03].weight=kaiming_normal_(mode='fan_out', nonlinearity='relu')",
            "1.*=normal_(0.5, 0.1)",
            "5.weight=xavier_uniform_(gain=0.5)",
            "*.bias=uniform_(-0.1, 0.1)");

    @TempDir
    Path dir;

    /** Files for the --set sources: a .npy for 3.weight and a .pth holding a tensor for 0.bias. */
    private List<String> sets() throws Exception {
        Tensor w = Tensor.empty(DType.FLOAT64, 4, 8, 3, 3).uniform_(-1, 1, new org.convinit.random.Generator(3));
        Npy.write(dir.resolve("w3.npy"), w);
        Map<String, Tensor> ck = new LinkedHashMap<>();
        ck.put("fc.bias", Tensor.empty(DType.FLOAT32, 8).normal_(0, 1, new org.convinit.random.Generator(4)));
        Checkpoints.write(dir.resolve("ck.pth"), ck);
        return List.of("3.weight=" + dir.resolve("w3.npy"), "0.bias=" + dir.resolve("ck.pth") + ":fc.bias", "0.weight[1,2,0,-1]=2.5");
    }

    private static String[] args(List<String> base, List<String> rules, List<String> sets) {
        List<String> a = new ArrayList<>(base);
        for (String r : rules) {
            a.add("--init");
            a.add(r);
        }
        for (String s : sets) {
            a.add("--set");
            a.add(s);
        }
        return a.toArray(new String[0]);
    }

    @Test
    void mixedRulesAndSetsEqualTheTorchScriptBitForBit() throws Exception {
        Torch.require();
        Path out = dir.resolve("m.safetensors");
        List<String> rules = new ArrayList<>(List.of("kaiming_uniform_(a=1)")); // bare: every conv/linear weight first
        rules.addAll(RULES);
        CliRunner r = CliRunner.run(args(List.of("init", "--model", MODEL, "--seed", "11", "--out", out.toString()), rules, sets()));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> script = new ArrayList<>(List.of(
                "import fnmatch, json, struct, sys, numpy as np, torch, torch.nn as nn",
                "from torch.nn.init import *",
                "torch.manual_seed(11)",
                "m = " + TORCH_MODEL,
                "rules = json.loads(sys.argv[2])",
                "with torch.no_grad():",
                "    for x in m.modules():",
                "        if isinstance(x, (nn.Conv2d, nn.Linear)): kaiming_uniform_(x.weight, a=1)",
                "    for k, p in m.state_dict().items():",
                "        if not p.is_floating_point(): continue",
                "        for glob, fn in rules:",
                "            if fnmatch.fnmatchcase(k, glob):",
                "                name, _, rest = fn.partition('(')",
                "                eval(name + '(p' + (', ' + rest if rest.strip(') ') else ')'))",
                "                break",
                "    sd = m.state_dict()",
                "    sd['3.weight'].copy_(torch.from_numpy(np.load(sys.argv[3])))",
                "    sd['0.bias'].copy_(torch.load(sys.argv[4])['fc.bias'])",
                "    sd['0.weight'][1, 2, 0, -1] = 2.5",
                "b = open(sys.argv[1], 'rb').read()",
                "n = struct.unpack('<Q', b[:8])[0]",
                "h = json.loads(b[8:8+n])",
                "bad = []",
                "for k, t in m.state_dict().items():",
                "    s, e = h[k]['data_offsets']",
                "    dt = {'F32': torch.float32, 'I64': torch.int64}[h[k]['dtype']]",
                "    x = torch.frombuffer(bytearray(b[8+n+s:8+n+e]), dtype=dt).reshape(h[k]['shape'])",
                "    if not torch.equal(x.view(torch.int32) if dt == torch.float32 else x, t.view(torch.int32) if dt == torch.float32 else t):",
                "        bad.append(k)",
                "print(len(list(m.parameters())), json.dumps(bad))"));
        List<List<String>> pairs = new ArrayList<>();
        for (String rule : RULES) pairs.add(List.of(rule.substring(0, rule.indexOf('=')), rule.substring(rule.indexOf('=') + 1)));
        String res = Torch.run(String.join("\n", script), out.toString(), new ObjectMapper().writeValueAsString(pairs),
                dir.resolve("w3.npy").toString(), dir.resolve("ck.pth").toString()).strip();
        assertThat(res).isEqualTo("8 []");
        try (SafeTensors.Reader reader = SafeTensors.open(out)) {
            JsonNode plan = new ObjectMapper().readTree(reader.metadata().get("convinit.init_plan"));
            assertThat(plan.get("every_conv_linear_weight").asText()).isEqualTo("kaiming_uniform_(a=1)");
            assertThat(plan.get("init").get(1).get("keys").toString())
                    .isEqualTo("[\"1.weight\",\"1.bias\",\"1.running_mean\",\"1.running_var\"]");
            assertThat(plan.get("init").get(0).get("call").asText())
                    .isEqualTo("kaiming_normal_(a=0.0, mode='fan_out', nonlinearity='relu')");
            assertThat(plan.get("set")).hasSize(3);
        }
    }

    @Test
    void thePlanFileGivesTheSameFileAsTheOptions() throws Exception {
        List<String> sets = sets();
        Path a = dir.resolve("a.safetensors");
        Path b = dir.resolve("b.safetensors");
        assertThat(CliRunner.run(args(List.of("init", "--model", MODEL, "--seed", "2", "--out", a.toString()), RULES, sets)).code()).isZero();
        ObjectMapper json = new ObjectMapper();
        var root = json.createObjectNode();
        var init = root.putArray("init");
        for (String r : RULES) init.addObject().put("pattern", r.substring(0, r.indexOf('='))).put("fn", r.substring(r.indexOf('=') + 1));
        var set = root.putArray("set");
        set.addObject().put("key", "3.weight").put("file", "w3.npy"); // relative to the plan file
        set.addObject().put("key", "0.bias").put("file", "ck.pth").put("source_key", "fc.bias");
        var el = set.addObject().put("key", "0.weight").put("value", 2.5);
        el.putArray("index").add(1).add(2).add(0).add(-1);
        Path plan = dir.resolve("plan.json");
        json.writeValue(plan.toFile(), root);
        CliRunner r = CliRunner.run("init", "--model", MODEL, "--seed", "2", "--init-plan", plan.toString(), "--out", b.toString());
        assertThat(r.code()).as(r.err()).isZero();
        LinkedHashMap<String, Tensor> sa = SafeTensors.read(a);
        LinkedHashMap<String, Tensor> sb = SafeTensors.read(b);
        for (String k : sa.keySet()) assertThat(sb.get(k).valueEquals(sa.get(k))).as(k).isTrue();
        assertThat(sb.get("0.weight").get(1, 2, 0, 2)).isEqualTo(2.5);
    }

    private void oneLine(String expected, String... extra) {
        Path out = dir.resolve("bad.safetensors");
        List<String> a = new ArrayList<>(List.of("init", "--model", MODEL, "--seed", "0", "--out", out.toString()));
        a.addAll(List.of(extra));
        CliRunner r = CliRunner.run(a.toArray(new String[0]));
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        String first = r.err().strip().split("\n")[0];
        assertThat(first).as(r.err()).isEqualTo("convinit: " + expected);
        assertThat(r.err()).doesNotContain("\tat ");
        assertThat(Files.exists(out)).isFalse();
    }

    @Test
    void everyBadRuleIsOneClearLineAndExitTwo() throws Exception {
        sets();
        oneLine("--init 'clasifier.weight=zeros_': 'clasifier.weight' matches no state-dict key; closest: 0.weight, 1.weight, 3.weight",
                "--init", "clasifier.weight=zeros_");
        oneLine("--init '0.weight=ones_': every key '0.weight' matches is taken by an earlier rule (first match wins)",
                "--init", "*.weight=zeros_", "--init", "0.weight=ones_");
        oneLine("--init '0.weight=zeros_': every key '0.weight' matches is taken by an earlier rule (first match wins)",
                "--init", "0.weight=zeros_", "--init", "0.weight=zeros_");
        oneLine("--init '0.weight=kaiming_normal_(mode='fan_mid')': Mode fan_mid not supported, please use one of ['fan_in', 'fan_out']",
                "--init", "0.weight=kaiming_normal_(mode='fan_mid')");
        oneLine("--init '1.weight=kaiming_normal_' on 1.weight (shape [8]): Fan in and fan out can not be computed for tensor with "
                + "fewer than 2 dimensions (got shape [8])", "--init", "1.weight=kaiming_normal_");
        oneLine("--init 'ones_': only one --init FN for every conv and linear weight (already 'zeros_'); use GLOB=FN rules for more",
                "--init", "zeros_", "--init", "ones_");
        oneLine("--set '3.weigth=" + dir.resolve("w3.npy") + "': no key '3.weigth' in the model; closest: 3.weight, 0.weight, 1.weight",
                "--set", "3.weigth=" + dir.resolve("w3.npy"));
        oneLine("--set '0.weight=" + dir.resolve("w3.npy") + "': " + dir.resolve("w3.npy") + " has shape [4, 8, 3, 3] but 0.weight has "
                + "shape [8, 3, 3, 3]", "--set", "0.weight=" + dir.resolve("w3.npy"));
        oneLine("--set '0.bias=" + dir.resolve("ck.pth") + ":fc.bais': no key 'fc.bais' in " + dir.resolve("ck.pth") + "; closest: fc.bias",
                "--set", "0.bias=" + dir.resolve("ck.pth") + ":fc.bais");
        oneLine("--set '0.weight[8,0,0,0]=1': index 8 is out of bounds for dimension 0 with size 8 (0.weight has shape [8, 3, 3, 3])",
                "--set", "0.weight[8,0,0,0]=1");
        oneLine("--set '0.weight[0,0]=1': 2 indices for 0.weight of shape [8, 3, 3, 3] (4 dimensions)", "--set", "0.weight[0,0]=1");
        oneLine("--set '0.weight[0,0,0,0]=one': value 'one' is not a number", "--set", "0.weight[0,0,0,0]=one");
        oneLine("--set '0.weight=" + dir.resolve("none.npy") + "': file " + dir.resolve("none.npy") + " does not exist",
                "--set", "0.weight=" + dir.resolve("none.npy"));
        oneLine("--set '0.weight=w.pth': a whole tensor comes from a .npy file, or from .pth/.safetensors/.npz as FILE:KEY",
                "--set", "0.weight=w.pth");
        Path plan = dir.resolve("p.json");
        Files.writeString(plan, "{\"init\": [{\"pattern\": \"0.weight\", \"fn\": \"zeros_\", \"gain\": 2}]}");
        oneLine("--init-plan " + plan + ": init entry {\"pattern\":\"0.weight\",\"fn\":\"zeros_\",\"gain\":2}: unknown field 'gain'; "
                + "expected [fn, pattern]", "--init-plan", plan.toString());
    }

    @Test
    void globsAreFnmatchcase() {
        String[][] table = {
            {"features.*.weight", "features.0.weight", "true"}, {"features.*.weight", "features.0.block.1.weight", "true"},
            {"features.?.weight", "features.10.weight", "false"}, {"[03].weight", "3.weight", "true"},
            {"[!03].weight", "3.weight", "false"}, {"[!03].weight", "5.weight", "true"}, {"*.bias", "bias", "false"},
            {"a[b", "a[b", "true"}, {"x.w", "x.weight", "false"}, {"*", "num_batches_tracked", "true"},
        };
        for (String[] r : table) {
            assertThat(InitPlan.glob(r[0]).matcher(r[1]).matches()).as("%s ~ %s", r[0], r[1]).isEqualTo(Boolean.parseBoolean(r[2]));
        }
        assertThat(InitPlan.isRule("kaiming_normal_(mode='fan_out')")).isFalse();
        assertThat(InitPlan.isRule("features.*.weight=kaiming_normal_(mode='fan_out')")).isTrue();
        assertThat(InitPlan.isRule("zeros_")).isFalse();
        assertThat(ParamSet.distance("kitten", "sitting")).isEqualTo(3);
    }

    @Test
    void trainTakesTheRulesToo() throws Exception {
        Path metrics = dir.resolve("m.json");
        Path out = dir.resolve("t.safetensors");
        CliRunner bad = CliRunner.run("train", "--model", "Sequential(Flatten(), Linear(784, 10))", "--data", dir.toString(),
                "--init", "1.wieght=zeros_", "--metrics", metrics.toString(), "--out", out.toString());
        assertThat(bad.code()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).startsWith("convinit: --init '1.wieght=zeros_': '1.wieght' matches no state-dict key; closest: 1.weight, 1.bias");
        assertThat(Files.exists(metrics)).isFalse();
        assertThat(Files.exists(out)).isFalse();
        Path json = dir.resolve("d.json");
        String model = "Sequential(Conv2d(1, 4, 3), ReLU(), Flatten(), Linear(2704, 10))";
        CliRunner d = CliRunner.run("diagnose", "--model", model, "--init", "0.weight=dirac_", "--set", "3.bias[0]=5", "--batch-size", "8",
                "--json", json.toString());
        assertThat(d.code()).as(d.err()).isZero();
        CliRunner dbad = CliRunner.run("diagnose", "--model", model, "--set", "3.bias[10]=5", "--json", dir.resolve("e.json").toString());
        assertThat(dbad.code()).isEqualTo(2);
        assertThat(dbad.err()).startsWith("convinit: --set '3.bias[10]=5': index 10 is out of bounds for dimension 0 with size 10");
        assertThat(Files.exists(dir.resolve("e.json"))).isFalse();
    }

    @Test
    void studyRunsTheRulesAsOneMoreScheme() throws Exception {
        Path data = Files.createDirectories(dir.resolve("data"));
        TrainTest.writeDataset(data, 64, 16);
        Path json = dir.resolve("s.json");
        String[] base = {"study", "--data", data.toString(), "--json", json.toString(), "--out", dir.resolve("s.html").toString(),
            "--model", "Sequential(Flatten(), Linear(784, 10))", "--inits", "default", "--seeds", "1", "--epochs", "1",
            "--batch-size", "32", "--parallel", "1"};
        CliRunner bad = CliRunner.run(args(List.of(base), List.of("1.wieght=zeros_"), List.of()));
        assertThat(bad.code()).as(bad.err()).isEqualTo(2);
        assertThat(bad.err()).startsWith("convinit: --init '1.wieght=zeros_': '1.wieght' matches no state-dict key");
        assertThat(Files.exists(json)).isFalse();
        CliRunner r = CliRunner.run(args(List.of(base), List.of("1.weight=zeros_"), List.of("1.bias[3]=0.5")));
        assertThat(r.code()).as(r.err()).isZero();
        List<String> schemes = new ArrayList<>();
        new ObjectMapper().readTree(json.toFile()).get("cells").forEach(c -> schemes.add(c.get("scheme").asText()));
        assertThat(schemes).containsExactly("default", "1.weight=zeros_ + --set 1.bias[3]=0.5");
        Path json2 = dir.resolve("s2.json");
        List<String> withLsuv = new ArrayList<>(List.of(base));
        withLsuv.set(4, json2.toString());
        CliRunner l = CliRunner.run(args(withLsuv, List.of("lsuv_(tol=0.05)"), List.of()));
        assertThat(l.code()).as(l.err()).isZero();
        List<String> names = new ArrayList<>();
        new ObjectMapper().readTree(json2.toFile()).get("cells").forEach(c -> names.add(c.get("scheme").asText()));
        assertThat(names).containsExactly("default", "lsuv_(tol=0.05)");
    }

    @Test
    void lsuvTakesTheBuiltInBatchRecordsItAndTorchAgrees() throws Exception {
        Torch.require();
        String model = "Sequential(Conv2d(1, 4, 3), ReLU(), Conv2d(4, 6, 3, stride=2), ReLU(), Flatten(), Linear(864, 10))";
        Path out = dir.resolve("lsuv.safetensors");
        CliRunner r = CliRunner.run("init", "--model", model, "--seed", "3", "--init", "lsuv_(tol=0.05)", "--batch-size", "16",
                "--out", out.toString());
        assertThat(r.code()).as(r.err()).isZero();
        JsonNode lsuv;
        try (SafeTensors.Reader reader = SafeTensors.open(out)) {
            lsuv = new ObjectMapper().readTree(reader.metadata().get("convinit.init_plan")).get("lsuv");
        }
        assertThat(lsuv.get("call").asText()).isEqualTo("lsuv_(tol=0.05, max_iter=10, bias='zero')");
        assertThat(lsuv.get("batch").get("size").asInt()).isEqualTo(16);
        assertThat(lsuv.get("batch").get("source").asText()).contains("built-in");
        assertThat(lsuv.get("layers")).hasSize(3);
        org.convinit.lab.diagnose.DiagnoseBatch b = org.convinit.lab.diagnose.DiagnoseBatch.first(
                org.convinit.lab.data.DataSource.builtin(), 16);
        assertThat(lsuv.get("batch").get("sha256").asText()).isEqualTo(b.sha256());
        Path x = dir.resolve("batch.npy");
        Npy.write(x, b.images());
        String py = String.join("\n",
                "import json, struct, sys, numpy as np, torch, torch.nn as nn",
                "m = nn.Sequential(nn.Conv2d(1, 4, 3), nn.ReLU(), nn.Conv2d(4, 6, 3, stride=2), nn.ReLU(), nn.Flatten(), nn.Linear(864, 10))",
                "b = open(sys.argv[1], 'rb').read(); n = struct.unpack('<Q', b[:8])[0]; h = json.loads(b[8:8+n])",
                "sd = {k: torch.frombuffer(bytearray(b[8+n+v['data_offsets'][0]:8+n+v['data_offsets'][1]]), dtype=torch.float32)"
                        + ".reshape(v['shape']) for k, v in h.items() if k != '__metadata__'}",
                "m.load_state_dict(sd)",
                "var = []",
                "for i in (0, 2, 5): m[i].register_forward_hook(lambda mod, inp, out: var.append(out.var().item()))",
                "with torch.no_grad(): m.eval(); m(torch.from_numpy(np.load(sys.argv[2])))",
                "print(' '.join(repr(v) for v in var))");
        String[] vars = Torch.run(py, out.toString(), x.toString()).strip().split(" ");
        for (int i = 0; i < 3; i++) {
            JsonNode layer = lsuv.get("layers").get(i);
            System.out.printf("cli lsuv layer %s: %d rescalings, final variance %.6f (torch %s)%n", layer.get("name").asText(),
                    layer.get("iterations").asInt(), layer.get("final_variance").asDouble(), vars[i]);
            assertThat(Math.abs(Double.parseDouble(vars[i]) - 1)).isLessThan(0.05);
            assertThat(layer.get("converged").asBoolean()).isTrue();
        }
        oneLine("--init '0.weight=lsuv_': lsuv_ acts on the whole model and a batch: give it as a bare --init lsuv_, not as a "
                + "GLOB=FN rule", "--init", "0.weight=lsuv_");
    }
}
