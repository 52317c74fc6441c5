package org.convinit.data;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * randperm and DataLoader batch orders against torch 1.13.1 (tools/golden/gen_optim.py writes
 * optim_dataloader.json): permutations up to n = 60000, and three epochs of DataLoader batches with and without a
 * generator, with and without drop_last, plus the generator's next draw afterwards (which pins how many
 * numbers each epoch consumed).
 */
class DataLoaderGoldenTest {
    private static final JsonNode FIXTURE = Golden.load("optim_dataloader.json");

    /** torch.empty((), dtype=torch.int64).random_(generator=g).item(). */
    static long nextInt64(Generator g) {
        return g.random64() & Long.MAX_VALUE;
    }

    /** A dataset whose examples are their own indices, as TensorDataset(torch.arange(n)). */
    static Dataset<Integer, int[]> indices(int n) {
        return new Dataset<>() {
            @Override public int size() { return n; }
            @Override public Integer get(int index) { return index; }
            @Override public int[] batch(int[] idx) { return idx.clone(); }
        };
    }

    @Test
    void randpermMatchesTorch() {
        JsonNode cases = FIXTURE.get("randperm");
        assertThat(cases.size()).isEqualTo(8);
        for (JsonNode c : cases) {
            int n = c.get("n").asInt();
            Generator g = new Generator(c.get("seed").asLong());
            long[] perm = g.randperm(n);
            if (c.has("perm")) {
                assertThat(perm).as("randperm(%d) seed %s", n, c.get("seed")).containsExactly(longs(Golden.ints(c.get("perm"))));
            } else {
                assertThat(java.util.Arrays.copyOf(perm, 50)).containsExactly(longs(Golden.ints(c.get("head"))));
                assertThat(java.util.Arrays.copyOfRange(perm, n - 50, n)).containsExactly(longs(Golden.ints(c.get("tail"))));
                long mod = (1L << 61) - 1;
                long sum = 0;
                for (int i = 0; i < n; i++) sum = (sum + (long) i * perm[i]) % mod;
                assertThat(Long.toString(sum)).isEqualTo(c.get("weighted_sum_mod_2_61").asText());
            }
            assertThat(Long.toString(nextInt64(g))).as("draws consumed by randperm(%d)", n).isEqualTo(c.get("next_int64").asText());
        }
    }

    @Test
    void dataLoaderEpochsMatchTorch() {
        JsonNode cases = FIXTURE.get("loaders");
        assertThat(cases.size()).isEqualTo(7);
        for (JsonNode c : cases) {
            int n = c.get("n").asInt();
            long seed = c.get("seed").asLong();
            Generator g = null;
            if (c.get("generator").asBoolean()) g = new Generator(seed);
            else Generator.manualSeed(seed);
            boolean shuffle = !c.has("shuffle") || c.get("shuffle").asBoolean();
            DataLoader<int[]> loader = new DataLoader<>(indices(n), DataLoader.Options.of(c.get("batch_size").asInt())
                    .shuffle(shuffle).dropLast(c.get("drop_last").asBoolean()).generator(g));
            JsonNode epochs = c.get("epochs");
            for (int e = 0; e < epochs.size(); e++) {
                List<List<Integer>> got = new ArrayList<>();
                for (int[] batch : loader) got.add(java.util.Arrays.stream(batch).boxed().toList());
                List<List<Integer>> exp = new ArrayList<>();
                for (JsonNode b : epochs.get(e)) exp.add(java.util.Arrays.stream(Golden.ints(b)).boxed().toList());
                assertThat(got).as("%s epoch %d", c, e).isEqualTo(exp);
                assertThat(got).hasSize(loader.numBatches());
            }
            long next = nextInt64(Generator.orDefault(g));
            assertThat(Long.toString(next)).as("generator position after the epochs of %s", c).isEqualTo(c.get("next_int64").asText());
        }
    }

    private static long[] longs(int[] v) {
        return java.util.Arrays.stream(v).asLongStream().toArray();
    }
}
