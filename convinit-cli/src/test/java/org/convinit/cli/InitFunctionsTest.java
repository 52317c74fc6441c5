package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.init.InitCall;
import org.convinit.io.safetensors.SafeTensors;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every torch.nn.init function is reachable from {@code --init} / {@code --bias-init} with torch's
 * keyword names, and gives what the same call in torch gives.
 */
class InitFunctionsTest {
    @TempDir
    Path dir;

    /** A sample call for every function, and the keyword arguments the library call gets. */
    static final Map<String, Map<String, Object>> CALLS = new LinkedHashMap<>();

    static {
        CALLS.put("uniform_(a=-0.1, b=0.1)", Map.of("a", -0.1, "b", 0.1));
        CALLS.put("normal_(mean=0.5, std=0.02)", Map.of("mean", 0.5, "std", 0.02));
        CALLS.put("trunc_normal_(std=0.02)", Map.of("std", 0.02));
        CALLS.put("trunc_normal_(0.1, 0.5, -0.3, 0.6)", Map.of("mean", 0.1, "std", 0.5, "a", -0.3, "b", 0.6));
        CALLS.put("constant_(0.25)", Map.of("val", 0.25));
        CALLS.put("ones_", Map.of());
        CALLS.put("zeros_()", Map.of());
        CALLS.put("dirac_(groups=2)", Map.of("groups", 2));
        CALLS.put("xavier_uniform_(gain=2.0)", Map.of("gain", 2.0));
        CALLS.put("xavier_normal_", Map.of());
        CALLS.put("kaiming_uniform_(a=0, mode='fan_out', nonlinearity='relu')",
                Map.of("a", 0.0, "mode", "fan_out", "nonlinearity", "relu"));
        CALLS.put("kaiming_normal_(mode='fan_out', nonlinearity='relu')", Map.of("mode", "fan_out", "nonlinearity", "relu"));
        CALLS.put("torch.nn.init.kaiming_normal_(a=0.2)", Map.of("a", 0.2));
        CALLS.put("orthogonal_(gain=1.5)", Map.of("gain", 1.5));
        CALLS.put("eye_", Map.of());
        CALLS.put("sparse_(sparsity=0.3)", Map.of("sparsity", 0.3));
        CALLS.put("variance_scaling_(2.0, mode='fan_avg', distribution='uniform')",
                Map.of("scale", 2.0, "mode", "fan_avg", "distribution", "uniform"));
        CALLS.put("lecun_normal_", Map.of());
        CALLS.put("lecun_uniform_()", Map.of());
        CALLS.put("glorot_normal_", Map.of());
        CALLS.put("glorot_uniform_", Map.of());
        CALLS.put("he_normal_", Map.of());
        CALLS.put("he_uniform_", Map.of());
        CALLS.put("trunc_normal_tf_(std=0.02)", Map.of("std", 0.02));
        CALLS.put("delta_orthogonal_(gain=2.0, center='torch')", Map.of("gain", 2.0, "center", "torch"));
        CALLS.put("icnr_(upscale_factor=2, transposed=False)", Map.of("upscale_factor", 2, "transposed", false));
        CALLS.put("zero_init_", Map.of());
        CALLS.put("gabor_(orientations=4)", Map.of("orientations", 4));
        CALLS.put("dct_", Map.of());
        CALLS.put("fixup_(4, layers_per_branch=3)", Map.of("num_branches", 4, "layers_per_branch", 3));
    }

    /** Functions that accept a 1-D tensor (a bias). */
    static final List<String> ONE_D = List.of("uniform_", "normal_", "trunc_normal_", "constant_", "ones_", "zeros_");

    static String fnName(String call) {
        String n = call.contains("(") ? call.substring(0, call.indexOf('(')) : call;
        return n.substring(n.lastIndexOf('.') + 1);
    }

    @Test
    void everyLibraryInitFunctionIsRegisteredUnderItsTorchName() {
        assertThat(InitFunctions.names()).containsExactlyInAnyOrderElementsOf(InitCall.names());
        List<String> covered = new ArrayList<>();
        CALLS.keySet().forEach(c -> covered.add(fnName(c)));
        List<String> perTensor = new ArrayList<>(InitCall.names());
        perTensor.removeAll(InitCall.MODEL_LEVEL); // lsuv_: InitPlanTest
        assertThat(covered).containsAll(perTensor);
    }

    @Test
    void eachCallGivesWhatTheLibraryCallGives() {
        for (Map.Entry<String, Map<String, Object>> e : CALLS.entrySet()) {
            String fn = fnName(e.getKey());
            int[] shape = fn.equals("eye_") || fn.equals("sparse_") ? new int[] {6, 5} : new int[] {8, 3, 3, 3};
            Generator.manualSeed(4);
            Tensor viaCli = Tensor.empty(DType.FLOAT32, shape);
            InitFunctions.parse(e.getKey()).apply(viaCli);
            Generator.manualSeed(4);
            Tensor direct = InitCall.of(fn, e.getValue()).apply(Tensor.empty(DType.FLOAT32, shape), null);
            assertThat(viaCli.valueEquals(direct)).as(e.getKey()).isTrue();
        }
    }

    @Test
    void argumentErrorsNameTheArgument() {
        assertThatThrownBy(() -> InitFunctions.parse("trunc_normal_(sd=0.02)"))
                .hasMessageStartingWith("trunc_normal_() got an unexpected keyword argument 'sd'");
        assertThatThrownBy(() -> InitFunctions.parse("sparse_()"))
                .hasMessage("sparse_() missing 1 required positional argument: 'sparsity'");
        assertThatThrownBy(() -> InitFunctions.parse("dirac_(groups=1.5)").apply(Tensor.empty(DType.FLOAT32, 4, 2, 3)))
                .hasMessage("dirac_(): groups = 1.5: expected an integer");
    }

    @Test
    void shapeErrorsOfTheInitFunctionExitWithStatusTwo() {
        Path out = dir.resolve("x.safetensors");
        CliRunner r = CliRunner.run("init", "--model", "Conv2d(3, 4, 3)", "--init", "eye_", "--out", out.toString());
        assertThat(r.code()).isEqualTo(2);
        assertThat(r.err()).startsWith("convinit: eye_: tensor of shape [4, 3, 3, 3]: Only tensors with 2 dimensions are supported");
        CliRunner s = CliRunner.run("init", "--model", "Conv2d(3, 4, 3)", "--bias-init", "dirac_", "--out", out.toString());
        assertThat(s.code()).isEqualTo(2);
        assertThat(s.err()).startsWith("convinit: dirac_: tensor of shape [4]: Only tensors with 3, 4, or 5 dimensions are supported");
    }

    @Test
    void everyConvCapableInitFunctionMatchesTorchThroughTheCommandLine() throws Exception {
        Torch.require();
        String model = "Sequential(Conv2d(3, 8, 3), ReLU(), Conv2d(8, 4, (1, 3), groups=2), LayerNorm([4, 5]), Embedding(6, 4))";
        String torchModel = "nn.Sequential(nn.Conv2d(3, 8, 3), nn.ReLU(), nn.Conv2d(8, 4, (1, 3), groups=2), "
                + "nn.LayerNorm([4, 5]), nn.Embedding(6, 4))";
        List<String> files = new ArrayList<>();
        List<String> calls = new ArrayList<>();
        int i = 0;
        for (String call : CALLS.keySet()) {
            String fn = fnName(call);
            if (fn.equals("eye_") || fn.equals("sparse_")) continue; // 2-D only: no conv weight qualifies
            if (!InitCall.torchNames().contains(fn)) continue; // beyond torch.nn.init: core's golden tests (timm on torch)
            Path out = dir.resolve("f" + i++ + ".safetensors");
            CliRunner r = CliRunner.run("init", "--model", model, "--seed", "7", "--init", call, "--bias-init",
                    ONE_D.contains(fn) ? call : "uniform_(-0.5, 0.5)", "--out", out.toString());
            assertThat(r.code()).as(call + ": " + r.err()).isZero();
            files.add(out.toString());
            calls.add(call.startsWith("torch.") ? call : "init." + call);
        }
        String py = String.join("\n",
                "import json, struct, sys, torch, torch.nn as nn",
                "import torch.nn.init as init",
                "import warnings; warnings.simplefilter('ignore')",
                "T = {'F32': torch.float32, 'F64': torch.float64}",
                "def call(expr, t):",
                "    name, _, rest = expr.partition('(')",
                "    fn = eval(name)",
                "    return eval('fn(t' + (', ' + rest if rest.strip(') ') else ')'))",
                "for path, expr in zip(sys.argv[1::2], sys.argv[2::2]):",
                "    b = open(path, 'rb').read()",
                "    n = struct.unpack('<Q', b[:8])[0]",
                "    h = json.loads(b[8:8+n])",
                "    torch.manual_seed(7)",
                "    m = " + torchModel,
                "    one_d = ('uniform_', 'normal_', 'trunc_normal_', 'constant_', 'ones_', 'zeros_')",
                "    bias_expr = expr if expr.split('(')[0].split('.')[-1] in one_d else 'init.uniform_(-0.5, 0.5)'",
                "    with torch.no_grad():",
                "        for x in m.modules():",
                "            if isinstance(x, nn.Conv2d):",
                "                call(expr, x.weight)",
                "                if x.bias is not None: call(bias_expr, x.bias)",
                "    ok = True",
                "    for k, t in m.state_dict().items():",
                "        s, e = h[k]['data_offsets']",
                "        x = torch.frombuffer(bytearray(b[8+n+s:8+n+e]), dtype=T[h[k]['dtype']]).reshape(h[k]['shape'])",
                "        same = torch.equal(x, t) if 'orthogonal' not in expr or not k.endswith('weight') or x.dim() < 4 \\",
                "            else bool((x - t).abs().max() <= 1e-5 * 1.5)",
                "        ok = ok and same",
                "        if not same: print('MISMATCH', expr, k)",
                "    print(expr, ok)");
        List<String> args = new ArrayList<>();
        for (int k = 0; k < files.size(); k++) {
            args.add(files.get(k));
            args.add(calls.get(k));
        }
        String res = Torch.run(py, args.toArray(new String[0]));
        assertThat(res.strip().split("\n")).hasSize(files.size()).allMatch(l -> l.endsWith(" True"), res);
        assertThat(SafeTensors.read(Path.of(files.get(0))).keySet()).contains("3.weight", "4.weight");
    }
}
