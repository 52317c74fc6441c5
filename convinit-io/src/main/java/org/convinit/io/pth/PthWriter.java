package org.convinit.io.pth;

import java.io.ByteArrayOutputStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;
import org.convinit.io.TensorBytes;
import org.convinit.io.internal.zip.ZipWriter;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Storage;
import org.convinit.tensor.Tensor;

/**
 * Writes {@code torch.save}-format zip checkpoints that torch 1.13 and 2.x load with
 * {@code weights_only=True}: prefix {@code archive/}, records {@code data.pkl}, {@code byteorder}
 * ({@code little}), {@code data/0..N-1} (one per distinct storage, whole storage, 64-byte aligned),
 * {@code version} ({@code 3\n}); a protocol-2 pickle using only the opcodes and globals torch 1.13's
 * weights-only unpickler allows ({@code collections.OrderedDict}, {@code torch._utils._rebuild_tensor_v2}
 * with 6 arguments, {@code torch._utils._rebuild_parameter}, {@code torch.<X>Storage}).
 *
 * <p>Tensors that share a {@link Storage} are written as views of one storage record, so torch
 * gets the sharing back. A map whose values are all tensors becomes an {@code OrderedDict} (a state
 * dict); other maps become dicts; lists become lists. Values may be tensors, maps with string or
 * integer keys, lists, {@code String}, {@code Long}/{@code Integer}/{@code BigInteger},
 * {@code Boolean}, {@code null} and {@code Double} — note that torch 1.13's weights-only loader
 * refuses floats (BINFLOAT); 2.x accepts them.
 */
public final class PthWriter {
    private PthWriter() {}

    /** Writes a state dict (or any tree of the values above), atomically. */
    public static void write(Path path, Object root) throws CheckpointException {
        Pickler p = new Pickler();
        p.proto();
        p.value(root);
        p.stop();
        byte[] pickle = p.out.toByteArray();
        List<Storage> storages = p.storages;
        AtomicFiles.write(path, out -> {
            ZipWriter zw = new ZipWriter(out, 64);
            zw.add("archive/data.pkl", pickle);
            zw.add("archive/byteorder", "little".getBytes(StandardCharsets.US_ASCII));
            for (int i = 0; i < storages.size(); i++) {
                Storage s = storages.get(i);
                zw.add("archive/data/" + i, (long) s.size() * s.dtype().itemSize(), o -> TensorBytes.writeStorage(s, o));
            }
            zw.add("archive/version", "3\n".getBytes(StandardCharsets.US_ASCII));
            zw.finish();
        });
    }

    static String storageClass(DType d) {
        switch (d) {
            case FLOAT32: return "FloatStorage";
            case FLOAT64: return "DoubleStorage";
            case FLOAT16: return "HalfStorage";
            case BFLOAT16: return "BFloat16Storage";
            case INT8: return "CharStorage";
            case UINT8: return "ByteStorage";
            case INT16: return "ShortStorage";
            case INT32: return "IntStorage";
            case INT64: return "LongStorage";
            case BOOL: return "BoolStorage";
            default: throw new AssertionError(d);
        }
    }

    /** A protocol-2 pickler restricted to what torch's weights-only unpickler accepts. */
    private static final class Pickler {
        final ByteArrayOutputStream out = new ByteArrayOutputStream();
        final List<Storage> storages = new ArrayList<>();
        final IdentityHashMap<Storage, Integer> storageMemo = new IdentityHashMap<>();
        final Map<String, Integer> globalMemo = new HashMap<>();
        final IdentityHashMap<Object, Boolean> active = new IdentityHashMap<>();
        int nextMemo;

        void op(int b) {
            out.write(b);
        }

        void u32(long v) {
            for (int i = 0; i < 4; i++) out.write((int) (v >>> (8 * i)));
        }

        void proto() {
            op(0x80);
            op(2);
        }

        void stop() {
            op('.');
        }

        int put() {
            int m = nextMemo++;
            if (m < 256) {
                op('q');
                op(m);
            } else {
                op('r');
                u32(m);
            }
            return m;
        }

        void get(int m) {
            if (m < 256) {
                op('h');
                op(m);
            } else {
                op('j');
                u32(m);
            }
        }

        void global(String module, String name) {
            String k = module + "\n" + name + "\n";
            Integer m = globalMemo.get(k);
            if (m != null) {
                get(m);
                return;
            }
            op('c');
            byte[] b = k.getBytes(StandardCharsets.UTF_8);
            out.write(b, 0, b.length);
            globalMemo.put(k, put());
        }

        void str(String s) {
            byte[] b = s.getBytes(StandardCharsets.UTF_8);
            op('X');
            u32(b.length);
            out.write(b, 0, b.length);
        }

        void integer(long v) {
            if (v >= 0 && v < 256) {
                op('K');
                op((int) v);
            } else if (v >= 0 && v < 65536) {
                op('M');
                op((int) (v & 0xFF));
                op((int) (v >>> 8));
            } else if (v >= Integer.MIN_VALUE && v <= Integer.MAX_VALUE) {
                op('J');
                u32(v);
            } else {
                bigInteger(BigInteger.valueOf(v));
            }
        }

        void bigInteger(BigInteger v) {
            if (v.bitLength() < 32) {
                integer(v.longValue());
                return;
            }
            byte[] be = v.toByteArray();
            if (be.length > 255) throw new IllegalArgumentException("integer " + v + " is too large to pickle (at most 255 bytes)");
            op(0x8a);
            op(be.length);
            for (int i = be.length - 1; i >= 0; i--) op(be[i] & 0xFF);
        }

        void tuple(List<?> items) {
            if (items.isEmpty()) {
                op(')');
                return;
            }
            if (items.size() <= 3) {
                for (Object o : items) value(o);
                op(0x84 + items.size());
                return;
            }
            op('(');
            for (Object o : items) value(o);
            op('t');
        }

        void ints(int[] v) {
            List<Object> l = new ArrayList<>();
            for (int x : v) l.add((long) x);
            tuple(l);
        }

        void emptyOrderedDict() {
            global("collections", "OrderedDict");
            op(')');
            op('R');
        }

        void tensor(Tensor t) {
            boolean param = t instanceof Parameter;
            if (param) {
                global("torch._utils", "_rebuild_parameter");
                op('(');
            }
            global("torch._utils", "_rebuild_tensor_v2");
            op('(');
            Storage s = t.storage();
            Integer memo = storageMemo.get(s);
            if (memo != null) {
                get(memo);
            } else {
                op('(');
                str("storage");
                global("torch", storageClass(s.dtype()));
                str(Integer.toString(storages.size()));
                str("cpu");
                integer(s.size());
                op('t');
                op('Q');
                storageMemo.put(s, put());
                storages.add(s);
            }
            integer(t.storageOffset());
            ints(t.shape().toArray());
            ints(t.strides());
            op(!param && t.requiresGrad() ? 0x88 : 0x89);
            emptyOrderedDict();
            op('t');
            op('R');
            if (param) {
                op(t.requiresGrad() ? 0x88 : 0x89);
                emptyOrderedDict();
                op('t');
                op('R');
            }
        }

        void value(Object v) {
            if (v == null) {
                op('N');
            } else if (v instanceof Tensor) {
                tensor((Tensor) v);
            } else if (v instanceof Boolean) {
                op((Boolean) v ? 0x88 : 0x89);
            } else if (v instanceof Long || v instanceof Integer || v instanceof Short || v instanceof Byte) {
                integer(((Number) v).longValue());
            } else if (v instanceof BigInteger) {
                bigInteger((BigInteger) v);
            } else if (v instanceof Double || v instanceof Float) {
                op('G');
                long bits = Double.doubleToRawLongBits(((Number) v).doubleValue());
                for (int i = 7; i >= 0; i--) op((int) (bits >>> (8 * i)) & 0xFF);
            } else if (v instanceof String) {
                str((String) v);
            } else if (v instanceof Map) {
                enter(v);
                Map<?, ?> m = (Map<?, ?>) v;
                boolean stateDict = !m.isEmpty() && m.values().stream().allMatch(x -> x instanceof Tensor);
                if (stateDict) emptyOrderedDict();
                else op('}');
                put();
                List<Map.Entry<?, ?>> es = new ArrayList<>(m.entrySet());
                for (int i = 0; i < es.size(); i += 1000) {
                    op('(');
                    for (Map.Entry<?, ?> e : es.subList(i, Math.min(es.size(), i + 1000))) {
                        Object k = e.getKey();
                        if (!(k instanceof String || k instanceof Long || k instanceof Integer)) {
                            throw new IllegalArgumentException("map key " + k + " of type " + (k == null ? "null" : k.getClass().getSimpleName())
                                    + ": expected String, Long or Integer keys");
                        }
                        value(k);
                        value(e.getValue());
                    }
                    op('u');
                }
                active.remove(v);
            } else if (v instanceof List) {
                enter(v);
                op(']');
                put();
                List<?> l = (List<?>) v;
                for (int i = 0; i < l.size(); i += 1000) {
                    op('(');
                    for (Object o : l.subList(i, Math.min(l.size(), i + 1000))) value(o);
                    op('e');
                }
                active.remove(v);
            } else {
                throw new IllegalArgumentException("value of type " + v.getClass().getName()
                        + ": expected a Tensor, Map, List, String, integer, Double, Boolean or null");
            }
        }

        private void enter(Object container) {
            if (active.put(container, Boolean.TRUE) != null) {
                throw new IllegalArgumentException("the checkpoint contains a container that holds itself");
            }
            if (active.size() > 1000) throw new IllegalArgumentException("containers nested deeper than 1000");
        }
    }
}
