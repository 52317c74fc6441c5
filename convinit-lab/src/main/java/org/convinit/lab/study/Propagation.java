package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * Signal propagation through a model's conv layers at init, per layer, as He et al. 2015 (sec. 2.2) state it: the
 * std of a conv layer's output divided by the previous conv layer's, as a geometric mean over the conv layers after
 * the first ({@code (std_last / std_first)^(1 / (L - 1))}), measured on the diagnosis batch; and the ratio the
 * theory predicts, the geometric mean of {@code sqrt(predicted_gain)} over the same layers (diagnose's
 * {@code predicted_gain}: {@code 1/2 · fan_in · mean(w²)} behind a ReLU). For a plain ReLU net He et al. predict
 * {@code 1/sqrt(2) ≈ 0.707} under Xavier, {@code 1} under Kaiming and {@code 1/sqrt(6) ≈ 0.408} under PyTorch's default.
 */
record Propagation(int convLayers, double measuredRatio, double predictedRatio) {

    /** The propagation of one diagnosis document's conv layers, or null with fewer than two of them (or missing numbers). */
    static Propagation of(JsonNode diagnosis) {
        if (diagnosis == null || !diagnosis.has("layers")) return null;
        List<JsonNode> convs = new ArrayList<>();
        for (JsonNode l : diagnosis.get("layers")) if (l.path("type").asText().startsWith("Conv")) convs.add(l);
        if (convs.size() < 2) return null;
        double first = convs.get(0).path("output_std").asDouble(Double.NaN);
        double last = convs.get(convs.size() - 1).path("output_std").asDouble(Double.NaN);
        double logGain = 0;
        for (JsonNode l : convs.subList(1, convs.size())) logGain += Math.log(l.path("predicted_gain").asDouble(Double.NaN));
        int steps = convs.size() - 1;
        double measured = Math.pow(last / first, 1.0 / steps);
        double predicted = Math.exp(0.5 * logGain / steps);
        if (!Double.isFinite(measured) || !Double.isFinite(predicted)) return null;
        return new Propagation(convs.size(), measured, predicted);
    }
}
