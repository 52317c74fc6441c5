package org.convinit.io.internal.pickle;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;

/**
 * The immutable allow-list of pickle globals a checkpoint may name. Each is a pure data constructor
 * that checks its arity and argument types; nothing else resolves.
 *
 * <table>
 * <caption>Allowed globals</caption>
 * <tr><td>{@code collections.OrderedDict}</td><td>an empty (or pair-list) dict</td></tr>
 * <tr><td>{@code torch._utils._rebuild_tensor_v2}, {@code _v3}, {@code _rebuild_tensor}</td><td>a validated tensor view</td></tr>
 * <tr><td>{@code torch._utils._rebuild_parameter}</td><td>a parameter over a tensor</td></tr>
 * <tr><td>{@code torch.Size}</td><td>a tuple of ints</td></tr>
 * <tr><td>{@code torch.<X>Storage}, {@code torch.storage.UntypedStorage}</td><td>storage types (persistent ids only)</td></tr>
 * <tr><td>{@code torch.<dtype>}</td><td>dtypes (for {@code _rebuild_tensor_v3})</td></tr>
 * </table>
 */
public final class TorchGlobals {
    private TorchGlobals() {}

    /** An allowed global. */
    public interface Global {
        String qualifiedName();
    }

    /** The callable globals. */
    public enum Callable implements Global {
        ORDERED_DICT("collections.OrderedDict"),
        REBUILD_TENSOR_V2("torch._utils._rebuild_tensor_v2"),
        REBUILD_TENSOR_V3("torch._utils._rebuild_tensor_v3"),
        REBUILD_TENSOR("torch._utils._rebuild_tensor"),
        REBUILD_PARAMETER("torch._utils._rebuild_parameter"),
        SIZE("torch.Size");

        private final String name;

        Callable(String name) {
            this.name = name;
        }

        @Override
        public String qualifiedName() {
            return name;
        }
    }

    /** A storage class; {@code dtype} is null for ones convinit cannot hold (complex, quantized). */
    public record StorageType(String name, DType dtype, int itemSize) implements Global {
        @Override
        public String qualifiedName() {
            return name.equals("UntypedStorage") ? "torch.storage.UntypedStorage" : "torch." + name;
        }
    }

    /** A dtype global such as {@code torch.float32}; {@code dtype} null when unsupported. */
    public record DTypeGlobal(String name, DType dtype) implements Global {
        @Override
        public String qualifiedName() {
            return "torch." + name;
        }
    }

    private static final Map<String, Global> ALLOWED;

    static {
        Map<String, Global> m = new LinkedHashMap<>();
        for (Callable c : Callable.values()) m.put(c.qualifiedName(), c);
        Object[][] storages = {
            {"DoubleStorage", DType.FLOAT64, 8}, {"FloatStorage", DType.FLOAT32, 4}, {"HalfStorage", DType.FLOAT16, 2},
            {"BFloat16Storage", DType.BFLOAT16, 2}, {"LongStorage", DType.INT64, 8}, {"IntStorage", DType.INT32, 4},
            {"ShortStorage", DType.INT16, 2}, {"CharStorage", DType.INT8, 1}, {"ByteStorage", DType.UINT8, 1},
            {"BoolStorage", DType.BOOL, 1}, {"ComplexDoubleStorage", null, 16}, {"ComplexFloatStorage", null, 8},
            {"QInt8Storage", null, 1}, {"QUInt8Storage", null, 1}, {"QInt32Storage", null, 4},
            {"QUInt4x2Storage", null, 1}, {"QUInt2x4Storage", null, 1},
        };
        for (Object[] s : storages) {
            StorageType t = new StorageType((String) s[0], (DType) s[1], (Integer) s[2]);
            m.put(t.qualifiedName(), t);
        }
        StorageType untyped = new StorageType("UntypedStorage", DType.UINT8, 1);
        m.put(untyped.qualifiedName(), untyped);
        for (DType d : DType.values()) m.put("torch." + d.torchName(), new DTypeGlobal(d.torchName(), d));
        for (String n : new String[] {"complex32", "complex64", "complex128", "float8_e5m2", "float8_e4m3fn",
                "float8_e5m2fnuz", "float8_e4m3fnuz", "uint16", "uint32", "uint64"}) {
            m.put("torch." + n, new DTypeGlobal(n, null));
        }
        ALLOWED = Map.copyOf(m);
    }

    /** The allowed global of this name, or null. */
    public static Global resolve(String module, String name) {
        return ALLOWED.get(module + "." + name);
    }

    static Object call(Callable fn, List<Object> a, PickleReader.Limits limits, String where) throws CheckpointException {
        switch (fn) {
            case ORDERED_DICT: {
                LinkedHashMap<Object, Object> d = new PyOrderedDict();
                if (a.isEmpty()) return d;
                if (a.size() == 1 && a.get(0) instanceof List) {
                    for (Object pair : (List<?>) a.get(0)) {
                        if (!(pair instanceof List) || pair instanceof ArrayList || ((List<?>) pair).size() != 2) {
                            throw bad(where, "OrderedDict items must be (key, value) tuples");
                        }
                        Object k = ((List<?>) pair).get(0);
                        if (!(k instanceof String || k instanceof Long)) throw bad(where, "OrderedDict key of type " + PickleReader.typeName(k));
                        d.put(k, ((List<?>) pair).get(1));
                    }
                    return d;
                }
                throw bad(where, "OrderedDict called with " + a.size() + " arguments");
            }
            case SIZE: {
                if (a.size() != 1 || !(a.get(0) instanceof List) || a.get(0) instanceof ArrayList) throw bad(where, "torch.Size expects one tuple");
                for (Object o : (List<?>) a.get(0)) toLong(o, "torch.Size entry", where);
                return a.get(0);
            }
            case REBUILD_TENSOR_V2: {
                if (a.size() != 6 && a.size() != 7) throw bad(where, "_rebuild_tensor_v2 expects 6 or 7 arguments, got " + a.size());
                checkHooks(a.get(5), where);
                if (a.size() == 7) checkMetadata(a.get(6), where);
                return rebuild(a, null, null, limits, where);
            }
            case REBUILD_TENSOR_V3: {
                if (a.size() != 7 && a.size() != 8) throw bad(where, "_rebuild_tensor_v3 expects 7 or 8 arguments, got " + a.size());
                checkHooks(a.get(5), where);
                if (!(a.get(6) instanceof DTypeGlobal)) throw bad(where, "_rebuild_tensor_v3 dtype must be a torch dtype, got " + PickleReader.typeName(a.get(6)));
                if (a.size() == 8) checkMetadata(a.get(7), where);
                DTypeGlobal dt = (DTypeGlobal) a.get(6);
                return rebuild(a, dt.dtype(), dt.name(), limits, where);
            }
            case REBUILD_TENSOR: {
                if (a.size() != 4) throw bad(where, "_rebuild_tensor expects 4 arguments, got " + a.size());
                return rebuild(a, null, null, limits, where);
            }
            case REBUILD_PARAMETER: {
                if (a.size() != 3) throw bad(where, "_rebuild_parameter expects 3 arguments, got " + a.size());
                if (!(a.get(0) instanceof TensorRef)) throw bad(where, "_rebuild_parameter data must be a tensor, got " + PickleReader.typeName(a.get(0)));
                if (!(a.get(1) instanceof Boolean)) throw bad(where, "_rebuild_parameter requires_grad must be a bool");
                checkHooks(a.get(2), where);
                return ((TensorRef) a.get(0)).asParameter((Boolean) a.get(1));
            }
            default:
                throw new AssertionError(fn);
        }
    }

    private static void checkHooks(Object o, String where) throws CheckpointException {
        if (!(o instanceof Map)) throw bad(where, "backward hooks must be an OrderedDict, got " + PickleReader.typeName(o));
        if (!((Map<?, ?>) o).isEmpty()) throw new CheckpointException(Reason.UNSAFE, where + ": tensor with backward hooks (not loadable as data)");
    }

    private static void checkMetadata(Object o, String where) throws CheckpointException {
        if (!(o instanceof Map)) throw bad(where, "tensor metadata must be a dict, got " + PickleReader.typeName(o));
        for (Map.Entry<?, ?> e : ((Map<?, ?>) o).entrySet()) {
            if (Boolean.TRUE.equals(e.getValue())) {
                throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, where + ": tensor with metadata " + e.getKey() + "=True (conjugate/negative views are not supported)");
            }
        }
    }

    private static CheckpointException bad(String where, String msg) {
        return new CheckpointException(Reason.MALFORMED_HEADER, where + ": " + msg);
    }

    // ------------------------------------------------------------------ tensor rebuild helpers

    static long toLong(Object o, String what, String where) throws CheckpointException {
        if (o instanceof Long) return (Long) o;
        if (o instanceof BigInteger) throw new CheckpointException(Reason.TOO_LARGE, where + ": " + what + " " + o + " is too large");
        throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": " + what + " must be an int, got " + PickleReader.typeName(o));
    }

    static TensorRef rebuild(List<Object> a, DType v3dtype, String v3name, PickleReader.Limits limits, String where) throws CheckpointException {
        Object s = a.get(0);
        if (!(s instanceof StorageRef)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": tensor storage must be a persistent storage, got " + PickleReader.typeName(s));
        StorageRef st = (StorageRef) s;
        if (v3name != null) {
            if (!st.typeName().equals("UntypedStorage") && st.itemSize() != 1) {
                throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": _rebuild_tensor_v3 needs an untyped storage, got " + st.typeName());
            }
            if (v3dtype == null) throw new CheckpointException(Reason.UNSUPPORTED_DTYPE, where + ": tensor of dtype torch." + v3name + " (convinit holds float16/32/64, bfloat16, int8/16/32/64, uint8, bool)");
            if (st.numel() % v3dtype.itemSize() != 0) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": untyped storage '" + st.key() + "' of " + st.numel() + " bytes is not a whole number of " + v3dtype + " elements");
            }
            st = new StorageRef(st.key(), v3dtype, v3dtype.torchName(), v3dtype.itemSize(), st.numel() / v3dtype.itemSize(), st.elementOffset());
        }
        long offset = toLong(a.get(1), "storage offset", where);
        List<?> size = sizeTuple(a.get(2), "size", where);
        List<?> stride = sizeTuple(a.get(3), "stride", where);
        if (size.size() > limits.maxRank()) throw new CheckpointException(Reason.TOO_LARGE, where + ": tensor of rank " + size.size() + " (at most " + limits.maxRank() + ")");
        if (stride.size() != size.size()) throw new CheckpointException(Reason.BAD_SHAPE, where + ": tensor size " + size + " with stride " + stride + " of another rank");
        boolean requiresGrad = false;
        if (a.size() > 4) {
            if (!(a.get(4) instanceof Boolean)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": requires_grad must be a bool, got " + PickleReader.typeName(a.get(4)));
            requiresGrad = (Boolean) a.get(4);
        }
        if (offset < 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": negative storage offset " + offset);
        int[] dims = new int[size.size()];
        int[] strides = new int[size.size()];
        long extent = 0;
        boolean empty = false;
        try {
            for (int i = 0; i < dims.length; i++) {
                long d = toLong(size.get(i), "size", where);
                long sd = toLong(stride.get(i), "stride", where);
                if (d < 0 || sd < 0) throw new CheckpointException(Reason.BAD_SHAPE, where + ": tensor size " + size + " / stride " + stride + " has a negative entry");
                if (d > Integer.MAX_VALUE - 8 || sd > Integer.MAX_VALUE - 8) throw new CheckpointException(Reason.TOO_LARGE, where + ": tensor size " + size + " / stride " + stride + " exceeds what convinit holds");
                dims[i] = (int) d;
                strides[i] = (int) sd;
                if (d == 0) empty = true;
                else extent = Math.addExact(extent, Math.multiplyExact(d - 1, sd));
            }
            long numel = st.numel();
            if (empty ? offset > numel : Math.addExact(offset, extent) >= numel) {
                throw new CheckpointException(Reason.BAD_SHAPE, where + ": tensor of size " + size + ", stride " + stride + " at offset " + offset
                        + " reaches element " + (empty ? offset : offset + extent) + " of storage '" + st.key() + "', which holds " + numel + " elements");
            }
            long n = 1;
            for (int d : dims) n = Math.multiplyExact(n, (long) d);
        } catch (ArithmeticException e) {
            throw new CheckpointException(Reason.BAD_SHAPE, where + ": tensor size " + size + " / stride " + stride + " overflows");
        }
        return new TensorRef(st, offset, Shape.of(dims), strides, requiresGrad, false);
    }

    private static List<?> sizeTuple(Object o, String what, String where) throws CheckpointException {
        if (!(o instanceof List) || o instanceof ArrayList) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": tensor " + what + " must be a tuple, got " + PickleReader.typeName(o));
        return (List<?>) o;
    }
}
