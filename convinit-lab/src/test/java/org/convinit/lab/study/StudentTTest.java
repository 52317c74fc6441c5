package org.convinit.lab.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.within;

import org.junit.jupiter.api.Test;

/** Student-t quantiles against the published table, and the intervals built from them. */
class StudentTTest {
    /** t(0.975, nu) from the standard table (e.g. NIST/SEMATECH e-Handbook, Table 1.3.6.7.2), 6 decimals. */
    private static final double[][] TABLE_975 = {
        {1, 12.706205}, {2, 4.302653}, {3, 3.182446}, {4, 2.776445}, {5, 2.570582}, {6, 2.446912}, {7, 2.364624},
        {9, 2.262157}, {10, 2.228139}, {19, 2.093024}, {29, 2.045230}, {100, 1.983972},
    };

    @Test
    void quantilesMatchTheTable() {
        for (double[] row : TABLE_975) {
            assertThat(StudentT.quantile(0.975, row[0])).as("nu=%s", row[0]).isCloseTo(row[1], within(1e-6));
        }
        assertThat(StudentT.quantile(0.95, 2)).isCloseTo(2.919986, within(1e-6));
        assertThat(StudentT.quantile(0.995, 3)).isCloseTo(5.840909, within(1e-6));
        assertThat(StudentT.quantile(0.025, 4)).isCloseTo(-2.776445, within(1e-6));
        assertThat(StudentT.quantile(0.975, 1e7)).isCloseTo(1.959964, within(1e-5));
    }

    @Test
    void cdfClosedForms() {
        // nu = 1 is Cauchy: F(t) = 1/2 + atan(t)/pi; nu = 2: F(t) = 1/2 + t / (2 sqrt(2 + t^2))
        for (double t : new double[] {-3, -0.5, 0, 0.7, 2, 10}) {
            assertThat(StudentT.cdf(t, 1)).isCloseTo(0.5 + Math.atan(t) / Math.PI, within(1e-13));
            assertThat(StudentT.cdf(t, 2)).isCloseTo(0.5 + t / (2 * Math.sqrt(2 + t * t)), within(1e-13));
        }
        assertThat(StudentT.logGamma(5)).isCloseTo(Math.log(24), within(1e-13));
        assertThat(StudentT.logGamma(0.5)).isCloseTo(0.5 * Math.log(Math.PI), within(1e-13));
    }

    @Test
    void intervals() {
        Interval i = Interval.of(new double[] {0.80, 0.82, 0.84});
        // mean 0.82, s = 0.02, half = 4.302653 * 0.02 / sqrt(3)
        double half = 4.302653 * 0.02 / Math.sqrt(3);
        assertThat(i.mean()).isCloseTo(0.82, within(1e-12));
        assertThat(i.low()).isCloseTo(0.82 - half, within(1e-7));
        assertThat(i.high()).isCloseTo(0.82 + half, within(1e-7));
        Interval one = Interval.of(new double[] {0.5});
        assertThat(one.low()).isEqualTo(0.5);
        assertThat(one.high()).isEqualTo(0.5);
        assertThat(i.overlaps(Interval.of(new double[] {0.9, 0.91}))).isTrue();
        assertThat(Interval.of(new double[] {0.1, 0.1}).overlaps(Interval.of(new double[] {0.2, 0.2}))).isFalse();
        assertThatThrownBy(() -> Interval.of(new double[0])).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> StudentT.quantile(1, 3)).hasMessageContaining("probability 1.0");
    }
}
