package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;

/**
 * Every convolution class against torch 1.13.1 over randomized configurations from a fixed seed:
 * dims 1-3, stride, padding (int, tuple, 'same', 'valid'), every padding mode, dilation, groups
 * (including depthwise), output padding and output_size, bias on and off, batched and unbatched,
 * float32 and float64. Outputs agree within 1e-5 (float32) / 1e-12 (float64) of the output's
 * max-abs. Also the functional forms. One python process for the whole class.
 */
class ConvDifferentialTest {
    static final String[] CLASSES = {"Conv1d", "Conv2d", "Conv3d", "ConvTranspose1d", "ConvTranspose2d", "ConvTranspose3d"};
    static final int CASES = 48;

    /**
     * {@code squeeze}: torch got the batched input and its output loses the batch dim before comparing.
     * {@code grads}: for gradient cases, the gradients of sum(output * G) by input and parameter name.
     */
    record Case(String id, String description, DType dtype, Tensor actual, ObjectNode request, boolean squeeze,
                Map<String, Tensor> grads) {
        Case(String id, String description, DType dtype, Tensor actual, ObjectNode request) {
            this(id, description, dtype, actual, request, false, null);
        }
    }

    @TestFactory
    Stream<DynamicTest> layersAndFunctionalFormsMatchTorch() {
        Torch.require();
        List<Case> cases = new ArrayList<>();
        Random r = new Random(20261129);
        for (int i = 0; i < CASES; i++) cases.add(layerCase(i, r));
        cases.addAll(functionalCases(new Random(7)));
        ArrayNode req = Specs.J.arrayNode();
        for (Case c : cases) req.add(c.request());
        Map<String, JsonNode> replies = TorchOracle.run(req);
        List<String> d = cases.stream().map(Case::description).toList();
        for (String must : new String[] {"Conv1d(", "Conv2d(", "Conv3d(", "ConvTranspose1d(", "ConvTranspose2d(", "ConvTranspose3d(",
                "padding_mode=reflect", "padding_mode=replicate", "padding_mode=circular", "padding=same", "padding=valid",
                "dilation=", "output_padding=", "output_size=", "bias=False", "float32", "float64", "F.conv2d", "F.conv_transpose2d"}) {
            assertThat(d).as("some case covers %s", must).anyMatch(x -> x.contains(must));
        }
        // unbatched (input rank = dims + 1) and depthwise (groups = in_channels) both occur
        assertThat(d).anyMatch(x -> x.matches("Conv2d\\(.*input \\[\\d+, \\d+, \\d+\\] .*"));
        assertThat(d).anyMatch(x -> x.matches("Conv\\w*\\((\\d+), \\d+, .*groups=\\1[,)].*"));
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.description(), () -> {
            JsonNode rep = replies.get(c.id());
            assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
            Tensor expected = TorchOracle.dec(rep.get("output"), c.dtype());
            if (c.squeeze()) expected = expected.squeeze(0);
            assertThat(c.actual().shape()).isEqualTo(expected.shape());
            assertThat(c.actual().dtype()).isEqualTo(c.dtype());
            assertThat(TorchOracle.relError(c.actual(), expected)).isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
            if (c.grads() != null) {
                assertThat(rep.get("grads").size()).isEqualTo(c.grads().size());
                for (Map.Entry<String, Tensor> e : c.grads().entrySet()) {
                    Tensor t = TorchOracle.dec(rep.get("grads").get(e.getKey()), c.dtype());
                    assertThat(e.getValue().shape()).as("grad of %s", e.getKey()).isEqualTo(t.shape());
                    assertThat(TorchOracle.relError(e.getValue(), t)).as("grad of %s", e.getKey())
                            .isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
                }
            }
        }));
    }

    static Object intsOrInt(int[] v, Random r) {
        boolean same = Arrays.stream(v).allMatch(x -> x == v[0]);
        return same && r.nextBoolean() ? (Object) v[0] : v;
    }

    static int[] randInts(Random r, int dims, int lo, int hi) {
        int[] v = new int[dims];
        for (int i = 0; i < dims; i++) v[i] = lo + r.nextInt(hi - lo + 1);
        return v;
    }

    static Case layerCase(int i, Random r) {
        String cls = CLASSES[i % 6];
        boolean transposed = cls.startsWith("ConvTranspose");
        int dims = cls.charAt(cls.length() - 2) - '0';
        int groupKind = r.nextInt(4);
        int g;
        int in;
        int out;
        if (groupKind == 3) {
            in = 2 + r.nextInt(3);
            g = in;
            out = in * (1 + r.nextInt(2));
        } else {
            g = groupKind + 1;
            in = g * (1 + r.nextInt(2));
            out = g * (1 + r.nextInt(3));
        }
        int maxK = dims == 3 ? 3 : 4;
        int[] k = randInts(r, dims, 1, maxK);
        int[] dil = dims == 3 ? randInts(r, dims, 1, 1 + r.nextInt(2)) : randInts(r, dims, 1, 2);
        int[] stride = randInts(r, dims, 1, 3);
        boolean bias = r.nextBoolean();
        DType dtype = r.nextBoolean() ? DType.FLOAT32 : DType.FLOAT64;
        boolean batched = r.nextInt(4) != 0;
        int n = 1 + r.nextInt(2);
        ObjectNode spec = Specs.spec(cls, in, out, intsOrInt(k, r));
        Specs.kw(spec, "stride", intsOrInt(stride, r));
        if (Arrays.stream(dil).anyMatch(v -> v != 1) || r.nextBoolean()) Specs.kw(spec, "dilation", intsOrInt(dil, r));
        if (g != 1) Specs.kw(spec, "groups", g);
        if (!bias) Specs.kw(spec, "bias", false);
        int[] spatial = new int[dims];
        int[] outputSize = null;
        if (!transposed) {
            int kind = r.nextInt(5);
            int[] before = new int[dims];
            int[] after = new int[dims];
            if (kind == 0 || kind == 1) {
                int[] p = kind == 0 ? randInts(r, 1, 0, 2) : randInts(r, dims, 0, 2);
                Specs.kw(spec, "padding", kind == 0 ? (Object) p[0] : p);
                for (int d = 0; d < dims; d++) before[d] = after[d] = p[p.length == 1 ? 0 : d];
            } else if (kind == 2) {
                Arrays.fill(stride, 1);
                Specs.kw(spec, "stride", 1);
                Specs.kw(spec, "padding", "same");
                for (int d = 0; d < dims; d++) {
                    int total = dil[d] * (k[d] - 1);
                    before[d] = total / 2;
                    after[d] = total - before[d];
                }
            } else if (kind == 3) {
                Specs.kw(spec, "padding", "valid");
            }
            PaddingMode mode = PaddingMode.values()[r.nextInt(4)];
            if (mode != PaddingMode.ZEROS) Specs.kw(spec, "padding_mode", mode.torchName());
            for (int d = 0; d < dims; d++) {
                int span = dil[d] * (k[d] - 1) + 1;
                int min = Math.max(Math.max(1, span - before[d] - after[d]), Math.max(before[d], after[d]) + 1);
                spatial[d] = min + r.nextInt(dims == 3 ? 3 : 5);
            }
        } else {
            int[] p = randInts(r, dims, 0, 2);
            int[] op = new int[dims];
            for (int d = 0; d < dims; d++) op[d] = r.nextInt(Math.max(stride[d], dil[d]));
            for (int d = 0; d < dims; d++) {
                spatial[d] = 1 + r.nextInt(dims == 3 ? 3 : 5);
                long size = (long) (spatial[d] - 1) * stride[d] - 2L * p[d] + (long) dil[d] * (k[d] - 1) + 1;
                if (size < 1) p[d] = 0;
            }
            if (Arrays.stream(p).anyMatch(x -> x != 0)) Specs.kw(spec, "padding", intsOrInt(p, r));
            boolean useOutputSize = i % 12 >= 9;
            if (useOutputSize) {
                outputSize = new int[dims];
                for (int d = 0; d < dims; d++) {
                    int min = (spatial[d] - 1) * stride[d] - 2 * p[d] + dil[d] * (k[d] - 1) + 1;
                    outputSize[d] = min + r.nextInt(stride[d]);
                }
            } else if (Arrays.stream(op).anyMatch(x -> x != 0)) {
                Specs.kw(spec, "output_padding", intsOrInt(op, r));
            }
        }
        int[] shape = new int[dims + (batched ? 2 : 1)];
        int j = 0;
        if (batched) shape[j++] = n;
        shape[j++] = in;
        System.arraycopy(spatial, 0, shape, j, dims);
        Tensor x = TorchOracle.randn(r, dtype, shape);
        ConvNd m = (ConvNd) Specs.build(spec, dtype, new Generator(i));
        Tensor y = outputSize == null ? m.forward(x) : m.forward(x, outputSize);
        String id = "c" + i;
        ObjectNode req = TorchOracle.moduleRequest(id, spec, dtype, m);
        // torch 1.13 rejects unbatched input with circular padding ("Invalid padding size"; fixed in 2.x):
        // give it the batched input and compare without the batch dim
        boolean squeeze = !batched && spec.path("kwargs").path("padding_mode").asText().equals("circular");
        req.set("input", TorchOracle.enc(squeeze ? x.unsqueeze(0) : x));
        if (outputSize != null) req.set("output_size", Specs.node(outputSize));
        Map<String, Tensor> grads = null;
        if (i % 3 == 0 && !squeeze) {
            // autograd through the layer (padding modes, unbatched, transposed) against torch's
            Tensor gOut = TorchOracle.randn(r, dtype, y.shape().toArray());
            Tensor xg = x.clone().requiresGrad(true);
            Tensor yg = outputSize == null ? m.forward(xg) : m.forward(xg, outputSize);
            yg.mul(gOut).sum().backward();
            grads = new java.util.LinkedHashMap<>();
            grads.put("input", xg.grad());
            for (Map.Entry<String, Parameter> e : m.namedParameters().entrySet()) grads.put(e.getKey(), e.getValue().grad());
            req.set("grad_output", TorchOracle.enc(gOut));
        }
        String desc = m + " input " + x.shape() + " " + dtype.torchName() + (outputSize == null ? "" : " output_size=" + Arrays.toString(outputSize))
                + (grads == null ? "" : " with gradients");
        return new Case(id, desc, dtype, y, req, squeeze, grads);
    }

    static Case functional(String id, String fn, DType dtype, Tensor x, Tensor w, Tensor b, Tensor actual, Object... kwargs) {
        ObjectNode req = Specs.J.objectNode();
        req.put("id", id);
        req.put("kind", "functional");
        req.put("fn", fn);
        req.put("dtype", dtype.torchName());
        req.set("input", TorchOracle.enc(x));
        ObjectNode t = req.putObject("tensors");
        t.set("weight", TorchOracle.enc(w));
        if (b != null) t.set("bias", TorchOracle.enc(b));
        ObjectNode kw = req.putObject("kwargs");
        for (int i = 0; i < kwargs.length; i += 2) kw.set((String) kwargs[i], Specs.node(kwargs[i + 1]));
        return new Case(id, "F." + fn + " input " + x.shape() + " weight " + w.shape() + " " + Arrays.toString(kwargs), dtype, actual, req);
    }

    static List<Case> functionalCases(Random r) {
        List<Case> out = new ArrayList<>();
        DType f32 = DType.FLOAT32;
        DType f64 = DType.FLOAT64;
        Tensor x = TorchOracle.randn(r, f32, 2, 4, 9, 8);
        Tensor w = TorchOracle.randn(r, f32, 6, 2, 4, 2);
        Tensor b = TorchOracle.randn(r, f32, 6);
        out.add(functional("f0", "conv2d", f32, x, w, b, F.conv2d(x, w, b, new int[] {1}, "same", new int[] {3, 2}, 2),
                "padding", "same", "dilation", new int[] {3, 2}, "groups", 2));
        Tensor x1 = TorchOracle.randn(r, f64, 3, 17);
        Tensor w1 = TorchOracle.randn(r, f64, 6, 1, 5);
        out.add(functional("f1", "conv1d", f64, x1, w1, null, F.conv1d(x1, w1, null, new int[] {2}, new int[] {2}, new int[] {1}, 3),
                "stride", 2, "padding", 2, "groups", 3));
        Tensor x3 = TorchOracle.randn(r, f32, 1, 2, 5, 6, 7);
        Tensor w3 = TorchOracle.randn(r, f32, 3, 2, 2, 3, 1);
        out.add(functional("f2", "conv3d", f32, x3, w3, null, F.conv3d(x3, w3, null, new int[] {1, 2, 3}, "valid", new int[] {1}, 1),
                "stride", new int[] {1, 2, 3}, "padding", "valid"));
        Tensor xt = TorchOracle.randn(r, f64, 2, 4, 5, 4);
        Tensor wt = TorchOracle.randn(r, f64, 4, 3, 3, 2);
        Tensor bt = TorchOracle.randn(r, f64, 6);
        out.add(functional("f3", "conv_transpose2d", f64, xt, wt, bt,
                F.convTranspose2d(xt, wt, bt, new int[] {2, 3}, new int[] {1, 0}, new int[] {1, 2}, 2, new int[] {2, 1}),
                "stride", new int[] {2, 3}, "padding", new int[] {1, 0}, "output_padding", new int[] {1, 2}, "groups", 2,
                "dilation", new int[] {2, 1}));
        Tensor xt1 = TorchOracle.randn(r, f32, 3, 6);
        Tensor wt1 = TorchOracle.randn(r, f32, 3, 2, 4);
        out.add(functional("f4", "conv_transpose1d", f32, xt1, wt1, null, F.convTranspose1d(xt1, wt1, null),
                "stride", 1));
        Tensor xt3 = TorchOracle.randn(r, f32, 1, 2, 2, 3, 2);
        Tensor wt3 = TorchOracle.randn(r, f32, 2, 1, 2, 2, 3);
        Tensor bt3 = TorchOracle.randn(r, f32, 2);
        out.add(functional("f5", "conv_transpose3d", f32, xt3, wt3, bt3,
                F.convTranspose3d(xt3, wt3, bt3, new int[] {2}, new int[] {0, 1, 1}, new int[] {1, 0, 1}, 2, new int[] {1}),
                "stride", 2, "padding", new int[] {0, 1, 1}, "output_padding", new int[] {1, 0, 1}, "groups", 2));
        return out;
    }
}
