package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.convinit.lab.report.Html.esc;

/**
 * The page's HTML: header, summary, results, one section per model with the chart containers (the
 * script fills every {@code div.chart} from the embedded data), reproducibility. Text is rendered here,
 * so it reads even where scripts do not run.
 */
final class PageBody {
    /** Model expressions longer than this fold away (a 30-layer net's is over 1,500 characters). */
    static final int EXPR_INLINE = 200;

    private PageBody() {}

    static String title(StudyView view) {
        return "convinit study: " + String.join(", ", view.models) + " — " + view.schemes.size() + " initializations";
    }

    static String html(StudyView view, JsonNode data) {
        StringBuilder b = new StringBuilder(16_384);
        header(b, view);
        summary(b, view);
        b.append("<section class=\"card\" id=\"results\"><h2>Results</h2>\n");
        b.append(ResultsTable.html(view));
        b.append("<p class=\"caption\">Mean over the seeds that finished, ± half the 95% Student-t interval. "
                + "The interval's ends are clipped to 0–100%. Rank by final test accuracy; neighbours whose intervals overlap are not distinguishable with "
                + "this many seeds. \"At init\": the diagnosis of the untrained network (activation std from the "
                + "first to the last weight layer).</p></section>\n");
        for (int m = 0; m < view.models.size(); m++) model(b, view, data, m);
        Reproducibility.html(b, view);
        b.append("<footer>Made by convinit ").append(esc(view.reproducibility().path("convinit_version").asText("")))
                .append(". Charts: Apache ECharts 5.3.1 (Apache License 2.0), inlined — this file opens offline "
                        + "and fetches nothing.</footer>\n");
        return b.toString();
    }

    private static void header(StringBuilder b, StudyView view) {
        JsonNode c = view.config();
        List<String> facts = new ArrayList<>();
        facts.add(view.schemes.size() + " initializations × " + c.path("seeds").size() + " seeds"
                + (view.models.size() > 1 ? " × " + view.models.size() + " models" : ""));
        if (c.path("epochs").isNumber()) {
            facts.add(c.path("epochs").asInt() + (c.path("epochs").asInt() == 1 ? " epoch" : " epochs"));
        }
        String opt = c.path("optimizer").asText("");
        if (!opt.isEmpty()) {
            facts.add(opt.toUpperCase(java.util.Locale.ROOT)
                    + (c.path("lr").isNumber() ? " lr " + Html.num(c.path("lr").asDouble()) : "")
                    + (c.path("batch_size").isNumber() ? ", batch " + c.path("batch_size").asInt() : ""));
        }
        String data = view.reproducibility().path("data").path("source").asText("");
        if (!data.isEmpty()) facts.add(data);
        if (c.path("preset").isTextual()) facts.add("preset " + c.path("preset").asText());
        b.append("<header class=\"top\"><div class=\"brand\">convinit · initialization study</div>\n<h1>")
                .append(view.models.size() == 1 ? "Which initialization helps <code>" + esc(view.models.get(0))
                        + "</code>?" : "Which initialization helps these networks?")
                .append("</h1>\n<p class=\"facts\">").append(esc(String.join(" · ", facts))).append("</p>\n");
        int total = view.study.path("cells").size();
        long done = 0;
        for (JsonNode cell : view.study.path("cells")) if (!cell.path("status").asText().equals("not_run")) done++;
        if (view.complete()) {
            b.append("<span class=\"badge ok\">complete: all ").append(total).append(" runs</span>");
        } else {
            b.append("<span class=\"badge warn\">stopped early: ").append(done).append(" of ").append(total)
                    .append(" runs finished</span>");
        }
        String started = view.reproducibility().path("started").asText("");
        if (!started.isEmpty()) b.append(" <span class=\"when\">").append(esc(Html.when(started))).append("</span>");
        b.append("</header>\n");
    }

    private static void summary(StringBuilder b, StudyView view) {
        b.append("<section class=\"card\" id=\"summary\"><h2>In plain words</h2>\n<ul class=\"summary\">\n");
        JsonNode sentences = view.study.path("summary");
        if (sentences.isEmpty()) b.append("<li class=\"muted\">The study wrote no summary.</li>\n");
        for (JsonNode s : sentences) b.append("<li>").append(Html.prose(s.asText())).append("</li>\n");
        b.append("</ul></section>\n");
    }

    private static void model(StringBuilder b, StudyView view, JsonNode data, int m) {
        String name = view.models.get(m);
        b.append("<section class=\"card model\" id=\"model-").append(m).append("\">\n<h2>")
                .append(view.models.size() > 1 ? "Model " : "The network: ").append("<code>").append(esc(name))
                .append("</code></h2>\n");
        String expr = view.expression(name);
        if (expr.length() > EXPR_INLINE) {
            b.append("<details class=\"expr\"><summary><code>").append(esc(expr.substring(0, EXPR_INLINE - 40)))
                    .append("</code> … <span class=\"muted\">(the whole expression)</span></summary><code>")
                    .append(esc(expr)).append("</code></details>\n");
        } else if (!expr.isEmpty()) {
            b.append("<p class=\"expr\"><code>").append(esc(expr)).append("</code></p>\n");
        }

        b.append("<h3>Signal propagation at init</h3>\n<p class=\"caption\">Standard deviation of each layer's "
                + "output (left) and of the loss gradient with respect to it (right), on one fixed batch before "
                + "training; log scale, mean over seeds, the band from the lowest to the highest seed. Dashed: the theory's prediction "
                + "(He et al. 2015: each weight layer multiplies the variance by <i>c</i>·fan_in·mean(w²), "
                + "<i>c</i> = ½ after a ReLU). A flat line keeps the signal; a falling one vanishes, a rising one "
                + "explodes.</p>\n<label class=\"toggle\"><input type=\"checkbox\" class=\"all-layers\" data-model=\"")
                .append(m).append("\"> every layer (activations, pooling, norms), not only conv and linear</label>\n")
                .append("<div class=\"row\">").append(chart("act", m, -1)).append(chart("grad", m, -1))
                .append("</div>\n").append(PropagationTable.html(view, name));

        int hists = data.path("models").path(m).path("histograms").size();
        if (hists > 0) {
            b.append("<h3>Activation histograms at init</h3>\n<p class=\"caption\">One row per layer (input at the "
                    + "top), 40 bins spanning that layer's own min…max (hover for the values); colour: fraction of the "
                    + "layer's outputs in the bin, on a square-root scale, mean over seeds. A ReLU's mass piles up in "
                    + "its first bin (the zeros); a vanishing signal keeps its shape while the range shrinks.</p>\n"
                    + "<div class=\"grid\"" + (hists <= 4 ? " style=\"grid-template-columns: repeat(" + Math.max(3, hists)
                            + ", minmax(0, 1fr))\"" : "") + ">");
            for (int h = 0; h < hists; h++) {
                String scheme = data.path("models").path(m).path("histograms").path(h).path("scheme").asText();
                b.append("<figure class=\"heat\"><figcaption>").append(ResultsTable.label(view, scheme))
                        .append("</figcaption>")
                        .append(chart("hist", m, h)).append("</figure>");
            }
            b.append("</div>\n");
        }

        b.append("<h3>Training</h3>\n<p class=\"caption\">Left: training loss per step, mean over the seeds that "
                + "did not diverge with its 95% band").append(smoothing(data.path("models").path(m).path("loss"))).append(". Right: test accuracy")
                .append(data.path("models").path(m).path("eval_accuracy").isEmpty() ? " after each epoch"
                        : " during training (the test set evaluated at each dot; dashed: epoch ends)")
                .append(", mean with its 95% band. Bands are clipped to what a loss (≥ 0) or an accuracy (0–100%) "
                        + "can be: with few seeds a t-interval reaches past them.</p>\n<div class=\"row\">")
                .append(chart("loss", m, -1)).append(chart("acc", m, -1)).append("</div>\n");
        String diverged = divergedNote(view, name);
        if (!diverged.isEmpty()) b.append("<p class=\"note\">").append(diverged).append("</p>\n");
        b.append("</section>\n");
    }

    private static String smoothing(JsonNode loss) {
        int window = loss.path("window").asInt(1);
        int points = loss.path("points").asInt(0);
        if (window <= 1) return "";
        return "; the page shows a centred moving average over " + window + " steps (of " + points
                + "), thinned to at most " + Curves.MAX_POINTS + " points — the JSON and CSV have every step";
    }

    private static String divergedNote(StudyView view, String model) {
        List<String> parts = new ArrayList<>();
        for (String scheme : view.schemes(model)) {
            List<String> seeds = new ArrayList<>();
            for (JsonNode c : view.cells(model, scheme)) {
                if (!c.path("status").asText().equals("diverged")) continue;
                seeds.add("seed " + esc(c.path("seed").asText()) + (c.path("diverged_at_step").isNumber()
                        ? " at step " + c.path("diverged_at_step").asLong() : ""));
            }
            if (!seeds.isEmpty()) {
                parts.add(ResultsTable.label(view, scheme) + " diverged (loss NaN "
                        + "or infinite): " + String.join(", ", seeds));
            }
        }
        return parts.isEmpty() ? "" : "<strong>Diverged.</strong> " + String.join("; ", parts)
                + ". Marked ✕ on the loss chart; those runs are left out of the means.";
    }

    private static String chart(String kind, int model, int series) {
        return "<div class=\"chart " + kind + "\" data-kind=\"" + kind + "\" data-model=\"" + model + "\""
                + (series >= 0 ? " data-series=\"" + series + "\"" : "") + "></div>";
    }
}
