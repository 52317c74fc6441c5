package org.convinit.lab.study;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.Objects;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.OptimizerKind;

/**
 * A cell as data, everything that determines its result: the model (name and PyTorch constructor expression), the
 * scheme's text ({@code default}, {@code file:PATH} or a {@code torch.nn.init} call, as {@code --inits} takes it), the
 * seed, the training settings and the data. One line of JSON ({@code convinit-cell/1}):
 *
 * <pre>
 * {"schema":"convinit-cell/1","index":0,"model":"cnn","model_expr":"Sequential(...)","scheme":"xavier_uniform_","seed":0,
 *  "config":{"epochs":2,"optimizer":"sgd","lr":0.01,"batch_size":64,"target_accuracy":0.75,"eval_every":0,"diagnose_batch":64},
 *  "data":{"directory":null,"train_limit":null,"test_limit":null}}
 * </pre>
 *
 * {@link #key()} names its result in a {@link ResultsDirectory}: it hashes everything but {@code index} (the cell's place
 * in one plan), so a grown or reordered plan still finds the cells it shares with the old one.
 */
public record CellSpec(int index, String model, String modelExpr, String scheme, long seed, StudyConfig config, DataSpec data) {
    public static final String SCHEMA = "convinit-cell/1";
    private static final ObjectMapper MAPPER = new ObjectMapper();

    public CellSpec {
        Objects.requireNonNull(model, "model");
        Objects.requireNonNull(modelExpr, "modelExpr");
        Objects.requireNonNull(scheme, "scheme");
        Objects.requireNonNull(config, "config");
        Objects.requireNonNull(data, "data");
    }

    /** The spec of {@code cell} of a plan trained with {@code config} on {@code data}. */
    public static CellSpec of(Cell cell, StudyConfig config, DataSpec data) {
        return new CellSpec(cell.index(), cell.model().name(), cell.model().expr(), cell.scheme().name(), cell.seed(), config, data);
    }

    /** The JSON object. */
    public ObjectNode toNode() {
        ObjectNode n = JsonNodeFactory.instance.objectNode();
        n.put("schema", SCHEMA);
        n.put("index", index);
        n.put("model", model);
        n.put("model_expr", modelExpr);
        n.put("scheme", scheme);
        n.put("seed", seed);
        ObjectNode c = n.putObject("config");
        c.put("epochs", config.epochs());
        c.put("optimizer", config.optimizer().cliName());
        c.put("lr", config.lr());
        c.put("batch_size", config.batchSize());
        c.put("target_accuracy", config.targetAccuracy());
        c.put("eval_every", config.evalEvery());
        c.put("diagnose_batch", config.diagnoseBatch());
        data.write(n.putObject("data"));
        return n;
    }

    /** One line of JSON (no newline in it). */
    public String toJson() {
        return toNode().toString();
    }

    /** The spec {@link #toJson} wrote; anything else is an {@link IllegalArgumentException} saying what is wrong. */
    public static CellSpec fromJson(String json) {
        try {
            return fromNode(MAPPER.readTree(json));
        } catch (JsonProcessingException e) {
            throw new IllegalArgumentException("a cell: not JSON: " + e.getOriginalMessage(), e);
        }
    }

    public static CellSpec fromNode(JsonNode n) {
        String schema = Json.required(n, "schema").asText();
        if (!schema.equals(SCHEMA)) throw new IllegalArgumentException("a cell: schema '" + schema + "', expected " + SCHEMA);
        JsonNode c = Json.required(n, "config");
        StudyConfig config = new StudyConfig(Json.required(c, "epochs").asInt(), OptimizerKind.parse(Json.required(c, "optimizer").asText()),
                Json.required(c, "lr").asDouble(), Json.required(c, "batch_size").asInt(), Json.required(c, "target_accuracy").asDouble(),
                Json.required(c, "eval_every").asInt(), Json.required(c, "diagnose_batch").asInt());
        return new CellSpec(Json.required(n, "index").asInt(), Json.required(n, "model").asText(), Json.required(n, "model_expr").asText(),
                Json.required(n, "scheme").asText(), Json.required(n, "seed").asLong(), config, DataSpec.read(Json.required(n, "data")));
    }

    /** The first 16 hex digits of the SHA-256 of the JSON without {@code index}: the name of this cell's result. */
    public String key() {
        ObjectNode n = toNode();
        n.remove("index");
        try {
            byte[] h = MessageDigest.getInstance("SHA-256").digest(n.toString().getBytes(StandardCharsets.UTF_8));
            return HexFormat.of().formatHex(h, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("SHA-256 is missing from this JVM", e);
        }
    }

    @Override
    public String toString() {
        return model + " / " + scheme + " / seed " + seed;
    }
}
