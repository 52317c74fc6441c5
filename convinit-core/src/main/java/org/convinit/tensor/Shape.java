package org.convinit.tensor;

import java.util.Arrays;

/** An immutable tensor shape that prints like torch's: {@code [16, 3, 3, 3]}. */
public final class Shape {
    private static final Shape SCALAR = new Shape(new int[0]);
    private final int[] dims;

    private Shape(int[] dims) {
        this.dims = dims;
    }

    /** A shape of the given sizes; every size must be non-negative. */
    public static Shape of(int... dims) {
        for (int i = 0; i < dims.length; i++) {
            if (dims[i] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(dims) + ": size of dim " + i
                        + " is " + dims[i] + ", expected a non-negative size");
            }
        }
        if (dims.length == 0) return SCALAR;
        return new Shape(dims.clone());
    }

    public static Shape scalar() {
        return SCALAR;
    }

    public int rank() {
        return dims.length;
    }

    /** Size of dim {@code d}; negative {@code d} counts from the end as in Python. */
    public int get(int d) {
        return dims[normalizeDim(d, dims.length)];
    }

    public int[] toArray() {
        return dims.clone();
    }

    /** Number of elements, checked against overflow. */
    public long numel() {
        long n = 1;
        for (int d : dims) n = Math.multiplyExact(n, (long) d);
        return n;
    }

    /** Row-major (C-contiguous) strides. */
    public int[] contiguousStrides() {
        int[] s = new int[dims.length];
        long acc = 1;
        for (int i = dims.length - 1; i >= 0; i--) {
            s[i] = (int) acc;
            acc *= Math.max(dims[i], 1);
        }
        return s;
    }

    /** Normalizes a possibly negative dim index for a tensor of {@code rank} dims. */
    public static int normalizeDim(int dim, int rank) {
        int r = Math.max(rank, 1);
        if (dim < -r || dim >= r) {
            throw new IndexOutOfBoundsException("Dimension out of range (expected to be in range of ["
                    + (-r) + ", " + (r - 1) + "], but got " + dim + ")");
        }
        return dim < 0 ? dim + r : dim;
    }

    /** The broadcast of two shapes, with torch's error if they are not compatible. */
    public static Shape broadcast(Shape a, Shape b) {
        int n = Math.max(a.rank(), b.rank());
        int[] out = new int[n];
        for (int i = 0; i < n; i++) {
            int da = i < n - a.rank() ? 1 : a.dims[i - (n - a.rank())];
            int db = i < n - b.rank() ? 1 : b.dims[i - (n - b.rank())];
            if (da != db && da != 1 && db != 1) {
                throw new IllegalArgumentException("The size of tensor a (" + da + ") must match the size of tensor b ("
                        + db + ") at non-singleton dimension " + i + " (shapes " + a + " and " + b + ")");
            }
            out[i] = da == 1 ? db : da;
        }
        return new Shape(out);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Shape && Arrays.equals(dims, ((Shape) o).dims);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(dims);
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < dims.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(dims[i]);
        }
        return sb.append(']').toString();
    }
}
