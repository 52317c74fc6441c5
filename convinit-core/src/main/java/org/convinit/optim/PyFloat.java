package org.convinit.optim;

import org.convinit.internal.PyRepr;

/** Python's {@code repr(float)}, so argument errors read as torch's ("Invalid learning rate: -1e-05"). */
final class PyFloat {
    private PyFloat() {}

    static String repr(double v) {
        return PyRepr.of(v);
    }
}
