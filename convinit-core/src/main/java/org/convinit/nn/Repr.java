package org.convinit.nn;

/** Python's reprs, for torch-style module printing (floats via {@link PyRepr}). */
final class Repr {
    private Repr() {}

    /** Python's {@code repr(float)}: {@code 0.1}, {@code 1e-05}, {@code 0.5}, {@code 1.0}. */
    static String pyFloat(double v) {
        return PyRepr.of(v);
    }

    /** Python's bool. */
    static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** An int for one value, a tuple for several, as torch prints arguments given either way. */
    static String intOrTuple(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : PyRepr.tuple(v);
    }
}
