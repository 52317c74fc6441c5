package org.convinit.internal;

/** Storage offsets of a strided view, enumerated in row-major logical order. */
public final class Strided {
    private Strided() {}

    /** The storage offset of every element of the view, in row-major logical order. */
    public static int[] offsets(int[] shape, int[] strides, int offset) {
        long n = 1;
        for (int d : shape) n *= d;
        int[] out = new int[(int) n];
        if (n == 0) return out;
        int rank = shape.length;
        if (rank == 0) {
            out[0] = offset;
            return out;
        }
        int[] idx = new int[rank];
        int last = rank - 1;
        int lastSize = shape[last];
        int lastStride = strides[last];
        int base = offset;
        int k = 0;
        while (true) {
            for (int i = 0, o = base; i < lastSize; i++, o += lastStride) out[k++] = o;
            int d = last - 1;
            while (d >= 0) {
                idx[d]++;
                base += strides[d];
                if (idx[d] < shape[d]) break;
                base -= strides[d] * shape[d];
                idx[d] = 0;
                d--;
            }
            if (d < 0) return out;
        }
    }

    /** Whether the view is row-major contiguous, as torch: size-1 dims may have any stride, empty views are. */
    public static boolean isContiguous(int[] shape, int[] strides) {
        for (int d : shape) if (d == 0) return true;
        long expected = 1;
        for (int i = shape.length - 1; i >= 0; i--) {
            if (shape[i] != 1 && strides[i] != expected) return false;
            expected *= shape[i];
        }
        return true;
    }
}
