package org.convinit.internal;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Binds a Python-style call to a function's parameters as Python does: positional arguments first, in
 * order, then keywords; the leading {@code required} parameters must be given. Errors read as
 * Python's and name the function, the parameter and the parameters there are
 * ({@code Conv2d() got an unexpected keyword argument 'paddin'; expected one of [in_channels, ...]}).
 *
 * <p>{@code leading} parameters (such as init's {@code tensor}) are passed by the caller outside
 * the call text: they count in the positional numbering of messages but are never bound here.
 * Defaults stay with the caller, which knows their types; absent optional parameters are simply absent.
 */
public final class ArgumentBinder {
    private final String function;
    private final List<String> leading;
    private final List<String> names;
    private final int required;

    public ArgumentBinder(String function, List<String> leading, List<String> names, int required) {
        if (required < 0 || required > names.size()) {
            throw new IllegalArgumentException(function + ": " + required + " required parameters of " + names);
        }
        this.function = function;
        this.leading = List.copyOf(leading);
        this.names = List.copyOf(names);
        this.required = required;
    }

    public String function() {
        return function;
    }

    /** The parameters a call binds, in order. */
    public List<String> names() {
        return names;
    }

    /**
     * The arguments given, by parameter name, positional ones first.
     *
     * @throws IllegalArgumentException for too many positional arguments, an unknown keyword, an
     *         argument given twice, or a missing required one
     */
    public <V> LinkedHashMap<String, V> bind(List<? extends V> positional, Map<String, ? extends V> keywords) {
        if (positional.size() > names.size()) {
            int most = leading.size() + names.size();
            int least = leading.size() + required;
            List<String> all = new ArrayList<>(leading);
            all.addAll(names);
            throw new IllegalArgumentException(function + "() takes " + (least == most ? "" : "from " + least + " to ") + most
                    + " positional argument" + (most == 1 ? "" : "s") + " but " + (leading.size() + positional.size())
                    + (leading.size() + positional.size() == 1 ? " was" : " were") + " given (parameters: "
                    + (all.isEmpty() ? "none" : String.join(", ", all)) + ")");
        }
        LinkedHashMap<String, V> bound = new LinkedHashMap<>();
        for (int i = 0; i < positional.size(); i++) bound.put(names.get(i), positional.get(i));
        for (Map.Entry<String, ? extends V> kw : keywords.entrySet()) {
            if (!names.contains(kw.getKey())) {
                throw new IllegalArgumentException(function + "() got an unexpected keyword argument '" + kw.getKey()
                        + "'; expected one of " + names);
            }
            if (bound.containsKey(kw.getKey())) {
                throw new IllegalArgumentException(function + "() got multiple values for argument '" + kw.getKey() + "'");
            }
            bound.put(kw.getKey(), kw.getValue());
        }
        List<String> missing = new ArrayList<>();
        for (int i = 0; i < required; i++) if (!bound.containsKey(names.get(i))) missing.add("'" + names.get(i) + "'");
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(function + "() missing " + missing.size() + " required positional argument"
                    + (missing.size() > 1 ? "s" : "") + ": " + pythonJoin(missing));
        }
        return bound;
    }

    /** Python's list of names in messages: {@code 'a'}, {@code 'a' and 'b'}, {@code 'a', 'b', and 'c'}. */
    private static String pythonJoin(List<String> items) {
        if (items.size() == 1) return items.get(0);
        if (items.size() == 2) return items.get(0) + " and " + items.get(1);
        return String.join(", ", items.subList(0, items.size() - 1)) + ", and " + items.get(items.size() - 1);
    }

    @Override
    public String toString() {
        List<String> all = new ArrayList<>(leading);
        for (int i = 0; i < names.size(); i++) all.add(names.get(i) + (i < required ? "" : "=..."));
        return function + "(" + String.join(", ", all) + ")";
    }
}
