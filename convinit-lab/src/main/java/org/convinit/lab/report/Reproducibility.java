package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;

import java.util.ArrayList;
import java.util.List;

import static org.convinit.lab.report.Html.esc;

/** The reproducibility block: the exact command, seeds, schemes, training setup, data and its hash, versions. */
final class Reproducibility {
    private Reproducibility() {}

    static void html(StringBuilder b, StudyView view) {
        JsonNode r = view.reproducibility();
        JsonNode c = view.config();
        b.append("<section class=\"card\" id=\"reproducibility\"><h2>Reproducibility</h2>\n")
                .append("<p class=\"caption\">Run this to get the same numbers (bit for bit: the same seed gives "
                        + "every scheme the same weights stream and batch order).</p>\n")
                .append("<pre class=\"command\"><code>").append(esc(r.path("command").asText("(not recorded)")))
                .append("</code></pre>\n<dl class=\"facts\">\n");
        List<String> seeds = new ArrayList<>();
        for (JsonNode s : c.path("seeds")) seeds.add(s.asText());
        item(b, "Seeds", esc(String.join(", ", seeds)));
        List<String> schemes = new ArrayList<>();
        for (String s : view.schemes) schemes.add(ResultsTable.label(view, s));
        item(b, "Initializations", String.join("<br>", schemes));
        List<String> models = new ArrayList<>();
        for (String m : view.models) {
            String expr = view.expression(m);
            models.add("<code>" + esc(m) + "</code>" + (expr.isEmpty() ? "" : ": <code>" + esc(expr) + "</code>"));
        }
        item(b, view.models.size() == 1 ? "Model" : "Models", String.join("<br>", models));
        List<String> training = new ArrayList<>();
        if (c.path("epochs").isNumber()) {
            training.add(c.path("epochs").asInt() + (c.path("epochs").asInt() == 1 ? " epoch" : " epochs"));
        }
        if (c.path("optimizer").isTextual()) training.add("optimizer " + c.path("optimizer").asText());
        if (c.path("lr").isNumber()) training.add("lr " + Html.num(c.path("lr").asDouble()));
        if (c.path("batch_size").isNumber()) training.add("batch size " + c.path("batch_size").asInt());
        if (c.path("target_accuracy").isNumber()) {
            training.add("target accuracy " + Html.shortPercent(c.path("target_accuracy").asDouble()));
        }
        if (c.path("parallel_cells").isNumber()) training.add(c.path("parallel_cells").asInt() + " runs in parallel");
        if (c.path("max_minutes").isNumber()) training.add("time limit " + Html.num(c.path("max_minutes").asDouble()) + " min");
        if (c.path("preset").isTextual()) training.add("preset " + c.path("preset").asText());
        item(b, "Training", esc(String.join(" · ", training)));
        JsonNode d = r.path("data");
        List<String> data = new ArrayList<>();
        data.add(esc(d.path("source").asText("—")));
        if (d.path("train_examples").isNumber() || d.path("test_examples").isNumber()) {
            data.add(Html.count(StudyView.num(d.path("train_examples"))) + " training, "
                    + Html.count(StudyView.num(d.path("test_examples"))) + " test images");
        }
        item(b, "Data", String.join(" · ", data));
        if (d.path("sha256").isTextual()) {
            item(b, "Data SHA-256", "<code class=\"hash\">" + esc(d.path("sha256").asText()) + "</code>");
        }
        List<String> weights = new ArrayList<>();
        for (JsonNode w : r.path("weights")) {
            weights.add("<code>" + esc(w.path("scheme").asText()) + "</code>: <code>" + esc(w.path("path").asText())
                    + "</code><br><code class=\"hash\">" + esc(w.path("sha256").asText()) + "</code>");
        }
        if (!weights.isEmpty()) item(b, "Weights files (SHA-256)", String.join("<br>", weights));
        List<String> versions = new ArrayList<>();
        if (r.path("convinit_version").isTextual()) versions.add("convinit " + r.path("convinit_version").asText());
        if (r.path("torch_semantics").isTextual()) {
            versions.add("PyTorch " + r.path("torch_semantics").asText() + " semantics");
        }
        if (r.path("java").isTextual()) versions.add("Java " + r.path("java").asText());
        if (r.path("kernels").isTextual()) versions.add(r.path("kernels").asText() + " kernels");
        if (r.path("os").isTextual()) versions.add(r.path("os").asText());
        item(b, "Versions", esc(String.join(" · ", versions)));
        String when = Html.when(r.path("started").asText("—")) + (r.path("wall_seconds").isNumber()
                ? ", took " + Html.duration(r.path("wall_seconds").asDouble()) : "");
        item(b, "Run", esc(when) + " · " + (view.complete() ? "complete"
                : "<span class=\"bad\">stopped early</span> (Ctrl-C or the time limit): the report shows the runs "
                        + "that finished"));
        b.append("</dl></section>\n");
    }

    private static void item(StringBuilder b, String term, String html) {
        b.append("<dt>").append(esc(term)).append("</dt><dd>").append(html).append("</dd>\n");
    }
}
