package org.convinit.io.internal.pickle;

import java.math.BigInteger;
import java.nio.BufferUnderflowException;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.HashMap;
import java.util.IdentityHashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointException.Reason;

/**
 * A restricted unpickler for torch checkpoints, safe by construction: an iterative stack machine
 * over an explicit opcode switch (protocol 2, plus protocol 4's FRAME, MEMOIZE, SHORT_BINUNICODE
 * and STACK_GLOBAL), with GLOBAL resolved through a fixed allow-list of data constructors (see
 * {@link TorchGlobals}). Nothing is ever loaded, reflected or executed.
 *
 * <p>Every length is checked against the bytes that remain before anything is allocated; the memo,
 * the number of objects, MARK depth, integer width and the nesting depth of the result are capped
 * ({@link Limits}). SETITEM(S) only apply to dicts and APPEND(S) only to lists (the CVE-2026-24747
 * lessons). A global outside the allow-list does not stop parsing at once: every such global is
 * collected and the pickle is refused with all of them named.
 *
 * <p>Values: {@code Long} (or {@code BigInteger} beyond 64 bits), {@code Double}, {@code String},
 * {@code Boolean}, {@code null}, lists as {@code ArrayList}, tuples as unmodifiable {@code List}s,
 * dicts and OrderedDicts as {@code LinkedHashMap}, tensors as {@link TensorRef}.
 */
public final class PickleReader {
    /** Safety caps; all configurable. */
    public record Limits(long maxObjects, int maxMemo, int maxDepth, int maxLongBytes, int maxRank, long maxOpcodes) {
        public static final Limits DEFAULT = new Limits(5_000_000, 1_000_000, 1000, 1024, 64, 100_000_000);
    }

    /** Resolves a persistent id (BINPERSID) into a value, typically a {@link StorageRef}. */
    public interface PersistentLoader {
        Object load(List<Object> pid) throws CheckpointException;
    }

    /** Stands for a value built from a refused global; never escapes a successful load. */
    private record Poison(String global) {}

    private static final Object MARK_SENTINEL = new Object();

    private final ByteBuffer in;
    private final PersistentLoader loader;
    private final Limits limits;
    private final String where;
    private final ArrayList<Object> stack = new ArrayList<>();
    private int[] marks = new int[16];
    private int markTop;
    private final HashMap<Long, Object> memo = new HashMap<>();
    private final Set<String> refused = new LinkedHashSet<>();
    private long objects;

    private PickleReader(ByteBuffer in, PersistentLoader loader, Limits limits, String where) {
        this.in = in.order(ByteOrder.LITTLE_ENDIAN);
        this.loader = loader;
        this.limits = limits;
        this.where = where;
    }

    /**
     * Reads one pickle from {@code in}'s position up to and including its STOP, leaving the buffer
     * positioned just after STOP (legacy checkpoints concatenate pickles).
     */
    public static Object load(ByteBuffer in, PersistentLoader loader, Limits limits, String where) throws CheckpointException {
        PickleReader r = new PickleReader(in, loader, limits, where);
        Object result;
        try {
            result = r.run();
        } catch (CheckpointException e) {
            if (!r.refused.isEmpty()) throw r.unsafe();
            throw e;
        } catch (BufferUnderflowException | IndexOutOfBoundsException e) {
            if (!r.refused.isEmpty()) throw r.unsafe();
            throw new CheckpointException(Reason.TRUNCATED, where + ": pickle ends early");
        }
        if (!r.refused.isEmpty()) throw r.unsafe();
        checkGraph(result, limits, where);
        return result;
    }

    private CheckpointException unsafe() {
        boolean module = refused.stream().anyMatch(g -> g.startsWith("torch.nn.") || g.startsWith("__main__.") || g.startsWith("__torch__."));
        return new CheckpointException(Reason.UNSAFE, where + ": pickle references globals outside the allow-list: "
                + String.join(", ", refused) + " (only tensors, storages and plain containers are loaded; nothing is executed)"
                + (module ? ". This looks like a pickled nn.Module: in Python, save model.state_dict() instead" : ""));
    }

    private CheckpointException malformed(String msg) {
        return new CheckpointException(Reason.MALFORMED_HEADER, where + ": " + msg);
    }

    private void count() throws CheckpointException {
        if (++objects > limits.maxObjects()) {
            throw new CheckpointException(Reason.TOO_LARGE, where + ": pickle creates more than " + limits.maxObjects() + " objects");
        }
    }

    private void push(Object o) throws CheckpointException {
        count();
        stack.add(o);
    }

    private Object pop() throws CheckpointException {
        int floor = markTop > 0 ? marks[markTop - 1] : 0;
        if (stack.size() <= floor) throw malformed("pickle stack underflow");
        return stack.remove(stack.size() - 1);
    }

    private Object top() throws CheckpointException {
        int floor = markTop > 0 ? marks[markTop - 1] : 0;
        if (stack.size() <= floor) throw malformed("pickle stack underflow");
        return stack.get(stack.size() - 1);
    }

    /** Pops everything above the last MARK, and the MARK. */
    private List<Object> popMark() throws CheckpointException {
        if (markTop == 0) throw malformed("pickle has no MARK to pop to");
        int m = marks[--markTop];
        List<Object> sub = stack.subList(m, stack.size());
        List<Object> items = new ArrayList<>(sub);
        sub.clear();
        return items;
    }

    private int need(long n) throws CheckpointException {
        if (n < 0 || n > in.remaining()) {
            throw new CheckpointException(Reason.TRUNCATED, where + ": pickle declares " + Long.toUnsignedString(n)
                    + " bytes but only " + in.remaining() + " remain");
        }
        return (int) n;
    }

    private String utf8(int n) throws CheckpointException {
        need(n);
        ByteBuffer b = in.slice();
        b.limit(n);
        in.position(in.position() + n);
        try {
            return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT).decode(b).toString();
        } catch (CharacterCodingException e) {
            throw malformed("pickle string is not valid UTF-8");
        }
    }

    private String latin1(int n) throws CheckpointException {
        need(n);
        byte[] b = new byte[n];
        in.get(b);
        return new String(b, StandardCharsets.ISO_8859_1);
    }

    private String line() throws CheckpointException {
        int start = in.position();
        int max = Math.min(in.limit(), start + 256);
        for (int i = start; i < max; i++) {
            if (in.get(i) == '\n') {
                String s = utf8(i - start);
                in.get();
                return s;
            }
        }
        if (max == in.limit()) throw new CheckpointException(Reason.TRUNCATED, where + ": pickle ends inside a GLOBAL name");
        throw malformed("pickle GLOBAL name longer than 255 bytes");
    }

    private Object longValue(int n) throws CheckpointException {
        if (n > limits.maxLongBytes()) throw new CheckpointException(Reason.TOO_LARGE, where + ": pickle integer of " + n + " bytes");
        need(n);
        if (n == 0) return 0L;
        byte[] le = new byte[n];
        in.get(le);
        byte[] be = new byte[n];
        for (int i = 0; i < n; i++) be[i] = le[n - 1 - i];
        BigInteger v = new BigInteger(be);
        return v.bitLength() < 64 ? (Object) v.longValue() : v;
    }

    private void memoPut(long index) throws CheckpointException {
        Object v = top();
        if (!memo.containsKey(index) && memo.size() >= limits.maxMemo()) {
            throw new CheckpointException(Reason.TOO_LARGE, where + ": pickle memo exceeds " + limits.maxMemo() + " entries");
        }
        memo.put(index, v);
    }

    private void memoGet(long index) throws CheckpointException {
        if (!memo.containsKey(index)) throw malformed("pickle reads memo entry " + index + " that was never stored");
        Object v = memo.get(index);
        stack.add(v);
        count();
    }

    private Object run() throws CheckpointException {
        long ops = 0;
        while (true) {
            if (++ops > limits.maxOpcodes()) throw new CheckpointException(Reason.TOO_LARGE, where + ": pickle has more than " + limits.maxOpcodes() + " opcodes");
            if (!in.hasRemaining()) throw new CheckpointException(Reason.TRUNCATED, where + ": pickle ends before STOP");
            int op = in.get() & 0xFF;
            switch (op) {
                case 0x80: { // PROTO
                    int v = in.get() & 0xFF;
                    if (v > 5) throw malformed("unsupported pickle protocol " + v);
                    break;
                }
                case 0x95: { // FRAME
                    long n = in.getLong();
                    need(n);
                    break;
                }
                case '.': { // STOP
                    Object v = pop();
                    if (!stack.isEmpty() || markTop != 0) {
                        if (refused.isEmpty()) throw malformed("pickle leaves " + stack.size() + " values on the stack at STOP");
                    }
                    return v;
                }
                case '(': // MARK
                    if (markTop >= limits.maxDepth()) throw new CheckpointException(Reason.TOO_LARGE, where + ": pickle MARK depth exceeds " + limits.maxDepth());
                    if (markTop == marks.length) marks = Arrays.copyOf(marks, marks.length * 2);
                    marks[markTop++] = stack.size();
                    break;
                case 'N': push(null); break;
                case 0x88: push(Boolean.TRUE); break;
                case 0x89: push(Boolean.FALSE); break;
                case 'K': push((long) (in.get() & 0xFF)); break;
                case 'M': push((long) (in.getShort() & 0xFFFF)); break;
                case 'J': push((long) in.getInt()); break;
                case 0x8a: push(longValue(in.get() & 0xFF)); break;
                case 0x8b: { // LONG4
                    int n = in.getInt();
                    if (n < 0) throw malformed("negative LONG4 length");
                    push(longValue(n));
                    break;
                }
                case 'G': push(Double.longBitsToDouble(in.order(ByteOrder.BIG_ENDIAN).getLong())); in.order(ByteOrder.LITTLE_ENDIAN); break;
                case 'X': push(utf8(need(in.getInt() & 0xFFFFFFFFL))); break;
                case 0x8c: push(utf8(in.get() & 0xFF)); break;
                case 0x8d: push(utf8(need(in.getLong()))); break;
                case 'U': push(latin1(in.get() & 0xFF)); break;
                case 'T': {
                    int n = in.getInt();
                    if (n < 0) throw malformed("negative BINSTRING length");
                    push(latin1(n));
                    break;
                }
                case ')': push(tuple(List.of())); break;
                case 't': push(tuple(popMark())); break;
                case 0x85: { Object a = pop(); push(tuple(Collections.singletonList(a))); break; }
                case 0x86: { Object b = pop(); Object a = pop(); push(tuple(Arrays.asList(a, b))); break; }
                case 0x87: { Object c = pop(); Object b = pop(); Object a = pop(); push(tuple(Arrays.asList(a, b, c))); break; }
                case ']': push(new ArrayList<>()); break;
                case '}': push(new LinkedHashMap<>()); break;
                case 'a': { // APPEND
                    Object v = pop();
                    appendTo(top(), List.of(v == null ? NULL_ITEM : v));
                    break;
                }
                case 'e': { // APPENDS
                    List<Object> items = popMark();
                    appendTo(top(), items);
                    break;
                }
                case 's': { // SETITEM
                    Object v = pop();
                    Object k = pop();
                    setItems(top(), Arrays.asList(k, v));
                    break;
                }
                case 'u': { // SETITEMS
                    List<Object> items = popMark();
                    setItems(top(), items);
                    break;
                }
                case 'q': memoPut(in.get() & 0xFF); break;
                case 'r': memoPut(in.getInt() & 0xFFFFFFFFL); break;
                case 0x94: memoPut(memo.size()); break;
                case 'h': memoGet(in.get() & 0xFF); break;
                case 'j': memoGet(in.getInt() & 0xFFFFFFFFL); break;
                case 'c': { // GLOBAL
                    String module = line();
                    String name = line();
                    push(global(module, name));
                    break;
                }
                case 0x93: { // STACK_GLOBAL
                    Object name = pop();
                    Object module = pop();
                    if (!(module instanceof String) || !(name instanceof String)) throw malformed("STACK_GLOBAL needs two strings");
                    push(global((String) module, (String) name));
                    break;
                }
                case 'Q': { // BINPERSID
                    Object pid = pop();
                    if (!(pid instanceof List) || pid instanceof ArrayList) throw malformed("persistent id must be a tuple, got " + typeName(pid));
                    @SuppressWarnings("unchecked")
                    List<Object> t = (List<Object>) pid;
                    Object p = firstPoison(t);
                    push(p != null ? p : loader.load(t));
                    break;
                }
                case 'R': { // REDUCE
                    Object args = pop();
                    Object fn = pop();
                    push(reduce(fn, args));
                    break;
                }
                case 'b': { // BUILD
                    Object state = pop();
                    Object obj = top();
                    build(obj, state);
                    break;
                }
                case 0x81: { // NEWOBJ
                    Object args = pop();
                    Object cls = pop();
                    if (cls instanceof Poison) { push(cls); break; }
                    throw new CheckpointException(Reason.UNSAFE, where + ": pickle constructs an object with NEWOBJ (" + typeName(cls)
                            + "); only tensors, storages and plain containers are loaded");
                }
                default:
                    throw new CheckpointException(Reason.UNSAFE, where + ": pickle opcode 0x" + Integer.toHexString(op)
                            + (op >= 0x20 && op < 0x7f ? " ('" + (char) op + "')" : "") + " at byte " + (in.position() - 1)
                            + " is not allowed in a checkpoint");
            }
        }
    }

    private static final Object NULL_ITEM = new Object();

    private static List<Object> tuple(List<Object> items) {
        return Collections.unmodifiableList(new ArrayList<>(items));
    }

    private static Object firstPoison(List<?> items) {
        for (Object o : items) if (o instanceof Poison) return o;
        return null;
    }

    static String typeName(Object o) {
        if (o == null) return "None";
        if (o instanceof ArrayList) return "list";
        if (o instanceof List) return "tuple";
        if (o instanceof Map) return "dict";
        if (o instanceof String) return "str";
        if (o instanceof Long || o instanceof BigInteger) return "int";
        if (o instanceof Double) return "float";
        if (o instanceof Boolean) return "bool";
        if (o instanceof TensorRef) return "Tensor";
        if (o instanceof StorageRef) return "Storage";
        if (o instanceof TorchGlobals.Global) return ((TorchGlobals.Global) o).qualifiedName();
        if (o instanceof Poison) return ((Poison) o).global();
        return o.getClass().getSimpleName();
    }

    @SuppressWarnings("unchecked")
    private void appendTo(Object target, List<Object> items) throws CheckpointException {
        if (target instanceof Poison) return;
        if (!(target instanceof ArrayList)) throw new CheckpointException(Reason.UNSAFE, where + ": APPEND on a " + typeName(target) + " (only lists accept APPEND)");
        ArrayList<Object> list = (ArrayList<Object>) target;
        for (Object o : items) list.add(o == NULL_ITEM ? null : o);
    }

    @SuppressWarnings("unchecked")
    private void setItems(Object target, List<Object> items) throws CheckpointException {
        if (target instanceof Poison) return;
        if (!(target instanceof LinkedHashMap)) throw new CheckpointException(Reason.UNSAFE, where + ": SETITEM on a " + typeName(target) + " (only dicts accept SETITEM)");
        if (items.size() % 2 != 0) throw malformed("SETITEMS with an odd number of items");
        Map<Object, Object> m = (Map<Object, Object>) target;
        for (int i = 0; i < items.size(); i += 2) {
            Object k = items.get(i);
            if (k instanceof Poison || items.get(i + 1) instanceof Poison) continue;
            checkKey(k);
            m.put(k, items.get(i + 1));
        }
    }

    private void checkKey(Object k) throws CheckpointException {
        if (k == null || k instanceof String || k instanceof Long || k instanceof BigInteger || k instanceof Boolean || k instanceof Double) return;
        if (k instanceof List && !(k instanceof ArrayList)) {
            for (Object o : (List<?>) k) {
                if (!(o == null || o instanceof String || o instanceof Long || o instanceof BigInteger || o instanceof Boolean || o instanceof Double)) {
                    throw malformed("dict key tuple holds a " + typeName(o) + " (only tuples of scalars are accepted as keys)");
                }
            }
            return;
        }
        throw malformed("dict key of type " + typeName(k) + " (only strings, numbers and tuples of them are accepted)");
    }

    private Object global(String module, String name) throws CheckpointException {
        Object g = TorchGlobals.resolve(module, name);
        if (g != null) return g;
        String q = module + "." + name;
        if (refused.size() < 100) refused.add(q);
        return new Poison(q);
    }

    private Object reduce(Object fn, Object args) throws CheckpointException {
        if (fn instanceof Poison) return fn;
        if (args instanceof Poison) return args;
        if (!(args instanceof List) || args instanceof ArrayList) throw malformed("REDUCE arguments must be a tuple, got " + typeName(args));
        @SuppressWarnings("unchecked")
        List<Object> a = (List<Object>) args;
        Object p = firstPoison(a);
        if (p != null) return p;
        if (!(fn instanceof TorchGlobals.Callable)) {
            throw new CheckpointException(Reason.UNSAFE, where + ": REDUCE calls " + typeName(fn) + ", which is not a callable constructor");
        }
        return TorchGlobals.call((TorchGlobals.Callable) fn, a, limits, where);
    }

    private void build(Object obj, Object state) throws CheckpointException {
        if (obj instanceof Poison || state instanceof Poison) return;
        if (obj instanceof LinkedHashMap || obj instanceof TensorRef) {
            // OrderedDict attribute state (_metadata) or a tensor's Python attributes: kept out of the data, as
            // torch 1.13 drops tensor attributes; the state must still be plain data.
            if (obj instanceof PyOrderedDict && state instanceof Map) ((PyOrderedDict) obj).attributes((Map<?, ?>) state);
            if (state == null || state instanceof Map || (state instanceof List && !(state instanceof ArrayList))) return;
            throw malformed("BUILD state of type " + typeName(state) + " for a " + typeName(obj));
        }
        throw new CheckpointException(Reason.UNSAFE, where + ": BUILD on a " + typeName(obj) + " (only OrderedDict and tensor state is accepted)");
    }

    /**
     * Rejects cycles (a list appended to itself through the memo) and nesting deeper than the cap,
     * iteratively, counting distinct nodes: the result is then safe for recursive consumers.
     */
    private static void checkGraph(Object root, Limits limits, String where) throws CheckpointException {
        IdentityHashMap<Object, Integer> depth = new IdentityHashMap<>();
        IdentityHashMap<Object, Boolean> onPath = new IdentityHashMap<>();
        ArrayList<Object> nodes = new ArrayList<>();
        ArrayList<java.util.Iterator<?>> iters = new ArrayList<>();
        if (!isContainer(root)) return;
        nodes.add(root);
        iters.add(children(root));
        onPath.put(root, true);
        while (!nodes.isEmpty()) {
            int top = nodes.size() - 1;
            if (nodes.size() > limits.maxDepth()) {
                throw new CheckpointException(Reason.TOO_LARGE, where + ": containers nested deeper than " + limits.maxDepth());
            }
            java.util.Iterator<?> it = iters.get(top);
            if (it.hasNext()) {
                Object c = it.next();
                if (!isContainer(c) || depth.containsKey(c)) {
                    continue;
                }
                if (onPath.containsKey(c)) throw new CheckpointException(Reason.MALFORMED_HEADER, where + ": pickle contains a container that holds itself");
                onPath.put(c, true);
                nodes.add(c);
                iters.add(children(c));
            } else {
                Object n = nodes.remove(top);
                iters.remove(top);
                onPath.remove(n);
                depth.put(n, 0);
            }
        }
    }

    private static boolean isContainer(Object o) {
        return o instanceof List || o instanceof Map;
    }

    private static java.util.Iterator<?> children(Object o) {
        if (o instanceof Map) return ((Map<?, ?>) o).values().iterator();
        return ((List<?>) o).iterator();
    }
}
