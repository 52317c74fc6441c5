package org.convinit.cli;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

import org.convinit.autograd.GradMode;
import org.convinit.io.CheckpointException;
import org.convinit.io.Checkpoints;
import org.convinit.io.numpy.Npy;
import org.convinit.tensor.Tensor;

/**
 * One {@code --set}: a whole tensor from a file, or one element, copied into a state-dict entry under no-grad.
 * <ul>
 *   <li>{@code KEY=FILE.npy}: {@code p.copy_(torch.from_numpy(np.load(FILE)))};</li>
 *   <li>{@code KEY=FILE:KEY2} for {@code .pth/.pt/.safetensors/.npz}: {@code p.copy_(load(FILE)[KEY2])};</li>
 *   <li>{@code KEY[i,j,...]=V}: {@code p[i, j, ...] = V} (one index per dimension, negative ones count from the end;
 *       V a Python float literal, {@code nan}/{@code inf} included).</li>
 * </ul>
 * Shapes must be equal (no broadcasting); dtypes convert as {@code copy_} does.
 *
 * @param text what the user wrote (for messages and metadata)
 * @param key the target state-dict key
 * @param file the source file, or null for an element
 * @param sourceKey the key inside {@code file}, or null for a {@code .npy}
 * @param index the element's indices, or null for a whole tensor
 * @param value the element's value
 */
record ParamSet(String text, String key, Path file, String sourceKey, List<Integer> index, double value) {
    private static final Pattern ELEMENT = Pattern.compile("([^\\[\\]=]+)\\[([-0-9, ]+)\\]=(.+)");
    private static final Pattern KEYED = Pattern.compile("(.+\\.(?i:pth|pt|bin|ckpt|safetensors|npz)):(.+)");

    /** Parses {@code KEY=FILE}, {@code KEY=FILE:KEY2} or {@code KEY[i,...]=V}; {@code base} resolves relative files. */
    static ParamSet parse(String text, Path base) {
        Matcher e = ELEMENT.matcher(text.strip());
        if (e.matches()) {
            List<Integer> idx = new ArrayList<>();
            for (String s : e.group(2).split(",")) {
                try {
                    idx.add(Integer.parseInt(s.strip()));
                } catch (NumberFormatException x) {
                    throw new IllegalArgumentException("--set '" + text + "': index '" + s.strip() + "' is not an integer");
                }
            }
            return new ParamSet(text, e.group(1).strip(), null, null, List.copyOf(idx), number(text, e.group(3).strip()));
        }
        int eq = text.indexOf('=');
        if (eq <= 0 || eq == text.length() - 1) {
            throw new IllegalArgumentException("--set '" + text + "': expected KEY=FILE.npy, KEY=FILE:KEY2 or KEY[i,j,...]=VALUE");
        }
        String key = text.substring(0, eq).strip();
        String rhs = text.substring(eq + 1).strip();
        Matcher k = KEYED.matcher(rhs);
        if (k.matches()) return new ParamSet(text, key, resolve(base, k.group(1)), k.group(2), null, 0);
        if (!rhs.toLowerCase(Locale.ROOT).endsWith(".npy")) {
            throw new IllegalArgumentException("--set '" + text + "': a whole tensor comes from a .npy file, or from "
                    + ".pth/.safetensors/.npz as FILE:KEY");
        }
        return new ParamSet(text, key, resolve(base, rhs), null, null, 0);
    }

    private static Path resolve(Path base, String file) {
        Path p = Path.of(file);
        return base == null || p.isAbsolute() ? p : base.resolve(p);
    }

    /** A Python float literal: {@code 1}, {@code -0.5}, {@code 1e-3}, {@code nan}, {@code inf}, {@code -inf}. */
    static double number(String text, String s) {
        switch (s.toLowerCase(Locale.ROOT)) {
            case "nan": case "+nan": case "-nan": return Double.NaN;
            case "inf": case "+inf": case "infinity": return Double.POSITIVE_INFINITY;
            case "-inf": case "-infinity": return Double.NEGATIVE_INFINITY;
            default:
        }
        if (!s.matches("[+-]?([0-9][0-9_]*\\.?[0-9_]*|\\.[0-9_]+)([eE][+-]?[0-9]+)?")) {
            throw new IllegalArgumentException("--set '" + text + "': value '" + s + "' is not a number");
        }
        return Double.parseDouble(s.replace("_", ""));
    }

    /** Applies this to {@code sd} (a state dict sharing storage with the model); every mistake is one line. */
    void apply(Map<String, Tensor> sd) {
        Tensor target = sd.get(key);
        if (target == null) {
            throw new IllegalArgumentException("--set '" + text + "': no key '" + key + "' in the model; closest: "
                    + String.join(", ", closest(key, new ArrayList<>(sd.keySet()), 3)));
        }
        try (var g = GradMode.noGrad()) {
            if (index != null) {
                target.set(value, element(target));
                return;
            }
            Tensor src = load(target);
            if (!src.shape().equals(target.shape())) {
                throw new IllegalArgumentException("--set '" + text + "': " + source() + " has shape " + src.shape() + " but "
                        + key + " has shape " + target.shape());
            }
            target.copy_(src);
        }
    }

    private String source() {
        return sourceKey == null ? file.toString() : file + ":" + sourceKey;
    }

    private int[] element(Tensor target) {
        if (index.size() != target.dim()) {
            throw new IllegalArgumentException("--set '" + text + "': " + index.size() + " indices for " + key + " of shape "
                    + target.shape() + " (" + target.dim() + " dimensions)");
        }
        int[] idx = new int[index.size()];
        for (int d = 0; d < idx.length; d++) {
            int i = index.get(d);
            int n = target.size(d);
            if (i < -n || i >= n) {
                throw new IllegalArgumentException("--set '" + text + "': index " + i + " is out of bounds for dimension " + d
                        + " with size " + n + " (" + key + " has shape " + target.shape() + ")");
            }
            idx[d] = i < 0 ? i + n : i;
        }
        return idx;
    }

    private Tensor load(Tensor target) {
        if (!Files.isRegularFile(file)) {
            throw new IllegalArgumentException("--set '" + text + "': file " + file + " does not exist");
        }
        try {
            if (sourceKey == null) return Npy.read(file);
            Map<String, Tensor> all = Checkpoints.readTensors(file);
            Tensor t = all.get(sourceKey);
            if (t == null) {
                throw new IllegalArgumentException("--set '" + text + "': no key '" + sourceKey + "' in " + file + "; closest: "
                        + String.join(", ", closest(sourceKey, new ArrayList<>(all.keySet()), 3)));
            }
            return t;
        } catch (CheckpointException e) {
            throw new IllegalArgumentException("--set '" + text + "': " + e.getMessage().replace('\n', ' '), e);
        }
    }

    /** Up to {@code n} of {@code keys} closest to {@code word} by edit distance (ties in the keys' order). */
    static List<String> closest(String word, List<String> keys, int n) {
        List<String> sorted = new ArrayList<>(keys);
        sorted.sort(Comparator.comparingInt(k -> distance(word, k)));
        return sorted.subList(0, Math.min(n, sorted.size()));
    }

    /** Levenshtein distance. */
    static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j], cur[j - 1]) + 1);
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
