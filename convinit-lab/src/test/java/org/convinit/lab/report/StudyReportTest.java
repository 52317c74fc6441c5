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
