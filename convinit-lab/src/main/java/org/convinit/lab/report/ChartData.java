package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.List;

/**
 * What the page's script draws, computed here so the page stays small and the numbers are testable:
 * per model, the layers; per scheme the signal-propagation series, the histograms, the loss curve
 * (smoothed and thinned, see {@link Curves}) and the accuracy per epoch. Missing values are JSON nulls.
 */
final class ChartData {
    /** One colour per scheme, in study order, the same in every chart (Okabe-Ito-like, readable on white). */
    static final List<String> PALETTE = List.of("#0072B2", "#E69F00", "#009E73", "#CC79A7", "#D55E00",
            "#56B4E9", "#7F7F7F", "#332288", "#117733", "#882255");

    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private ChartData() {}

    static String color(int schemeIndex) {
        return PALETTE.get(schemeIndex % PALETTE.size());
    }

    static ObjectNode of(StudyView view) {
        ObjectNode root = F.objectNode();
        ArrayNode schemes = root.putArray("schemes");
        for (int i = 0; i < view.schemes.size(); i++) {
            schemes.addObject().put("name", view.schemes.get(i)).put("color", color(i));
        }
        double target = StudyView.num(view.config().path("target_accuracy"));
        if (Double.isFinite(target)) root.put("target_accuracy", target);
        else root.putNull("target_accuracy");
        ArrayNode models = root.putArray("models");
        for (String model : view.models) models.add(model(view, model));
        return root;
    }

    private static ObjectNode model(StudyView view, String model) {
        ObjectNode out = F.objectNode().put("name", model);
        JsonNode layers = view.layers(model);
        ArrayNode layerOut = out.putArray("layers");
        for (JsonNode l : layers) {
            layerOut.addObject().put("name", l.path("name").asText()).put("type", l.path("type").asText())
                    .put("weight", StudyView.isWeightLayer(l));
        }
        List<String> schemes = view.schemes(model);
        ArrayNode signal = out.putArray("signal");
        ArrayNode hist = out.putArray("histograms");
        ArrayNode acc = out.putArray("accuracy");
        ArrayNode evalAcc = out.putArray("eval_accuracy");
        for (String scheme : schemes) {
            JsonNode agg = view.aggregate(model, scheme);
            JsonNode aggLayers = agg.path("layers");
            if (aggLayers.isArray() && aggLayers.size() == layers.size()) {
                signal.add(signal(scheme, aggLayers, view.cells(model, scheme)));
                hist.add(histogram(scheme, aggLayers));
            }
            JsonNode ev = agg.path("eval_accuracy");
            if (ev.path("step").size() >= 2 && ev.path("mean").size() == ev.path("step").size()) {
                ObjectNode s = evalAcc.addObject().put("scheme", scheme);
                StudyView.arrayOf(s.putArray("x"), StudyView.doubles(ev.path("step")));
                band(s, ev);
            }
            JsonNode ea = agg.path("epoch_accuracy");
            if (ea.path("epoch").isArray() && !ea.path("epoch").isEmpty()) {
                ObjectNode s = acc.addObject().put("scheme", scheme);
                StudyView.arrayOf(s.putArray("x"), StudyView.doubles(ea.path("epoch")));
                band(s, ea);
            }
        }
        out.set("loss", loss(view, model, schemes));
        out.put("steps_per_epoch", stepsPerEpoch(view, model, schemes));
        return out;
    }

    /** Training steps per epoch, from a run that finished (0 when none did). */
    private static int stepsPerEpoch(StudyView view, String model, List<String> schemes) {
        for (String scheme : schemes) {
            for (JsonNode c : view.cells(model, scheme)) {
                int epochs = c.path("epochs").size();
                if (c.path("status").asText().equals("ok") && epochs > 0) return c.path("step_loss").size() / epochs;
            }
        }
        return 0;
    }

    /**
     * Per layer: the mean over seeds and, as the band, the seeds' lowest to highest value when two or more
     * seeds were diagnosed (on a log axis a t-interval from 2-3 seeds mostly reaches below zero and says
     * nothing); else the aggregate's interval.
     */
    private static ObjectNode signal(String scheme, JsonNode layers, List<JsonNode> cells) {
        ObjectNode s = F.objectNode().put("scheme", scheme);
        s.set("act", seedRange(intervals(layers, "output_std"), cells, layers.size(), "output_std"));
        s.set("grad", seedRange(intervals(layers, "grad_output_std"), cells, layers.size(), "grad_output_std"));
        s.set("pred", intervals(layers, "predicted_std"));
        return s;
    }

    private static ObjectNode seedRange(ObjectNode band, List<JsonNode> cells, int n, String field) {
        double[] low = new double[n], high = new double[n];
        java.util.Arrays.fill(low, Double.POSITIVE_INFINITY);
        java.util.Arrays.fill(high, Double.NEGATIVE_INFINITY);
        int seeds = 0;
        for (JsonNode c : cells) {
            JsonNode layers = c.path("diagnosis").path("layers");
            if (layers.size() != n) continue;
            seeds++;
            for (int i = 0; i < n; i++) {
                double v = StudyView.num(layers.get(i).path(field));
                if (!Double.isFinite(v)) continue;
                low[i] = Math.min(low[i], v);
                high[i] = Math.max(high[i], v);
            }
        }
        if (seeds < 2) return band.put("range", false);
        StudyView.arrayOf(band.putArray("low"), low);
        StudyView.arrayOf(band.putArray("high"), high);
        return band.put("range", true);
    }

    /** {mean, low, high} arrays over layers; a plain number in place of an interval counts as its mean. */
    private static ObjectNode intervals(JsonNode layers, String field) {
        int n = layers.size();
        double[] mean = new double[n], low = new double[n], high = new double[n];
        for (int i = 0; i < n; i++) {
            JsonNode v = layers.get(i).path(field);
            if (v.isNumber()) {
                mean[i] = low[i] = high[i] = StudyView.num(v);
            } else {
                mean[i] = StudyView.num(v.path("mean"));
                low[i] = StudyView.num(v.path("low"));
                high[i] = StudyView.num(v.path("high"));
            }
        }
        ObjectNode out = F.objectNode();
        StudyView.arrayOf(out.putArray("mean"), mean);
        StudyView.arrayOf(out.putArray("low"), low);
        StudyView.arrayOf(out.putArray("high"), high);
        return out;
    }

    private static ObjectNode histogram(String scheme, JsonNode layers) {
        ObjectNode h = F.objectNode().put("scheme", scheme);
        ArrayNode min = h.putArray("min"), max = h.putArray("max"), fractions = h.putArray("fractions");
        for (JsonNode l : layers) {
            JsonNode hist = l.path("histogram");
            StudyView.arrayOf(min, new double[] {StudyView.num(hist.path("min"))});
            StudyView.arrayOf(max, new double[] {StudyView.num(hist.path("max"))});
            JsonNode f = hist.has("fractions") ? hist.path("fractions") : hist.path("counts");
            double[] values = StudyView.doubles(f);
            double total = 0;
            for (double v : values) if (Double.isFinite(v)) total += v;
            if (!hist.has("fractions") && total > 0) {
                for (int i = 0; i < values.length; i++) values[i] /= total;
            }
            StudyView.arrayOf(fractions.addArray(), values);
        }
        return h;
    }

    /**
     * The loss per step, mean and 95% band across seeds, smoothed with one window for all schemes of the
     * model (the longest curve decides) and thinned to at most {@link Curves#MAX_POINTS} points; plus every
     * diverged cell's step, drawn as a marker.
     */
    private static ObjectNode loss(StudyView view, String model, List<String> schemes) {
        int longest = 0;
        for (String scheme : schemes) {
            longest = Math.max(longest, view.aggregate(model, scheme).path("step_loss").path("mean").size());
        }
        int window = Curves.window(longest);
        ObjectNode out = F.objectNode().put("window", window).put("points", longest);
        ArrayNode series = out.putArray("series");
        for (String scheme : schemes) {
            JsonNode sl = view.aggregate(model, scheme).path("step_loss");
            int n = sl.path("mean").size();
            if (n == 0) continue;
            int[] kept = Curves.keptIndices(n, Curves.stride(n));
            ObjectNode s = series.addObject().put("scheme", scheme);
            double[] steps = StudyView.doubles(sl.path("step"));
            if (steps.length != n) {
                steps = new double[n];
                for (int i = 0; i < n; i++) steps[i] = i + 1;
            }
            StudyView.arrayOf(s.putArray("x"), Curves.pick(steps, kept));
            band(s, sl, window, kept);
        }
        ArrayNode diverged = out.putArray("diverged");
        for (String scheme : schemes) {
            for (JsonNode c : view.cells(model, scheme)) {
                if (!c.path("status").asText().equals("diverged")) continue;
                double[] losses = StudyView.doubles(c.path("step_loss"));
                double last = Double.NaN;
                for (double v : losses) if (Double.isFinite(v)) last = v;
                ObjectNode d = diverged.addObject().put("scheme", scheme).put("seed", c.path("seed").asLong());
                StudyView.arrayOf(d.putArray("at"), new double[] {StudyView.num(c.path("diverged_at_step")), last});
            }
        }
        return out;
    }

    /** mean, low and high of {@code source} as they are (short curves: accuracy per epoch or per evaluation). */
    private static void band(ObjectNode target, JsonNode source) {
        band(target, source, 1, Curves.keptIndices(source.path("mean").size(), 1));
    }

    private static void band(ObjectNode target, JsonNode source, int window, int[] kept) {
        for (String key : new String[] {"mean", "low", "high"}) {
            double[] v = StudyView.doubles(source.path(key));
            if (v.length != source.path("mean").size()) v = StudyView.doubles(source.path("mean"));
            StudyView.arrayOf(target.putArray(key), Curves.pick(Curves.movingAverage(v, window), kept));
        }
    }
}
