package org.convinit.cli;

import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import org.convinit.io.CheckpointException;
import org.convinit.io.CheckpointReader;
import org.convinit.io.Checkpoints;
import org.convinit.nn.LoadReport;
import org.convinit.nn.Module;
import org.convinit.nn.StateDictException;
import org.convinit.tensor.Tensor;
import picocli.CommandLine.Option;

/**
 * How a command loads {@code --weights} into its model: the key mapping of {@link WeightKeys} and
 * {@code --non-strict} ({@code load_state_dict(strict=False)}: missing and unexpected keys are printed on
 * stderr as torch prints the returned {@code _IncompatibleKeys(...)}; a shape mismatch still fails).
 *
 * <p>A strict load that fails on names is one line with torch's message and, when one top-level
 * name of the file explains it, the option to add: {@code (the file's keys start with 'module.': try
 * --strip-prefix module.)} or {@code (the file holds the model's keys under 'state_dict': try --select
 * state_dict)}.
 */
final class WeightsOptions extends WeightKeys {
    @Option(names = "--non-strict",
            description = "Load as load_state_dict(strict=False): missing/unexpected keys are reported on stderr, not refused "
                    + "(a shape mismatch still fails).")
    boolean nonStrict;

    /** A mapping or strictness option given without {@code --weights} is a usage mistake. */
    void requireWeights(Path weights) {
        requireWeights(weights != null);
    }

    /** {@link #requireWeights(Path)} for a command that may read several files ({@code given}: at least one). */
    void requireWeights(boolean given) {
        if (!given && (!isIdentity() || nonStrict)) {
            throw new Main.UsageException("--select, --strip-prefix and --non-strict apply to --weights, which is not given", null);
        }
    }

    /**
     * Reads {@code file} with the key mapping and loads it into {@code m}; only the mapped tensors are
     * read. Returns the report (printed on {@code err} when keys were missing or unexpected).
     */
    LoadReport load(Module m, Path file, PrintWriter err) throws CheckpointException {
        return load(m, read(file), file, "--weights " + file, err);
    }

    /**
     * Loads {@code sd}, tensors {@link #read} from {@code file}, into {@code m}; errors begin with {@code what} (e.g.
     * {@code --weights FILE}); the report is printed on {@code err} (when not null) if keys were missing or unexpected.
     * The tensors are only read, so one map serves many models.
     */
    LoadReport load(Module m, Map<String, Tensor> sd, Path file, String what, PrintWriter err) {
        try {
            LoadReport r = m.loadStateDict(sd, !nonStrict);
            if (err != null && (!r.missing().isEmpty() || !r.unexpected().isEmpty())) {
                err.println(r);
                err.flush();
            }
            return r;
        } catch (StateDictException e) {
            String hint = e.report().shapeMismatches().isEmpty() ? hint(sd.keySet(), m.stateDict().keySet(), dictNames(file)) : "";
            throw new IllegalStateException(what + " does not fit the model: "
                    + e.getMessage().replace("\n\t", " ").replace('\n', ' ') + hint, e);
        }
    }

    /** The tensors of {@code file} under their mapped names ({@link WeightKeys}); only those are read. */
    LinkedHashMap<String, Tensor> read(Path file) throws CheckpointException {
        try (CheckpointReader r = Checkpoints.open(file)) {
            LinkedHashMap<String, String> names = new LinkedHashMap<>();
            for (String k : r.keys()) names.put(k, k);
            LinkedHashMap<String, Tensor> sd = new LinkedHashMap<>();
            for (Map.Entry<String, String> e : apply(names, "--weights " + file).entrySet()) sd.put(e.getKey(), r.tensor(e.getValue()));
            return sd;
        }
    }

    /**
     * The option that would make more of the model's keys match, when one top-level name of the file
     * explains the mismatch (one more level is followed: {@code state_dict} then {@code module.}); else "".
     * A name that is a dict in the file ({@code dicts}, flattened), or that holds every model key while other
     * keys lie elsewhere (a flat file saved from a nested checkpoint), is selected; a prefix all keys share is stripped.
     */
    String hint(Set<String> fileKeys, Set<String> modelKeys, Set<String> dicts) {
        String selectStep = null;
        String stripStep = null;
        String what = null;
        Set<String> keys = fileKeys;
        String path = select == null ? "" : select + ".";
        for (int level = 0; level < 2; level++) {
            String best = null;
            int bestScore = overlap(keys, modelKeys);
            for (String c : firstNames(keys)) {
                int s = reach(under(keys, c), modelKeys);
                if (s > bestScore) {
                    best = c;
                    bestScore = s;
                }
            }
            if (best == null) break;
            Set<String> sub = under(keys, best);
            boolean all = sub.size() == keys.size();
            boolean dict = dicts.contains(path + best) || (!all && reach(sub, modelKeys) == modelKeys.size()); // flat files: by names
            if (dict && stripPrefix == null && stripStep == null) {
                selectStep = path + best;
                what = "the file holds the model's keys under '" + selectStep + "'";
            } else if (all && stripPrefix == null && stripStep == null) {
                stripStep = best + ".";
                what = what == null ? "the file's keys start with '" + stripStep + "'" : what + ", whose keys start with '" + stripStep + "'";
            } else {
                break;
            }
            keys = sub;
            path = path + best + ".";
            if (overlap(keys, modelKeys) == modelKeys.size()) break;
        }
        if (what == null) return "";
        String steps = (selectStep == null ? "" : "--select " + selectStep + (stripStep == null ? "" : " "))
                + (stripStep == null ? "" : "--strip-prefix " + stripStep);
        return " (" + what + ": try " + steps + ")";
    }

    /** The flattened names of the dicts a checkpoint holds (pickled checkpoints only; read on the error path). */
    static Set<String> dictNames(Path file) {
        Set<String> out = new LinkedHashSet<>();
        try {
            collectDicts(Checkpoints.read(file), "", out);
        } catch (CheckpointException | RuntimeException | OutOfMemoryError e) {
            // only the wording of a hint is lost: names alone still give one
        }
        return out;
    }

    private static void collectDicts(Object node, String prefix, Set<String> out) {
        if (node instanceof Map<?, ?> m) {
            if (!prefix.isEmpty()) out.add(prefix.substring(0, prefix.length() - 1));
            for (Map.Entry<?, ?> e : m.entrySet()) collectDicts(e.getValue(), prefix + e.getKey() + ".", out);
        } else if (node instanceof List<?> l) {
            for (int i = 0; i < l.size(); i++) collectDicts(l.get(i), prefix + i + ".", out);
        }
    }

    private static Set<String> firstNames(Set<String> keys) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) if (k.indexOf('.') > 0) out.add(k.substring(0, k.indexOf('.')));
        return out;
    }

    private static Set<String> under(Set<String> keys, String name) {
        Set<String> out = new LinkedHashSet<>();
        for (String k : keys) if (k.startsWith(name + ".")) out.add(k.substring(name.length() + 1));
        return out;
    }

    /** The most model keys {@code keys} match as they are or under one of their first names. */
    private static int reach(Set<String> keys, Set<String> modelKeys) {
        int best = overlap(keys, modelKeys);
        for (String c : firstNames(keys)) best = Math.max(best, overlap(under(keys, c), modelKeys));
        return best;
    }

    private static int overlap(Set<String> keys, Set<String> modelKeys) {
        int n = 0;
        for (String k : keys) if (modelKeys.contains(k)) n++;
        return n;
    }
}
