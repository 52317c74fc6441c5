package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * {@code orthogonal_} against torch 1.13.1: same draws (the next draw after the call matches exactly),
 * values within {@link Init#ORTHOGONAL_TOLERANCE}·gain (LAPACK's float QR is not bit-reproducible), and
 * the result orthogonal to float precision.
 */
class OrthogonalTest {

    @Test
    void matchesTorchWithinTheStatedTolerance() {
        for (JsonNode c : Golden.load("init.json").get("orthogonal")) {
            int[] shape = Golden.ints(c.get("shape"));
            double gain = c.get("gain").asDouble();
            Generator.manualSeed(c.get("seed").asLong());
            Tensor t = Init.orthogonal(Tensor.empty(DType.FLOAT32, shape), gain, null);
            assertThat(Bits.hex(Tensor.empty(DType.FLOAT32, 1).uniform_(0, 1))[0]).as("draws consumed")
                    .isEqualTo(c.get("next_uniform").asText());
            double[] exp = Bits.values(DType.FLOAT32, c.get("bits"));
            double[] got = t.toDoubleArray();
            double maxDiff = 0;
            for (int i = 0; i < exp.length; i++) maxDiff = Math.max(maxDiff, Math.abs(exp[i] - got[i]));
            assertThat(maxDiff).as("max |diff| for %s gain %s", c.get("shape"), gain)
                    .isLessThanOrEqualTo(Init.ORTHOGONAL_TOLERANCE * gain);
        }
    }

    @Test
    void rowsOrColumnsAreOrthonormalTimesGain() {
        for (int[] shape : new int[][] {{8, 3}, {3, 8}, {16, 3, 3, 3}, {50, 50}}) {
            Tensor t = Init.orthogonal(Tensor.empty(DType.FLOAT64, shape), 2.0, new Generator(5));
            int rows = shape[0];
            int cols = (int) (t.numel() / rows);
            double[] v = t.toDoubleArray();
            boolean wide = rows < cols;
            int k = wide ? rows : cols;
            for (int a = 0; a < k; a++) {
                for (int b = 0; b < k; b++) {
                    double dot = 0;
                    int len = wide ? cols : rows;
                    for (int i = 0; i < len; i++) {
                        dot += wide ? v[a * cols + i] * v[b * cols + i] : v[i * cols + a] * v[i * cols + b];
                    }
                    assertThat(dot).isCloseTo(a == b ? 4.0 : 0.0, org.assertj.core.data.Offset.offset(1e-12));
                }
            }
        }
    }

    @Test
    void zeroElementsIsANoOpWithoutDraws() {
        Generator g = new Generator(1);
        Init.orthogonal(Tensor.empty(DType.FLOAT32, 0, 3), 1, g);
        assertThat(g.random()).isEqualTo(new Generator(1).random());
    }
}
