package org.convinit.io;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.convinit.nn.LoadReport;
import org.convinit.nn.Module;
import org.convinit.tensor.Tensor;

/**
 * Key mapping for state dicts and loading a checkpoint file into a module.
 *
 * <pre>{@code
 * // a DataParallel checkpoint {'epoch': 3, 'state_dict': {'module.conv1.weight': ...}} into a plain model
 * LoadReport r = StateDicts.load(model, path, StateDicts.Options.DEFAULT.select("state_dict").stripPrefix("module."));
 * }</pre>
 *
 * <p>All helpers return new maps in the input's order and never change tensors. The module's
 * {@link Module#loadStateDict(Map, boolean)} computes the full report (missing, unexpected, shape
 * mismatches with both shapes, dtype conversions) before changing anything; in strict mode any
 * problem leaves the module unchanged.
 */
public final class StateDicts {
    private StateDicts() {}

    /**
     * The entries under {@code key} with {@code key + "."} removed, as {@code sd[key]} in Python
     * (e.g. {@code "state_dict"} or {@code "model"} of a training checkpoint).
     */
    public static <V> LinkedHashMap<String, V> select(Map<String, V> flat, String key) {
        String p = key + ".";
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : flat.entrySet()) {
            if (e.getKey().startsWith(p)) out.put(e.getKey().substring(p.length()), e.getValue());
        }
        if (out.isEmpty()) {
            throw new IllegalArgumentException("sub-dict '" + key + "': no key starts with '" + p + "'; the keys are "
                    + summarize(flat.keySet()));
        }
        return out;
    }

    /**
     * Removes {@code prefix} from every key that starts with it (others are kept), as torch's
     * {@code consume_prefix_in_state_dict_if_present} does, e.g. for {@code "module."}.
     */
    public static <V> LinkedHashMap<String, V> stripPrefix(Map<String, V> sd, String prefix) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : sd.entrySet()) {
            String k = e.getKey().startsWith(prefix) ? e.getKey().substring(prefix.length()) : e.getKey();
            putUnique(out, k, e.getValue(), e.getKey());
        }
        return out;
    }

    /** Prepends {@code prefix} to every key. */
    public static <V> LinkedHashMap<String, V> addPrefix(Map<String, V> sd, String prefix) {
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : sd.entrySet()) out.put(prefix + e.getKey(), e.getValue());
        return out;
    }

    /**
     * Renames keys matching the regular expression {@code pattern} (anywhere in the key) with
     * {@code replacement} ({@code $1} groups allowed), e.g. {@code ("^features\\.(\\d+)", "layer$1")}.
     */
    public static <V> LinkedHashMap<String, V> rename(Map<String, V> sd, String pattern, String replacement) {
        Pattern p = Pattern.compile(pattern);
        LinkedHashMap<String, V> out = new LinkedHashMap<>();
        for (Map.Entry<String, V> e : sd.entrySet()) {
            Matcher m = p.matcher(e.getKey());
            putUnique(out, m.find() ? m.replaceAll(replacement) : e.getKey(), e.getValue(), e.getKey());
        }
        return out;
    }

    private static <V> void putUnique(LinkedHashMap<String, V> out, String k, V v, String from) {
        if (out.containsKey(k)) {
            throw new IllegalArgumentException("key mapping sends '" + from + "' to '" + k + "', which another key already maps to");
        }
        out.put(k, v);
    }

    private static String summarize(Iterable<String> keys) {
        List<String> l = new ArrayList<>();
        int n = 0;
        for (String k : keys) {
            if (l.size() < 8) l.add(k);
            n++;
        }
        return l + (n > l.size() ? " (" + n + " in all)" : "");
    }

    /** One rename: a regular expression and its replacement ({@code $1} groups allowed). */
    public record Rename(String pattern, String replacement) {}

    /**
     * How to turn a checkpoint into a module's state dict: an optional sub-dict to select, prefixes to
     * strip then add, renames (pattern, replacement) applied in order, and strictness.
     */
    public record Options(String select, String stripPrefix, String addPrefix, List<Rename> renames, boolean strict) {
        public static final Options DEFAULT = new Options(null, null, null, List.of(), true);

        public Options {
            renames = List.copyOf(renames);
        }

        public Options select(String key) { return new Options(key, stripPrefix, addPrefix, renames, strict); }
        public Options stripPrefix(String p) { return new Options(select, p, addPrefix, renames, strict); }
        public Options addPrefix(String p) { return new Options(select, stripPrefix, p, renames, strict); }
        public Options strict(boolean s) { return new Options(select, stripPrefix, addPrefix, renames, s); }

        public Options rename(String pattern, String replacement) {
            Pattern.compile(pattern);
            List<Rename> r = new ArrayList<>(renames);
            r.add(new Rename(pattern, replacement));
            return new Options(select, stripPrefix, addPrefix, r, strict);
        }

        /** Applies the mapping to a flattened checkpoint (or to anything keyed by flattened names). */
        public <V> LinkedHashMap<String, V> apply(Map<String, V> flat) {
            LinkedHashMap<String, V> sd = new LinkedHashMap<>(flat);
            if (select != null) sd = StateDicts.select(sd, select);
            if (stripPrefix != null) sd = StateDicts.stripPrefix(sd, stripPrefix);
            if (addPrefix != null) sd = StateDicts.addPrefix(sd, addPrefix);
            for (Rename r : renames) sd = StateDicts.rename(sd, r.pattern(), r.replacement());
            return sd;
        }
    }

    /**
     * Reads a checkpoint, maps its keys with {@code options} and loads it into {@code module}
     * ({@link Module#loadStateDict(Map, boolean)}), returning the report. In strict mode a missing or
     * unexpected key, and in any mode a shape mismatch, throws {@link org.convinit.nn.StateDictException}
     * carrying the full report, and the module is unchanged.
     */
    public static LoadReport load(Module module, Path path, Options options) throws CheckpointException {
        Mapped m = readMapped(path, options);
        return module.loadStateDict(m.stateDict, m.versions, options.strict());
    }

    /** What {@link #load} would do, without changing the module. */
    public static LoadReport check(Module module, Path path, Options options) throws CheckpointException {
        Mapped m = readMapped(path, options);
        return module.checkStateDict(m.stateDict, m.versions);
    }

    /**
     * The state dict a checkpoint holds after key mapping. Names are mapped first and only the
     * selected tensors are read (an optimizer's state next to the weights costs nothing).
     */
    public static LinkedHashMap<String, Tensor> read(Path path, Options options) throws CheckpointException {
        return readMapped(path, options).stateDict;
    }

    private record Mapped(LinkedHashMap<String, Tensor> stateDict, Map<String, Integer> versions) {}

    /**
     * The state dict and its {@code _metadata} versions, both through the key mapping: a module prefix
     * {@code p} is mapped as the key {@code p._metadata} would be (versions whose key the mapping drops
     * or renames away are dropped).
     */
    private static Mapped readMapped(Path path, Options options) throws CheckpointException {
        try (CheckpointReader r = Checkpoints.open(path)) {
            LinkedHashMap<String, String> names = new LinkedHashMap<>();
            for (String k : r.keys()) names.put(k, k);
            LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : options.apply(names).entrySet()) sd.put(e.getKey(), r.tensor(e.getValue()));
            LinkedHashMap<String, Integer> pseudo = new LinkedHashMap<>();
            r.versions().forEach((p, v) -> pseudo.put(p.isEmpty() ? METADATA : p + "." + METADATA, v));
            LinkedHashMap<String, Integer> versions = new LinkedHashMap<>();
            if (!pseudo.isEmpty()) {
                Map<String, Integer> mapped;
                try {
                    mapped = options.apply(pseudo);
                } catch (IllegalArgumentException e) { // a selected sub-dict without versions of its own
                    mapped = Map.of();
                }
                mapped.forEach((k, v) -> {
                    if (k.equals(METADATA)) versions.put("", v);
                    else if (k.endsWith("." + METADATA)) versions.put(k.substring(0, k.length() - METADATA.length() - 1), v);
                });
            }
            return new Mapped(sd, versions);
        }
    }

    private static final String METADATA = "_metadata";
}
