package org.convinit.cli;

import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.io.StateDicts;
import picocli.CommandLine.Option;

/**
 * The key mapping options shared by every command that reads a weights file ({@code --select KEY},
 * {@code --strip-prefix P}), applied in that order to the file's flattened names as
 * {@link StateDicts.Options#apply} does: a training checkpoint {@code {'state_dict': {'module.conv.weight': ...}}}
 * loads with {@code --select state_dict --strip-prefix module.}.
 */
class WeightKeys {
    @Option(names = "--select", paramLabel = "KEY",
            description = "Use the sub-dict KEY of the file (e.g. state_dict or model of a training checkpoint); nested: a.b.")
    String select;

    @Option(names = "--strip-prefix", paramLabel = "P",
            description = "Remove P from the keys that start with it (e.g. module. from DataParallel), after --select.")
    String stripPrefix;

    /** True when neither option was given. */
    boolean isIdentity() {
        return select == null && stripPrefix == null;
    }

    /** The io library's options for this mapping. */
    StateDicts.Options options(boolean strict) {
        return StateDicts.Options.DEFAULT.select(select).stripPrefix(stripPrefix).strict(strict);
    }

    /**
     * Maps {@code flat} (flattened names to anything); a sub-dict that is not there, or two keys
     * stripped to one, is a usage mistake naming the option.
     */
    <V> LinkedHashMap<String, V> apply(Map<String, V> flat, String file) {
        try {
            return options(true).apply(flat);
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(file + ": " + describe() + ": " + e.getMessage(), e);
        }
    }

    /** The options as given, e.g. {@code --select state_dict --strip-prefix module.}. */
    String describe() {
        StringBuilder sb = new StringBuilder();
        if (select != null) sb.append("--select ").append(select);
        if (stripPrefix != null) sb.append(sb.length() > 0 ? " " : "").append("--strip-prefix ").append(stripPrefix);
        return sb.toString();
    }
}
