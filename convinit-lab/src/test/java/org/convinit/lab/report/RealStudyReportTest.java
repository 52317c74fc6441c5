package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

import static org.assertj.core.api.Assertions.assertThat;

/** The report of a document the study code wrote ({@link RealStudy}): every panel has its data. */
class RealStudyReportTest {
    @Test
    void everySchemeOfEveryModelHasItsSeriesAndEveryDivergenceIsNamed() throws Exception {
        ObjectNode study = RealStudy.document();
        String page = StudyReport.render(study);
        Matcher m = Pattern.compile("<script type=\"application/json\" id=\"study-data\">(.*?)</script>", Pattern.DOTALL)
                .matcher(page);
        assertThat(m.find()).isTrue();
        JsonNode data = new ObjectMapper().readTree(m.group(1));
        assertThat(data.path("models")).hasSize(2);
        for (JsonNode model : data.path("models")) {
            String name = model.path("name").asText();
            assertThat(model.path("signal")).as(name + " signal series").hasSize(3);
            assertThat(model.path("histograms")).as(name + " heatmaps").hasSize(3);
            for (JsonNode s : model.path("signal")) {
                assertThat(s.path("act").path("mean").get(0).isNumber()).as(name + " " + s.path("scheme")).isTrue();
                assertThat(s.path("act").path("range").asBoolean()).as("2 seeds diagnosed").isTrue();
            }
            assertThat(model.path("layers").path(0).path("weight").asBoolean()).isTrue();
            assertThat(model.path("eval_accuracy").size() + model.path("accuracy").size()).as(name + " accuracy").isPositive();
        }
        int diverged = 0;
        for (JsonNode c : study.path("cells")) {
            if (!c.path("status").asText().equals("diverged")) continue;
            diverged++;
            assertThat(page).contains("seed " + c.path("seed").asLong() + " diverged at step " + c.path("diverged_at_step").asLong());
        }
        assertThat(diverged).as("normal_(std=10) on plain6 diverges (the study's own tests rely on it)").isPositive();
        for (JsonNode s : study.path("summary")) assertThat(page).contains(Html.prose(s.asText()));
        assertThat(page).contains(Html.esc(study.path("reproducibility").path("data").path("sha256").asText()));
    }
}
