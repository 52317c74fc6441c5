package org.convinit.lab.diagnose;

import java.nio.charset.StandardCharsets;
import java.nio.file.Path;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.io.AtomicFiles;
import org.convinit.io.CheckpointException;

/**
 * A {@link Diagnosis} as the {@code convinit-diagnose/1} JSON document of {@code docs/study-json.md}. Values that do
 * not exist, NaN and infinities are written as {@code null}. Beyond the documented fields every layer has
 * {@code fan_in} (conv and linear, else null) and the batch's {@code indices} are {@code [first, last]}.
 */
public final class DiagnosisJson {
    static final ObjectMapper MAPPER = new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT);

    private DiagnosisJson() {}

    public static ObjectNode toJson(Diagnosis d) {
        ObjectNode root = MAPPER.createObjectNode();
        root.put("schema", Diagnosis.SCHEMA);
        root.put("model", d.model());
        ObjectNode init = root.putObject("init");
        Diagnosis.InitInfo i = d.init();
        init.put("seed", i.seed());
        init.put("init", i.init());
        init.put("bias_init", i.biasInit());
        init.put("weights", i.weights());
        ObjectNode batch = root.putObject("batch");
        batch.put("source", d.batch().source());
        batch.putArray("indices").add(d.batch().first()).add(d.batch().last());
        batch.put("size", d.batch().size());
        batch.put("sha256", d.batch().sha256());
        number(root, "loss", d.loss());
        ArrayNode layers = root.putArray("layers");
        for (LayerStats l : d.layers()) layer(layers.addObject(), l);
        ObjectNode v = root.putObject("verdict");
        v.put("kind", d.verdict().kind().jsonName());
        v.put("text", d.verdict().text());
        number(v, "log10_change", d.verdict().log10Change());
        v.put("weight_layers", d.verdict().weightLayers());
        return root;
    }

    private static void layer(ObjectNode o, LayerStats l) {
        o.put("name", l.name());
        o.put("type", l.type());
        Summary s = l.output();
        number(o, "output_mean", s.mean());
        number(o, "output_std", s.std());
        number(o, "output_min", s.min());
        number(o, "output_max", s.max());
        number(o, "zero_fraction", s.zeroFraction());
        number(o, "saturated_fraction", s.saturatedFraction());
        ObjectNode h = o.putObject("histogram");
        number(h, "min", l.histogram().min());
        number(h, "max", l.histogram().max());
        ArrayNode counts = h.putArray("counts");
        for (long c : l.histogram().counts()) counts.add(c);
        number(o, "grad_output_std", l.gradOutputStd());
        number(o, "weight_grad_norm", l.weightGradNorm());
        number(o, "update_ratio", l.updateRatio());
        o.put("fan_in", l.fanIn());
        number(o, "predicted_gain", l.predictedGain());
        number(o, "measured_gain", l.measuredGain());
        number(o, "predicted_std", l.predictedStd());
    }

    /** {@code v}, or null when it is null, NaN or infinite. */
    static void number(ObjectNode o, String field, Double v) {
        if (v == null || !Double.isFinite(v)) o.putNull(field);
        else o.put(field, v.doubleValue());
    }

    public static String toJsonString(Diagnosis d) {
        try {
            return MAPPER.writeValueAsString(toJson(d)) + "\n";
        } catch (JsonProcessingException e) {
            throw new IllegalStateException("cannot serialize a diagnosis: " + e.getMessage(), e);
        }
    }

    /** Writes the document to {@code file} atomically (a temporary file beside it, then a rename). */
    public static void write(Path file, Diagnosis d) throws CheckpointException {
        byte[] bytes = toJsonString(d).getBytes(StandardCharsets.UTF_8);
        AtomicFiles.write(file, out -> out.write(bytes));
    }
}
