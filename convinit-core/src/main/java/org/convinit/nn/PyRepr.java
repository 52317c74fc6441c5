package org.convinit.nn;

/** Python reprs for module reprs ({@code eps=1e-05}); one implementation, {@link org.convinit.internal.PyRepr}. */
final class PyRepr {
    private PyRepr() {}

    static String of(double v) {
        return org.convinit.internal.PyRepr.of(v);
    }

    /** Python's tuple repr: {@code (3, 3)}, {@code (3,)}. */
    static String tuple(int[] v) {
        return org.convinit.internal.PyRepr.tuple(v);
    }
}
