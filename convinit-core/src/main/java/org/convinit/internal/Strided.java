package org.convinit.internal;

import java.util.Arrays;

/**
 * Strided views enumerated in row-major logical order: as a table of storage offsets, or row by row
 * with a {@link Walk}, which needs no table.
 */
public final class Strided {
    private Strided() {}

    /**
     * Row-by-row enumeration of one or more views of the same shape (each its strides and offset):
     * size-1 dims are dropped and adjacent dims that every view can merge are merged, so a contiguous
     * view is one row and {@code permute(1, 0, 2, 3)} of NCHW has rows of H*W. Row {@code r} holds
     * elements {@code base(k) + i * step(k)}, {@code i < inner()}, of view {@code k}; {@link #next}
     * moves every base to the next row. An empty shape has no rows; a 0-dim one has one row of one.
     *
     * <pre>{@code
     * Walk w = Strided.walk(shape, dstStrides, dstOffset, srcStrides, srcOffset);
     * for (int r = 0; r < w.rows(); r++, w.next()) {
     *     for (int i = 0; i < w.inner(); i++) dst[w.base(0) + i * w.step(0)] = src[w.base(1) + i * w.step(1)];
     * }
     * }</pre>
     */
    public static final class Walk {
        private final int[] sizes;
        private final int[][] strides;
        private final int[] idx;
        private final int[] base;
        private final int[] step;
        private final int inner;
        private final int rows;

        private Walk(int[] shape, int[][] views, int[] offsets) {
            int ops = views.length;
            int[] dims = new int[shape.length];
            int[][] st = new int[ops][shape.length];
            int rank = 0;
            long n = 1;
            for (int d = 0; d < shape.length; d++) {
                n *= shape[d];
                if (shape[d] == 1) continue;
                boolean merge = rank > 0;
                for (int k = 0; k < ops && merge; k++) merge = st[k][rank - 1] == (long) views[k][d] * shape[d];
                if (merge) {
                    dims[rank - 1] *= shape[d];
                    for (int k = 0; k < ops; k++) st[k][rank - 1] = views[k][d];
                } else {
                    dims[rank] = shape[d];
                    for (int k = 0; k < ops; k++) st[k][rank] = views[k][d];
                    rank++;
                }
            }
            this.inner = n == 0 ? 0 : rank == 0 ? 1 : dims[rank - 1];
            this.rows = n == 0 ? 0 : (int) (n / inner);
            int outer = Math.max(rank - 1, 0);
            this.sizes = Arrays.copyOf(dims, outer);
            this.strides = new int[ops][];
            this.step = new int[ops];
            for (int k = 0; k < ops; k++) {
                strides[k] = Arrays.copyOf(st[k], outer);
                step[k] = rank == 0 ? 1 : st[k][rank - 1];
            }
            this.idx = new int[outer];
            this.base = offsets.clone();
        }

        /** Elements per row. */
        public int inner() {
            return inner;
        }

        /** Number of rows (0 for an empty shape). */
        public int rows() {
            return rows;
        }

        /** Storage offset of the current row's first element in view {@code k}. */
        public int base(int k) {
            return base[k];
        }

        /** Storage distance between neighbours of a row in view {@code k} (0 where it is broadcast). */
        public int step(int k) {
            return step[k];
        }

        /** Moves to the next row (after the last one the bases wrap around to the first). */
        public void next() {
            for (int d = sizes.length - 1; d >= 0; d--) {
                for (int k = 0; k < base.length; k++) base[k] += strides[k][d];
                if (++idx[d] < sizes[d]) return;
                for (int k = 0; k < base.length; k++) base[k] -= strides[k][d] * sizes[d];
                idx[d] = 0;
            }
        }
    }

    /** A {@link Walk} of one view. */
    public static Walk walk(int[] shape, int[] strides, int offset) {
        return new Walk(shape, new int[][] {strides}, new int[] {offset});
    }

    /** A {@link Walk} of two views of the same shape. */
    public static Walk walk(int[] shape, int[] strides0, int offset0, int[] strides1, int offset1) {
        return new Walk(shape, new int[][] {strides0, strides1}, new int[] {offset0, offset1});
    }

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
