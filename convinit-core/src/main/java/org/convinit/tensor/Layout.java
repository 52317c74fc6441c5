package org.convinit.tensor;

import java.util.Arrays;
import java.util.Optional;

import org.convinit.internal.Strided;

/**
 * Where a tensor's elements live in its storage: sizes, strides and storage offset, and the view
 * arithmetic of ATen ({@code view}, {@code permute}, {@code select}, {@code narrow}, {@code expand}, ...)
 * as pure functions from one layout to another. Immutable; the arrays it is built from and the ones it
 * returns are copies. Errors carry torch's messages.
 *
 * <pre>{@code
 * Layout nchw = Layout.contiguous(Shape.of(2, 3, 4, 5));   // strides [60, 20, 5, 1]
 * Layout nhwc = nchw.permute(0, 2, 3, 1);                  // strides [60, 5, 1, 20], not contiguous
 * }</pre>
 */
public final class Layout {
    private final int[] sizes;
    private final int[] strides;
    private final int offset;
    private final boolean contiguous;
    /** {@link #shape()}, made on first use (Shape is immutable, so a racy first use makes equal values). */
    private Shape shape;

    /** Trusts its arguments and keeps them: callers pass fresh arrays. */
    private Layout(int[] sizes, int[] strides, int offset) {
        this.sizes = sizes;
        this.strides = strides;
        this.offset = offset;
        this.contiguous = Strided.isContiguous(sizes, strides);
    }

    /** The row-major layout of {@code shape} at offset 0. */
    public static Layout contiguous(Shape shape) {
        return new Layout(shape.toArray(), shape.contiguousStrides(), 0);
    }

    /** An explicit layout: one non-negative stride per dim and a non-negative offset. */
    public static Layout of(Shape shape, int[] strides, int offset) {
        int[] dims = shape.toArray();
        if (strides.length != dims.length) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " for shape " + shape
                    + ": expected " + dims.length + " strides");
        }
        if (offset < 0) throw new IllegalArgumentException("storage offset " + offset + ": expected >= 0");
        for (int i = 0; i < dims.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("stride " + strides[i] + " of dim " + i + ": expected >= 0");
            }
        }
        return new Layout(dims, strides.clone(), offset);
    }

    // ------------------------------------------------------------------ metadata

    public Shape shape() {
        Shape s = shape;
        if (s == null) shape = s = Shape.of(sizes);
        return s;
    }

    public int[] sizes() {
        return sizes.clone();
    }

    public int[] strides() {
        return strides.clone();
    }

    public int offset() {
        return offset;
    }

    public int rank() {
        return sizes.length;
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return sizes[Shape.normalizeDim(d, sizes.length)];
    }

    /** Stride of dim {@code d} (negative counts from the end). */
    public int stride(int d) {
        return strides[Shape.normalizeDim(d, sizes.length)];
    }

    public long numel() {
        long n = 1;
        for (int d : sizes) n *= d;
        return n;
    }

    /** Row-major contiguous, as torch's {@code is_contiguous()}: size-1 dims may have any stride. */
    public boolean isContiguous() {
        return contiguous;
    }

    /** The largest storage index the layout reaches, or -1 if it has no elements. */
    public long maxIndex() {
        long max = offset;
        for (int i = 0; i < sizes.length; i++) {
            if (sizes[i] == 0) return -1;
            max += (long) strides[i] * (sizes[i] - 1);
        }
        return max;
    }

    /** Storage index of every element in row-major logical order. */
    public int[] elementOffsets() {
        return Strided.offsets(sizes, strides, offset);
    }

    /** Row-by-row enumeration of this layout's storage offsets, without a table. */
    Strided.Walk walk() {
        return Strided.walk(sizes, strides, offset);
    }

    /** Row-by-row enumeration of this layout (view 0) beside {@code other} (view 1) of the same shape. */
    Strided.Walk walk(Layout other) {
        if (!Arrays.equals(sizes, other.sizes)) throw new IllegalArgumentException("walk of " + this + " beside " + other + ": expected one shape");
        return Strided.walk(sizes, strides, offset, other.strides, other.offset);
    }

    /** Storage index of the element at a full multi-index (negative indices count from the end). */
    public int storageIndex(int... index) {
        if (index.length != sizes.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for a tensor of shape " + shape()
                    + ": expected " + sizes.length + " indices");
        }
        int o = offset;
        for (int d = 0; d < index.length; d++) o += checkIndex(index[d], d) * strides[d];
        return o;
    }

    private int checkIndex(int index, int dim) {
        int size = sizes[dim];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
        return index < 0 ? index + size : index;
    }

    // ------------------------------------------------------------------ view arithmetic

    /** The same elements seen as {@code newShape} (one size may be -1), or torch's error if strides forbid it. */
    public Layout view(int... newShape) {
        int[] s = resolve(newShape);
        int[] st = viewStrides(s);
        if (st == null) {
            throw new IllegalArgumentException("view size " + Shape.of(s) + " is not compatible with input tensor's size "
                    + shape() + " and strides " + Arrays.toString(strides)
                    + " (at least one dimension spans across two contiguous subspaces). Use reshape(...) instead.");
        }
        return new Layout(s, st, offset);
    }

    /** {@link #view} if the strides allow it, else empty (reshape then copies); shape errors still throw. */
    public Optional<Layout> tryView(int... newShape) {
        int[] s = resolve(newShape);
        int[] st = viewStrides(s);
        return st == null ? Optional.empty() : Optional.of(new Layout(s, st, offset));
    }

    /** {@code newShape} with a -1 resolved against this layout's element count; torch's errors if it does not fit. */
    int[] resolve(int... requested) {
        long known = 1;
        int infer = -1;
        for (int i = 0; i < requested.length; i++) {
            if (requested[i] == -1) {
                if (infer >= 0) throw new IllegalArgumentException("shape " + Arrays.toString(requested) + ": only one dimension can be inferred");
                infer = i;
            } else if (requested[i] < 0) {
                throw new IllegalArgumentException("shape " + Arrays.toString(requested) + ": invalid size " + requested[i] + " at dim " + i);
            } else {
                known *= requested[i];
            }
        }
        long n = numel();
        int[] out = requested.clone();
        if (infer >= 0) {
            if (known == 0 && n == 0) {
                throw new IllegalArgumentException("cannot reshape tensor of 0 elements into shape " + Arrays.toString(requested)
                        + " because the unspecified dimension size -1 can be any value and is ambiguous");
            }
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("shape '" + Arrays.toString(requested) + "' is invalid for input of size " + n);
            }
            out[infer] = (int) (n / known);
        } else if (known != n) {
            throw new IllegalArgumentException("shape '" + Shape.of(requested) + "' is invalid for input of size " + n
                    + " (shape " + shape() + ")");
        }
        return out;
    }

    /** ATen's computeStride: strides for viewing this layout as {@code newShape}, or null if impossible. */
    private int[] viewStrides(int[] newShape) {
        if (numel() == 0) return Shape.of(newShape).contiguousStrides();
        if (sizes.length == 0) { // one element: every size is 1 and ATen gives stride 1
            int[] ones = new int[newShape.length];
            Arrays.fill(ones, 1);
            return ones;
        }
        int[] newStrides = new int[newShape.length];
        int viewD = newShape.length - 1;
        long chunkBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = sizes.length - 1; d >= 0; d--) {
            tensorNumel *= sizes[d];
            if (d == 0 || (sizes[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
                while (viewD >= 0 && (viewNumel < tensorNumel || newShape[viewD] == 1)) {
                    newStrides[viewD] = (int) (viewNumel * chunkBase);
                    viewNumel *= newShape[viewD];
                    viewD--;
                }
                if (viewNumel != tensorNumel) return null;
                if (d > 0) {
                    chunkBase = strides[d - 1];
                    tensorNumel = 1;
                    viewNumel = 1;
                }
            }
        }
        return viewD == -1 ? newStrides : null;
    }

    /** Dims reordered: dim {@code i} of the result is dim {@code dims[i]} of this layout. */
    public Layout permute(int... dims) {
        if (dims.length != sizes.length) {
            throw new IllegalArgumentException("permute(" + Arrays.toString(dims) + ") on a tensor of shape " + shape()
                    + ": expected " + sizes.length + " dims");
        }
        int[] s = new int[dims.length];
        int[] st = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], sizes.length);
            if (seen[d]) throw new IllegalArgumentException("permute(" + Arrays.toString(dims) + "): dim " + d + " repeats");
            seen[d] = true;
            s[i] = sizes[d];
            st[i] = strides[d];
        }
        return new Layout(s, st, offset);
    }

    /** The permutation that undoes {@code permute(dims)} (dims already validated by {@link #permute}). */
    static int[] inversePermutation(int[] dims) {
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) inverse[Shape.normalizeDim(dims[i], dims.length)] = i;
        return inverse;
    }

    /** Dims {@code dim0} and {@code dim1} swapped (a 0-dim layout is its own transpose). */
    public Layout transpose(int dim0, int dim1) {
        int a = Shape.normalizeDim(dim0, sizes.length);
        int b = Shape.normalizeDim(dim1, sizes.length);
        if (sizes.length == 0) return this;
        int[] s = sizes.clone();
        int[] st = strides.clone();
        s[a] = sizes[b];
        s[b] = sizes[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return new Layout(s, st, offset);
    }

    /** {@code t()}: the transpose of a layout of at most 2 dims. */
    public Layout t() {
        if (sizes.length > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + sizes.length + "D");
        }
        return sizes.length < 2 ? this : transpose(0, 1);
    }

    /** The slice at {@code index} of {@code dim}, with that dim removed. */
    public Layout select(int dim, int index) {
        if (sizes.length == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, sizes.length);
        int i = checkIndex(index, d);
        return without(d, offset + i * strides[d]);
    }

    /** This layout without dim {@code d}, at {@code newOffset}. */
    private Layout without(int d, int newOffset) {
        int[] s = new int[sizes.length - 1];
        int[] st = new int[sizes.length - 1];
        for (int k = 0, j = 0; k < sizes.length; k++) {
            if (k == d) continue;
            s[j] = sizes[k];
            st[j++] = strides[k];
        }
        return new Layout(s, st, newOffset);
    }

    /** {@code length} elements of {@code dim} from {@code start} (negative counts from the end). */
    public Layout narrow(int dim, int start, int length) {
        if (sizes.length == 0) throw new IllegalArgumentException("narrow() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, sizes.length);
        // ATen wraps start like a dim index (so its range error), except start == size: an empty tail
        int st = start == sizes[d] ? start : Shape.normalizeDim(start, sizes[d]);
        if (length < 0 || st + (long) length > sizes[d]) {
            throw new IndexOutOfBoundsException("narrow(dim=" + dim + ", start=" + start + ", length=" + length
                    + ") on a dim of size " + sizes[d] + ": start + length exceeds dimension size");
        }
        return resized(d, length, strides[d], offset + st * strides[d]);
    }

    /** Python's {@code [start:end:step]} along {@code dim}, bounds clamped as Python clamps them. */
    public Layout slice(int dim, int start, int end, int step) {
        if (step <= 0) throw new IllegalArgumentException("slice step " + step + ": expected a positive step");
        int d = Shape.normalizeDim(dim, sizes.length);
        int n = sizes[d];
        long s0 = start < 0 ? (long) start + n : start;
        long e0 = end < 0 ? (long) end + n : end;
        s0 = Math.max(0, Math.min(s0, n));
        e0 = Math.max(s0, Math.min(e0, n));
        int len = (int) ((e0 - s0 + step - 1) / step);
        return resized(d, len, strides[d] * step, offset + (int) s0 * strides[d]);
    }

    private Layout resized(int d, int size, int stride, int newOffset) {
        int[] s = sizes.clone();
        int[] st = strides.clone();
        s[d] = size;
        st[d] = stride;
        return new Layout(s, st, newOffset);
    }

    /** Every size-1 dim removed. */
    public Layout squeeze() {
        int k = 0;
        for (int s : sizes) if (s != 1) k++;
        int[] sh = new int[k];
        int[] st = new int[k];
        for (int i = 0, j = 0; i < sizes.length; i++) {
            if (sizes[i] != 1) {
                sh[j] = sizes[i];
                st[j++] = strides[i];
            }
        }
        return new Layout(sh, st, offset);
    }

    /** Dim {@code dim} removed if its size is 1, else this layout, as torch does. */
    public Layout squeeze(int dim) {
        int d = Shape.normalizeDim(dim, sizes.length);
        return sizes.length > 0 && sizes[d] == 1 ? without(d, offset) : this;
    }

    /** A size-1 dim inserted at {@code dim} (in {@code [-rank()-1, rank()]}), with ATen's stride for it. */
    public Layout unsqueeze(int dim) {
        int d = Shape.normalizeDim(dim, sizes.length + 1);
        int[] sh = new int[sizes.length + 1];
        int[] st = new int[sizes.length + 1];
        for (int i = 0, j = 0; i < sh.length; i++) {
            if (i == d) {
                sh[i] = 1;
                st[i] = d < sizes.length ? strides[d] * sizes[d] : 1;
            } else {
                sh[i] = sizes[j];
                st[i] = strides[j++];
            }
        }
        return new Layout(sh, st, offset);
    }

    /** Broadcast to {@code newShape} (-1 keeps a dim); new and expanded dims get stride 0. */
    public Layout expand(int... newShape) {
        if (newShape.length < sizes.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + newShape.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + sizes.length + ")");
        }
        int lead = newShape.length - sizes.length;
        int[] sh = new int[newShape.length];
        int[] st = new int[newShape.length];
        for (int i = newShape.length - 1; i >= 0; i--) { // from the last dim, as ATen reports the last mismatch
            if (i < lead) {
                if (newShape[i] < 0) throw new IllegalArgumentException("The expanded size of the tensor (" + newShape[i]
                        + ") isn't allowed in a leading, non-existing dimension " + i);
                sh[i] = newShape[i];
                continue;
            }
            int own = sizes[i - lead];
            int want = newShape[i] == -1 ? own : newShape[i];
            if (own == want) {
                sh[i] = own;
                st[i] = strides[i - lead];
            } else if (own == 1) {
                sh[i] = want;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing size ("
                        + own + ") at non-singleton dimension " + i + ".  Target sizes: " + Arrays.toString(newShape)
                        + ".  Tensor sizes: " + shape());
            }
        }
        return new Layout(sh, st, offset);
    }

    @Override
    public boolean equals(Object o) {
        if (!(o instanceof Layout)) return false;
        Layout l = (Layout) o;
        return offset == l.offset && Arrays.equals(sizes, l.sizes) && Arrays.equals(strides, l.strides);
    }

    @Override
    public int hashCode() {
        return 31 * (31 * Arrays.hashCode(sizes) + Arrays.hashCode(strides)) + offset;
    }

    /** {@code Layout(size=[2, 3], stride=[3, 1], offset=0)}. */
    @Override
    public String toString() {
        return "Layout(size=" + shape() + ", stride=" + Arrays.toString(strides) + ", offset=" + offset + ")";
    }
}
