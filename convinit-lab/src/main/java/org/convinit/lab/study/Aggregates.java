package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Function;
import java.util.function.ToDoubleFunction;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.TrainingLoop;

/**
 * The {@code aggregates} entry of one (model, scheme) in docs/study-json.md: final numbers with 95% intervals
 * over seeds, and the curves (step loss, per-epoch accuracy and losses, the periodic test evaluations) as mean,
 * low and high per point over the seeds that finished; the per-layer diagnosis over the seeds that were diagnosed.
 */
final class Aggregates {
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    static final int HISTOGRAM_BINS = 40;

    private Aggregates() {}

    static ObjectNode of(SchemeStats s, List<CellResult> results) {
        ObjectNode a = F.objectNode();
        a.put("model", s.model());
        a.put("scheme", s.scheme());
        a.put("seeds", s.seeds());
        a.put("finished", s.finished());
        a.put("diverged", s.diverged());
        a.put("failed", s.failed());
        Json.putNumber(a, "first_diverged_at_step", s.firstDivergedStep());
        interval(a, "final_test_accuracy", s.accuracy());
        interval(a, "final_test_loss", s.loss());
        ObjectNode steps = interval(a, "steps_to_target", s.stepsToTarget());
        if (steps == null) {
            steps = a.putObject("steps_to_target");
            steps.putNull("mean");
            steps.putNull("low");
            steps.putNull("high");
        }
        steps.put("reached", s.reached());
        List<CellResult> ok = results.stream().filter(r -> r.status() == CellResult.Status.OK).toList();
        a.set("step_loss", curve("step", ok, r -> r.stepLoss(), 1));
        a.set("epoch_accuracy", curve("epoch", ok, r -> epochs(r, TrainingLoop.Epoch::testAccuracy), 1));
        a.set("epoch_test_loss", curve("epoch", ok, r -> epochs(r, TrainingLoop.Epoch::testLoss), 1));
        a.set("epoch_train_loss", curve("epoch", ok, r -> epochs(r, TrainingLoop.Epoch::trainLoss), 1));
        a.set("eval_accuracy", evalCurve(ok));
        a.set("layers", layers(results));
        a.set("propagation", propagation(results));
        return a;
    }

    /** {@link Propagation} over the diagnosed seeds: {conv_layers, measured_std_ratio, predicted_std_ratio}, or null. */
    private static JsonNode propagation(List<CellResult> results) {
        List<Double> measured = new ArrayList<>();
        List<Double> predicted = new ArrayList<>();
        int layers = 0;
        for (CellResult r : results) {
            Propagation p = Propagation.of(r.diagnosis());
            if (p == null) continue;
            layers = p.convLayers();
            measured.add(p.measuredRatio());
            predicted.add(p.predictedRatio());
        }
        if (measured.isEmpty()) return F.nullNode();
        ObjectNode n = F.objectNode();
        n.put("conv_layers", layers);
        interval(n, "measured_std_ratio", SchemeStats.interval(measured));
        interval(n, "predicted_std_ratio", SchemeStats.interval(predicted));
        return n;
    }

    private static ObjectNode interval(ObjectNode parent, String key, Interval i) {
        if (i == null) {
            parent.putNull(key);
            return null;
        }
        return i.writeTo(parent.putObject(key));
    }

    private static double[] epochs(CellResult r, ToDoubleFunction<TrainingLoop.Epoch> f) {
        return r.epochs().stream().mapToDouble(f).toArray();
    }

    /** {key: [first, ...], mean, low, high} per position, over the rows (each a seed; the shortest length wins). */
    private static ObjectNode curve(String key, List<CellResult> rows, Function<CellResult, double[]> values, long first) {
        List<double[]> series = rows.stream().map(values).toList();
        int len = series.stream().mapToInt(x -> x.length).min().orElse(0);
        ObjectNode c = F.objectNode();
        ArrayNode at = c.putArray(key);
        ArrayNode mean = c.putArray("mean");
        ArrayNode low = c.putArray("low");
        ArrayNode high = c.putArray("high");
        for (int i = 0; i < len; i++) {
            double[] xs = new double[series.size()];
            for (int k = 0; k < xs.length; k++) xs[k] = series.get(k)[i];
            Interval iv = Interval.of(xs);
            at.add(first + i);
            Json.addNumber(mean, iv.mean());
            Json.addNumber(low, iv.low());
            Json.addNumber(high, iv.high());
        }
        return c;
    }

    /** The periodic test evaluations: {step: [...], mean, low, high} of the accuracy. */
    private static ObjectNode evalCurve(List<CellResult> ok) {
        ObjectNode c = curve("step", ok, r -> r.evaluations().stream().mapToDouble(CellResult.StepEvaluation::testAccuracy).toArray(), 0);
        ArrayNode steps = c.putArray("step");
        if (!ok.isEmpty()) {
            List<CellResult.StepEvaluation> e = ok.get(0).evaluations();
            for (int i = 0; i < c.get("mean").size(); i++) steps.add(e.get(i).step());
        }
        return c;
    }

    /** Per layer of the diagnosis: output and gradient std intervals, the predicted gain and line, the mean histogram. */
    private static ArrayNode layers(List<CellResult> results) {
        List<JsonNode> docs = new ArrayList<>();
        for (CellResult r : results) if (r.diagnosis() != null && r.diagnosis().has("layers")) docs.add(r.diagnosis().get("layers"));
        ArrayNode out = F.arrayNode();
        if (docs.isEmpty()) return out;
        int n = docs.stream().mapToInt(JsonNode::size).min().orElse(0);
        for (int i = 0; i < n; i++) {
            List<JsonNode> per = new ArrayList<>();
            for (JsonNode d : docs) per.add(d.get(i));
            JsonNode first = per.get(0);
            ObjectNode l = out.addObject();
            l.put("name", first.path("name").asText());
            l.put("type", first.path("type").asText());
            for (String k : new String[] {"output_std", "grad_output_std", "measured_gain", "predicted_std", "zero_fraction"}) {
                interval(l, k, SchemeStats.interval(numbers(per, k)));
            }
            List<Double> gains = numbers(per, "predicted_gain");
            if (gains.isEmpty()) l.putNull("predicted_gain");
            else l.put("predicted_gain", gains.stream().mapToDouble(Double::doubleValue).average().orElse(Double.NaN));
            l.set("histogram", histogram(per));
        }
        return out;
    }

    private static List<Double> numbers(List<JsonNode> layers, String key) {
        List<Double> xs = new ArrayList<>();
        for (JsonNode l : layers) {
            JsonNode v = l.get(key);
            if (v != null && v.isNumber() && Double.isFinite(v.asDouble())) xs.add(v.asDouble());
        }
        return xs;
    }

    private static JsonNode histogram(List<JsonNode> layers) {
        List<Histograms.Source> src = new ArrayList<>();
        double lo = Double.POSITIVE_INFINITY;
        double hi = Double.NEGATIVE_INFINITY;
        for (JsonNode l : layers) {
            JsonNode h = l.get("histogram");
            if (h == null || !h.path("min").isNumber() || !h.path("max").isNumber() || !h.path("counts").isArray()) continue;
            double[] counts = new double[h.get("counts").size()];
            for (int i = 0; i < counts.length; i++) counts[i] = h.get("counts").get(i).asDouble();
            src.add(new Histograms.Source(h.get("min").asDouble(), h.get("max").asDouble(), counts));
            lo = Math.min(lo, h.get("min").asDouble());
            hi = Math.max(hi, h.get("max").asDouble());
        }
        if (src.isEmpty()) return F.nullNode();
        ObjectNode h = F.objectNode();
        h.put("min", lo);
        h.put("max", hi);
        Json.numbers(h.putArray("fractions"), Histograms.meanFractions(src, lo, hi, HISTOGRAM_BINS));
        return h;
    }
}
