package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Objects;
import java.util.Set;
import java.util.stream.StreamSupport;

/**
 * Read access to a {@code convinit-study/1} document (docs/study-json.md) that tolerates what the schema
 * allows: {@code null} for a value that does not exist, missing optional fields, a study stopped early.
 * Models and schemes keep the order of {@code config} (then of first appearance in cells and aggregates).
 */
final class StudyView {
    static final String SCHEMA = "convinit-study/1";

    final ObjectNode study;
    final List<String> models;
    final List<String> schemes;

    StudyView(ObjectNode study) {
        this.study = Objects.requireNonNull(study, "study");
        String schema = study.path("schema").asText("");
        if (!schema.equals(SCHEMA)) {
            throw new IllegalArgumentException("study document: schema must be \"" + SCHEMA + "\", got "
                    + (study.has("schema") ? "\"" + schema + "\"" : "none"));
        }
        Set<String> m = new LinkedHashSet<>();
        for (JsonNode model : study.path("config").path("models")) m.add(model.path("name").asText());
        Set<String> s = new LinkedHashSet<>();
        for (JsonNode init : study.path("config").path("inits")) s.add(init.asText());
        for (JsonNode node : concat(study.path("cells"), study.path("aggregates"))) {
            m.add(node.path("model").asText());
            s.add(node.path("scheme").asText());
        }
        this.models = List.copyOf(m);
        this.schemes = List.copyOf(s);
    }

    JsonNode config() {
        return study.path("config");
    }

    JsonNode reproducibility() {
        return study.path("reproducibility");
    }

    /** The model expression of a named model, or "" when the config does not give it. */
    String expression(String model) {
        for (JsonNode node : study.path("config").path("models")) {
            if (node.path("name").asText().equals(model)) return node.path("model").asText("");
        }
        return "";
    }

    /** The aggregate of (model, scheme), or a missing node. */
    JsonNode aggregate(String model, String scheme) {
        for (JsonNode a : study.path("aggregates")) {
            if (a.path("model").asText().equals(model) && a.path("scheme").asText().equals(scheme)) return a;
        }
        return com.fasterxml.jackson.databind.node.MissingNode.getInstance();
    }

    List<JsonNode> cells(String model, String scheme) {
        List<JsonNode> out = new ArrayList<>();
        for (JsonNode c : study.path("cells")) {
            if (c.path("model").asText().equals(model) && c.path("scheme").asText().equals(scheme)) out.add(c);
        }
        return out;
    }

    /** The schemes that have an aggregate or a cell for this model, in study order. */
    List<String> schemes(String model) {
        List<String> out = new ArrayList<>();
        for (String s : schemes) {
            if (!aggregate(model, s).isMissingNode() || !cells(model, s).isEmpty()) out.add(s);
        }
        return out;
    }

    /** The per-layer rows for a model: the first aggregate with layers, else the first cell's diagnosis. */
    JsonNode layers(String model) {
        for (String s : schemes) {
            JsonNode layers = aggregate(model, s).path("layers");
            if (layers.isArray() && !layers.isEmpty()) return layers;
        }
        for (String s : schemes) {
            for (JsonNode c : cells(model, s)) {
                JsonNode layers = c.path("diagnosis").path("layers");
                if (layers.isArray() && !layers.isEmpty()) return layers;
            }
        }
        return com.fasterxml.jackson.databind.node.JsonNodeFactory.instance.arrayNode();
    }

    boolean complete() {
        return reproducibility().path("complete").asBoolean(true);
    }

    /** A finite number, or {@code NaN} for a missing, null or non-numeric value. */
    static double num(JsonNode node) {
        return node != null && node.isNumber() && Double.isFinite(node.asDouble()) ? node.asDouble() : Double.NaN;
    }

    /** A JSON array of numbers (nulls allowed) as doubles with {@code NaN} for the nulls; empty when absent. */
    static double[] doubles(JsonNode array) {
        if (array == null || !array.isArray()) return new double[0];
        double[] out = new double[array.size()];
        for (int i = 0; i < out.length; i++) out[i] = num(array.get(i));
        return out;
    }

    /** A conv or linear layer: one that has a weight the theory speaks about. */
    static boolean isWeightLayer(JsonNode layer) {
        String type = layer.path("type").asText();
        return type.startsWith("Conv") || type.equals("Linear") || !layer.path("predicted_gain").isNull()
                && layer.path("predicted_gain").isNumber();
    }

    private static Iterable<JsonNode> concat(JsonNode a, JsonNode b) {
        List<JsonNode> out = new ArrayList<>();
        StreamSupport.stream(a.spliterator(), false).forEach(out::add);
        StreamSupport.stream(b.spliterator(), false).forEach(out::add);
        return out;
    }

    static ArrayNode arrayOf(ArrayNode target, double[] values) {
        for (double v : values) {
            if (Double.isFinite(v)) target.add(round(v));
            else target.addNull();
        }
        return target;
    }

    /** Five significant digits: plenty for a chart, and the page stays small. */
    static double round(double v) {
        if (v == 0 || !Double.isFinite(v)) return v;
        return new java.math.BigDecimal(v).round(new java.math.MathContext(5)).doubleValue();
    }
}
