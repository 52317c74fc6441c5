package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import static org.convinit.lab.report.Html.esc;

/**
 * The results table: per model and scheme, the rank, the verdict at init, final test accuracy and loss
 * (mean ± half the 95% interval), steps to the target accuracy, and what happened to every run.
 */
final class ResultsTable {
    private ResultsTable() {}

    static String html(StudyView view) {
        double target = StudyView.num(view.config().path("target_accuracy"));
        StringBuilder b = new StringBuilder();
        b.append("<div class=\"table-wrap\"><table class=\"results\">\n<thead><tr>")
                .append("<th class=\"num\">Rank</th><th>Scheme</th><th>At init</th>")
                .append("<th class=\"num\">Final test accuracy</th><th class=\"num\">Final test loss</th>")
                .append("<th class=\"num\">Steps to ")
                .append(Double.isFinite(target) ? Html.shortPercent(target) : "target").append("</th><th>Runs</th>")
                .append("</tr></thead>\n<tbody>\n");
        boolean several = view.models.size() > 1;
        for (String model : view.models) {
            if (several) {
                b.append("<tr class=\"group\"><th colspan=\"7\">Model <code>").append(esc(model))
                        .append("</code></th></tr>\n");
            }
            for (String scheme : view.schemes(model)) row(b, view, model, scheme);
        }
        b.append("</tbody></table></div>\n");
        return b.toString();
    }

    private static void row(StringBuilder b, StudyView view, String model, String scheme) {
        JsonNode agg = view.aggregate(model, scheme);
        List<JsonNode> cells = view.cells(model, scheme);
        boolean finished = Double.isFinite(StudyView.num(agg.path("final_test_accuracy").path("mean")));
        String rank = finished ? rank(view, model, scheme) : "—";
        b.append("<tr").append(rank.equals("1") ? " class=\"best\"" : "").append(">");
        b.append("<td class=\"num rank\">").append(esc(rank)).append("</td>");
        b.append("<td>").append(label(view, scheme)).append("</td>");
        b.append("<td>").append(verdict(cells)).append("</td>");
        b.append("<td class=\"num\">").append(accuracy(agg.path("final_test_accuracy"))).append("</td>");
        b.append("<td class=\"num\">").append(loss(agg.path("final_test_loss"))).append("</td>");
        b.append("<td class=\"num\">").append(steps(agg.path("steps_to_target"), agg.path("seeds"))).append("</td>");
        b.append("<td>").append(runs(cells)).append("</td>");
        b.append("</tr>\n");
    }

    /** A scheme's name in code type after a square of its colour in the charts. */
    static String label(StudyView view, String scheme) {
        return "<span class=\"scheme\"><span class=\"swatch\" style=\"background:"
                + ChartData.color(view.schemes.indexOf(scheme)) + "\"></span><code>" + esc(scheme) + "</code></span>";
    }

    private static String rank(StudyView view, String model, String scheme) {
        for (JsonNode r : view.study.path("ranking")) {
            if (r.path("model").asText().equals(model) && r.path("scheme").asText().equals(scheme)
                    && r.path("rank").isNumber()) {
                return Long.toString(r.path("rank").asLong());
            }
        }
        return "—";
    }

    /** The verdict most seeds share, with "(k of n seeds)" when they disagree. */
    private static String verdict(List<JsonNode> cells) {
        Map<String, List<JsonNode>> byKind = new LinkedHashMap<>();
        for (JsonNode c : cells) {
            JsonNode v = c.path("diagnosis").path("verdict");
            if (v.isObject()) byKind.computeIfAbsent(v.path("kind").asText(), k -> new ArrayList<>()).add(v);
        }
        if (byKind.isEmpty()) return "<span class=\"muted\">—</span>";
        Map.Entry<String, List<JsonNode>> top = null;
        int total = 0;
        for (Map.Entry<String, List<JsonNode>> e : byKind.entrySet()) {
            total += e.getValue().size();
            if (top == null || e.getValue().size() > top.getValue().size()) top = e;
        }
        String kind = top.getKey();
        String text = top.getValue().get(0).path("text").asText(kind);
        String agree = top.getValue().size() == total ? ""
                : " <span class=\"muted\">(" + top.getValue().size() + " of " + total + " seeds)</span>";
        return "<span class=\"verdict " + esc(kind) + "\">" + Html.prose(text) + "</span>" + agree;
    }

    private static String accuracy(JsonNode interval) {
        double mean = StudyView.num(interval.path("mean"));
        if (!Double.isFinite(mean)) return "<span class=\"muted\">—</span>";
        double low = StudyView.num(interval.path("low")), high = StudyView.num(interval.path("high"));
        if (!Double.isFinite(low) || !Double.isFinite(high) || high - low == 0) {
            return "<strong>" + Html.percent(mean) + "</strong>";
        }
        // the ± is the t-interval's half-width; its ends are shown clipped to what an accuracy can be
        return "<strong>" + Html.percent(mean) + "</strong> ± " + Html.points((high - low) / 2)
                + "<div class=\"ci\">95% CI " + Html.points(Math.max(0, low)) + "–" + Html.percent(Math.min(1, high))
                + "</div>";
    }

    private static String loss(JsonNode interval) {
        double mean = StudyView.num(interval.path("mean"));
        if (!Double.isFinite(mean)) return "<span class=\"muted\">—</span>";
        double low = StudyView.num(interval.path("low")), high = StudyView.num(interval.path("high"));
        return Html.plusMinus(mean, Double.isFinite(low) && Double.isFinite(high) ? (high - low) / 2 : 0);
    }

    private static String steps(JsonNode interval, JsonNode seeds) {
        int reached = interval.path("reached").asInt(0);
        String of = seeds.isNumber() ? " of " + seeds.asInt() : "";
        double mean = StudyView.num(interval.path("mean"));
        if (reached == 0 || !Double.isFinite(mean)) return "<span class=\"muted\">not reached</span>";
        double low = StudyView.num(interval.path("low")), high = StudyView.num(interval.path("high"));
        String range = Double.isFinite(low) && Double.isFinite(high) && high > low
                ? "<div class=\"ci\">95% CI " + Html.count(low) + "–" + Html.count(high) + "</div>" : "";
        return Html.count(mean) + range + "<div class=\"ci\">" + reached + of + " seeds reached it</div>";
    }

    /** "3 ok", or the fate of each run that did not finish: "seed 1 diverged at step 37". */
    static String runs(List<JsonNode> cells) {
        int ok = 0;
        List<String> notes = new ArrayList<>();
        for (JsonNode c : cells) {
            String status = c.path("status").asText("ok");
            String seed = "seed " + c.path("seed").asText("?");
            switch (status) {
                case "ok" -> ok++;
                case "diverged" -> notes.add("<span class=\"bad\">" + esc(seed) + " diverged"
                        + (c.path("diverged_at_step").isNumber()
                                ? " at step " + c.path("diverged_at_step").asLong() : "") + "</span>");
                case "not_run" -> notes.add("<span class=\"muted\">" + esc(seed) + " not run (stopped early)</span>");
                default -> notes.add("<span class=\"bad\">" + esc(seed) + " " + esc(status)
                        + (c.path("error").isTextual() ? ": " + esc(c.path("error").asText()) : "") + "</span>");
            }
        }
        StringBuilder b = new StringBuilder();
        if (ok > 0 || notes.isEmpty()) b.append(ok).append(" ok");
        for (String n : notes) b.append(b.length() > 0 ? "<br>" : "").append(n);
        return b.toString();
    }
}
