import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * Why core sums vector lanes itself (OrderedLanes; docs/spark.md): FloatVector.reduceLanes(ADD) on 1,000 fixed
 * vectors, compared with the lane-by-lane float sum after two million warm-up calls. JDK 17: always the same bits. JDK 25
 * (16 lanes, this machine): 676 of 1,000 sums differ in some runs and none in others, as C2 compiles the call site with
 * an unordered (tree) sum or not: a cell's last bits depend on the JIT's timing.
 * Run (several times): java --add-modules jdk.incubator.vector tools/spark/ReduceLanesOrder.java
 */
public class ReduceLanesOrder {
    static final VectorSpecies<Float> S = FloatVector.SPECIES_PREFERRED;

    static float reduce(float[] x) {
        return FloatVector.fromArray(S, x, 0).reduceLanes(VectorOperators.ADD);
    }

    static float laneByLane(float[] x) {
        float s = 0;
        for (float v : x) s += v;
        return s;
    }

    public static void main(String[] args) {
        java.util.Random r = new java.util.Random(1);
        float[][] xs = new float[1000][];
        float[] early = new float[1000];
        for (int k = 0; k < 1000; k++) {
            xs[k] = new float[S.length()];
            for (int i = 0; i < S.length(); i++) xs[k][i] = (float) (r.nextGaussian() * Math.pow(10, r.nextInt(6)));
            early[k] = reduce(xs[k]);
        }
        for (int i = 0; i < 2_000_000; i++) reduce(xs[i % 1000]);
        int changed = 0;
        for (int k = 0; k < 1000; k++) if (Float.floatToIntBits(reduce(xs[k])) != Float.floatToIntBits(early[k])) changed++;
        int notInOrder = 0;
        for (int k = 0; k < 1000; k++) if (Float.floatToIntBits(reduce(xs[k])) != Float.floatToIntBits(laneByLane(xs[k]))) notInOrder++;
        System.out.println("Java " + Runtime.version() + ", " + S.length() + " lanes: after warm-up " + changed
                + " of 1000 sums changed, " + notInOrder + " of 1000 differ from the lane-by-lane sum");
    }
}
