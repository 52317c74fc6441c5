package org.convinit.lab.report;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

class StudyReportTest {
    private static final String PAGE = StudyReport.render(StudyFixture.study());

    @Test
    void everyPanelIsOnThePage() {
        assertThat(PAGE).contains("In plain words", "Results", "Signal propagation at init",
                "Activation histograms at init", "Training", "Reproducibility");
        for (String scheme : StudyFixture.SCHEMES) assertThat(PAGE).contains(Html.esc(scheme));
        assertThat(PAGE).contains("Caveats: 3 seeds, 2 epochs");
        assertThat(PAGE).contains("9f2c".repeat(16), "0, 1, 2", "Java 17.0.15", "PyTorch 1.13.1 semantics");
        assertThat(PAGE).contains("complete: all 30 runs");
    }

    @Test
    void onlyTheChartsThereIsDataFor() {
        // per model: activation std, gradient std, loss, accuracy, and one heatmap per scheme with layers
        assertThat(count(PAGE, "<div class=\"chart ")).isEqualTo(2 * (4 + StudyFixture.SCHEMES.size()));
        assertThat(count(PAGE, "data-kind=\"hist\"")).isEqualTo(2 * StudyFixture.SCHEMES.size());
    }

    @Test
    void divergedRunsAreNamedWithTheirStep() {
        assertThat(PAGE).contains("seed 1 diverged at step 45", "seed 0 diverged at step 2",
                "seed 2 diverged at step 4");
        // plain8 x normal_(std=10): every seed diverged, so no accuracy, and "not reached"
        String plainRow = PAGE.substring(PAGE.indexOf("Model <code>plain8"));
        plainRow = plainRow.substring(plainRow.indexOf("normal_(std=10)"));
        plainRow = plainRow.substring(0, plainRow.indexOf("</tr>"));
        assertThat(plainRow).contains("<span class=\"muted\">—</span>", "not reached").doesNotContain(" ok");
    }

    @Test
    void tableGivesMeanPlusMinusHalfTheInterval() {
        ObjectNode study = StudyFixture.study();
        ObjectNode agg = (ObjectNode) study.path("aggregates").get(0);
        agg.putObject("final_test_accuracy").put("mean", 0.8137).put("low", 0.8012).put("high", 0.8262);
        assertThat(StudyReport.render(study)).contains("<strong>81.4%</strong> ± 1.3", "95% CI 80.1–82.6%");
        agg.putObject("final_test_accuracy").put("mean", 0.158).put("low", -0.637).put("high", 0.952);
        assertThat(StudyReport.render(study)).contains("<strong>15.8%</strong> ± 79.5", "95% CI 0.0–95.2%");
    }

    @Test
    void nothingFromTheStudyEscapesIntoMarkupOrScript() {
        assertThat(PAGE).contains("--out &lt;/script&gt;&lt;b&gt;x&lt;/b&gt;.html");
        ObjectNode study = StudyFixture.study();
        ((ObjectNode) study.path("aggregates").get(0)).put("scheme", "evil</script><script>alert(1)</script>");
        String page = StudyReport.render(study);
        assertThat(count(page, "</script>")).isEqualTo(count(page, "<script"));
        assertThat(page).doesNotContain("<script>alert(1)");
        assertThat(Html.scriptJson("{\"a\":\"</script><!--&\u2028\"}"))
                .isEqualTo("{\"a\":\"\\u003c/script\\u003e\\u003c!--\\u0026\\u2028\"}");
    }

    @Test
    void theChartDataRoundTripsAsJson() throws IOException {
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"study-data\">(.*?)</script>",
                Pattern.DOTALL).matcher(PAGE);
        assertThat(m.find()).isTrue();
        var data = new ObjectMapper().readTree(m.group(1));
        assertThat(data.path("models")).hasSize(2);
        var plain = data.path("models").get(1);
        assertThat(plain.path("layers")).hasSize(18);
        assertThat(plain.path("signal").get(0).path("pred").path("mean").get(1).isNull()).isTrue(); // a ReLU
        // the band: lowest to highest seed, from the cells' diagnoses
        var act = plain.path("signal").get(0).path("act");
        assertThat(act.path("range").asBoolean()).isTrue();
        double lo = Double.MAX_VALUE;
        for (var c : StudyFixture.study().path("cells")) {
            if (c.path("model").asText().equals("plain8") && c.path("scheme").asText().equals("default")) {
                lo = Math.min(lo, c.path("diagnosis").path("layers").get(4).path("output_std").asDouble());
            }
        }
        assertThat(act.path("low").get(4).asDouble()).isEqualTo(StudyView.round(lo));
        assertThat(plain.path("loss").path("window").asInt()).isEqualTo(Curves.window(314));
        assertThat(plain.path("loss").path("series")).hasSize(4); // normal_(std=10) diverged on every seed
        assertThat(plain.path("loss").path("diverged")).hasSize(3);
        assertThat(plain.path("accuracy").get(0).path("x")).hasSize(2);
    }

    @Test
    void offlineEverythingInlined() {
        assertThat(PAGE).contains("Apache ECharts", "Copyright 2017-2022 The Apache Software Foundation",
                "echarts.init(el, null, { renderer: 'svg' })");
        assertThat(PAGE).doesNotContainPattern("<script[^>]+src=").doesNotContain("<link ")
                .doesNotContainPattern("url\\((?!['\"]?#)");
        assertThat(PAGE.length()).isGreaterThan(1_000_000); // the ECharts bundle itself
    }

    @Test
    void aStudyStoppedEarlySaysSo() {
        ObjectNode study = StudyFixture.study();
        ((ObjectNode) study.path("reproducibility")).put("complete", false);
        ObjectNode last = (ObjectNode) study.path("cells").get(study.path("cells").size() - 1);
        last.put("status", "not_run");
        String page = StudyReport.render(study);
        assertThat(page).contains("stopped early: 29 of 30 runs finished", "seed 2 not run (stopped early)");
    }

    /** A study cut short before anything finished: no aggregates, a failed cell without a diagnosis. */
    static ObjectNode minimalStudy() {
        ObjectNode study = new ObjectMapper().createObjectNode().put("schema", "convinit-study/1");
        study.putObject("config").putArray("models").addObject().put("name", "cnn");
        var cells = study.putArray("cells");
        cells.addObject().put("model", "cnn").put("scheme", "xavier_uniform_").put("seed", 0).put("status", "failed")
                .put("error", "weights file: shape [8, 1, 3, 3] does not fit <model> [16, 1, 3, 3]").putNull("diagnosis");
        cells.addObject().put("model", "cnn").put("scheme", "xavier_uniform_").put("seed", 1).put("status", "not_run");
        study.putObject("reproducibility").put("complete", false);
        return study;
    }

    @Test
    void aStudyWithNothingFinishedStillRendersWhatItKnows() {
        String page = StudyReport.render(minimalStudy());
        assertThat(page).contains("stopped early: 1 of 2 runs finished",
                "seed 0 failed: weights file: shape [8, 1, 3, 3] does not fit &lt;model&gt; [16, 1, 3, 3]",
                "seed 1 not run", "The study wrote no summary.");
        assertThat(count(page, "<div class=\"chart ")).isEqualTo(4);
    }

    @Test
    void anotherDocumentIsRefusedByName() {
        ObjectNode diagnose = new ObjectMapper().createObjectNode().put("schema", "convinit-diagnose/1");
        assertThatThrownBy(() -> StudyReport.render(diagnose)).isInstanceOf(IllegalArgumentException.class)
                .hasMessage("study document: schema must be \"convinit-study/1\", got \"convinit-diagnose/1\"");
    }

    @Test
    void writeReplacesTheFileAtomicallyAndLeavesNoTemporaryFile(@TempDir Path dir) throws IOException {
        Path html = dir.resolve("sub/report.html");
        StudyReport.write(StudyFixture.study(), html);
        Files.writeString(html, "old");
        StudyReport.write(StudyFixture.study(), html);
        assertThat(Files.readString(html)).startsWith("<!DOCTYPE html>").endsWith("</html>\n");
        try (Stream<Path> files = Files.list(html.getParent())) {
            assertThat(files).containsExactly(html);
        }
        ObjectNode bad = new ObjectMapper().createObjectNode();
        Path other = dir.resolve("other.html");
        assertThatThrownBy(() -> StudyReport.write(bad, other)).hasMessageContaining("got none");
        assertThat(other).doesNotExist();
    }

    @Test
    void theStdFactorPerConvLayerIsTabulatedMeasuredAndPredicted() {
        String plain = PAGE.substring(PAGE.indexOf("id=\"model-1\""));
        String row = plain.substring(plain.indexOf("<table class=\"results propagation\">"));
        row = row.substring(row.indexOf("xavier_uniform_"), row.indexOf("</tr>", row.indexOf("xavier_uniform_")));
        assertThat(row).contains("<td class=\"num\">8</td>", "<strong>×0.707</strong>");
        assertThat(StudyReport.render(minimalStudy())).doesNotContain("results propagation");
    }

    @Test
    void aLongModelExpressionFoldsAway() {
        ObjectNode study = StudyFixture.study();
        String expr = "Sequential(" + "Conv2d(16, 16, 3, padding=1), ReLU(), ".repeat(30) + "Flatten(), Linear(12544, 10))";
        ((ObjectNode) study.path("config").path("models").get(1)).put("model", expr);
        String page = StudyReport.render(study);
        assertThat(page).contains("<details class=\"expr\"><summary><code>"
                + expr.substring(0, PageBody.EXPR_INLINE - 40) + "</code> … ", "</summary><code>" + expr + "</code></details>");
        assertThat(page).contains("<p class=\"expr\"><code>" + Html.esc(StudyFixture.CNN.expr()) + "</code></p>");
    }

    @Test
    void timesAndTargetsReadAsPeopleWriteThem() {
        assertThat(Html.when("2026-12-01T00:14:56.651728871Z")).isEqualTo("2026-12-01 00:14:56 UTC");
        assertThat(Html.when("yesterday")).isEqualTo("yesterday");
        assertThat(Html.shortPercent(0.75)).isEqualTo("75%");
        assertThat(Html.shortPercent(0.755)).isEqualTo("75.5%");
        assertThat(PAGE).contains("Steps to 80%", "2026-11-30 23:59:00 UTC");
    }

    @Test
    void powersOfTenInProseAreSuperscripts() {
        assertThat(Html.prose("shrink by 10^-3.2 over 8 layers <b>")).isEqualTo("shrink by 10<sup>-3.2</sup> over 8 layers &lt;b&gt;");
        assertThat(Html.prose("grow by 10^11 (exploding)")).isEqualTo("grow by 10<sup>11</sup> (exploding)");
        assertThat(PAGE).contains("activations shrink by 10<sup>-3.0</sup> over 9 weight layers");
    }

    @Test
    void plusMinusUsesTheMeansDecimals() {
        assertThat(Html.plusMinus(0.4652, 0.0123)).isEqualTo("0.465 ± 0.012");
        assertThat(Html.plusMinus(0.4652, 1.6e-16)).isEqualTo("0.465");
        assertThat(Html.plusMinus(12.34, 0.56)).isEqualTo("12.3 ± 0.6");
        assertThat(Html.plusMinus(2.5e-5, 1e-6)).isEqualTo("2.50e-05 ± 1.00e-06");
        assertThat(Html.plusMinus(Double.NaN, 1)).isEqualTo("—");
    }

    static int count(String s, String needle) {
        int n = 0;
        for (int i = s.indexOf(needle); i >= 0; i = s.indexOf(needle, i + 1)) n++;
        return n;
    }
}
