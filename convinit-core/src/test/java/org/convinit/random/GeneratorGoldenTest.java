package org.convinit.random;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/** The generator against torch 1.13.1: raw draws, seeding rules and state after draws. */
class GeneratorGoldenTest {

    @Test
    void firstRawOutputsAfterSeedZeroAreTorchs() {
        Generator g = new Generator(0);
        assertThat(new long[] {g.random(), g.random(), g.random(), g.random(), g.random()})
                .containsExactly(0x8c7f0aacL, 0x97c4aa2fL, 0xb716a675L, 0xd821ccc0L, 0x9a4eb343L);
    }

    @Test
    void random64TakesTheFirstDrawAsTheHighWord() {
        Generator g = new Generator(0);
        assertThat(g.random64()).isEqualTo(0x8c7f0aac97c4aa2fL);
        assertThat(g.random64()).isEqualTo(0xb716a675d821ccc0L);
    }

    @Test
    void onlyTheLow32BitsOfTheSeedMatter() {
        Generator a = new Generator(5);
        Generator b = new Generator((1L << 32) + 5);
        Generator c = new Generator(Long.MIN_VALUE); // 2^63 as torch sees it
        Generator z = new Generator(0);
        for (int i = 0; i < 2000; i++) {
            long x = a.random();
            assertThat(b.random()).isEqualTo(x);
            assertThat(c.random()).isEqualTo(z.random());
        }
        assertThat(b.initialSeed()).isEqualTo((1L << 32) + 5);
    }

    @Test
    void freshGeneratorUsesTorchsDefaultSeed() {
        assertThat(new Generator().initialSeed()).isEqualTo(67280421310721L);
    }

    @Test
    void uniformStreamsAndStateMatchTorchForSeveralSeeds() {
        JsonNode gens = Golden.load("foundation.json").get("generators");
        assertThat(gens.size()).isGreaterThanOrEqualTo(6);
        for (JsonNode rec : gens) {
            long seed = rec.get("seed").asLong();
            Generator g = new Generator(seed);
            assertThat(Long.toUnsignedString(g.initialSeed())).isEqualTo(rec.get("initial_seed").asText());
            Tensor t = Tensor.empty(DType.FLOAT32, 1000).uniform_(0, 1, g);
            float[] v = t.toFloatArray();
            int[] expected = Golden.floatBits(rec.get("uniform1000_f32"));
            for (int i = 0; i < v.length; i++) {
                assertThat(Float.floatToRawIntBits(v[i])).as("seed %d element %d", seed, i).isEqualTo(expected[i]);
            }
            assertThat(g.left()).as("left").isEqualTo(rec.get("left").asInt());
            assertThat(g.nextIndex()).as("next").isEqualTo(rec.get("next").asInt());
            int[] words = g.stateWords();
            int[] exp = Golden.floatBits(rec.get("state_words_0_8"));
            for (int i = 0; i < exp.length; i++) assertThat(words[i]).isEqualTo(exp[i]);
        }
    }

    @Test
    void manualSeedResetsTheDefaultGeneratorAndItsNormalCache() {
        Generator.manualSeed(0);
        Generator.defaultGenerator().normalDouble(0, 1);
        assertThat(Generator.defaultGenerator().hasCachedNormal()).isTrue();
        Generator.manualSeed(0);
        assertThat(Generator.defaultGenerator().hasCachedNormal()).isFalse();
        assertThat(Generator.defaultGenerator().random()).isEqualTo(0x8c7f0aacL);
    }

    @Test
    void scalarNormalPathMatchesTorchRandnOfFive() {
        // torch.manual_seed(0); torch.randn(5)  (numel < 16: double Box-Muller with cached sine sample)
        Tensor t = Tensor.empty(DType.FLOAT32, 5).normal_(0, 1, new Generator(0));
        int[] expected = {0x3fc53f5c, 0xbe963c50, 0xc00b7149, 0x3f1184b6, 0xbf8ad1a1};
        float[] v = t.toFloatArray();
        for (int i = 0; i < 5; i++) assertThat(Float.floatToRawIntBits(v[i])).isEqualTo(expected[i]);
    }
}
