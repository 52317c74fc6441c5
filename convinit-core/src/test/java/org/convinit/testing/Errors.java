package org.convinit.testing;

import org.convinit.tensor.Tensor;

/** Distances between a result and its expected value, for the differential tests of every module. */
public final class Errors {
    private Errors() {}

    /** Max |a - e| over max |e| (a NaN in {@code actual} is an infinite error): the error relative to the expected output's scale. */
    public static double relError(Tensor actual, Tensor expected) {
        double[] a = actual.toDoubleArray();
        double[] e = expected.toDoubleArray();
        double scale = 0;
        double err = 0;
        for (int i = 0; i < e.length; i++) {
            scale = Math.max(scale, Math.abs(e[i]));
            err = Math.max(err, Double.isNaN(a[i]) ? Double.POSITIVE_INFINITY : Math.abs(a[i] - e[i]));
        }
        return scale == 0 ? err : err / scale;
    }
}
