package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Iterator;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * LayerNorm, GroupNorm and Embedding: construction order and default init bit for bit against torch
 * 1.13.1 (three Embeddings in a row exercise the scalar path's cache across modules), validation
 * messages, reprs, and forward within float tolerance.
 */
class NormAndEmbeddingTest {
    static final JsonNode GOLDEN = Golden.load("init.json");

    @Test
    void modulesBuiltInTorchsOrderHaveTorchsStateBitForBit() {
        Generator.manualSeed(3);
        List<Module> modules = List.of(new Embedding(5, 3), new Embedding(20, 8, 2), new Embedding(4, 2, -1),
                new LayerNorm(4, 5), new GroupNorm(2, 6));
        int i = 0;
        for (JsonNode rec : GOLDEN.get("layers")) {
            if (rec.get("module").asText().equals("sequential")) continue;
            Module m = modules.get(i++);
            assertThat(m.toString()).isEqualTo(rec.get("module").asText().replace("[4, 5]", "(4, 5), eps=1e-05, elementwise_affine=True")
                    .replace("GroupNorm(2, 6)", "GroupNorm(2, 6, eps=1e-05, affine=True)")
                    .replace("padding_idx=-1", "padding_idx=3"));
            Map<String, Tensor> sd = m.stateDict();
            assertThat(sd.keySet()).containsExactlyElementsOf(() -> rec.get("state").fieldNames());
            for (Iterator<String> it = rec.get("state").fieldNames(); it.hasNext(); ) {
                String k = it.next();
                assertThat(sd.get(k).shape().toArray()).isEqualTo(Golden.ints(rec.get("shapes").get(k)));
                Bits.assertBitsEqual(sd.get(k), rec.get("state").get(k), rec.get("module").asText() + " " + k);
            }
        }
    }

    @Test
    void aWholeSequentialMatchesTorchInConstructionOrder() {
        JsonNode rec = null;
        for (JsonNode r : GOLDEN.get("layers")) if (r.get("module").asText().equals("sequential")) rec = r;
        Generator.manualSeed(17);
        Sequential seq = new Sequential(List.of(new Conv2d(3, 4, 3), new Embedding(10, 4), new GroupNorm(2, 4),
                new Embedding(3, 2, 0), new LayerNorm(2), new Conv2d(4, 2, 1)));
        Map<String, Tensor> sd = seq.stateDict();
        assertThat(sd.keySet()).containsExactlyElementsOf(rec.get("state")::fieldNames);
        for (Iterator<String> it = rec.get("state").fieldNames(); it.hasNext(); ) {
            String k = it.next();
            Bits.assertBitsEqual(sd.get(k), rec.get("state").get(k), "Sequential " + k);
        }
    }

    static void assertClose(Tensor t, JsonNode bits, double tol) {
        double[] exp = Bits.values(DType.FLOAT32, bits);
        double[] got = t.toDoubleArray();
        assertThat(got).hasSize(exp.length);
        for (int i = 0; i < exp.length; i++) {
            assertThat(Math.abs(got[i] - exp[i])).as("element %d: %s vs %s", i, got[i], exp[i]).isLessThanOrEqualTo(tol);
        }
    }

    static Tensor tensor(JsonNode bits, int... shape) {
        double[] v = Bits.values(DType.FLOAT32, bits);
        float[] f = new float[v.length];
        for (int i = 0; i < v.length; i++) f[i] = (float) v[i];
        return Tensor.of(f, shape);
    }

    @Test
    void forwardMatchesTorch() {
        JsonNode f = GOLDEN.get("layer_forward");
        Tensor x = tensor(f.get("x"), Golden.ints(f.get("x_shape")));
        LayerNorm ln = new LayerNorm(new int[] {4, 5}, 1e-5, true, DType.FLOAT32);
        GroupNorm gn = new GroupNorm(3, 3, 1e-3, true, DType.FLOAT32);
        try (var g = GradMode.noGrad()) {
            ln.weight().copy_(tensor(f.get("ln_weight"), 4, 5));
            ln.bias().copy_(tensor(f.get("ln_bias"), 4, 5));
            gn.weight().copy_(tensor(f.get("gn_weight"), 3));
            gn.bias().copy_(tensor(f.get("gn_bias"), 3));
        }
        assertClose(ln.forward(x), f.get("ln_out"), 1e-5);
        assertClose(gn.forward(x), f.get("gn_out"), 1e-5);

        Embedding emb = new Embedding(10, 4, 0);
        try (var g = GradMode.noGrad()) {
            emb.weight().copy_(tensor(f.get("emb_weight"), 10, 4));
        }
        long[] idx = new long[6];
        for (int i = 0; i < 6; i++) idx[i] = f.get("emb_idx").get(i).asLong();
        Tensor out = emb.forward(Tensor.of(idx, 2, 3));
        assertThat(out.shape().toArray()).containsExactly(2, 3, 4);
        Bits.assertBitsEqual(out, f.get("emb_out"), "embedding lookup");
    }

    @Test
    void validationMessages() {
        assertThatThrownBy(() -> new GroupNorm(4, 6)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("GroupNorm: num_channels = 6, num_groups = 4: num_channels must be divisible by num_groups");
        assertThatThrownBy(() -> new GroupNorm(0, 0)).hasMessage("GroupNorm: num_groups = 0: expected a positive number");
        assertThatThrownBy(() -> new Embedding(5, 3, 5)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Embedding: padding_idx = 5: Padding_idx must be within num_embeddings (5)");
        assertThatThrownBy(() -> new Embedding(5, 3, -6)).hasMessage("Embedding: padding_idx = -6: Padding_idx must be within num_embeddings (5)");
        assertThatThrownBy(() -> new Embedding(-1, 3)).hasMessage("Embedding: num_embeddings = -1, embedding_dim = 3: expected sizes >= 0");
        assertThatThrownBy(() -> new LayerNorm(4, 5).forward(Tensor.zeros(DType.FLOAT32, 2, 3, 4, 6)))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("Given normalized_shape=[4, 5], expected input with shape [*, 4, 5], but got input of size[2, 3, 4, 6]");
        assertThatThrownBy(() -> new GroupNorm(2, 4).forward(Tensor.zeros(DType.FLOAT32, 2, 3, 4)))
                .hasMessage("Expected number of channels in input to be divisible by num_groups, but got input of shape [2, 3, 4] and num_groups=2");
        assertThatThrownBy(() -> new Embedding(5, 3).forward(Tensor.of(new long[] {5}, 1)))
                .hasMessage("Embedding: index 5 at position 0: index out of range in self (expected 0 <= index < 5)");
        assertThatThrownBy(() -> new Embedding(5, 3).forward(Tensor.zeros(DType.FLOAT32, 1)))
                .hasMessage("Embedding: indices of dtype torch.float32: expected int64 or int32 indices");
    }

    @Test
    void reprsAndNonAffineVariants() {
        assertThat(new LayerNorm(new int[] {7}, 1e-3, false, DType.FLOAT32).toString())
                .isEqualTo("LayerNorm((7,), eps=0.001, elementwise_affine=False)");
        assertThat(new GroupNorm(3, 6, 0.001, false, DType.FLOAT32).toString()).isEqualTo("GroupNorm(3, 6, eps=0.001, affine=False)");
        assertThat(new LayerNorm(new int[] {4}, 1e-5, false, DType.FLOAT32).stateDict()).isEmpty();
        assertThat(new Embedding(10, 3, -1).toString()).isEqualTo("Embedding(10, 3, padding_idx=9)");
        assertThat(new Embedding(0, 3).weight().numel()).isZero();
        assertThat(PyRepr.of(1e-5)).isEqualTo("1e-05");
        assertThat(PyRepr.of(0.1)).isEqualTo("0.1");
        assertThat(PyRepr.of(1e16)).isEqualTo("1e+16");
        assertThat(PyRepr.of(2.5e-7)).isEqualTo("2.5e-07");
        assertThat(PyRepr.of(3)).isEqualTo("3.0");
    }

    @Test
    void normsDrawNoRandomNumbersAndEmbeddingTakesAnExplicitGenerator() {
        Generator.manualSeed(8);
        new LayerNorm(3, 3);
        new GroupNorm(1, 4);
        long next = Generator.defaultGenerator().random();
        assertThat(next).isEqualTo(new Generator(8).random());
        Embedding a = new Embedding(6, 5, null, DType.FLOAT32, new Generator(1));
        Generator.manualSeed(1);
        Embedding b = new Embedding(6, 5);
        assertThat(a.weight().valueEquals(b.weight())).isTrue();
    }
}
