package org.convinit.cli;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import java.util.regex.Pattern;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.autograd.GradMode;
import org.convinit.init.InitCall;
import org.convinit.lab.diagnose.DiagnoseBatch;
import org.convinit.lab.study.Scheme;
import org.convinit.nn.init.Lsuv;
import org.convinit.nn.Module;
import org.convinit.tensor.Tensor;

/**
 * Per-parameter init rules and custom values, from {@code --init 'GLOB=FN'} (repeatable), {@code --set} (repeatable,
 * {@link ParamSet}) and {@code --init-plan plan.json}. A bare {@code --init FN} (no {@code GLOB=}) keeps its meaning
 * and is applied by {@link ModelOptions} before the rules: {@code FN(m.weight)} for every conv and linear {@code m};
 * a bare {@code --init lsuv_(tol=0.1, max_iter=10, bias='zero')} runs {@link Lsuv} on the whole model instead, on the
 * batch the command supplies ({@link #lsuvBatch}), and records the batch and the per-layer report in the metadata.
 *
 * <p>Applied after construction, under no-grad, in this order — the order of the equivalent torch script:
 * <pre>
 * torch.manual_seed(seed); model = EXPR                       # construction defaults
 * [FN(m.weight) for conv/linear m]                            # a bare --init FN, if any (and --bias-init)
 * for k, p in model.state_dict().items():                    # the rules, in state-dict order
 *     for glob, fn in rules:
 *         if fnmatch.fnmatchcase(k, glob): fn(p); break       # first matching rule wins
 * for s in sets: apply(s)                                     # --set, in the order given
 * </pre>
 * Globs are Python's {@code fnmatch.fnmatchcase}: {@code *} matches any run of characters (dots included), {@code ?}
 * one character, {@code [seq]} / {@code [!seq]} a set. Integer buffers ({@code num_batches_tracked}) are never matched.
 * Rules from the command line come before the plan file's (so they win); the plan file's sets come before the command
 * line's (so those are applied last). A rule that takes no key, an unknown key, a shape mismatch or a bad file is an
 * {@link IllegalArgumentException} with one line (the commands exit 2 and write nothing).
 *
 * <p>The plan file ({@code convinit-init-plan/1}); relative file names are relative to the plan file:
 * <pre>
 * {"init": [{"pattern": "features.*.weight", "fn": "kaiming_normal_(mode='fan_out', nonlinearity='relu')"},
 *           {"pattern": "classifier.weight", "fn": "zeros_"}],
 *  "set":  [{"key": "features.0.weight", "file": "filters.npy"},
 *           {"key": "classifier.bias", "file": "pretrained.pth", "source_key": "fc.bias"},
 *           {"key": "features.0.weight", "index": [0, 0, 1, 1], "value": 1.0}]}
 * </pre>
 */
final class InitPlan {
    /** One {@code GLOB=FN} rule. */
    record Rule(String text, String pattern, InitFunctions.Call fn, Pattern regex) {}

    private static final ObjectMapper JSON = new ObjectMapper();

    final String everyWeight;
    /** A bare {@code --init lsuv_(...)}: LSUV on the whole model instead of a per-weight FN, or null. */
    final InitFunctions.Call lsuv;
    final List<Rule> rules;
    final List<ParamSet> sets;
    final Path planFile;
    /** Which keys each rule took in the last {@link #apply} (for the metadata). */
    private volatile Map<Rule, List<String>> taken = Map.of();

    private Supplier<DiagnoseBatch> lsuvBatch;
    private volatile DiagnoseBatch lsuvUsed;
    private volatile List<Lsuv.LayerReport> lsuvReport;

    private InitPlan(String everyWeight, InitFunctions.Call lsuv, List<Rule> rules, List<ParamSet> sets, Path planFile) {
        this.everyWeight = everyWeight;
        this.lsuv = lsuv;
        this.rules = List.copyOf(rules);
        this.sets = List.copyOf(sets);
        this.planFile = planFile;
    }

    /** Parses the options (nulls are empty); every expression is checked here, before any work. */
    static InitPlan parse(List<String> inits, List<String> setTexts, Path planFile) {
        String bare = null;
        List<Rule> rules = new ArrayList<>();
        for (String s : inits == null ? List.<String>of() : inits) {
            if (isRule(s)) {
                rules.add(rule(s));
            } else if (bare != null) {
                throw new IllegalArgumentException("--init '" + s + "': only one --init FN for every conv and linear weight "
                        + "(already '" + bare + "'); use GLOB=FN rules for more");
            } else {
                InitFunctions.parse(s);
                bare = s;
            }
        }
        InitFunctions.Call lsuv = bare == null ? null : InitFunctions.parse(bare);
        if (lsuv != null && !InitCall.MODEL_LEVEL.contains(lsuv.call().name())) lsuv = null;
        List<ParamSet> sets = new ArrayList<>();
        if (planFile != null) readPlan(planFile, rules, sets);
        for (String s : setTexts == null ? List.<String>of() : setTexts) sets.add(ParamSet.parse(s, null));
        return new InitPlan(lsuv == null ? bare : null, lsuv, rules, sets, planFile);
    }

    /** {@code GLOB=FN}: an '=' before any '(' (a bare call's keywords come after its parenthesis). */
    static boolean isRule(String s) {
        int eq = s.indexOf('=');
        int paren = s.indexOf('(');
        return eq > 0 && (paren < 0 || eq < paren);
    }

    private static Rule rule(String text) {
        int eq = text.indexOf('=');
        String pattern = text.substring(0, eq).strip();
        String fn = text.substring(eq + 1).strip();
        try {
            InitFunctions.Call call = InitFunctions.parse(fn);
            if (InitCall.MODEL_LEVEL.contains(call.call().name())) {
                throw new IllegalArgumentException(call.call().name() + " acts on the whole model and a batch: give it as a bare "
                        + "--init " + fn + ", not as a GLOB=FN rule");
            }
            return new Rule(text, pattern, call, glob(pattern));
        } catch (IllegalArgumentException e) {
            throw new IllegalArgumentException("--init '" + text + "': " + e.getMessage(), e);
        }
    }

    /** Python's {@code fnmatch.translate}, for {@code fnmatchcase}. */
    static Pattern glob(String g) {
        StringBuilder re = new StringBuilder();
        int n = g.length();
        for (int i = 0; i < n; i++) {
            char c = g.charAt(i);
            if (c == '*') re.append(".*");
            else if (c == '?') re.append('.');
            else if (c == '[') {
                int j = i + 1;
                if (j < n && g.charAt(j) == '!') j++;
                if (j < n && g.charAt(j) == ']') j++;
                while (j < n && g.charAt(j) != ']') j++;
                if (j >= n) {
                    re.append("\\[");
                } else {
                    String stuff = g.substring(i + 1, j).replace("\\", "\\\\").replace("[", "\\[");
                    if (stuff.startsWith("!")) stuff = "^" + stuff.substring(1);
                    else if (stuff.startsWith("^")) stuff = "\\" + stuff;
                    re.append('[').append(stuff).append(']');
                    i = j;
                }
            } else re.append(Pattern.quote(String.valueOf(c)));
        }
        return Pattern.compile(re.toString(), Pattern.DOTALL);
    }

    private static void readPlan(Path file, List<Rule> rules, List<ParamSet> sets) {
        JsonNode root;
        try {
            root = JSON.readTree(file.toFile());
        } catch (IOException e) {
            throw new IllegalArgumentException("--init-plan " + file + ": " + e.getMessage().split("\n")[0], e);
        }
        String where = "--init-plan " + file;
        fields(root, where, Set.of("init", "set"));
        Path base = file.toAbsolutePath().getParent();
        for (JsonNode r : array(root, "init", where)) {
            fields(r, where + ": init entry " + r, Set.of("pattern", "fn"));
            rules.add(rule(text(r, "pattern", where) + "=" + text(r, "fn", where)));
        }
        for (JsonNode s : array(root, "set", where)) {
            fields(s, where + ": set entry " + s, Set.of("key", "file", "source_key", "index", "value"));
            String key = text(s, "key", where);
            if (s.has("index") || s.has("value")) {
                if (!s.path("index").isArray() || !s.path("value").isNumber()) {
                    throw new IllegalArgumentException(where + ": set entry " + s + " needs an 'index' array and a numeric 'value'");
                }
                StringBuilder idx = new StringBuilder();
                for (JsonNode i : s.get("index")) idx.append(idx.length() == 0 ? "" : ",").append(i.asText());
                sets.add(ParamSet.parse(key + "[" + idx + "]=" + s.get("value").asText(), base));
            } else {
                String f = text(s, "file", where);
                sets.add(ParamSet.parse(key + "=" + f + (s.has("source_key") ? ":" + text(s, "source_key", where) : ""), base));
            }
        }
    }

    private static void fields(JsonNode n, String where, Set<String> allowed) {
        if (!n.isObject()) throw new IllegalArgumentException(where + ": expected a JSON object");
        for (Iterator<String> it = n.fieldNames(); it.hasNext();) {
            String f = it.next();
            if (!allowed.contains(f)) throw new IllegalArgumentException(where + ": unknown field '" + f + "'; expected " + new java.util.TreeSet<>(allowed));
        }
    }

    private static Iterable<JsonNode> array(JsonNode root, String field, String where) {
        JsonNode a = root.path(field);
        if (a.isMissingNode()) return List.of();
        if (!a.isArray()) throw new IllegalArgumentException(where + ": '" + field + "' must be an array");
        return a;
    }

    private static String text(JsonNode n, String field, String where) {
        if (!n.path(field).isTextual()) throw new IllegalArgumentException(where + ": entry " + n + " needs a string '" + field + "'");
        return n.get(field).asText();
    }

    /** Whether there is anything beyond a bare per-weight FN. */
    boolean hasRules() {
        return lsuv != null || !rules.isEmpty() || !sets.isEmpty() || planFile != null;
    }

    /**
     * Where a bare {@code --init lsuv_} takes its batch from (the command's {@code --data} or the built-in subset, its
     * first {@code --batch-size} training images in file order, scaled to [0, 1]); read only when LSUV runs.
     */
    InitPlan lsuvBatch(Supplier<DiagnoseBatch> batch) {
        DiagnoseBatch[] once = new DiagnoseBatch[1];
        this.lsuvBatch = () -> {
            synchronized (once) { // read once, shared by a study's cells
                if (once[0] == null) once[0] = batch.get();
                return once[0];
            }
        };
        return this;
    }

    /**
     * LSUV on {@code m} if the plan has a bare {@code lsuv_(tol, max_iter, bias)} ({@link Lsuv}), with the default
     * generator (so after {@code manual_seed(N)} and construction, as the rest).
     */
    void applyLsuv(Module m) {
        if (lsuv == null) return;
        if (lsuvBatch == null) throw new IllegalArgumentException("--init " + lsuv.text() + " needs a batch (--data DIR)");
        Map<String, Object> a = lsuv.call().arguments();
        Lsuv.Options o = new Lsuv.Options(((Number) a.get("tol")).doubleValue(), ((Number) a.get("max_iter")).intValue(),
                Lsuv.Bias.parse((String) a.get("bias")), true);
        DiagnoseBatch b = lsuvBatch.get();
        try {
            lsuvReport = Lsuv.apply(m, b.images(), o, null);
        } catch (IllegalStateException e) {
            throw new IllegalArgumentException("--init " + lsuv.text() + ": " + e.getMessage(), e);
        }
        lsuvUsed = b;
    }

    /**
     * Applies the rules (state-dict order, first match) and then the sets to {@code m}. Which rule takes which keys is
     * decided first: a rule that takes no key fails before any draw.
     */
    void apply(Module m) {
        LinkedHashMap<String, Tensor> sd = m.stateDict();
        List<String> floating = new ArrayList<>();
        for (Map.Entry<String, Tensor> e : sd.entrySet()) if (e.getValue().dtype().isFloatingPoint()) floating.add(e.getKey());
        Map<String, Rule> owner = new LinkedHashMap<>();
        Map<Rule, List<String>> taken = new java.util.IdentityHashMap<>(); // two equal rules are still two rules
        for (Rule r : rules) taken.put(r, new ArrayList<>());
        for (String k : floating) {
            for (Rule r : rules) {
                if (r.regex().matcher(k).matches()) {
                    owner.put(k, r);
                    taken.get(r).add(k);
                    break;
                }
            }
        }
        for (Rule r : rules) {
            if (!taken.get(r).isEmpty()) continue;
            boolean shadowed = floating.stream().anyMatch(k -> r.regex().matcher(k).matches());
            throw new IllegalArgumentException("--init '" + r.text() + "': " + (shadowed
                    ? "every key '" + r.pattern() + "' matches is taken by an earlier rule (first match wins)"
                    : "'" + r.pattern() + "' matches no state-dict key; closest: "
                            + String.join(", ", ParamSet.closest(r.pattern(), floating, 3))));
        }
        try (var g = GradMode.noGrad()) {
            for (Map.Entry<String, Rule> e : owner.entrySet()) {
                Tensor t = sd.get(e.getKey());
                try {
                    e.getValue().fn().apply(t);
                } catch (IllegalArgumentException x) {
                    throw new IllegalArgumentException("--init '" + e.getValue().text() + "' on " + e.getKey() + " (shape "
                            + t.shape() + "): " + x.getMessage().replace('\n', ' '), x);
                }
            }
        }
        for (ParamSet s : sets) s.apply(sd);
        this.taken = taken;
    }

    /**
     * The plan as a study scheme: the bare FN on every conv and linear weight (module order), then {@link #apply}.
     * Its name joins what was given: {@code features.*.weight=zeros_ + --set 0.weight=f.npy}.
     */
    Scheme asScheme() {
        List<String> parts = new ArrayList<>();
        if (everyWeight != null) parts.add(everyWeight);
        rules.forEach(r -> parts.add(r.text()));
        sets.forEach(s -> parts.add("--set " + s.text()));
        if (planFile != null) parts.add("--init-plan " + planFile);
        if (lsuv != null) parts.add(0, lsuv.text());
        InitFunctions.Call bare = everyWeight == null ? null : InitFunctions.parse(everyWeight);
        return new Scheme(String.join(" + ", parts), m -> {
            if (bare != null) Scheme.weights(everyWeight, bare::apply).apply(m);
            applyLsuv(m); // in the cell's generator scope: the orthogonal pre-init draws from the cell's seed
            apply(m);
        });
    }

    /** The plan as recorded in output metadata: the rules with their bound calls and the keys they took, the sets. */
    ObjectNode toJson() {
        ObjectNode root = JSON.createObjectNode();
        if (everyWeight != null) root.put("every_conv_linear_weight", everyWeight);
        ArrayNode init = root.putArray("init");
        for (Rule r : rules) {
            ObjectNode o = init.addObject();
            o.put("pattern", r.pattern());
            o.put("fn", r.fn().text());
            o.put("call", r.fn().call().toString());
            ArrayNode keys = o.putArray("keys");
            taken.getOrDefault(r, List.of()).forEach(keys::add);
        }
        ArrayNode set = root.putArray("set");
        for (ParamSet s : sets) {
            ObjectNode o = set.addObject();
            o.put("key", s.key());
            if (s.index() != null) {
                ArrayNode idx = o.putArray("index");
                s.index().forEach(idx::add);
                o.put("value", s.value());
            } else {
                o.put("file", s.file().toString());
                if (s.sourceKey() != null) o.put("source_key", s.sourceKey());
            }
        }
        if (planFile != null) root.put("plan_file", planFile.toString());
        if (lsuv != null) {
            ObjectNode l = root.putObject("lsuv");
            l.put("call", lsuv.call().toString());
            DiagnoseBatch b = lsuvUsed;
            if (b != null) {
                ObjectNode batch = l.putObject("batch");
                batch.put("source", b.source());
                batch.put("first", b.first());
                batch.put("size", b.size());
                batch.put("scaling", "pixels / 255, as train");
                batch.put("sha256", b.sha256());
            }
            ArrayNode layers = l.putArray("layers");
            for (Lsuv.LayerReport r : lsuvReport == null ? List.<Lsuv.LayerReport>of() : lsuvReport) {
                layers.addObject().put("name", r.name()).put("iterations", r.iterations()).put("initial_variance", r.initialVariance())
                        .put("final_variance", r.finalVariance()).put("converged", r.converged());
            }
        }
        return root;
    }
}
