package org.convinit.lab.diagnose;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

import org.junit.jupiter.api.Test;

/** Exact, table-driven tests of the summary, histogram and verdict rules. */
class StatsTest {
    @Test
    void summaryIsTorchsUnbiasedStdWithZeroAndSaturationFractions() {
        Summary s = Summary.of(new double[] {0, 0, 1, 3}, Summary.Saturation.NONE);
        assertThat(s.mean()).isEqualTo(1.0);
        assertThat(s.std()).isEqualTo(Math.sqrt((1 + 1 + 0 + 4) / 3.0));
        assertThat(s.min()).isEqualTo(0.0);
        assertThat(s.max()).isEqualTo(3.0);
        assertThat(s.zeroFraction()).isEqualTo(0.5);
        assertThat(s.saturatedFraction()).isEqualTo(0.0);
        assertThat(Summary.of(new double[] {0.995, -0.995, 0.99, 0.5}, Summary.Saturation.TANH).saturatedFraction()).isEqualTo(0.5);
        assertThat(Summary.of(new double[] {0.005, 0.995, 0.01, 0.99, 0.5}, Summary.Saturation.SIGMOID).saturatedFraction()).isEqualTo(0.4);
        assertThat(Summary.Saturation.forType("Tanh")).isEqualTo(Summary.Saturation.TANH);
        assertThat(Summary.Saturation.forType("ReLU")).isEqualTo(Summary.Saturation.NONE);
        assertThat(Summary.of(new double[] {2}, Summary.Saturation.NONE).std()).isNaN();
        assertThat(Summary.of(new double[] {1, Double.NaN}, Summary.Saturation.NONE).max()).isNaN();
    }

    @Test
    void histogramBinsAreHistcs() {
        double[] v = new double[41];
        for (int i = 0; i <= 40; i++) v[i] = i / 40.0; // one value on each edge; the max goes to the last bin
        Histogram h = Histogram.of(v);
        assertThat(h.min()).isEqualTo(0.0);
        assertThat(h.max()).isEqualTo(1.0);
        List<Long> expected = new ArrayList<>(Collections.nCopies(40, 1L));
        expected.set(39, 2L);
        assertThat(h.counts()).isEqualTo(expected);
        Histogram flat = Histogram.of(new double[] {3, 3, Double.NaN});
        assertThat(flat.min()).isEqualTo(2.0);
        assertThat(flat.max()).isEqualTo(4.0);
        assertThat(flat.counts().get(20)).isEqualTo(2L);
        assertThat(flat.total()).isEqualTo(2);
        assertThat(Histogram.of(new double[0]).total()).isZero();
        assertThatThrownBy(() -> new Histogram(0, 1, List.of(1L))).hasMessageContaining("1 bins, expected 40");
    }

    static LayerStats weightLayer(String name, double std) {
        Summary s = new Summary(10, 0, std, -1, 1, 0, 0);
        return new LayerStats(name, "Conv2d", s, Histogram.of(new double[] {0}), null, null, null, 9L, null, null, null);
    }

    static LayerStats relu(String name) {
        return new LayerStats(name, "ReLU", new Summary(10, 0, 123, 0, 1, 0.5, 0), Histogram.of(new double[] {0}), null, null, null,
                null, null, null, null);
    }

    @Test
    void verdictComparesTheLastWeightLayersStdWithTheFirsts() {
        Object[][] table = {
            {1.0, 0.001, Verdict.Kind.VANISHING, "activations shrink by 10^-3.0 over 3 layers (vanishing)"},
            {1.0, 0.49, Verdict.Kind.VANISHING, "activations shrink by 10^-0.3 over 3 layers (vanishing)"},
            {1.0, 0.5, Verdict.Kind.STABLE, "activations stable within [0.5, 2] over 3 layers (ratio 0.50)"},
            {1.0, 2.0, Verdict.Kind.STABLE, "activations stable within [0.5, 2] over 3 layers (ratio 2.00)"},
            {1.0, 2.01, Verdict.Kind.EXPLODING, "activations grow by 10^0.3 over 3 layers (exploding)"},
            {0.5, 5e3, Verdict.Kind.EXPLODING, "activations grow by 10^4.0 over 3 layers (exploding)"},
            {1.0, Double.POSITIVE_INFINITY, Verdict.Kind.EXPLODING, "activations are not finite at layer 4 over 3 layers (exploding)"},
            {0.0, 1.0, Verdict.Kind.VANISHING, "activations are constant (std 0) at layer 0 over 3 layers (vanishing)"},
        };
        for (Object[] row : table) {
            List<LayerStats> layers = List.of(weightLayer("0", (double) row[0]), relu("1"), weightLayer("2", 0.7), relu("3"),
                    weightLayer("4", (double) row[1]));
            Verdict v = Verdict.of(layers);
            assertThat(v.kind()).as("%s", List.of(row)).isEqualTo(row[2]);
            assertThat(v.text()).isEqualTo(row[3]);
            assertThat(v.weightLayers()).isEqualTo(3);
        }
        assertThat(Verdict.of(List.of(relu("0"), weightLayer("1", 3))).kind()).isEqualTo(Verdict.Kind.STABLE);
        assertThat(Verdict.of(List.of(weightLayer("0", 1), weightLayer("1", 0.01))).log10Change()).isEqualTo(-2.0);
    }
}
