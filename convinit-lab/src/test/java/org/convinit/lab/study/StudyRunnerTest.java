package org.convinit.lab.study;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.TrainingLoop;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.junit.jupiter.api.Test;

/** Cells are deterministic: parallel equals sequential, number for number; divergence and cancellation are results. */
class StudyRunnerTest {
    private static final StudyData DATA = StudyFixtures.data(320, 96);

    private static ObjectNode document(Plan plan, List<CellResult> results, boolean complete) {
        return StudyDocument.build(plan, DATA, results, new Provenance("test", "0", Instant.EPOCH, 0, complete, null, null, 1));
    }

    /** The document without what legitimately differs between runs: wall times. */
    static JsonNode numbers(ObjectNode doc) {
        ObjectNode d = doc.deepCopy();
        for (JsonNode c : d.get("cells")) {
            ((ObjectNode) c).remove("wall_seconds");
            for (JsonNode e : c.get("epochs")) ((ObjectNode) e).remove("seconds");
        }
        return d;
    }

    @Test
    void parallelRunEqualsSequentialRunNumberForNumber() {
        Plan plan = StudyFixtures.plan(List.of(Scheme.DEFAULT, StudyFixtures.XAVIER, StudyFixtures.NORMAL_10), 2, 2, 0.05);
        List<CellResult> seq = StudyRunner.run(plan, DATA, Diagnoser.STANDARD, 1, () -> false, StudyRunner.SILENT);
        List<CellResult> par = StudyRunner.run(plan, DATA, Diagnoser.STANDARD, 2, () -> false, StudyRunner.SILENT);
        for (int i = 0; i < seq.size(); i++) {
            assertThat(par.get(i).stepLoss()).as("cell %s", seq.get(i).cell()).containsExactly(seq.get(i).stepLoss());
            assertThat(par.get(i).evaluations()).isEqualTo(seq.get(i).evaluations());
        }
        assertThat(numbers(document(plan, par, true))).isEqualTo(numbers(document(plan, seq, true)));
        assertThat(seq.get(0).status()).isEqualTo(CellResult.Status.OK);
        assertThat(seq.get(0).stepLoss()).hasSize(20);
        assertThat(seq.get(0).diagnosis().get("layers").size()).isEqualTo(4);
        assertThat(par.get(5).diagnosis()).isEqualTo(seq.get(5).diagnosis());
    }

    @Test
    void theDiagnosisChangesNothingTheTrainingSees() {
        Plan plan = StudyFixtures.plan(List.of(StudyFixtures.XAVIER), 1, 1, 0.05);
        CellResult with = StudyRunner.run(plan, DATA, Diagnoser.STANDARD, 1, () -> false, StudyRunner.SILENT).get(0);
        CellResult without = StudyRunner.run(plan, DATA, Diagnoser.NONE, 1, () -> false, StudyRunner.SILENT).get(0);
        assertThat(with.diagnosis()).isNotNull();
        assertThat(without.diagnosis()).isNull();
        assertThat(with.stepLoss()).containsExactly(without.stepLoss());
    }

    @Test
    void sameSeedSameBatchesAsTrain() {
        // the cell's training is exactly train's: manual_seed, build, init, the same loop
        Plan plan = StudyFixtures.plan(List.of(StudyFixtures.XAVIER), 1, 1, 0.05);
        CellResult cell = StudyRunner.run(plan, DATA, Diagnoser.NONE, 1, () -> false, StudyRunner.SILENT).get(0);
        double[] direct = Generator.withDefault(new Generator(0), () -> {
            Generator.manualSeed(0);
            Module m = StudyFixtures.tiny().build();
            StudyFixtures.XAVIER.apply(m);
            return TrainingLoop.run(m, plan.config().optimizer().create(m.parameters(), 0.05), DATA.train(), DATA.test(),
                    TrainingLoop.Options.of(1, 32), TrainingLoop.SILENT).stepLosses();
        });
        assertThat(cell.stepLoss()).containsExactly(direct);
    }

    @Test
    void aDivergingSchemeIsReportedAndTheStudyGoesOn() {
        Plan plan = new Plan(List.of(StudyFixtures.deep()), List.of(StudyFixtures.NORMAL_10, Scheme.DEFAULT), Plan.seeds(2),
                StudyFixtures.config(1, 0.05));
        List<CellResult> rs = StudyRunner.run(plan, DATA, Diagnoser.NONE, 1, () -> false, StudyRunner.SILENT);
        CellResult bad = rs.get(0);
        assertThat(bad.status()).isEqualTo(CellResult.Status.DIVERGED);
        assertThat(bad.divergedAtStep()).isPositive();
        assertThat(bad.stepLoss()).hasSize(bad.divergedAtStep().intValue());
        assertThat(Double.isFinite(bad.stepLoss()[bad.stepLoss().length - 1])).isFalse();
        assertThat(rs.get(2).status()).isEqualTo(CellResult.Status.OK);
        ObjectNode doc = document(plan, rs, true);
        JsonNode cell = doc.get("cells").get(0);
        assertThat(cell.get("status").asText()).isEqualTo("diverged");
        assertThat(cell.get("diverged_at_step").asLong()).isEqualTo(bad.divergedAtStep());
        JsonNode last = cell.get("step_loss").get(cell.get("step_loss").size() - 1);
        assertThat(last.isNull()).isTrue();
        JsonNode agg = doc.get("aggregates").get(0);
        assertThat(agg.get("diverged").asInt()).isEqualTo(2);
        assertThat(agg.get("final_test_accuracy").isNull()).isTrue();
        assertThat(doc.get("ranking").get(0).get("scheme").asText()).isEqualTo("default");
        assertThat(doc.get("summary").toString()).contains("normal_(std=10) diverged in 2 of 2 seeds");
    }

    @Test
    void cancellingLeavesTheRestNotRun() {
        Plan plan = StudyFixtures.plan(List.of(Scheme.DEFAULT, StudyFixtures.XAVIER), 2, 1, 0.05);
        AtomicLong steps = new AtomicLong();
        StudyRunner.Listener count = new StudyRunner.Listener() {
            @Override
            public void cellStep(Cell cell, long step, long total) {
                steps.incrementAndGet();
            }
        };
        List<CellResult> rs = StudyRunner.run(plan, DATA, Diagnoser.NONE, 1, () -> steps.get() >= 15, count);
        assertThat(rs.get(0).status()).isEqualTo(CellResult.Status.OK);
        assertThat(rs.subList(1, 4)).allSatisfy(r -> assertThat(r.status()).isEqualTo(CellResult.Status.NOT_RUN));
        ObjectNode doc = document(plan, rs, false);
        assertThat(doc.get("cells").get(3).get("status").asText()).isEqualTo("not_run");
        assertThat(doc.get("aggregates").get(0).get("seeds").asInt()).isEqualTo(1);
        assertThat(doc.get("summary").toString()).contains("stopped early");
    }
}
