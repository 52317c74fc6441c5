package org.convinit.tensor;

import java.util.Arrays;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.Backward;
import org.convinit.autograd.GradMode;
import org.convinit.autograd.Node;
import org.convinit.internal.Strided;
import org.convinit.random.Generator;

/**
 * A strided view over a {@link Storage}: dtype, shape, strides and offset, with PyTorch's semantics.
 *
 * <p>Views ({@link #view}, {@link #permute}, {@link #select}, {@link #narrow}, {@link #expand}, ...)
 * share storage with their base. Methods ending in {@code _} change the tensor in place, as in torch;
 * on a leaf that requires grad (a {@link org.convinit.nn.Parameter}) or a view of one they fail unless
 * grad is disabled ({@link GradMode#noGrad()}), exactly where PyTorch raises.
 *
 * <pre>{@code
 * Tensor custom = Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.1, 0.1);
 * try (var g = GradMode.noGrad()) {
 *     conv.weight().copy_(custom);
 * }
 * }</pre>
 */
public class Tensor {
    final Storage storage;
    final int[] shape;
    final int[] strides;
    final int offset;
    /** The tensor whose storage this one views (the root base), or null if this is a base. */
    final Tensor viewBase;
    private boolean requiresGrad;
    private Tensor grad;
    private Node gradFn;
    private static final Tensor[] NONE = new Tensor[0];

    Tensor(Storage storage, int[] shape, int[] strides, int offset, Tensor viewBase) {
        this.storage = storage;
        this.shape = shape;
        this.strides = strides;
        this.offset = offset;
        this.viewBase = viewBase;
    }

    /** For subclasses such as {@code Parameter}: a new base tensor sharing {@code data}'s storage and layout. */
    protected Tensor(Tensor data) {
        this(data.storage, data.shape.clone(), data.strides.clone(), data.offset, null);
    }

    // ------------------------------------------------------------------ factories

    /** A tensor of the given dtype and shape over new zeroed storage ({@code torch.empty}, but zeroed). */
    public static Tensor empty(DType dtype, int... shape) {
        Shape s = Shape.of(shape);
        return new Tensor(Storage.allocate(dtype, s.numel()), s.toArray(), s.contiguousStrides(), 0, null);
    }

    /** {@code torch.zeros}. */
    public static Tensor zeros(DType dtype, int... shape) {
        return empty(dtype, shape);
    }

    /** {@code torch.ones}. */
    public static Tensor ones(DType dtype, int... shape) {
        return full(dtype, 1, shape);
    }

    /** {@code torch.full}. */
    public static Tensor full(DType dtype, double value, int... shape) {
        Tensor t = empty(dtype, shape);
        t.fillUnchecked(value);
        return t;
    }

    /** A float32 0-dim tensor. */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value);
    }

    /** A float32 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        checkCount(data.length, shape);
        Shape s = Shape.of(shape);
        return new Tensor(Storage.wrap(data.clone()), s.toArray(), s.contiguousStrides(), 0, null);
    }

    /** A float64 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(double[] data, int... shape) {
        checkCount(data.length, shape);
        Shape s = Shape.of(shape);
        return new Tensor(Storage.wrap(data.clone()), s.toArray(), s.contiguousStrides(), 0, null);
    }

    /** An int64 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(long[] data, int... shape) {
        checkCount(data.length, shape);
        Shape s = Shape.of(shape);
        return new Tensor(Storage.wrap(data.clone()), s.toArray(), s.contiguousStrides(), 0, null);
    }

    /** A 1-D float32 tensor of the values given ({@code torch.tensor([..])}). */
    public static Tensor vector(float... data) {
        return of(data, data.length);
    }

    /**
     * A tensor over an existing storage with explicit layout, validated: every element the view can
     * reach must lie inside the storage.
     */
    public static Tensor wrap(Storage storage, Shape shape, int[] strides, int offset) {
        int[] dims = shape.toArray();
        if (strides.length != dims.length) {
            throw new IllegalArgumentException("strides " + Arrays.toString(strides) + " for shape " + shape
                    + ": expected " + dims.length + " strides");
        }
        if (offset < 0) throw new IllegalArgumentException("storage offset " + offset + ": expected >= 0");
        long max = offset;
        boolean empty = false;
        for (int i = 0; i < dims.length; i++) {
            if (strides[i] < 0) {
                throw new IllegalArgumentException("stride " + strides[i] + " of dim " + i + ": expected >= 0");
            }
            if (dims[i] == 0) empty = true;
            else max += (long) strides[i] * (dims[i] - 1);
        }
        if (!empty && max >= storage.size()) {
            throw new IllegalArgumentException("view of shape " + shape + ", strides " + Arrays.toString(strides)
                    + ", offset " + offset + " reaches element " + max + ", but the storage holds "
                    + storage.size() + " elements");
        }
        return new Tensor(storage, dims, strides.clone(), offset, null);
    }

    private static void checkCount(int length, int[] shape) {
        long n = Shape.of(shape).numel();
        if (n != length) {
            throw new IllegalArgumentException("data of " + length + " values for shape " + Shape.of(shape)
                    + ": expected " + n + " values");
        }
    }

    // ------------------------------------------------------------------ metadata

    public DType dtype() {
        return storage.dtype();
    }

    public Shape shape() {
        return Shape.of(shape);
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return shape[Shape.normalizeDim(d, shape.length)];
    }

    public int dim() {
        return shape.length;
    }

    public long numel() {
        long n = 1;
        for (int d : shape) n *= d;
        return n;
    }

    public int[] strides() {
        return strides.clone();
    }

    public int storageOffset() {
        return offset;
    }

    /** The storage this tensor views (shared). */
    public Storage storage() {
        return storage;
    }

    public boolean isContiguous() {
        return Strided.isContiguous(shape, strides);
    }

    /** Whether this tensor and {@code other} view the same storage. */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    // ------------------------------------------------------------------ grad-mode state

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** Sets {@code requires_grad}. As in torch, only leaves may change it. */
    public Tensor requiresGrad(boolean requiresGrad) {
        if (requiresGrad && !dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requires_grad=True on a " + dtype() + " tensor: "
                    + "only floating point tensors can require gradients");
        }
        if (!isLeaf() && requiresGrad != this.requiresGrad) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use a "
                    + "computed variable in a subgraph that doesn't require differentiation use detach().");
        }
        this.requiresGrad = requiresGrad;
        return this;
    }

    /** Whether this tensor is a leaf of the autograd graph (no recorded operation produced it). */
    public boolean isLeaf() {
        return gradFn == null;
    }

    /** The operation that produced this tensor ({@code grad_fn}), or null for a leaf. */
    public Node gradFn() {
        return gradFn;
    }

    /**
     * Makes this freshly computed tensor the output of {@code node}. Used by
     * {@link Autograd#record}; not for tensors that already belong to a graph.
     */
    public Tensor attachGradFn(Node node) {
        if (gradFn != null || requiresGrad) {
            throw new IllegalStateException("attachGradFn: tensor already belongs to the autograd graph");
        }
        this.gradFn = node;
        this.requiresGrad = true;
        return this;
    }

    /** Backpropagates from this one-element tensor ({@code backward()}); frees the graph. */
    public void backward() {
        Autograd.backward(this, null, false);
    }

    /** Backpropagates {@code gradient} (same shape as this tensor); keeps the graph if {@code retainGraph}. */
    public void backward(Tensor gradient, boolean retainGraph) {
        Autograd.backward(this, gradient, retainGraph);
    }

    /** The accumulated gradient, or null. */
    public Tensor grad() {
        return grad;
    }

    public void setGrad(Tensor grad) {
        if (grad != null && !grad.shape().equals(shape())) {
            throw new IllegalArgumentException("grad of shape " + grad.shape() + " for a tensor of shape "
                    + shape() + ": expected the same shape");
        }
        this.grad = grad;
    }

    /** A tensor sharing this one's storage, outside the graph, that does not require grad ({@code detach()}). */
    public Tensor detach() {
        return new Tensor(storage, shape.clone(), strides.clone(), offset, null);
    }

    /**
     * Throws where PyTorch raises on an in-place change: of a leaf that requires grad, or of a view
     * of one, while grad is enabled.
     */
    protected final void checkInPlace(String op) {
        if (GradMode.isEnabled()) {
            Tensor root = viewBase == null ? this : viewBase;
            if (root.requiresGrad && root.isLeaf()) {
                String what = root == this ? "a leaf Variable that requires grad"
                        : "a view of a leaf Variable that requires grad";
                throw new IllegalStateException(what + " is being used in an in-place operation (" + op + "). "
                        + "To change a parameter's values, disable grad around the change: "
                        + "try (var g = GradMode.noGrad()) { ... } (in PyTorch: with torch.no_grad(): ...)");
            }
            if (requiresGrad) {
                throw new IllegalStateException("in-place operation " + op + " on a tensor that is part of the autograd graph "
                        + "(grad_fn " + gradFn + "): convinit does not rewrite graphs in place; use the out-of-place form "
                        + "(e.g. add instead of add_) or detach() first");
            }
        }
        storage.bumpVersion();
    }

    // ------------------------------------------------------------------ views

    /** Records a view op whose backward maps the output gradient back to this tensor's shape. */
    private Tensor recordUnary(Tensor out, String name, Backward backward) {
        return Autograd.record(out, name, new Tensor[] {this}, NONE, backward);
    }

    /** Backward of views that pick a part: zeros of this shape with the part set to the gradient. */
    private Tensor scatterInto(java.util.function.UnaryOperator<Tensor> part, Tensor g) {
        Tensor z = zeros(dtype(), shape);
        part.apply(z).copy_(g);
        return z;
    }

    private Tensor viewOf(int[] newShape, int[] newStrides, int newOffset) {
        return new Tensor(storage, newShape, newStrides, newOffset, viewBase == null ? this : viewBase);
    }

    /** A view with a new shape (one size may be -1); the tensor must be viewable without a copy. */
    public Tensor view(int... newShape) {
        int[] in = shape.clone();
        return recordUnary(viewImpl(newShape), "ViewBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    private Tensor viewImpl(int... newShape) {
        int[] s = inferShape(newShape);
        int[] st = viewStrides(s);
        if (st == null) {
            throw new IllegalArgumentException("view size " + Shape.of(s) + " is not compatible with input tensor's size "
                    + shape() + " and strides " + Arrays.toString(strides)
                    + " (at least one dimension spans across two contiguous subspaces). Use reshape(...) instead.");
        }
        return viewOf(s, st, offset);
    }

    /** {@link #view} when possible, else a contiguous copy with the new shape. */
    public Tensor reshape(int... newShape) {
        int[] in = shape.clone();
        return recordUnary(reshapeImpl(newShape), "ReshapeAliasBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    private Tensor reshapeImpl(int... newShape) {
        int[] s = inferShape(newShape);
        int[] st = viewStrides(s);
        if (st != null) return viewOf(s, st, offset);
        return contiguous().viewImpl(s);
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return reshape(-1);
    }

    private int[] inferShape(int[] requested) {
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
            if (known == 0 || n % known != 0) {
                throw new IllegalArgumentException("shape '" + Arrays.toString(requested).replace(" ", "")
                        + "' is invalid for input of size " + n);
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
        int[] newStrides = new int[newShape.length];
        if (numel() == 0) {
            return Shape.of(newShape).contiguousStrides();
        }
        int viewD = newShape.length - 1;
        long chunkBase = strides.length == 0 ? 1 : strides[strides.length - 1];
        long tensorNumel = 1;
        long viewNumel = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            tensorNumel *= shape[d];
            if (d == 0 || (shape[d - 1] != 1 && strides[d - 1] != tensorNumel * chunkBase)) {
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
        if (viewD != -1) return null;
        return newStrides;
    }

    /** Reorders dims: {@code permute(0, 2, 3, 1)} turns NCHW into NHWC. */
    public Tensor permute(int... dims) {
        Tensor out = permuteImpl(dims);
        int[] inverse = new int[dims.length];
        for (int i = 0; i < dims.length; i++) inverse[Shape.normalizeDim(dims[i], dims.length)] = i;
        return recordUnary(out, "PermuteBackward0", g -> new Tensor[] {g.permute(inverse)});
    }

    private Tensor permuteImpl(int... dims) {
        if (dims.length != shape.length) {
            throw new IllegalArgumentException("permute(" + Arrays.toString(dims) + ") on a tensor of shape " + shape()
                    + ": expected " + shape.length + " dims");
        }
        int[] s = new int[dims.length];
        int[] st = new int[dims.length];
        boolean[] seen = new boolean[dims.length];
        for (int i = 0; i < dims.length; i++) {
            int d = Shape.normalizeDim(dims[i], shape.length);
            if (seen[d]) throw new IllegalArgumentException("permute(" + Arrays.toString(dims) + "): dim " + d + " repeats");
            seen[d] = true;
            s[i] = shape[d];
            st[i] = strides[d];
        }
        return viewOf(s, st, offset);
    }

    /** Swaps two dims. */
    public Tensor transpose(int dim0, int dim1) {
        return recordUnary(transposeImpl(dim0, dim1), "TransposeBackward0", g -> new Tensor[] {g.transpose(dim0, dim1)});
    }

    private Tensor transposeImpl(int dim0, int dim1) {
        if (shape.length == 0) return viewOf(shape.clone(), strides.clone(), offset);
        int a = Shape.normalizeDim(dim0, shape.length);
        int b = Shape.normalizeDim(dim1, shape.length);
        int[] s = shape.clone();
        int[] st = strides.clone();
        s[a] = shape[b];
        s[b] = shape[a];
        st[a] = strides[b];
        st[b] = strides[a];
        return viewOf(s, st, offset);
    }

    /** Transpose of a tensor of at most 2 dims. */
    public Tensor t() {
        if (shape.length > 2) {
            throw new IllegalArgumentException("t() expects a tensor with <= 2 dimensions, but self is " + shape.length + "D");
        }
        return shape.length < 2 ? viewOf(shape.clone(), strides.clone(), offset) : transpose(0, 1);
    }

    /** The slice at {@code index} of dim {@code dim}, with that dim removed ({@code x[:, i]}). */
    public Tensor select(int dim, int index) {
        return recordUnary(selectImpl(dim, index), "SelectBackward0",
                g -> new Tensor[] {scatterInto(z -> z.select(dim, index), g)});
    }

    private Tensor selectImpl(int dim, int index) {
        if (shape.length == 0) throw new IllegalArgumentException("select() cannot be applied to a 0-dim tensor.");
        int d = Shape.normalizeDim(dim, shape.length);
        int i = checkIndex(index, d);
        int[] s = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int k = 0, j = 0; k < shape.length; k++) {
            if (k == d) continue;
            s[j] = shape[k];
            st[j++] = strides[k];
        }
        return viewOf(s, st, offset + i * strides[d]);
    }

    /** {@code x[i0, i1, ...]} for a prefix of the dims: a view with those dims removed. */
    public Tensor index(int... indices) {
        if (indices.length > shape.length) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + shape.length
                    + " (got " + indices.length + ")");
        }
        Tensor t = this;
        for (int index : indices) t = t.select(0, index);
        return t;
    }

    /** {@code length} elements of dim {@code dim} from {@code start} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        return recordUnary(narrowImpl(dim, start, length), "NarrowBackward0",
                g -> new Tensor[] {scatterInto(z -> z.narrow(dim, start, length), g)});
    }

    private Tensor narrowImpl(int dim, int start, int length) {
        int d = Shape.normalizeDim(dim, shape.length);
        int st = start < 0 ? start + shape[d] : start;
        if (st < 0 || length < 0 || st + (long) length > shape[d]) {
            throw new IndexOutOfBoundsException("narrow(dim=" + dim + ", start=" + start + ", length=" + length
                    + ") on a dim of size " + shape[d] + ": start + length exceeds dimension size");
        }
        int[] s = shape.clone();
        s[d] = length;
        return viewOf(s, strides.clone(), offset + st * strides[d]);
    }

    /** Python slicing {@code x[start:end:step]} along {@code dim}, with clamping as Python does. */
    public Tensor slice(int dim, int start, int end, int step) {
        return recordUnary(sliceImpl(dim, start, end, step), "SliceBackward0",
                g -> new Tensor[] {scatterInto(z -> z.slice(dim, start, end, step), g)});
    }

    private Tensor sliceImpl(int dim, int start, int end, int step) {
        if (step <= 0) throw new IllegalArgumentException("slice step " + step + ": expected a positive step");
        int d = Shape.normalizeDim(dim, shape.length);
        int n = shape[d];
        long s0 = start < 0 ? (long) start + n : start;
        long e0 = end < 0 ? (long) end + n : end;
        s0 = Math.max(0, Math.min(s0, n));
        e0 = Math.max(s0, Math.min(e0, n));
        int len = (int) ((e0 - s0 + step - 1) / step);
        int[] sh = shape.clone();
        int[] st = strides.clone();
        sh[d] = len;
        st[d] = strides[d] * step;
        return viewOf(sh, st, offset + (int) s0 * strides[d]);
    }

    /** Removes every size-1 dim. */
    public Tensor squeeze() {
        int[] in = shape.clone();
        return recordUnary(squeezeImpl(), "SqueezeBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    private Tensor squeezeImpl() {
        int k = 0;
        for (int s : shape) if (s != 1) k++;
        int[] sh = new int[k];
        int[] st = new int[k];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (shape[i] != 1) {
                sh[j] = shape[i];
                st[j++] = strides[i];
            }
        }
        return viewOf(sh, st, offset);
    }

    /** Removes dim {@code dim} if its size is 1 (else returns an identical view), as torch does. */
    public Tensor squeeze(int dim) {
        int[] in = shape.clone();
        return recordUnary(squeezeImpl(dim), "SqueezeBackward1", g -> new Tensor[] {g.reshape(in)});
    }

    private Tensor squeezeImpl(int dim) {
        if (shape.length == 0) return viewOf(shape.clone(), strides.clone(), offset);
        int d = Shape.normalizeDim(dim, shape.length);
        if (shape[d] != 1) return viewOf(shape.clone(), strides.clone(), offset);
        int[] sh = new int[shape.length - 1];
        int[] st = new int[shape.length - 1];
        for (int i = 0, j = 0; i < shape.length; i++) {
            if (i == d) continue;
            sh[j] = shape[i];
            st[j++] = strides[i];
        }
        return viewOf(sh, st, offset);
    }

    /** Inserts a size-1 dim at {@code dim} (in {@code [-dim()-1, dim()]}). */
    public Tensor unsqueeze(int dim) {
        int[] in = shape.clone();
        return recordUnary(unsqueezeImpl(dim), "UnsqueezeBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    private Tensor unsqueezeImpl(int dim) {
        int d = Shape.normalizeDim(dim, shape.length + 1);
        int[] sh = new int[shape.length + 1];
        int[] st = new int[shape.length + 1];
        for (int i = 0, j = 0; i < sh.length; i++) {
            if (i == d) {
                sh[i] = 1;
                st[i] = d < shape.length ? strides[d] * shape[d] : 1;
            } else {
                sh[i] = shape[j];
                st[i] = strides[j++];
            }
        }
        return viewOf(sh, st, offset);
    }

    /** Broadcasts to {@code newShape} without copying (size -1 keeps a dim); expanded dims get stride 0. */
    public Tensor expand(int... newShape) {
        // the engine sums the gradient back down to this tensor's shape
        return recordUnary(expandImpl(newShape), "ExpandBackward0", g -> new Tensor[] {g});
    }

    private Tensor expandImpl(int... newShape) {
        if (newShape.length < shape.length) {
            throw new IllegalArgumentException("expand: the number of sizes provided (" + newShape.length
                    + ") must be greater or equal to the number of dimensions in the tensor (" + shape.length + ")");
        }
        int lead = newShape.length - shape.length;
        int[] sh = new int[newShape.length];
        int[] st = new int[newShape.length];
        for (int i = 0; i < newShape.length; i++) {
            if (i < lead) {
                if (newShape[i] < 0) throw new IllegalArgumentException("expand to " + Arrays.toString(newShape)
                        + ": -1 not allowed in a leading, non-existing dimension " + i);
                sh[i] = newShape[i];
                st[i] = 0;
                continue;
            }
            int own = shape[i - lead];
            int want = newShape[i] == -1 ? own : newShape[i];
            if (own == want) {
                sh[i] = own;
                st[i] = strides[i - lead];
            } else if (own == 1) {
                sh[i] = want;
                st[i] = 0;
            } else {
                throw new IllegalArgumentException("The expanded size of the tensor (" + want + ") must match the existing size ("
                        + own + ") at non-singleton dimension " + i + ".  Target sizes: " + Arrays.toString(newShape)
                        + ".  Tensor sizes: " + shape());
            }
        }
        return viewOf(sh, st, offset);
    }

    /** {@link #expand} to a {@link Shape}. */
    public Tensor expand(Shape target) {
        return expand(target.toArray());
    }

    /** This tensor if contiguous, else a contiguous copy. */
    public Tensor contiguous() {
        return isContiguous() ? this : clone();
    }

    /** A contiguous copy with new storage ({@code clone()}); does not require grad. */
    @Override
    public Tensor clone() {
        Tensor out = empty(dtype(), shape);
        out.copyFrom(this);
        return recordUnary(out, "CloneBackward0", g -> new Tensor[] {g});
    }

    /** A copy converted to {@code dtype} (this tensor itself if it already has that dtype). */
    public Tensor to(DType dtype) {
        if (dtype == dtype()) return this;
        Tensor out = empty(dtype, shape);
        out.copyFrom(this);
        if (!dtype.isFloatingPoint()) return out;
        DType from = dtype();
        return recordUnary(out, "ToCopyBackward0", g -> new Tensor[] {g.to(from)});
    }

    // ------------------------------------------------------------------ elements

    private int checkIndex(int index, int dim) {
        int size = shape[dim];
        if (index < -size || index >= size) {
            throw new IndexOutOfBoundsException("index " + index + " is out of bounds for dimension " + dim
                    + " with size " + size);
        }
        return index < 0 ? index + size : index;
    }

    private int storageIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " for a tensor of shape " + shape()
                    + ": expected " + shape.length + " indices");
        }
        int o = offset;
        for (int d = 0; d < index.length; d++) o += checkIndex(index[d], d) * strides[d];
        return o;
    }

    /** The element at a full multi-index (negative indices count from the end), as a double. */
    public double get(int... index) {
        return storage.getDouble(storageIndex(index));
    }

    /** The element at a full multi-index as a long (exact for int64). */
    public long getLong(int... index) {
        return storage.getLong(storageIndex(index));
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return storage.getDouble(offset);
    }

    /** {@code x[i0, i1, ...] = value}, converted to this dtype. */
    public Tensor set(double value, int... index) {
        int o = storageIndex(index);
        checkInPlace("index_put_");
        storage.setDouble(o, value);
        return this;
    }

    /** The elements in row-major logical order, as doubles. */
    public double[] toDoubleArray() {
        int[] offs = Strided.offsets(shape, strides, offset);
        double[] out = new double[offs.length];
        for (int i = 0; i < offs.length; i++) out[i] = storage.getDouble(offs[i]);
        return out;
    }

    /** The elements in row-major logical order, as floats (converted like {@code .float()}). */
    public float[] toFloatArray() {
        int[] offs = Strided.offsets(shape, strides, offset);
        float[] out = new float[offs.length];
        if (dtype() == DType.FLOAT32) {
            float[] a = storage.floats();
            for (int i = 0; i < offs.length; i++) out[i] = a[offs[i]];
        } else {
            for (int i = 0; i < offs.length; i++) out[i] = (float) storage.getDouble(offs[i]);
        }
        return out;
    }

    /** The elements in row-major logical order, as longs. */
    public long[] toLongArray() {
        int[] offs = Strided.offsets(shape, strides, offset);
        long[] out = new long[offs.length];
        for (int i = 0; i < offs.length; i++) out[i] = storage.getLong(offs[i]);
        return out;
    }

    /** Storage offsets of every element in row-major logical order (for kernels). */
    public int[] elementOffsets() {
        return Strided.offsets(shape, strides, offset);
    }

    // ------------------------------------------------------------------ in-place fills and copies

    /** Sets every element to {@code value} ({@code fill_}). */
    public Tensor fill_(double value) {
        checkInPlace("fill_");
        fillUnchecked(value);
        return this;
    }

    /** Sets every element to zero ({@code zero_}). */
    public Tensor zero_() {
        checkInPlace("zero_");
        fillUnchecked(0);
        return this;
    }

    private void fillUnchecked(double value) {
        if (isContiguous() && dtype() == DType.FLOAT32) {
            Arrays.fill(storage.floats(), offset, offset + (int) numel(), (float) value);
        } else if (isContiguous() && dtype() == DType.FLOAT64) {
            Arrays.fill(storage.doubles(), offset, offset + (int) numel(), value);
        } else {
            for (int o : Strided.offsets(shape, strides, offset)) storage.setDouble(o, value);
        }
    }

    /**
     * Copies {@code src} into this tensor ({@code copy_}): {@code src} is broadcast to this shape and
     * converted to this dtype as torch converts. Overlapping source and destination are handled.
     */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        copyFrom(src);
        return this;
    }

    private void copyFrom(Tensor src) {
        Tensor s;
        try {
            s = src.expandImpl(shape);
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("copy_: source of shape " + src.shape()
                    + " cannot be broadcast to the destination shape " + shape(), e);
        }
        if (s.storage == storage) s = s.detach().clone();
        int[] dOffs = Strided.offsets(shape, strides, offset);
        int[] sOffs = Strided.offsets(s.shape, s.strides, s.offset);
        DType dt = dtype();
        DType st = s.dtype();
        if (dt == DType.FLOAT32 && st == DType.FLOAT32) {
            float[] d = storage.floats();
            float[] a = s.storage.floats();
            for (int i = 0; i < dOffs.length; i++) d[dOffs[i]] = a[sOffs[i]];
        } else if (dt == DType.FLOAT64 && st == DType.FLOAT64) {
            double[] d = storage.doubles();
            double[] a = s.storage.doubles();
            for (int i = 0; i < dOffs.length; i++) d[dOffs[i]] = a[sOffs[i]];
        } else if (!st.isFloatingPoint()) {
            for (int i = 0; i < dOffs.length; i++) storage.setLong(dOffs[i], s.storage.getLong(sOffs[i]));
        } else {
            for (int i = 0; i < dOffs.length; i++) storage.setDouble(dOffs[i], s.storage.getDouble(sOffs[i]));
        }
    }

    /**
     * Fills with uniform values in {@code [from, to)} drawn from {@code generator} (null: the default
     * generator), bit for bit as torch 1.13's {@code uniform_} on CPU: one 32-bit draw per float32
     * element, two per float64, in storage order.
     */
    public Tensor uniform_(double from, double to, Generator generator) {
        checkInPlace("uniform_");
        Sampling.uniform(this, from, to, Generator.orDefault(generator));
        return this;
    }

    /** {@link #uniform_(double, double, Generator)} with the default generator. */
    public Tensor uniform_(double from, double to) {
        return uniform_(from, to, null);
    }

    /** Fills with normal values ({@code normal_(mean, std)}) drawn from {@code generator} (null: default). */
    public Tensor normal_(double mean, double std, Generator generator) {
        checkInPlace("normal_");
        Sampling.normal(this, mean, std, Generator.orDefault(generator));
        return this;
    }

    /** {@link #normal_(double, double, Generator)} with the default generator. */
    public Tensor normal_(double mean, double std) {
        return normal_(mean, std, null);
    }

    // ------------------------------------------------------------------ arithmetic (see TensorMath)

    // Each op states its local derivative beside its forward; the engine sums broadcast gradients down.

    public Tensor add(Tensor other) {
        return Autograd.record(TensorMath.binary(this, other, TensorMath.Op.ADD), "AddBackward0",
                new Tensor[] {this, other}, NONE, g -> new Tensor[] {g, g});
    }

    public Tensor sub(Tensor other) {
        return Autograd.record(TensorMath.binary(this, other, TensorMath.Op.SUB), "SubBackward0",
                new Tensor[] {this, other}, NONE, g -> new Tensor[] {g, g.neg()});
    }

    /** d(xy) = y dx + x dy. */
    public Tensor mul(Tensor other) {
        return Autograd.record(TensorMath.binary(this, other, TensorMath.Op.MUL), "MulBackward0",
                new Tensor[] {this, other}, new Tensor[] {this, other}, g -> new Tensor[] {g.mul(other), g.mul(this)});
    }

    /** d(x/y) = dx / y - x dy / y². */
    public Tensor div(Tensor other) {
        return Autograd.record(TensorMath.binary(this, other, TensorMath.Op.DIV), "DivBackward0",
                new Tensor[] {this, other}, new Tensor[] {this, other},
                g -> new Tensor[] {g.div(other), g.mul(this).div(other.mul(other)).neg()});
    }

    public Tensor add(double v) {
        return recordUnary(TensorMath.binaryScalar(this, v, TensorMath.Op.ADD), "AddBackward1", g -> new Tensor[] {g});
    }

    public Tensor sub(double v) {
        return recordUnary(TensorMath.binaryScalar(this, v, TensorMath.Op.SUB), "SubBackward1", g -> new Tensor[] {g});
    }

    public Tensor mul(double v) {
        return recordUnary(TensorMath.binaryScalar(this, v, TensorMath.Op.MUL), "MulBackward1", g -> new Tensor[] {g.mul(v)});
    }

    public Tensor div(double v) {
        return recordUnary(TensorMath.binaryScalar(this, v, TensorMath.Op.DIV), "DivBackward1", g -> new Tensor[] {g.div(v)});
    }

    /** d(x^e) = e x^(e-1) dx. */
    public Tensor pow(double exponent) {
        return Autograd.record(TensorMath.binaryScalar(this, exponent, TensorMath.Op.POW), "PowBackward0",
                new Tensor[] {this}, new Tensor[] {this},
                g -> new Tensor[] {exponent == 0 ? g.mul(0) : g.mul(this.pow(exponent - 1).mul(exponent))});
    }

    public Tensor neg() {
        return recordUnary(TensorMath.unary(this, TensorMath.Unary.NEG), "NegBackward0", g -> new Tensor[] {g.neg()});
    }

    /** d|x| = sign(x) dx (0 at 0, as torch). */
    public Tensor abs() {
        return Autograd.record(TensorMath.unary(this, TensorMath.Unary.ABS), "AbsBackward0", new Tensor[] {this},
                new Tensor[] {this}, g -> new Tensor[] {g.mul(TensorMath.unary(this, TensorMath.Unary.SIGN))});
    }

    /** d(e^x) = e^x dx. */
    public Tensor exp() {
        Tensor out = TensorMath.unary(this, TensorMath.Unary.EXP);
        return Autograd.record(out, "ExpBackward0", new Tensor[] {this}, new Tensor[] {out},
                g -> new Tensor[] {g.mul(out.detach())});
    }

    /** d(ln x) = dx / x. */
    public Tensor log() {
        return Autograd.record(TensorMath.unary(this, TensorMath.Unary.LOG), "LogBackward0", new Tensor[] {this},
                new Tensor[] {this}, g -> new Tensor[] {g.div(this)});
    }

    /** d(√x) = dx / (2√x). */
    public Tensor sqrt() {
        Tensor out = TensorMath.unary(this, TensorMath.Unary.SQRT);
        return Autograd.record(out, "SqrtBackward0", new Tensor[] {this}, new Tensor[] {out},
                g -> new Tensor[] {g.div(out.detach().mul(2))});
    }

    /** {@code self += other} (broadcast to this shape). */
    public Tensor add_(Tensor other) {
        checkInPlace("add_");
        if (GradMode.isEnabled() && other.requiresGrad()) {
            throw new IllegalStateException("add_: the argument requires grad; in-place accumulation into a tensor outside the "
                    + "graph would lose its gradient. Use add (out of place) instead");
        }
        copyFrom(TensorMath.binary(this, other, TensorMath.Op.ADD).expandImpl(shape));
        return this;
    }

    /** {@code self *= v}. */
    public Tensor mul_(double v) {
        checkInPlace("mul_");
        copyFrom(TensorMath.binaryScalar(this, v, TensorMath.Op.MUL));
        return this;
    }

    /** Sum of all elements (0-dim; float tensors keep their dtype, integer sums are int64). */
    public Tensor sum() {
        int[] in = shape.clone();
        return recordUnary(TensorMath.reduceAll(this, TensorMath.Reduce.SUM, false), "SumBackward0",
                g -> new Tensor[] {g.expand(in)});
    }

    /** Mean of all elements (floating tensors only, as torch). */
    public Tensor mean() {
        int[] in = shape.clone();
        long n = numel();
        return recordUnary(TensorMath.reduceAll(this, TensorMath.Reduce.MEAN, false), "MeanBackward0",
                g -> new Tensor[] {g.div(n).expand(in)});
    }

    /** Variance; {@code unbiased} divides by {@code n - 1} (Bessel), else by {@code n}. d var = 2 (x - mean) / (n - c). */
    public Tensor var(boolean unbiased) {
        Tensor out = TensorMath.reduceAll(this, TensorMath.Reduce.VAR, unbiased);
        long dof = numel() - (unbiased ? 1 : 0);
        return Autograd.record(out, "VarBackward0", new Tensor[] {this}, new Tensor[] {this},
                g -> new Tensor[] {g.mul(this.sub(this.mean()).mul(2.0 / dof))});
    }

    /** Standard deviation; {@code unbiased} as in {@link #var}. d std = d var / (2 std). */
    public Tensor std(boolean unbiased) {
        Tensor out = TensorMath.reduceAll(this, TensorMath.Reduce.STD, unbiased);
        long dof = numel() - (unbiased ? 1 : 0);
        return Autograd.record(out, "StdBackward0", new Tensor[] {this}, new Tensor[] {this, out},
                g -> new Tensor[] {g.mul(this.sub(this.mean()).div(out.detach().mul(dof)))});
    }

    /** Minimum of all elements; the gradient is shared evenly among tied minima, as torch's amin. */
    public Tensor min() {
        return extremum(TensorMath.reduceAll(this, TensorMath.Reduce.MIN, false), "MinBackward1");
    }

    /** Maximum of all elements; the gradient is shared evenly among tied maxima, as torch's amax. */
    public Tensor max() {
        return extremum(TensorMath.reduceAll(this, TensorMath.Reduce.MAX, false), "MaxBackward1");
    }

    private Tensor extremum(Tensor out, String name) {
        return Autograd.record(out, name, new Tensor[] {this}, new Tensor[] {this, out}, g -> {
            Tensor mask = TensorMath.equalMask(this, out.detach());
            return new Tensor[] {mask.mul(g.div(mask.sum()))};
        });
    }

    /** Sum over {@code dim}, keeping it as size 1 if {@code keepdim}. */
    public Tensor sum(int dim, boolean keepdim) {
        int[] in = shape.clone();
        int d = Shape.normalizeDim(dim, Math.max(shape.length, 1));
        return recordUnary(TensorMath.reduceDim(this, dim, keepdim, TensorMath.Reduce.SUM, false), "SumBackward1",
                g -> new Tensor[] {(keepdim || in.length == 0 ? g : g.unsqueeze(d)).expand(in)});
    }

    public Tensor mean(int dim, boolean keepdim) {
        int[] in = shape.clone();
        int d = Shape.normalizeDim(dim, Math.max(shape.length, 1));
        int n = in.length == 0 ? 1 : in[d];
        return recordUnary(TensorMath.reduceDim(this, dim, keepdim, TensorMath.Reduce.MEAN, false), "MeanBackward1",
                g -> new Tensor[] {(keepdim || in.length == 0 ? g : g.unsqueeze(d)).div(n).expand(in)});
    }

    public Tensor var(int dim, boolean unbiased, boolean keepdim) {
        Tensor out = TensorMath.reduceDim(this, dim, keepdim, TensorMath.Reduce.VAR, unbiased);
        int d = Shape.normalizeDim(dim, Math.max(shape.length, 1));
        int dof = (shape.length == 0 ? 1 : shape[d]) - (unbiased ? 1 : 0);
        return Autograd.record(out, "VarBackward1", new Tensor[] {this}, new Tensor[] {this}, g -> {
            Tensor gk = keepdim || shape.length == 0 ? g : g.unsqueeze(d);
            return new Tensor[] {gk.mul(this.sub(this.mean(d, true)).mul(2.0 / dof))};
        });
    }

    public Tensor std(int dim, boolean unbiased, boolean keepdim) {
        return var(dim, unbiased, keepdim).sqrt();
    }

    public Tensor amax(int dim, boolean keepdim) {
        return extremumDim(TensorMath.reduceDim(this, dim, keepdim, TensorMath.Reduce.MAX, false), dim, keepdim, "AmaxBackward0");
    }

    public Tensor amin(int dim, boolean keepdim) {
        return extremumDim(TensorMath.reduceDim(this, dim, keepdim, TensorMath.Reduce.MIN, false), dim, keepdim, "AminBackward0");
    }

    private Tensor extremumDim(Tensor out, int dim, boolean keepdim, String name) {
        int d = Shape.normalizeDim(dim, Math.max(shape.length, 1));
        return Autograd.record(out, name, new Tensor[] {this}, new Tensor[] {this, out}, g -> {
            Tensor o = keepdim || shape.length == 0 ? out.detach() : out.detach().unsqueeze(d);
            Tensor gk = keepdim || shape.length == 0 ? g : g.unsqueeze(d);
            Tensor mask = TensorMath.equalMask(this, o);
            return new Tensor[] {mask.mul(gk.div(mask.sum(d, true)))};
        });
    }

    /** 2-D matrix product {@code [n, k] @ [k, m] -> [n, m]}; d(AB) = dC Bᵀ, Aᵀ dC. */
    public Tensor matmul(Tensor other) {
        return Autograd.record(TensorMath.matmul(this, other), "MmBackward0", new Tensor[] {this, other},
                new Tensor[] {this, other}, g -> new Tensor[] {g.matmul(other.t()), this.t().matmul(g)});
    }

    // ------------------------------------------------------------------ comparison and printing

    /** {@code torch.equal}: same shape and the same values (NaN never equals). */
    public boolean valueEquals(Tensor other) {
        if (!shape().equals(other.shape())) return false;
        double[] a = toDoubleArray();
        double[] b = other.toDoubleArray();
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return false;
        return true;
    }

    /** {@code torch.allclose}: |a - b| <= atol + rtol * |b| elementwise, shapes broadcast. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        Shape s = Shape.broadcast(shape(), other.shape());
        double[] a = expand(s).toDoubleArray();
        double[] b = other.expand(s).toDoubleArray();
        for (int i = 0; i < a.length; i++) {
            if (Double.isNaN(a[i]) || Double.isNaN(b[i])) return false;
            if (a[i] == b[i]) continue;
            if (Math.abs(a[i] - b[i]) > atol + rtol * Math.abs(b[i])) return false;
        }
        return true;
    }

    /** Torch's print format: {@code tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
