package org.convinit.lab.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.List;

import org.junit.jupiter.api.Test;

class HistogramsTest {
    @Test
    void rebinningSpreadsByOverlapAndKeepsTheTotal() {
        // 2 bins over [0, 2] onto 4 bins over [0, 4]: bin [0,1) -> target 0, bin [1,2) -> target 1
        double[] r = Histograms.rebin(new Histograms.Source(0, 2, new double[] {3, 5}), 0, 4, 4);
        assertThat(r).containsExactly(3, 5, 0, 0);
        // 1 bin over [0, 2] onto 4 bins over [0, 4]: 1 wide source bin split in halves across targets 0 and 1... via 2 halves
        double[] s = Histograms.rebin(new Histograms.Source(0.5, 1.5, new double[] {4}), 0, 2, 2);
        assertThat(s[0]).isCloseTo(2, within(1e-12));
        assertThat(s[1]).isCloseTo(2, within(1e-12));
        // a degenerate histogram (all values equal) lands in the bin that holds the value
        double[] d = Histograms.rebin(new Histograms.Source(3, 3, new double[] {7, 0}), 0, 4, 4);
        assertThat(d).containsExactly(0, 0, 0, 7);
        double[] mean = Histograms.meanFractions(List.of(new Histograms.Source(0, 2, new double[] {1, 1}),
                new Histograms.Source(0, 2, new double[] {0, 2})), 0, 2, 2);
        assertThat(mean).containsExactly(0.25, 0.75);
    }
}
