package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.function.Function;
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
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestFactory;

/**
 * ReLU6, Hardswish, Hardsigmoid, SiLU, torch.cat, ChannelShuffle, torchvision's stochastic depth, the adaptive
 * average and max pools (1-3 dims) and max pooling's return_indices against torch 1.13.1
 * and torchvision 0.14 (tools: model_layers_oracle.py): forward values and the gradients of sum(y·G) by every input,
 * 1e-5 (float32) / 1e-12 (float64) of the largest value; stochastic depth's noise bit for bit with the same seed.
 */
class ModelLayersDifferentialTest {
    private record Case(String id, String what, DType dtype, Tensor actual, Tensor[] grads, boolean exact, ObjectNode request,
                        Tensor indices) {}

    private final List<Case> cases = new ArrayList<>();
    private final Random r = new Random(31337);
    /** The indices the last pooling case returned (return_indices=True), compared exactly. */
    private Tensor lastIndices;

    @TestFactory
    Stream<DynamicTest> graphPiecesMatchTorch() throws IOException {
        Torch.require();
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            unary("ReLU6", dt, new ReLU6()::forward, 4, 3, 5);
            unary("Hardswish", dt, new Hardswish()::forward, 4, 3, 5);
            unary("Hardsigmoid", dt, new Hardsigmoid()::forward, 4, 3, 5);
            unary("SiLU", dt, new SiLU()::forward, 4, 3, 5);
            ObjectNode kw = Specs.J.objectNode().put("groups", 3);
            add("channel_shuffle", dt, kw, false, null, xs -> new ChannelShuffle(3).forward(xs[0]), true, new int[] {2, 6, 3, 2});
            add("cat", dt, Specs.J.objectNode().put("dim", 1), false, null, xs -> F.cat(1, xs), true,
                    new int[] {2, 3, 2, 2}, new int[] {2, 1, 2, 2}, new int[] {2, 4, 2, 2});
            add("cat", dt, Specs.J.objectNode().put("dim", -1), false, null, xs -> F.cat(-1, xs), true, new int[] {3, 2}, new int[] {3, 5});
            for (String mode : new String[] {"row", "batch"}) {
                for (int seed = 0; seed < 3; seed++) {
                    ObjectNode sk = Specs.J.objectNode().put("p", 0.4).put("mode", mode);
                    Generator g = new Generator(seed);
                    StochasticDepth sd = new StochasticDepth(0.4, mode, g);
                    add("stochastic_depth", dt, sk, true, seed, xs -> sd.forward(xs[0]), false, new int[] {16, 2, 2, 2});
                }
                StochasticDepth eval = new StochasticDepth(0.4, mode);
                eval.eval();
                add("stochastic_depth", dt, Specs.J.objectNode().put("p", 0.4).put("mode", mode), false, null, xs -> eval.forward(xs[0]),
                        true, new int[] {4, 2, 3});
            }
        }
        pools();
        Map<String, JsonNode> replies = run();
        return cases.stream().map(c -> DynamicTest.dynamicTest(c.id() + " " + c.what(), () -> {
            JsonNode rep = replies.get(c.id());
            assertThat(rep.has("error")).as("torch failed: %s", rep.path("error").asText()).isFalse();
            Tensor expected = TorchOracle.dec(rep.get("output"), c.dtype());
            assertThat(c.actual().shape()).isEqualTo(expected.shape());
            if (c.exact()) {
                assertThat(c.actual().toDoubleArray()).containsExactly(expected.toDoubleArray());
            } else {
                assertThat(TorchOracle.relError(c.actual(), expected)).isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
            }
            if (c.indices() != null) {
                List<Long> theirs = new ArrayList<>();
                rep.get("indices").forEach(n -> theirs.add(n.asLong()));
                assertThat(c.indices().shape()).isEqualTo(c.actual().shape());
                assertThat(c.indices().toLongArray()).containsExactly(theirs.stream().mapToLong(Long::longValue).toArray());
            }
            if (c.grads() != null) {
                for (int i = 0; i < c.grads().length; i++) {
                    Tensor t = TorchOracle.dec(rep.get("grads").get(i), c.dtype());
                    assertThat(TorchOracle.relError(c.grads()[i], t)).as("grad of input %d", i)
                            .isLessThanOrEqualTo(TorchOracle.tolerance(c.dtype()));
                }
            }
        }));
    }

    /** Adaptive average and max pools in 1, 2 and 3 dims, and max pools with return_indices. */
    private void pools() {
        int[][] shapes = {{2, 3, 11}, {2, 3, 7, 9}, {1, 2, 5, 6, 7}};
        Object[][] sizes = {{4, 11}, {new Object[] {3, null}, 1, new Object[] {5, 4}}, {new Object[] {2, 3, 4}, 1}};
        for (int d = 1; d <= 3; d++) {
            int dims = d;
            for (Object size : sizes[d - 1]) {
                Integer[] s = size instanceof Object[] ? java.util.Arrays.stream((Object[]) size).map(o -> (Integer) o).toArray(Integer[]::new)
                        : new Integer[] {(Integer) size};
                DType dt = d == 2 ? DType.FLOAT64 : DType.FLOAT32;
                ObjectNode kw = Specs.J.objectNode().put("dims", d);
                kw.set("size", Specs.node(size));
                add("adaptive_avg_pool", dt, kw, false, null, xs -> F.adaptiveAvgPool(dims, xs[0], s), true, shapes[d - 1]);
                add("adaptive_max_pool", dt, kw, false, null, xs -> withIndices(F.adaptiveMaxPool(dims, xs[0], s)), true, shapes[d - 1]);
            }
            ObjectNode mk = Specs.J.objectNode().put("dims", d).put("kernel", 3).put("stride", 2).put("padding", 1).put("dilation", 1)
                    .put("ceil_mode", d == 2);
            MaxPoolNd pool = d == 1 ? new MaxPool1d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1))
                    : d == 2 ? new MaxPool2d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1).ceilMode(true))
                    : new MaxPool3d(new int[] {3}, PoolOptions.DEFAULT.stride(2).padding(1));
            add("max_pool", DType.FLOAT32, mk, false, null, xs -> withIndices(pool.forwardWithIndices(xs[0])), true, shapes[d - 1]);
        }
    }

    private Tensor withIndices(Tensor[] outputAndIndices) {
        lastIndices = outputAndIndices[1];
        return outputAndIndices[0];
    }

    private void unary(String op, DType dt, Function<Tensor, Tensor> f, double scale, int... shape) {
        add(op, dt, Specs.J.objectNode(), false, null, xs -> f.apply(xs[0]), true, shape);
        // the kinks themselves: torch's backward picks a side at -3, 0, 3 and 6
        Tensor kinks = Tensor.of(new double[] {-3, 0, 3, 6, -6, 2.5, -2.5, 7}, 8).to(dt);
        cases.add(caseOf(op, dt, Specs.J.objectNode(), false, null, xs -> f.apply(xs[0]), true, new Tensor[] {kinks}));
    }

    private void add(String op, DType dt, ObjectNode kw, boolean train, Integer seed, Function<Tensor[], Tensor> f, boolean grads,
                     int[]... shapes) {
        Tensor[] xs = new Tensor[shapes.length];
        for (int i = 0; i < xs.length; i++) xs[i] = TorchOracle.randn(r, dt, shapes[i]).mul(4);
        cases.add(caseOf(op, dt, kw, train, seed, f, grads, xs));
    }

    private Case caseOf(String op, DType dt, ObjectNode kw, boolean train, Integer seed, Function<Tensor[], Tensor> f, boolean grads,
                        Tensor[] xs) {
        String id = "c" + cases.size();
        lastIndices = null;
        ObjectNode req = Specs.J.objectNode().put("id", id).put("op", op).put("dtype", dt.torchName()).put("train", train);
        req.set("kwargs", kw);
        if (seed != null) req.put("seed", seed);
        ArrayNode in = req.putArray("inputs");
        Tensor[] leaves = new Tensor[xs.length];
        for (int i = 0; i < xs.length; i++) {
            in.add(TorchOracle.enc(xs[i]));
            leaves[i] = grads ? xs[i].clone().requiresGrad(true) : xs[i];
        }
        Tensor y = f.apply(leaves);
        Tensor[] g = null;
        if (grads) {
            Tensor gOut = TorchOracle.randn(r, dt, y.shape().toArray());
            req.set("grad_output", TorchOracle.enc(gOut));
            y.mul(gOut).sum().backward();
            g = new Tensor[xs.length];
            for (int i = 0; i < xs.length; i++) g[i] = leaves[i].grad();
        }
        return new Case(id, op + " " + kw + " " + dt.torchName() + (train ? " train" : ""), dt, y.detach(), g, seed != null, req,
                lastIndices);
    }

    private Map<String, JsonNode> run() throws IOException {
        ArrayNode req = Specs.J.arrayNode();
        for (Case c : cases) req.add(c.request());
        Path in = Files.createTempFile("convinit-mlayers", ".json");
        Path out = Files.createTempFile("convinit-mlayers-out", ".json");
        try {
            TorchOracle.JSON.writeValue(in.toFile(), req);
            String script;
            try (InputStream s = getClass().getResourceAsStream("/torch/model_layers_oracle.py")) {
                script = new String(s.readAllBytes(), StandardCharsets.UTF_8);
            }
            Torch.run(script, in.toString(), out.toString());
            Map<String, JsonNode> byId = new HashMap<>();
            for (JsonNode n : TorchOracle.JSON.readTree(out.toFile())) byId.put(n.get("id").asText(), n);
            return byId;
        } finally {
            Files.deleteIfExists(in);
            Files.deleteIfExists(out);
        }
    }

    @Test
    void badArgumentsAreNamed() {
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> new StochasticDepth(0.2, "rows"))
                .hasMessageContaining("'batch' or 'row'").hasMessageContaining("rows");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> F.channelShuffle(Tensor.zeros(DType.FLOAT32, 1, 5, 2, 2), 2))
                .hasMessageContaining("groups=2").hasMessageContaining("[1, 5, 2, 2]");
        org.assertj.core.api.Assertions.assertThatThrownBy(() -> F.cat(1, Tensor.zeros(DType.FLOAT32, 2, 3), Tensor.zeros(DType.FLOAT32, 3, 3)))
                .hasMessageContaining("Sizes of tensors must match except in dimension 1");
    }
}
