package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.TrainingLoop;

/**
 * A cell's result as one line of JSON ({@code convinit-cell-result/1}), what a {@link ResultsDirectory} holds and what a
 * Spark task returns: {@code {"schema":..., "cell": <the CellSpec>, "result": <the cell as docs/study-json.md writes it>}},
 * lossless where the study document is not: a non-finite loss is the string {@code NaN}, {@code Infinity} or
 * {@code -Infinity} (the document writes null), and each epoch keeps its {@code train_seconds}. Reading it back gives
 * the {@link CellResult} that was written, number for number.
 */
public final class CellResults {
    public static final String SCHEMA = "convinit-cell-result/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    private CellResults() {}

    /** The one-line JSON of {@code result}, the result of the cell {@code spec} describes. */
    public static String toJson(CellSpec spec, CellResult result) {
        ObjectNode root = JsonNodeFactory.instance.objectNode();
        root.put("schema", SCHEMA);
        root.set("cell", spec.toNode());
        ObjectNode r = StudyDocument.cell(result);
        ArrayNode loss = r.putArray("step_loss");
        for (double v : result.stepLoss()) {
            if (Double.isFinite(v)) loss.add(v);
            else loss.add(Double.toString(v));
        }
        ArrayNode epochs = (ArrayNode) r.get("epochs");
        for (int i = 0; i < epochs.size(); i++) ((ObjectNode) epochs.get(i)).put("train_seconds", result.epochs().get(i).trainSeconds());
        root.set("result", r);
        return root.toString();
    }

    /** The spec a result's JSON names. */
    public static CellSpec spec(String json) {
        return CellSpec.fromNode(Json.required(parse(json), "cell"));
    }

    /**
     * The result {@link #toJson} wrote, for {@code cell} (the plan's cell the JSON's spec describes: its model and scheme
     * must match, or this is an {@link IllegalArgumentException}).
     */
    public static CellResult fromJson(String json, Cell cell) {
        JsonNode root = parse(json);
        String schema = Json.required(root, "schema").asText();
        if (!schema.equals(SCHEMA)) throw new IllegalArgumentException("a cell result: schema '" + schema + "', expected " + SCHEMA);
        JsonNode r = Json.required(root, "result");
        String model = Json.required(r, "model").asText();
        String scheme = Json.required(r, "scheme").asText();
        long seed = Json.required(r, "seed").asLong();
        if (!model.equals(cell.model().name()) || !scheme.equals(cell.scheme().name()) || seed != cell.seed()) {
            throw new IllegalArgumentException("a cell result for " + model + " / " + scheme + " / seed " + seed + ", expected one for " + cell);
        }
        CellResult.Status status = CellResult.Status.valueOf(Json.required(r, "status").asText().toUpperCase(java.util.Locale.ROOT));
        JsonNode err = Json.required(r, "error");
        JsonNode diagnosis = Json.required(r, "diagnosis");
        JsonNode loss = Json.required(r, "step_loss");
        double[] stepLoss = new double[loss.size()];
        for (int i = 0; i < stepLoss.length; i++) stepLoss[i] = Json.number(loss.get(i));
        List<TrainingLoop.Epoch> epochs = new ArrayList<>();
        for (JsonNode e : Json.required(r, "epochs")) {
            epochs.add(new TrainingLoop.Epoch(e.get("epoch").asInt(), Json.number(e.get("train_loss")), Json.number(e.get("test_loss")),
                    Json.number(e.get("test_accuracy")), Json.number(e.get("seconds")), Json.number(e.get("train_seconds"))));
        }
        List<CellResult.StepEvaluation> evals = new ArrayList<>();
        for (JsonNode e : Json.required(r, "evaluations")) {
            evals.add(new CellResult.StepEvaluation(e.get("step").asLong(), Json.number(e.get("test_loss")), Json.number(e.get("test_accuracy"))));
        }
        return new CellResult(cell, status, Json.optionalLong(r, "diverged_at_step"), err.isNull() ? null : err.asText(),
                diagnosis.isNull() ? null : (ObjectNode) diagnosis, stepLoss, epochs, evals, Json.optionalLong(r, "steps_to_target"),
                Json.number(r.get("wall_seconds")));
    }

    private static JsonNode parse(String json) {
        try {
            return MAPPER.readTree(json);
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a cell result: not JSON: " + e.getOriginalMessage(), e);
        }
    }
}
