package org.convinit.tensor;

import java.util.function.UnaryOperator;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.Backward;
import org.convinit.autograd.GradMode;
import org.convinit.autograd.Node;
import org.convinit.random.Generator;

/**
 * A {@link Layout} (shape, strides, offset) over a {@link Storage}, with PyTorch's semantics.
 *
 * <p>Views ({@link #view}, {@link #permute}, {@link #select}, {@link #narrow}, {@link #expand}, ...)
 * share storage with their base: each pairs a layout op with its backward. Methods ending in {@code _}
 * change the tensor in place, as in torch; on a leaf that requires grad (a {@link org.convinit.nn.Parameter})
 * or a view of one they fail unless grad is disabled ({@link GradMode#noGrad()}), exactly where PyTorch raises.
 *
 * <pre>{@code
 * Tensor custom = Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.1, 0.1);
 * try (var g = GradMode.noGrad()) {
 *     conv.weight().copy_(custom);
 * }
 * }</pre>
 */
public non-sealed class Tensor implements TensorArithmetic {
    final Storage storage;
    final Layout layout;
    /** The tensor whose storage this one views (the root base), or null if this is a base. */
    final Tensor viewBase;
    final AutogradMeta meta = new AutogradMeta();

    Tensor(Storage storage, Layout layout, Tensor viewBase) {
        this.storage = storage;
        this.layout = layout;
        this.viewBase = viewBase;
    }

    /** For subclasses such as {@code Parameter}: a new base tensor sharing {@code data}'s storage and layout. */
    protected Tensor(Tensor data) {
        this(data.storage, data.layout, null);
    }

    // ------------------------------------------------------------------ factories

    /** A tensor of the given dtype and shape over new zeroed storage ({@code torch.empty}, but zeroed). */
    public static Tensor empty(DType dtype, int... shape) {
        return TensorData.allocate(dtype, Shape.of(shape));
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
        TensorData.fill(t, value);
        return t;
    }

    /** A float32 0-dim tensor. */
    public static Tensor scalar(double value) {
        return full(DType.FLOAT32, value);
    }

    /** A float32 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(float[] data, int... shape) {
        return TensorData.wrapExact(Storage.wrap(data.clone()), data.length, shape);
    }

    /** A float64 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(double[] data, int... shape) {
        return TensorData.wrapExact(Storage.wrap(data.clone()), data.length, shape);
    }

    /** An int64 tensor holding a copy of {@code data}, in row-major order, with the given shape. */
    public static Tensor of(long[] data, int... shape) {
        return TensorData.wrapExact(Storage.wrap(data.clone()), data.length, shape);
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
        return wrap(storage, Layout.of(shape, strides, offset));
    }

    /** {@link #wrap(Storage, Shape, int[], int)} with a ready layout. */
    public static Tensor wrap(Storage storage, Layout layout) {
        return TensorData.wrapChecked(storage, layout);
    }

    // ------------------------------------------------------------------ metadata

    public DType dtype() {
        return storage.dtype();
    }

    /** Shape, strides and storage offset (immutable). */
    public Layout layout() {
        return layout;
    }

    public Shape shape() {
        return layout.shape();
    }

    /** Size of dim {@code d} (negative counts from the end). */
    public int size(int d) {
        return layout.size(d);
    }

    public int dim() {
        return layout.rank();
    }

    public long numel() {
        return layout.numel();
    }

    public int[] strides() {
        return layout.strides();
    }

    public int storageOffset() {
        return layout.offset();
    }

    /** The storage this tensor views (shared). */
    public Storage storage() {
        return storage;
    }

    public boolean isContiguous() {
        return layout.isContiguous();
    }

    /** Whether this tensor and {@code other} view the same storage. */
    public boolean sharesStorageWith(Tensor other) {
        return storage == other.storage;
    }

    // ------------------------------------------------------------------ autograd state (rules in AutogradMeta)

    public boolean requiresGrad() {
        return meta.requiresGrad;
    }

    /** Sets {@code requires_grad}. As in torch, only leaves may change it. */
    public Tensor requiresGrad(boolean requiresGrad) {
        meta.setRequiresGrad(this, requiresGrad);
        return this;
    }

    /** Whether this tensor is a leaf of the autograd graph (no recorded operation produced it). */
    public boolean isLeaf() {
        return meta.gradFn == null;
    }

    /** The operation that produced this tensor ({@code grad_fn}), or null for a leaf. */
    public Node gradFn() {
        return meta.gradFn;
    }

    /** Makes this freshly computed tensor the output of {@code node}; used by {@link Autograd#record}. */
    public Tensor attachGradFn(Node node) {
        meta.attach(node);
        return this;
    }

    /**
     * For an in-place op that records its own node (as {@code F.relu(x, true)}): checks as {@code fill_} does, but a
     * tensor in the graph is allowed — its history moves to a new alias of this storage, returned for the node's
     * input, and this tensor is left ready for {@link #attachGradFn} (torch's {@code rebase_history}). Returns this
     * tensor when no graph is recorded for it.
     */
    public Tensor rebaseForInPlace(String op) {
        return AutogradMeta.rebase(this, op);
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
        return meta.grad;
    }

    public void setGrad(Tensor grad) {
        meta.setGrad(this, grad);
    }

    /** A tensor sharing this one's storage, outside the graph, that does not require grad ({@code detach()}). */
    public Tensor detach() {
        return new Tensor(storage, layout, null);
    }

    /** Throws where PyTorch raises on an in-place change (of a leaf that requires grad, or a view of one). */
    protected final void checkInPlace(String op) {
        AutogradMeta.checkInPlace(this, op);
    }

    // ------------------------------------------------------------------ views: a layout op and its backward

    /** The view of this tensor's storage with {@code l}, recorded as {@code name} with {@code backward}. */
    private Tensor view(Layout l, String name, Backward backward) {
        return view(l, this, name, backward);
    }

    /** Backward of views that pick a part: zeros of this shape with the part set to the gradient. */
    private Tensor[] scatterInto(UnaryOperator<Tensor> part, Tensor g) {
        Tensor z = zeros(dtype(), layout.sizes());
        part.apply(z).copy_(g);
        return new Tensor[] {z};
    }

    /** A view with a new shape (one size may be -1); the tensor must be viewable without a copy. */
    public Tensor view(int... newShape) {
        int[] in = layout.sizes();
        return view(layout.view(newShape), "ViewBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    /** {@link #view} when possible, else a contiguous copy with the new shape. */
    public Tensor reshape(int... newShape) {
        int[] in = layout.sizes();
        Layout viewed = layout.tryView(newShape).orElse(null);
        Tensor src = viewed != null ? this : clone().detach();
        Layout l = viewed != null ? viewed : Layout.contiguous(Shape.of(layout.resolve(newShape)));
        return view(l, src, "ReshapeAliasBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    /** Records a view of {@code src}'s storage (this tensor's, or a detached copy of it) as this tensor's output. */
    private Tensor view(Layout l, Tensor src, String name, Backward backward) {
        Tensor base = src.viewBase == null ? src : src.viewBase;
        return TensorOps.unary(this, new Tensor(src.storage, l, base), name, backward);
    }

    /** Flattens to 1-D. */
    public Tensor flatten() {
        return reshape(-1);
    }

    /** Reorders dims: {@code permute(0, 2, 3, 1)} turns NCHW into NHWC. */
    public Tensor permute(int... dims) {
        Layout l = layout.permute(dims);
        int[] inverse = Layout.inversePermutation(dims);
        return view(l, "PermuteBackward0", g -> new Tensor[] {g.permute(inverse)});
    }

    /** Swaps two dims. */
    public Tensor transpose(int dim0, int dim1) {
        return view(layout.transpose(dim0, dim1), "TransposeBackward0", g -> new Tensor[] {g.transpose(dim0, dim1)});
    }

    /** Transpose of a tensor of at most 2 dims. */
    public Tensor t() {
        return view(layout.t(), "TBackward0", g -> new Tensor[] {g.t()});
    }

    /** The slice at {@code index} of dim {@code dim}, with that dim removed ({@code x[:, i]}). */
    public Tensor select(int dim, int index) {
        return view(layout.select(dim, index), "SelectBackward0", g -> scatterInto(z -> z.select(dim, index), g));
    }

    /** {@code x[i0, i1, ...]} for a prefix of the dims: a view with those dims removed. */
    public Tensor index(int... indices) {
        if (indices.length > dim()) {
            throw new IndexOutOfBoundsException("too many indices for tensor of dimension " + dim()
                    + " (got " + indices.length + ")");
        }
        Tensor t = this;
        for (int index : indices) t = t.select(0, index);
        return t;
    }

    /** {@code length} elements of dim {@code dim} from {@code start} (a view). */
    public Tensor narrow(int dim, int start, int length) {
        return view(layout.narrow(dim, start, length), "NarrowBackward0",
                g -> scatterInto(z -> z.narrow(dim, start, length), g));
    }

    /** Python slicing {@code x[start:end:step]} along {@code dim}, with clamping as Python does. */
    public Tensor slice(int dim, int start, int end, int step) {
        return view(layout.slice(dim, start, end, step), "SliceBackward0",
                g -> scatterInto(z -> z.slice(dim, start, end, step), g));
    }

    /** Removes every size-1 dim. */
    public Tensor squeeze() {
        int[] in = layout.sizes();
        return view(layout.squeeze(), "SqueezeBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    /** Removes dim {@code dim} if its size is 1 (else returns an identical view), as torch does. */
    public Tensor squeeze(int dim) {
        int[] in = layout.sizes();
        return view(layout.squeeze(dim), "SqueezeBackward1", g -> new Tensor[] {g.reshape(in)});
    }

    /** Inserts a size-1 dim at {@code dim} (in {@code [-dim()-1, dim()]}). */
    public Tensor unsqueeze(int dim) {
        int[] in = layout.sizes();
        return view(layout.unsqueeze(dim), "UnsqueezeBackward0", g -> new Tensor[] {g.reshape(in)});
    }

    /** Broadcasts to {@code newShape} without copying (size -1 keeps a dim); expanded dims get stride 0. */
    public Tensor expand(int... newShape) {
        // the engine sums the gradient back down to this tensor's shape
        return view(layout.expand(newShape), "ExpandBackward0", g -> new Tensor[] {g});
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
        return to(dtype(), "CloneBackward0");
    }

    /** A copy converted to {@code dtype} (this tensor itself if it already has that dtype). */
    public Tensor to(DType dtype) {
        return dtype == dtype() ? this : to(dtype, "ToCopyBackward0");
    }

    private Tensor to(DType dtype, String name) {
        Tensor out = TensorData.allocate(dtype, shape());
        TensorData.copy(out, this);
        if (!dtype.isFloatingPoint()) return out;
        DType from = dtype();
        return TensorOps.unary(this, out, name, g -> new Tensor[] {g.to(from)});
    }

    // ------------------------------------------------------------------ elements

    /** The element at a full multi-index (negative indices count from the end), as a double. */
    public double get(int... index) {
        return storage.getDouble(layout.storageIndex(index));
    }

    /** The element at a full multi-index as a long (exact for int64). */
    public long getLong(int... index) {
        return storage.getLong(layout.storageIndex(index));
    }

    /** The value of a one-element tensor. */
    public double item() {
        if (numel() != 1) {
            throw new IllegalArgumentException("a Tensor with " + numel() + " elements cannot be converted to Scalar");
        }
        return storage.getDouble(layout.offset());
    }

    /** {@code x[i0, i1, ...] = value}, converted to this dtype. */
    public Tensor set(double value, int... index) {
        int o = layout.storageIndex(index);
        checkInPlace("index_put_");
        storage.setDouble(o, value);
        return this;
    }

    /** The elements in row-major logical order, as doubles. */
    public double[] toDoubleArray() {
        return TensorData.toDoubles(this);
    }

    /** The elements in row-major logical order, as floats (converted like {@code .float()}). */
    public float[] toFloatArray() {
        return TensorData.toFloats(this);
    }

    /** The elements in row-major logical order, as longs. */
    public long[] toLongArray() {
        return TensorData.toLongs(this);
    }

    /** Storage offsets of every element in row-major logical order (for kernels). */
    public int[] elementOffsets() {
        return layout.elementOffsets();
    }

    // ------------------------------------------------------------------ in-place fills and copies

    /** Sets every element to {@code value} ({@code fill_}). */
    public Tensor fill_(double value) {
        checkInPlace("fill_");
        TensorData.fill(this, value);
        return this;
    }

    /** Sets every element to zero ({@code zero_}). */
    public Tensor zero_() {
        checkInPlace("zero_");
        TensorData.fill(this, 0);
        return this;
    }

    /**
     * Copies {@code src} into this tensor ({@code copy_}): {@code src} is broadcast to this shape and
     * converted to this dtype as torch converts. Overlapping source and destination are handled.
     */
    public Tensor copy_(Tensor src) {
        checkInPlace("copy_");
        TensorData.copy(this, src);
        return this;
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

    /** {@code self += other} (broadcast to this shape). */
    public Tensor add_(Tensor other) {
        checkInPlace("add_");
        AutogradMeta.checkAccumulated(other);
        TensorData.copy(this, TensorMath.binary(this, other, TensorMath.Op.ADD));
        return this;
    }

    /** {@code self *= v}. */
    public Tensor mul_(double v) {
        checkInPlace("mul_");
        TensorData.copy(this, TensorMath.binaryScalar(this, v, TensorMath.Op.MUL));
        return this;
    }

    // ------------------------------------------------------------------ comparison and printing

    /** {@code torch.equal}: same shape and the same values (NaN never equals). */
    public boolean valueEquals(Tensor other) {
        return TensorData.valueEquals(this, other);
    }

    /** {@code torch.allclose}: {@code |a - b| <= atol + rtol * |b|} elementwise, shapes broadcast. */
    public boolean allClose(Tensor other, double rtol, double atol) {
        return TensorData.allClose(this, other, rtol, atol);
    }

    /** Torch's print format: {@code tensor([[1., 2.],\n        [3., 4.]], dtype=torch.float64)}. */
    @Override
    public String toString() {
        return TensorFormat.format(this);
    }
}
