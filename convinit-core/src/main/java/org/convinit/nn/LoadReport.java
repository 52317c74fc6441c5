package org.convinit.nn;

import java.util.List;

/**
 * What loading a state dict found, computed in full before anything changes.
 *
 * @param missing keys the module expects that the state dict lacks
 * @param unexpected keys of the state dict the module does not have
 * @param shapeMismatches keys whose shapes differ (never loaded, strict or not)
 * @param dtypeConversions keys whose values are converted to the module's dtype on load, as {@code copy_} converts
 */
public record LoadReport(List<String> missing, List<String> unexpected, List<ShapeMismatch> shapeMismatches,
                         List<DTypeConversion> dtypeConversions) {

    public LoadReport {
        missing = List.copyOf(missing);
        unexpected = List.copyOf(unexpected);
        shapeMismatches = List.copyOf(shapeMismatches);
        dtypeConversions = List.copyOf(dtypeConversions);
    }

    /** A key whose tensor has the wrong shape. */
    public record ShapeMismatch(String key, org.convinit.tensor.Shape checkpoint, org.convinit.tensor.Shape model) {
        @Override
        public String toString() {
            return "size mismatch for " + key + ": copying a param with shape " + checkpoint
                    + " from checkpoint, the shape in current model is " + model + ".";
        }
    }

    /** A key whose tensor is converted on load. */
    public record DTypeConversion(String key, org.convinit.tensor.DType checkpoint, org.convinit.tensor.DType model) {
        @Override
        public String toString() {
            return key + ": " + checkpoint + " converted to " + model;
        }
    }

    /** True when every key matched in name and shape. */
    public boolean isExactMatch() {
        return missing.isEmpty() && unexpected.isEmpty() && shapeMismatches.isEmpty();
    }

    /**
     * As torch prints what {@code load_state_dict} returns: {@code <All keys matched successfully>}, or
     * {@code _IncompatibleKeys(missing_keys=[...], unexpected_keys=[...])} (shape mismatches never load, so they
     * appear in {@link #describe} only).
     */
    @Override
    public String toString() {
        if (missing.isEmpty() && unexpected.isEmpty()) return "<All keys matched successfully>";
        return "_IncompatibleKeys(missing_keys=" + pyList(missing) + ", unexpected_keys=" + pyList(unexpected) + ")";
    }

    private static String pyList(List<String> keys) {
        StringBuilder sb = new StringBuilder("[");
        for (int i = 0; i < keys.size(); i++) sb.append(i > 0 ? ", '" : "'").append(keys.get(i)).append('\'');
        return sb.append(']').toString();
    }

    /** torch's message layout: one tab-indented line per kind of problem. */
    public String describe(String moduleName) {
        StringBuilder sb = new StringBuilder("Error(s) in loading state_dict for " + moduleName + ":");
        if (!missing.isEmpty()) sb.append("\n\tMissing key(s) in state_dict: ").append(quoted(missing)).append('.');
        if (!unexpected.isEmpty()) sb.append("\n\tUnexpected key(s) in state_dict: ").append(quoted(unexpected)).append('.');
        for (ShapeMismatch m : shapeMismatches) sb.append("\n\t").append(m);
        return sb.toString();
    }

    private static String quoted(List<String> keys) {
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < keys.size(); i++) {
            if (i > 0) sb.append(", ");
            sb.append('"').append(keys.get(i)).append('"');
        }
        return sb.toString();
    }
}
