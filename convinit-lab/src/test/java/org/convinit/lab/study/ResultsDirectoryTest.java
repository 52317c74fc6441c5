package org.convinit.lab.study;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Cells and results as JSON, number for number; a results directory resumes a study by running only the missing cells. */
class ResultsDirectoryTest {
    private static final StudyData DATA = StudyFixtures.data(320, 96);
    private static final DataSpec SPEC = new DataSpec("/data/synthetic", 320, 96);

    @TempDir
    Path dir;

    /** The document without wall times, as parsed text (a number read back is a double node where a float one was written). */
    private static JsonNode numbers(Plan plan, List<CellResult> results) throws Exception {
        ObjectNode doc = StudyDocument.build(plan, DATA, results, new Provenance("test", "0", Instant.EPOCH, 0, true, null, null, 1));
        return StudyRunnerTest.numbers((ObjectNode) new ObjectMapper().readTree(doc.toString()));
    }

    @Test
    void aCellIsOneLineOfJsonAndItsKeyIgnoresItsPlaceInThePlan() {
        Plan plan = StudyFixtures.plan(List.of(Scheme.DEFAULT, StudyFixtures.XAVIER), 2, 1, 0.05);
        Cell cell = plan.cells().get(3);
        CellSpec spec = CellSpec.of(cell, plan.config(), SPEC);
        String json = spec.toJson();
        assertThat(json).doesNotContain("\n").contains("\"scheme\":\"xavier_uniform_\"", "\"seed\":1", "\"train_limit\":320");
        assertThat(CellSpec.fromJson(json)).isEqualTo(spec);
        CellSpec moved = new CellSpec(7, spec.model(), spec.modelExpr(), spec.scheme(), spec.seed(), spec.config(), spec.data());
        assertThat(moved.key()).isEqualTo(spec.key()).hasSize(16);
        CellSpec otherSeed = new CellSpec(3, spec.model(), spec.modelExpr(), spec.scheme(), 2, spec.config(), spec.data());
        assertThat(otherSeed.key()).isNotEqualTo(spec.key());
        CellSpec otherData = CellSpec.of(cell, plan.config(), new DataSpec(null, 320, 96));
        assertThat(otherData.key()).isNotEqualTo(spec.key());
        assertThat(CellSpec.fromJson(otherData.toJson())).isEqualTo(otherData);
        assertThatThrownBy(() -> CellSpec.fromJson(json.replace("convinit-cell/1", "convinit-cell/9")))
                .hasMessageContaining("schema 'convinit-cell/9', expected convinit-cell/1");
        assertThatThrownBy(() -> CellSpec.fromJson(json.replace("\"seed\"", "\"sead\""))).hasMessageContaining("expected a field 'seed'");
        assertThatThrownBy(() -> CellSpec.fromJson("{")).hasMessageContaining("not JSON");
    }

    @Test
    void aResultReadBackIsTheResultWrittenNumberForNumber() throws Exception {
        Plan plan = new Plan(List.of(StudyFixtures.deep()), List.of(StudyFixtures.NORMAL_10, Scheme.DEFAULT), Plan.seeds(1),
                StudyFixtures.config(1, 0.05));
        List<CellResult> rs = StudyRunner.run(plan, DATA, Diagnoser.STANDARD, 1, () -> false, StudyRunner.SILENT);
        assertThat(rs.get(0).status()).isEqualTo(CellResult.Status.DIVERGED);
        List<CellResult> back = new ArrayList<>();
        for (CellResult r : rs) {
            String json = CellResults.toJson(CellSpec.of(r.cell(), plan.config(), SPEC), r);
            assertThat(json).doesNotContain("\n");
            CellResult b = CellResults.fromJson(json, r.cell());
            assertThat(b.stepLoss()).containsExactly(r.stepLoss());
            assertThat(b.epochs()).isEqualTo(r.epochs());
            assertThat(b.evaluations()).isEqualTo(r.evaluations());
            assertThat(b.diagnosis().toString()).isEqualTo(r.diagnosis().toString());
            assertThat(b.wallSeconds()).isEqualTo(r.wallSeconds());
            back.add(b);
        }
        double last = back.get(0).stepLoss()[back.get(0).stepLoss().length - 1];
        assertThat(Double.isFinite(last)).isFalse();
        assertThat(numbers(plan, back)).isEqualTo(numbers(plan, rs));
        String json = CellResults.toJson(CellSpec.of(rs.get(0).cell(), plan.config(), SPEC), rs.get(0));
        assertThatThrownBy(() -> CellResults.fromJson(json, rs.get(1).cell())).hasMessageContaining("expected one for deep / default / seed 0");
    }

    @Test
    void anInterruptedStudyResumesRunningOnlyTheMissingCells() throws Exception {
        Plan plan = StudyFixtures.plan(List.of(Scheme.DEFAULT, StudyFixtures.XAVIER), 2, 1, 0.05);
        List<CellResult> reference = StudyRunner.run(plan, DATA, Diagnoser.STANDARD, 1, () -> false, StudyRunner.SILENT);
        ResultsDirectory results = ResultsDirectory.create(dir.resolve("results"));
        StudyRunner.Engine engine = StudyRunner.local(plan.config(), DATA, Diagnoser.STANDARD, 2);
        List<Cell> started = new ArrayList<>();
        int[] finished = {0};
        StudyRunner.Listener count = new StudyRunner.Listener() {
            @Override
            public void cellStarted(Cell cell) {
                started.add(cell);
            }

            @Override
            public void cellFinished(CellResult result, int done, int total) {
                finished[0]++;
            }
        };
        // the first run is interrupted once two cells have finished: the others come back not run, and are not saved
        List<CellResult> first = StudyRunner.resume(plan, SPEC, results, engine, () -> finished[0] >= 2, count);
        assertThat(first.stream().filter(r -> r.status() == CellResult.Status.NOT_RUN)).isNotEmpty();
        int saved = results.size();
        assertThat(saved).isBetween(1, 3);
        started.clear();
        List<CellResult> resumed = StudyRunner.resume(plan, SPEC, results, engine, () -> false, count);
        assertThat(started).hasSize(4 - saved);
        assertThat(results.size()).isEqualTo(4);
        assertThat(numbers(plan, resumed)).isEqualTo(numbers(plan, reference));
        // everything is there now: nothing runs
        started.clear();
        assertThat(numbers(plan, StudyRunner.resume(plan, SPEC, results, engine, () -> false, count))).isEqualTo(numbers(plan, reference));
        assertThat(started).isEmpty();
    }

    @Test
    void anUnreadableResultIsAWarningAndTheCellRunsAgain() throws Exception {
        Plan plan = StudyFixtures.plan(List.of(StudyFixtures.XAVIER), 1, 1, 0.05);
        ResultsDirectory results = ResultsDirectory.create(dir.resolve("r"));
        StudyRunner.Engine engine = StudyRunner.local(plan.config(), DATA, Diagnoser.NONE, 1);
        List<CellResult> ok = StudyRunner.resume(plan, SPEC, results, engine, () -> false, StudyRunner.SILENT);
        Path file = results.file(CellSpec.of(plan.cells().get(0), plan.config(), SPEC));
        Files.writeString(file, "{\"schema\":");
        int[] runs = {0};
        List<CellResult> again = StudyRunner.resume(plan, SPEC, results, engine, () -> false, new StudyRunner.Listener() {
            @Override
            public void cellStarted(Cell cell) {
                runs[0]++;
            }
        });
        assertThat(runs[0]).isEqualTo(1);
        assertThat(again.get(0).stepLoss()).containsExactly(ok.get(0).stepLoss());
        assertThat(Files.readString(file)).startsWith("{\"schema\":\"convinit-cell-result/1\"");
        assertThatThrownBy(() -> ResultsDirectory.existing(dir.resolve("nope"))).hasMessageContaining("does not exist");
        assertThatThrownBy(() -> ResultsDirectory.create(file)).hasMessageContaining("is a file");
    }
}
