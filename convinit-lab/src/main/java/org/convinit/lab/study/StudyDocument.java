package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.train.TrainingLoop;

/** The study's JSON document, {@code convinit-study/1} of docs/study-json.md, from a plan and its cells' results. */
public final class StudyDocument {
    public static final String SCHEMA = "convinit-study/1";
    private static final JsonNodeFactory F = JsonNodeFactory.instance;

    private StudyDocument() {}

    /** The document for {@code results} (one per cell of {@code plan}, in plan order). */
    public static ObjectNode build(Plan plan, StudyData data, List<CellResult> results, Provenance p) {
        ObjectNode root = F.objectNode();
        root.put("schema", SCHEMA);
        config(root.putObject("config"), plan, p);
        reproducibility(root.putObject("reproducibility"), data, p);
        ArrayNode cells = root.putArray("cells");
        for (CellResult r : results) cells.add(cell(r));
        Map<String, List<SchemeStats>> stats = new LinkedHashMap<>();
        Map<String, List<Ranking>> rankings = new LinkedHashMap<>();
        ArrayNode aggregates = root.putArray("aggregates");
        for (ModelSpec m : plan.models()) {
            List<SchemeStats> perModel = new ArrayList<>();
            for (Scheme s : plan.schemes()) {
                List<CellResult> mine = results.stream()
                        .filter(r -> r.cell().model().name().equals(m.name()) && r.cell().scheme().name().equals(s.name())).toList();
                SchemeStats st = SchemeStats.of(m.name(), s.name(), mine);
                perModel.add(st);
                aggregates.add(Aggregates.of(st, mine));
            }
            stats.put(m.name(), perModel);
            rankings.put(m.name(), Ranking.of(perModel));
        }
        ArrayNode ranking = root.putArray("ranking");
        for (List<Ranking> rs : rankings.values()) {
            for (Ranking r : rs) {
                ObjectNode n = ranking.addObject();
                n.put("model", r.model());
                n.put("rank", r.rank());
                n.put("scheme", r.scheme());
                if (r.accuracy() == null) {
                    n.putNull("final_test_accuracy");
                } else {
                    n.put("final_test_accuracy", r.accuracy().mean());
                    n.put("low", r.accuracy().low());
                    n.put("high", r.accuracy().high());
                }
                n.put("overlaps_next", r.overlapsNext());
            }
        }
        ArrayNode summary = root.putArray("summary");
        Summary.sentences(plan, data, stats, rankings, results, p.complete()).forEach(summary::add);
        return root;
    }

    private static void config(ObjectNode c, Plan plan, Provenance p) {
        ArrayNode models = c.putArray("models");
        for (ModelSpec m : plan.models()) models.addObject().put("name", m.name()).put("model", m.expr());
        ArrayNode inits = c.putArray("inits");
        plan.schemes().forEach(s -> inits.add(s.name()));
        ArrayNode seeds = c.putArray("seeds");
        plan.seeds().forEach(seeds::add);
        StudyConfig k = plan.config();
        c.put("epochs", k.epochs());
        c.put("optimizer", k.optimizer().cliName());
        c.put("optimizer_torch", k.optimizer().torchForm());
        c.put("lr", k.lr());
        c.put("batch_size", k.batchSize());
        c.put("target_accuracy", k.targetAccuracy());
        c.put("eval_every_steps", k.evalEvery());
        c.put("diagnose_batch", k.diagnoseBatch());
        if (p.maxMinutes() == null) c.putNull("max_minutes");
        else c.put("max_minutes", p.maxMinutes());
        if (p.preset() == null) c.putNull("preset");
        else c.put("preset", p.preset());
        c.put("parallel_cells", p.parallelCells());
    }

    private static void reproducibility(ObjectNode r, StudyData data, Provenance p) {
        r.put("command", p.command());
        r.put("convinit_version", p.version());
        r.put("torch_semantics", "1.13.1");
        r.put("java", Runtime.version().toString());
        r.put("os", System.getProperty("os.name") + " " + System.getProperty("os.arch"));
        r.put("cores", Runtime.getRuntime().availableProcessors());
        // float32 sums run in the Vector API's order or the scalar one: the numbers agree within rounding only
        r.put("kernels", org.convinit.internal.VectorSupport.ENABLED ? "Vector API" : "scalar");
        ObjectNode d = r.putObject("data");
        d.put("source", data.source());
        d.put("train_examples", data.train().size());
        d.put("test_examples", data.test().size());
        d.put("sha256", data.sha256());
        ArrayNode weights = r.putArray("weights");
        for (WeightsFile w : p.weights()) weights.addObject().put("scheme", w.scheme()).put("path", w.path()).put("sha256", w.sha256());
        r.put("started", p.started().toString());
        r.put("wall_seconds", p.wallSeconds());
        r.put("complete", p.complete());
    }

    static ObjectNode cell(CellResult r) {
        ObjectNode n = F.objectNode();
        n.put("model", r.cell().model().name());
        n.put("scheme", r.cell().scheme().name());
        n.put("seed", r.cell().seed());
        n.put("status", r.status().json());
        Json.putNumber(n, "diverged_at_step", r.divergedAtStep());
        if (r.error() == null) n.putNull("error");
        else n.put("error", r.error());
        if (r.diagnosis() == null) n.putNull("diagnosis");
        else n.set("diagnosis", r.diagnosis());
        Json.numbers(n.putArray("step_loss"), r.stepLoss());
        ArrayNode epochs = n.putArray("epochs");
        for (TrainingLoop.Epoch e : r.epochs()) {
            ObjectNode o = epochs.addObject();
            o.put("epoch", e.epoch());
            Json.putNumber(o, "train_loss", e.trainLoss());
            Json.putNumber(o, "test_loss", e.testLoss());
            Json.putNumber(o, "test_accuracy", e.testAccuracy());
            o.put("seconds", e.seconds());
        }
        ArrayNode evals = n.putArray("evaluations");
        for (CellResult.StepEvaluation e : r.evaluations()) {
            ObjectNode o = evals.addObject();
            o.put("step", e.step());
            Json.putNumber(o, "test_loss", e.testLoss());
            Json.putNumber(o, "test_accuracy", e.testAccuracy());
        }
        Json.putNumber(n, "steps_to_target", r.stepsToTarget());
        n.put("wall_seconds", r.wallSeconds());
        return n;
    }
}
