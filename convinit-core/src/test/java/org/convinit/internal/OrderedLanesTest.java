package org.convinit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Random;
import jdk.incubator.vector.DoubleVector;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorSpecies;
import org.junit.jupiter.api.Test;

/**
 * {@link OrderedLanes} sums in lane order in every tier: checked before and after enough calls for C2 to compile
 * the call site (where JDK 24+'s {@code reduceLanes(ADD)} turned into a tree sum for 676 of these 1,000 vectors).
 */
class OrderedLanesTest {
    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;
    private static final VectorSpecies<Double> D = DoubleVector.SPECIES_PREFERRED;

    @Test
    void floatLanesAreSummedInLaneOrderBeforeAndAfterCompilation() {
        float[][] xs = floats(1000, F.length());
        float[] scratch = OrderedLanes.floatScratch();
        for (int round = 0; round < 3; round++) {
            for (int rep = 0; rep < 300; rep++) {
                for (float[] x : xs) {
                    OrderedLanes.sum(FloatVector.fromArray(F, x, 0));
                }
            }
            for (float[] x : xs) {
                float expected = 0f;
                for (float v : x) {
                    expected += v;
                }
                assertThat(Float.floatToIntBits(OrderedLanes.sum(FloatVector.fromArray(F, x, 0)))).isEqualTo(Float.floatToIntBits(expected));
                assertThat(Float.floatToIntBits(OrderedLanes.sum(FloatVector.fromArray(F, x, 0), scratch)))
                        .isEqualTo(Float.floatToIntBits(expected));
            }
        }
    }

    @Test
    void doubleLanesAreSummedInLaneOrderBeforeAndAfterCompilation() {
        Random r = new Random(2);
        double[][] xs = new double[1000][D.length()];
        for (double[] x : xs) {
            for (int i = 0; i < x.length; i++) {
                x[i] = r.nextGaussian() * Math.pow(10, r.nextInt(12));
            }
        }
        for (int round = 0; round < 3; round++) {
            for (int rep = 0; rep < 300; rep++) {
                for (double[] x : xs) {
                    OrderedLanes.sum(DoubleVector.fromArray(D, x, 0));
                }
            }
            for (double[] x : xs) {
                double expected = 0d;
                for (double v : x) {
                    expected += v;
                }
                assertThat(Double.doubleToLongBits(OrderedLanes.sum(DoubleVector.fromArray(D, x, 0)))).isEqualTo(Double.doubleToLongBits(expected));
            }
        }
    }

    private static float[][] floats(int n, int lanes) {
        Random r = new Random(1);
        float[][] xs = new float[n][lanes];
        for (float[] x : xs) {
            for (int i = 0; i < lanes; i++) {
                x[i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6)));
            }
        }
        return xs;
    }
}
