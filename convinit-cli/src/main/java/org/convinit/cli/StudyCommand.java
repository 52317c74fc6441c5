package org.convinit.cli;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.function.BooleanSupplier;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.convinit.lab.data.DataSource;
import org.convinit.lab.report.StudyReport;
import org.convinit.lab.study.CellResult;
import org.convinit.lab.study.CurvesCsv;
import org.convinit.lab.study.DataSpec;
import org.convinit.lab.study.ModelSpec;
import org.convinit.lab.study.Plan;
import org.convinit.lab.study.Preset;
import org.convinit.lab.study.Provenance;
import org.convinit.lab.study.ResultsDirectory;
import org.convinit.lab.study.Scheme;
import org.convinit.lab.study.StudyConfig;
import org.convinit.lab.study.StudyData;
import org.convinit.lab.study.StudyDocument;
import org.convinit.lab.study.StudyRunner;
import org.convinit.lab.train.OptimizerKind;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/**
 * {@code convinit study}: models × initialization schemes × seeds, each cell diagnosed at init and trained as
 * {@code train} does (same seed, same batches for every scheme), compared with 95% intervals over the seeds; writes the
 * JSON of docs/study-json.md, the curves CSV and the HTML report. Everything that can be wrong with the input is
 * checked before the first cell trains; outputs are written atomically, and only at the end (also after Ctrl-C or
 * {@code --max-minutes}, for the cells that finished).
 */
@Command(name = "study", mixinStandardHelpOptions = true,
        description = {"Compare initialization schemes on a model: diagnose each at init, train each over several seeds, report with 95%% intervals.",
                "--init/--set/--init-plan, as init takes them, make one more scheme."})
final class StudyCommand implements Callable<Integer> {
    @Option(names = "--model", paramLabel = "EXPR", description = "PyTorch constructor syntax, as for train (repeatable; default: a small CNN).")
    List<String> models;

    @Option(names = "--inits", paramLabel = "SCHEMES",
            description = "Schemes separated by ';': default, a torch.nn.init call as --init takes it, or file:WEIGHTS "
                    + "(default: default; xavier_uniform_; kaiming_normal_; orthogonal_).")
    String inits;

    @Mixin
    InitPlanOptions initOptions;

    @Option(names = "--weights", paramLabel = "FILE", description = "One more scheme, file:FILE: these weights (a state dict: "
            + ".pth/.pt, .safetensors, .npz) in every cell; --select/--strip-prefix/--non-strict apply to every weights file (repeatable).")
    List<Path> weights;

    @Mixin
    WeightsOptions weightsOptions;

    @Option(names = "--seeds", paramLabel = "N", description = "Seeds 0..N-1 per scheme (default: 3).")
    Integer seeds;

    @Option(names = "--epochs", paramLabel = "N", description = "Epochs per cell (default: 2).")
    Integer epochs;

    @Option(names = "--optimizer", paramLabel = "sgd|adam", description = "sgd = SGD(lr, momentum=0.9); adam = Adam(lr) (default: sgd).")
    String optimizer;

    @Option(names = "--lr", paramLabel = "X", description = "Learning rate (default: 0.01 for sgd, 0.001 for adam).")
    Double lr;

    @Option(names = "--batch-size", paramLabel = "B", description = "Batch size (default: 64).")
    Integer batchSize;

    @Option(names = "--data", paramLabel = "DIR", description = "IDX dataset directory (default: the built-in Fashion-MNIST subset).")
    Path data;

    @Option(names = "--out", paramLabel = "FILE.html", defaultValue = "convinit-study.html", description = "The HTML report (default: ${DEFAULT-VALUE}).")
    Path out;

    @Option(names = "--json", paramLabel = "FILE.json", defaultValue = "convinit-study.json", description = "Every number as JSON (default: ${DEFAULT-VALUE}).")
    Path json;

    @Option(names = "--csv", paramLabel = "FILE.csv", description = "The curves as CSV (default: beside --json, .csv).")
    Path csv;

    @Option(names = "--max-minutes", paramLabel = "M", description = "Stop after M minutes and report the cells that finished.")
    Double maxMinutes;

    @Option(names = "--preset", paramLabel = "NAME", description = "A ready-made study: he2015 (plain ReLU nets of depth 8, 16, 30).")
    String preset;

    @Option(names = "--parallel", paramLabel = "N", description = "Cells run at once (default: the number of cores, at most the cells).")
    Integer parallel;

    @Option(names = "--target-accuracy", paramLabel = "A", description = "The test accuracy whose first step is reported (default: 0.75; he2015: 0.3).")
    Double target;

    @Option(names = "--eval-every", paramLabel = "STEPS", description = "Evaluate the test set every STEPS steps to find the target (default: a quarter epoch).")
    Integer evalEvery;

    @Option(names = "--limit", paramLabel = "N", description = "Use only the first N training images (and N/5 test images).")
    Integer limit;

    @Option(names = "--results-dir", paramLabel = "DIR", description = "Keep one file per finished cell in DIR (created if missing); "
            + "cells already there are not run again.")
    Path resultsDir;

    @Option(names = "--resume", paramLabel = "DIR", description = "Resume the study whose cells are in DIR (from --results-dir, on any "
            + "engine): run only the cells missing there, then report them all.")
    Path resume;

    @Spec
    picocli.CommandLine.Model.CommandSpec spec;

    private final StudyEngine engine;

    StudyCommand() {
        this(StudyEngine.LOCAL);
    }

    StudyCommand(StudyEngine engine) {
        this.engine = engine;
    }

    @Override
    public Integer call() throws IOException {
        PrintWriter stdout = spec.commandLine().getOut();
        PrintWriter err = spec.commandLine().getErr();
        Preset base = usage(() -> preset == null ? Preset.defaultStudy() : Preset.named(preset));
        StudyWeights files = new StudyWeights(weightsOptions, err);
        Plan plan = usage(() -> plan(base, files));
        DataSpec dataSpec = dataSpec(base);
        StudyData studyData = dataSpec.load();
        usage(() -> {
            for (ModelSpec m : plan.models()) StudyInputs.check(m, plan.schemes(), studyData.train());
            return null;
        });
        Path csvPath = csv != null ? csv : json.resolveSibling(stripExtension(json.getFileName().toString()) + ".csv");
        for (Path p : new Path[] {out, json, csvPath}) checkWritable(p);
        int cells = plan.cells().size();
        int workers = Math.min(parallel != null ? parallel : Runtime.getRuntime().availableProcessors(), cells);
        if (workers < 1) throw new Main.UsageException("--parallel " + parallel + ": expected at least 1", null);
        ResultsDirectory results = usage(this::resultsDirectory);
        StudyRunner.Engine cellEngine = usage(() -> engine.create(plan, studyData, dataSpec, results, workers));
        int atOnce = engine.parallelCells(workers);

        Instant started = Instant.now();
        long t0 = System.nanoTime();
        AtomicBoolean interrupted = new AtomicBoolean();
        long deadline = maxMinutes == null ? Long.MAX_VALUE : t0 + (long) (maxMinutes * 60e9);
        BooleanSupplier cancelled = () -> interrupted.get() || System.nanoTime() > deadline;
        CountDownLatch written = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            interrupted.set(true);
            try {
                written.await(2, TimeUnit.MINUTES);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }, "convinit-study-shutdown");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            int perEpoch = (studyData.train().size() + plan.config().batchSize() - 1) / plan.config().batchSize();
            long totalSteps = (long) cells * perEpoch * plan.config().epochs();
            err.printf(Locale.ROOT, "study: %d cells (%d model%s x %d scheme%s x %d seed%s), %d at a time%s, %s%n", cells, plan.models().size(),
                    plan.models().size() == 1 ? "" : "s", plan.schemes().size(), plan.schemes().size() == 1 ? "" : "s", plan.seeds().size(),
                    plan.seeds().size() == 1 ? "" : "s", atOnce, engine.description(), studyData.source());
            if (results != null) err.printf("study: results in %s (%d cell file%s there)%n", results.path(), results.size(), results.size() == 1 ? "" : "s");
            err.flush();
            List<CellResult> cellResults;
            try (StudyProgress progress = new StudyProgress(err, cells, totalSteps)) {
                cellResults = results == null ? cellEngine.run(plan.cells(), cancelled, progress)
                        : StudyRunner.resume(plan, dataSpec, results, cellEngine, cancelled, progress);
            }
            boolean complete = cellResults.stream().noneMatch(r -> r.status() == CellResult.Status.NOT_RUN);
            Provenance prov = new Provenance(command(), Main.VERSION, started, (System.nanoTime() - t0) / 1e9, complete, maxMinutes,
                    preset, atOnce, files.files());
            ObjectNode doc = StudyDocument.build(plan, studyData, cellResults, prov);
            String html = StudyReport.render(doc);
            OutputPaths.writeAtomically(json, new ObjectMapper().enable(SerializationFeature.INDENT_OUTPUT).writeValueAsString(doc));
            OutputPaths.writeAtomically(csvPath, CurvesCsv.write(cellResults, perEpoch));
            OutputPaths.writeAtomically(out, html);
            print(stdout, doc, complete, cellResults);
            stdout.printf("wrote %s, %s, %s%n", out, json, csvPath);
            stdout.flush();
            return 0;
        } finally {
            written.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it waited for the outputs above
            }
        }
    }

    private Plan plan(Preset base, StudyWeights files) {
        List<ModelSpec> specs = new ArrayList<>();
        if (models == null || models.isEmpty()) {
            for (Preset.NamedModel m : base.models()) specs.add(StudyInputs.model(m.name(), m.expr()));
        } else {
            for (int i = 0; i < models.size(); i++) specs.add(StudyInputs.model(models.size() == 1 ? "model" : "model" + (i + 1), models.get(i)));
        }
        List<Scheme> schemes = new ArrayList<>();
        List<String> texts = inits != null ? StudyInputs.splitInits(inits) : base.inits();
        if (texts.isEmpty()) throw new IllegalArgumentException("--inits '" + inits + "': no scheme given");
        for (String t : texts) schemes.add(StudyInputs.scheme(t, files));
        if (weights != null) for (Path w : weights) schemes.add(files.scheme("file:" + w, w));
        weightsOptions.requireWeights(!files.files().isEmpty());
        InitPlan rules = initOptions.parse().lsuvBatch(() -> org.convinit.lab.diagnose.DiagnoseBatch.first(
                data != null ? DataSource.directory(data) : DataSource.builtin(), batchSize != null ? batchSize : base.batchSize()));
        if (rules.everyWeight != null || rules.hasRules()) schemes.add(rules.asScheme()); // one more scheme: the rules
        OptimizerKind kind = optimizer != null ? OptimizerKind.parse(optimizer) : base.optimizer();
        double rate = lr != null ? lr : optimizer != null ? kind.defaultLr() : base.lr();
        int n = seeds != null ? seeds : base.seeds();
        if (n < 1) throw new IllegalArgumentException("--seeds " + n + ": expected at least 1");
        if (maxMinutes != null && !(maxMinutes > 0)) throw new IllegalArgumentException("--max-minutes " + maxMinutes + ": expected > 0");
        StudyConfig config = new StudyConfig(epochs != null ? epochs : base.epochs(), kind, rate, batchSize != null ? batchSize : base.batchSize(),
                target != null ? target : base.targetAccuracy(), evalEvery != null ? evalEvery : 0, 64);
        return new Plan(specs, schemes, Plan.seeds(n), config);
    }

    /** The data: --data DIR or the built-in subset, cut to --limit or the preset's size. A bad directory: exit 1 when loaded. */
    private DataSpec dataSpec(Preset base) {
        Integer trainN = limit != null ? limit : base.trainLimit();
        Integer testN = limit != null ? Integer.valueOf(Math.max(1, limit / 5)) : base.testLimit();
        if (trainN != null && trainN < 1) throw new Main.UsageException("--limit " + trainN + ": expected at least 1", null);
        return new DataSpec(data == null ? null : data.toAbsolutePath().normalize().toString(), trainN, testN);
    }

    /** --results-dir DIR (created) or --resume DIR (which must exist); null without either. */
    private ResultsDirectory resultsDirectory() {
        if (resume != null && resultsDir != null && !resume.equals(resultsDir)) {
            throw new IllegalArgumentException("--resume " + resume + " and --results-dir " + resultsDir + ": give one directory");
        }
        if (resume != null) return ResultsDirectory.existing(resume);
        return resultsDir == null ? null : ResultsDirectory.create(resultsDir);
    }

    /** Runs {@code body}, turning an IllegalArgumentException (a bad option, model, scheme or weights file) into exit 2. */
    private static <T> T usage(java.util.function.Supplier<T> body) {
        try {
            return body.get();
        } catch (IllegalArgumentException e) {
            throw new Main.UsageException(e.getMessage().replace('\n', ' '), e);
        }
    }

    /** An output's directory must exist: checked before training, so a typo does not cost the study. */
    private static void checkWritable(Path p) {
        Path dir = p.toAbsolutePath().getParent();
        if (dir != null && !Files.isDirectory(dir)) {
            throw new Main.UsageException("output " + p + ": directory " + dir + " does not exist", null);
        }
        if (Files.isDirectory(p)) throw new Main.UsageException("output " + p + " is a directory; expected a file name", null);
    }

    private static String stripExtension(String name) {
        int dot = name.lastIndexOf('.');
        return dot > 0 ? name.substring(0, dot) : name;
    }

    private String command() {
        StringBuilder sb = new StringBuilder("convinit");
        for (String a : spec.commandLine().getParseResult().originalArgs()) {
            sb.append(' ').append(a.matches("[A-Za-z0-9_./:=,+-]+") ? a : "'" + a.replace("'", "'\\''") + "'");
        }
        return sb.toString();
    }

    /** The ranking per model and the summary on stdout. */
    private static void print(PrintWriter out, ObjectNode doc, boolean complete, List<CellResult> results) {
        String model = null;
        for (JsonNode r : doc.get("ranking")) {
            if (!r.get("model").asText().equals(model)) {
                model = r.get("model").asText();
                out.println(model + ":");
            }
            JsonNode acc = r.get("final_test_accuracy");
            out.printf(Locale.ROOT, "  %d. %-50s %s%n", r.get("rank").asInt(), r.get("scheme").asText(), acc.isNull() ? "no finished seed"
                    : String.format(Locale.ROOT, "%.2f%% [%.2f, %.2f]", 100 * acc.asDouble(), 100 * r.get("low").asDouble(),
                            100 * r.get("high").asDouble()));
        }
        for (JsonNode s : doc.get("summary")) out.println(s.asText());
        if (!complete) {
            long done = results.stream().filter(r -> r.status() != CellResult.Status.NOT_RUN).count();
            out.printf("stopped early: %d of %d cells ran; the report covers those (complete: false)%n", done, results.size());
        }
    }
}
