package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The signal-propagation numbers beside the charts: per scheme, the factor by which a conv layer changes the
 * activation std (geometric mean over the conv layers, mean and 95% interval over seeds), measured and as
 * He et al. 2015 predict it from the fans and the weights. From an aggregate's {@code propagation}; no table
 * when the study wrote none.
 */
final class PropagationTable {
    private PropagationTable() {}

    static String html(StudyView view, String model) {
        StringBuilder rows = new StringBuilder();
        for (String scheme : view.schemes(model)) {
            JsonNode p = view.aggregate(model, scheme).path("propagation");
            if (!p.isObject()) continue;
            rows.append("<tr><td>").append(ResultsTable.label(view, scheme)).append("</td><td class=\"num\">")
                    .append(p.path("conv_layers").isNumber() ? p.path("conv_layers").asInt() : "—")
                    .append("</td><td class=\"num\">").append(factor(p.path("measured_std_ratio")))
                    .append("</td><td class=\"num\">").append(factor(p.path("predicted_std_ratio")))
                    .append("</td></tr>\n");
        }
        if (rows.length() == 0) return "";
        return "<div class=\"table-wrap\"><table class=\"results propagation\">\n<thead><tr><th>Scheme</th>"
                + "<th class=\"num\">Conv layers</th><th class=\"num\">Std per conv layer, measured</th>"
                + "<th class=\"num\">Predicted (He et al. 2015)</th></tr></thead>\n<tbody>\n" + rows
                + "</tbody></table></div>\n<p class=\"caption\">The factor by which each conv layer multiplies the "
                + "activation std at init (mean over seeds, 95% interval below): ×1 keeps the signal, ×0.71 "
                + "(1/√2) is Xavier's halving of the variance behind a ReLU.</p>\n";
    }

    private static String factor(JsonNode interval) {
        double mean = StudyView.num(interval.isNumber() ? interval : interval.path("mean"));
        if (!Double.isFinite(mean)) return "<span class=\"muted\">—</span>";
        double low = StudyView.num(interval.path("low")), high = StudyView.num(interval.path("high"));
        String range = Double.isFinite(low) && Double.isFinite(high) && high - low > 5e-4 * Math.abs(mean)
                ? "<div class=\"ci\">95% CI " + Html.num(low) + " to " + Html.num(high) + "</div>" : "";
        return "<strong>×" + Html.num(mean) + "</strong>" + range;
    }
}
