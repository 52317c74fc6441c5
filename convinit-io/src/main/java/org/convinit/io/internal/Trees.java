package org.convinit.io.internal;

import java.math.BigInteger;
import java.util.ArrayList;
import java.util.Collection;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.internal.PyRepr;
import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;
import org.convinit.io.internal.pickle.PyOrderedDict;
import org.convinit.io.internal.pickle.TensorRef;
import org.convinit.tensor.Tensor;

/**
 * Walks unpickled checkpoint structures (already checked acyclic and depth-capped by the reader):
 * flattening into {@code '.'}-joined names, and materializing tensors.
 */
public final class Trees {
    private Trees() {}

    /** Reads a tensor described by a reference. */
    public interface TensorSource {
        Tensor get(TensorRef ref) throws CheckpointException;
    }

    /** Python's {@code str()} of a dict key. */
    public static String keyName(Object k) {
        if (k == null) return "None";
        if (k instanceof Boolean) return (Boolean) k ? "True" : "False";
        if (k instanceof List) {
            List<?> l = (List<?>) k;
            StringBuilder sb = new StringBuilder("(");
            for (int i = 0; i < l.size(); i++) {
                if (i > 0) sb.append(", ");
                Object o = l.get(i);
                sb.append(o instanceof String ? "'" + o + "'" : keyName(o));
            }
            if (l.size() == 1) sb.append(',');
            return sb.append(')').toString();
        }
        if (k instanceof Double) return PyRepr.of((Double) k);
        return String.valueOf(k);
    }

    private static String join(String prefix, String k) {
        return prefix.isEmpty() ? k : prefix + "." + k;
    }

    /**
     * torch's {@code _metadata} versions by flattened module prefix: for every OrderedDict that carries
     * {@code _metadata}, each entry {@code prefix -> {"version": n}} under the dict's own flattened name
     * (a state dict saved under {@code "state_dict"} gives {@code "state_dict.layer1.0.bn1"}; its root module
     * {@code "state_dict"}). Entries without a version are left out, as torch reads them as version None.
     */
    public static LinkedHashMap<String, Integer> versions(Object root, long maxVisits, String where) throws CheckpointException {
        LinkedHashMap<String, Integer> out = new LinkedHashMap<>();
        versions("", root, out, new long[] {0}, maxVisits, where);
        return out;
    }

    private static void versions(String name, Object v, LinkedHashMap<String, Integer> out, long[] visits, long max, String where)
            throws CheckpointException {
        if (++visits[0] > max) throw new CheckpointException(Reason.TOO_LARGE, where + ": checkpoint expands to more than " + max + " values");
        if (v instanceof PyOrderedDict && ((PyOrderedDict) v).attributes().get("_metadata") instanceof Map) {
            for (Map.Entry<?, ?> m : ((Map<?, ?>) ((PyOrderedDict) v).attributes().get("_metadata")).entrySet()) {
                Object version = m.getValue() instanceof Map ? ((Map<?, ?>) m.getValue()).get("version") : null;
                if (!(version instanceof Long)) continue;
                String prefix = keyName(m.getKey());
                out.put(prefix.isEmpty() ? name : join(name, prefix), (int) (long) (Long) version);
            }
        }
        if (v instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) versions(join(name, keyName(e.getKey())), e.getValue(), out, visits, max, where);
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) versions(join(name, Integer.toString(i)), l.get(i), out, visits, max, where);
        }
    }

    /**
     * Tensor leaves by flattened name, in traversal order. A bare tensor at the root is named "".
     * Visits at most {@code maxVisits} nodes (shared sub-trees count every time they are reached).
     */
    public static LinkedHashMap<String, TensorRef> flattenRefs(Object root, long maxVisits, String where) throws CheckpointException {
        LinkedHashMap<String, TensorRef> out = new LinkedHashMap<>();
        long[] visits = {0};
        flatten("", root, out, visits, maxVisits, where);
        return out;
    }

    private static void flatten(String name, Object v, LinkedHashMap<String, TensorRef> out, long[] visits, long max, String where)
            throws CheckpointException {
        if (++visits[0] > max) throw new CheckpointException(Reason.TOO_LARGE, where + ": checkpoint expands to more than " + max + " values");
        if (v instanceof TensorRef) {
            if (out.put(name, (TensorRef) v) != null) {
                throw new CheckpointException(Reason.DUPLICATE_KEY, where + ": two tensors flatten to the name '" + name + "'");
            }
        } else if (v instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) flatten(join(name, keyName(e.getKey())), e.getValue(), out, visits, max, where);
        } else if (v instanceof List) {
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) flatten(join(name, Integer.toString(i)), l.get(i), out, visits, max, where);
        }
    }

    /**
     * The sub-trees of an unpickled structure that hold no tensor, by flattened name in traversal order, each
     * {@link #materialize materialized} (nothing is read): a leaf value, or the largest container without a tensor in it.
     * A bare value at the root is named "".
     */
    public static LinkedHashMap<String, Object> plainValues(Object root) throws CheckpointException {
        LinkedHashMap<String, Object> out = new LinkedHashMap<>();
        plainValues("", root, out, new IdentityHashMap<>());
        return out;
    }

    private static void plainValues(String name, Object v, LinkedHashMap<String, Object> out, IdentityHashMap<Object, Boolean> memo)
            throws CheckpointException {
        if (v instanceof TensorRef) return;
        boolean container = v instanceof Map || v instanceof List;
        if (!container || !holdsTensor(v, memo)) {
            out.put(name, materialize(v, r -> {
                throw new IllegalStateException("a tensor in a tensor-free sub-tree");
            }));
        } else if (v instanceof Map) {
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) plainValues(join(name, keyName(e.getKey())), e.getValue(), out, memo);
        } else {
            List<?> l = (List<?>) v;
            for (int i = 0; i < l.size(); i++) plainValues(join(name, Integer.toString(i)), l.get(i), out, memo);
        }
    }

    /** Whether a tensor lies anywhere under {@code v} (memoized per container: the reader caps depth and size). */
    private static boolean holdsTensor(Object v, IdentityHashMap<Object, Boolean> memo) {
        if (v instanceof TensorRef) return true;
        if (!(v instanceof Map) && !(v instanceof List)) return false;
        Boolean known = memo.get(v);
        if (known != null) return known;
        boolean found = false;
        Collection<?> children = v instanceof Map ? ((Map<?, ?>) v).values() : (List<?>) v;
        for (Object c : children) {
            if (holdsTensor(c, memo)) {
                found = true;
                break;
            }
        }
        memo.put(v, found);
        return found;
    }

    /**
     * A copy of an unpickled structure with tensors read: dicts become {@code LinkedHashMap<String, Object>}
     * (keys as Python's str), lists {@code ArrayList}, tuples unmodifiable lists; shared nodes stay shared.
     */
    public static Object materialize(Object root, TensorSource source) throws CheckpointException {
        return materialize(root, source, new IdentityHashMap<>());
    }

    private static Object materialize(Object v, TensorSource source, IdentityHashMap<Object, Object> done) throws CheckpointException {
        if (v == null || v instanceof String || v instanceof Long || v instanceof BigInteger || v instanceof Double || v instanceof Boolean) return v;
        Object prior = done.get(v);
        if (prior != null) return prior;
        Object out;
        if (v instanceof TensorRef) {
            out = source.get((TensorRef) v);
        } else if (v instanceof Map) {
            LinkedHashMap<String, Object> m = new LinkedHashMap<>();
            for (Map.Entry<?, ?> e : ((Map<?, ?>) v).entrySet()) {
                String k = keyName(e.getKey());
                if (m.containsKey(k)) throw new CheckpointException(Reason.DUPLICATE_KEY, "two dict keys print as '" + k + "'");
                m.put(k, materialize(e.getValue(), source, done));
            }
            out = m;
        } else if (v instanceof ArrayList) {
            ArrayList<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) l.add(materialize(o, source, done));
            out = l;
        } else if (v instanceof List) {
            ArrayList<Object> l = new ArrayList<>();
            for (Object o : (List<?>) v) l.add(materialize(o, source, done));
            out = java.util.Collections.unmodifiableList(l);
        } else {
            out = v;
        }
        done.put(v, out);
        return out;
    }

    /** A hint listing a few available names, for missing-key messages. */
    public static String suggest(String name, Collection<String> keys) {
        List<String> close = new ArrayList<>();
        for (String k : keys) {
            if (k.endsWith("." + name) || name.endsWith("." + k) || k.endsWith(name)) close.add(k);
            if (close.size() == 3) break;
        }
        if (!close.isEmpty()) return "; did you mean " + close + "?";
        List<String> first = new ArrayList<>();
        for (String k : keys) {
            first.add(k);
            if (first.size() == 5) break;
        }
        return "; the file has " + keys.size() + " tensors" + (first.isEmpty() ? "" : ", e.g. " + first);
    }
}
