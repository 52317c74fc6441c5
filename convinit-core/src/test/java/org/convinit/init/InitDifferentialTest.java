package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.SplittableRandom;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.Warnings;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/**
 * Random cases (function, shape, arguments, seed, dtype) drawn from a fixed seed, run by torch in one
 * Python process and by convinit, compared bit for bit ({@code orthogonal_} within its tolerance).
 */
class InitDifferentialTest {
    static final int CASES = 40;
    static final ObjectMapper JSON = new ObjectMapper();

    static final String SCRIPT = String.join("\n",
            "import json, sys, warnings, torch",
            "import torch.nn.init as init",
            "torch.set_num_threads(1)",
            "warnings.simplefilter('ignore')",
            "DT = {'float32': torch.float32, 'float64': torch.float64}",
            "out = []",
            "for c in json.load(open(sys.argv[1])):",
            "    torch.manual_seed(c['seed'])",
            "    t = torch.empty(*c['shape'], dtype=DT[c['dtype']])",
            "    getattr(init, c['fn'])(t, **c['kwargs'])",
            "    t = t.contiguous().flatten()",
            "    iv = t.view(torch.int32 if t.dtype == torch.float32 else torch.int64).tolist()",
            "    fmt, mask = ('%08x', 0xFFFFFFFF) if t.dtype == torch.float32 else ('%016x', 0xFFFFFFFFFFFFFFFF)",
            "    out.append([fmt % (v & mask) for v in iv])",
            "print(json.dumps(out))");

    static int[] shape(SplittableRandom r, String fn) {
        int rank;
        switch (fn) {
            case "eye_": case "sparse_": rank = 2; break;
            case "dirac_": rank = 3 + r.nextInt(3); break;
            case "uniform_": case "normal_": case "trunc_normal_": case "constant_": case "ones_": case "zeros_":
                rank = 1 + r.nextInt(5); break;
            default: rank = 2 + r.nextInt(4);
        }
        int[] s = new int[rank];
        s[0] = 1 + r.nextInt(rank <= 2 ? 70 : 24);
        if (rank > 1) s[1] = 1 + r.nextInt(rank <= 2 ? 70 : 12);
        for (int d = 2; d < rank; d++) s[d] = 1 + r.nextInt(4);
        return s;
    }

    static Map<String, Object> kwargs(SplittableRandom r, String fn, int[] shape) {
        Map<String, Object> k = new LinkedHashMap<>();
        String[] nls = {"linear", "conv2d", "sigmoid", "tanh", "relu", "leaky_relu", "selu"};
        boolean explicit = r.nextBoolean();
        switch (fn) {
            case "uniform_":
                if (explicit) { double a = r.nextDouble(-2, 1); k.put("a", a); k.put("b", a + r.nextDouble(0, 3)); }
                break;
            case "normal_":
                if (explicit) { k.put("mean", r.nextDouble(-1, 1)); k.put("std", r.nextDouble(0.001, 2)); }
                break;
            case "trunc_normal_":
                if (explicit) {
                    double mean = r.nextDouble(-1, 1);
                    double std = r.nextDouble(0.01, 2);
                    k.put("mean", mean);
                    k.put("std", std);
                    k.put("a", mean - r.nextDouble(0.1, 3) * std);
                    k.put("b", mean + r.nextDouble(0.1, 3) * std);
                }
                break;
            case "constant_": k.put("val", r.nextDouble(-3, 3)); break;
            case "dirac_": {
                List<Integer> divisors = new ArrayList<>();
                for (int g = 1; g <= shape[0]; g++) if (shape[0] % g == 0) divisors.add(g);
                k.put("groups", divisors.get(r.nextInt(divisors.size())));
                break;
            }
            case "xavier_uniform_": case "xavier_normal_": case "orthogonal_":
                if (explicit) k.put("gain", r.nextDouble(0.1, 3));
                break;
            case "kaiming_uniform_": case "kaiming_normal_":
                if (explicit) {
                    k.put("a", r.nextDouble(0, 3));
                    k.put("mode", r.nextBoolean() ? "fan_in" : "fan_out");
                    k.put("nonlinearity", nls[r.nextInt(nls.length)]);
                }
                break;
            case "sparse_":
                k.put("sparsity", r.nextDouble(0, 1));
                if (explicit) k.put("std", r.nextDouble(0.001, 1));
                break;
            default:
        }
        return k;
    }

    @Test
    void randomCasesMatchTorch() throws IOException {
        Torch.require();
        SplittableRandom r = new SplittableRandom(20261129L);
        List<String> fns = InitCall.torchNames();
        List<Map<String, Object>> cases = new ArrayList<>();
        for (int i = 0; i < CASES; i++) {
            String fn = fns.get(i < fns.size() ? i : r.nextInt(fns.size())); // every function at least once
            int[] shape = shape(r, fn);
            Map<String, Object> c = new LinkedHashMap<>();
            c.put("fn", fn);
            c.put("shape", shape);
            c.put("kwargs", kwargs(r, fn, shape));
            c.put("seed", r.nextInt(4) == 0 ? -r.nextLong(1L << 40) : r.nextLong(1L << 40));
            boolean f64Exact = List.of("uniform_", "constant_", "ones_", "zeros_", "eye_", "dirac_",
                    "xavier_uniform_", "kaiming_uniform_").contains(fn);
            c.put("dtype", f64Exact && r.nextInt(4) == 0 ? "float64" : "float32");
            cases.add(c);
        }
        Path file = Files.createTempFile("convinit-init-cases", ".json");
        try {
            JSON.writeValue(file.toFile(), cases);
            JsonNode torch = JSON.readTree(Torch.run(SCRIPT, file.toString()));
            assertThat(torch.size()).isEqualTo(CASES);
            for (int i = 0; i < CASES; i++) {
                Map<String, Object> c = cases.get(i);
                String what = c.get("fn") + "" + c.get("kwargs") + " " + java.util.Arrays.toString((int[]) c.get("shape"))
                        + " " + c.get("dtype") + " seed " + c.get("seed");
                Generator.manualSeed((Long) c.get("seed"));
                Tensor t = Tensor.empty(DType.parse((String) c.get("dtype")), (int[]) c.get("shape"));
                @SuppressWarnings("unchecked")
                Map<String, Object> kw = (Map<String, Object>) c.get("kwargs");
                try (AutoCloseable w = Warnings.capture(x -> { })) {
                    InitCall.of((String) c.get("fn"), kw).apply(t, null);
                } catch (Exception e) {
                    throw new AssertionError(what, e);
                }
                if (c.get("fn").equals("orthogonal_")) {
                    double[] exp = Bits.values(t.dtype(), torch.get(i));
                    double[] got = t.toDoubleArray();
                    double gain = kw.containsKey("gain") ? (Double) kw.get("gain") : 1.0;
                    for (int j = 0; j < exp.length; j++) {
                        assertThat(Math.abs(got[j] - exp[j])).as("%s element %d", what, j)
                                .isLessThanOrEqualTo(Init.ORTHOGONAL_TOLERANCE * gain);
                    }
                } else {
                    Bits.assertBitsEqual(t, torch.get(i), what);
                }
            }
        } finally {
            Files.deleteIfExists(file);
        }
    }
}
