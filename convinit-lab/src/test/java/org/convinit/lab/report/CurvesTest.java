package org.convinit.lab.report;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class CurvesTest {
    @Test
    void movingAverageIsCentredAndClippedAtTheEnds() {
        double[] out = Curves.movingAverage(new double[] {1, 2, 3, 4, 10}, 3);
        assertThat(out).containsExactly(1.5, 2, 3, 17 / 3.0, 7);
    }

    @Test
    void movingAverageSkipsMissingValuesAndKeepsEmptyWindowsMissing() {
        double n = Double.NaN;
        double[] out = Curves.movingAverage(new double[] {2, n, 4, n, n, n, 6}, 3);
        assertThat(out[0]).isEqualTo(2);
        assertThat(out[1]).isEqualTo(3);
        assertThat(out[2]).isEqualTo(4);
        assertThat(out[3]).isEqualTo(4);
        assertThat(out[4]).isNaN();
        assertThat(out[5]).isEqualTo(6);
    }

    @Test
    void windowOneIsTheIdentity() {
        double[] v = {3, Double.NaN, 1};
        assertThat(Curves.movingAverage(v, 1)).containsExactly(3, Double.NaN, 1);
        assertThatThrownBy(() -> Curves.movingAverage(v, 2)).hasMessageContaining("got 2");
    }

    @Test
    void shortCurvesAreNotSmoothedLongOnesSpanAboutTwoPercent() {
        assertThat(Curves.window(150)).isEqualTo(1);
        assertThat(Curves.window(151)).isEqualTo(3);
        assertThat(Curves.window(314)).isEqualTo(7);
        assertThat(Curves.window(1876)).isEqualTo(39);
        assertThat(Curves.window(1000) % 2).isEqualTo(1);
    }

    @Test
    void thinningKeepsAtMostMaxPointsAndAlwaysTheLast() {
        assertThat(Curves.keptIndices(5, 2)).containsExactly(0, 2, 4);
        assertThat(Curves.keptIndices(6, 2)).containsExactly(0, 2, 4, 5);
        assertThat(Curves.keptIndices(0, 1)).isEmpty();
        for (int n : new int[] {1, 299, 300, 301, 1876, 100_000}) {
            assertThat(Curves.keptIndices(n, Curves.stride(n)).length).isLessThanOrEqualTo(Curves.MAX_POINTS + 1);
        }
        assertThat(Curves.stride(300)).isEqualTo(1);
        assertThat(Curves.stride(301)).isEqualTo(2);
    }
}
