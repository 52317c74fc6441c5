package org.convinit.spark;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import org.apache.spark.SparkConf;
import org.apache.spark.TaskContext;
import org.apache.spark.api.java.JavaSparkContext;
import org.convinit.cli.Main;
import org.convinit.internal.VectorSupport;
import org.convinit.lab.study.CellSpec;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A small study (2 schemes x 2 seeds, a tiny CNN, the first 300 built-in images, 1 epoch) through Spark in local mode,
 * started and stopped here: its cells equal {@code convinit study}'s on one machine, number for number, also when a task
 * is lost once and retried; a study whose job failed half way resumes running only the cells it lacks.
 */
class SparkStudyTest {
    static final String TINY = "Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), Flatten(), Linear(676, 10))";

    /** Task attempts per cell index, over every job (local mode: the executors are threads of this JVM). */
    static final Map<Integer, AtomicInteger> ATTEMPTS = new ConcurrentHashMap<>();

    static JavaSparkContext sc;

    @TempDir
    Path dir;

    @BeforeAll
    static void startSpark() {
        // The Vector API kernels on every JDK: their lane sums are ordered (core's OrderedLanes), so a cell's bits do not
        // depend on how warm the JIT is (JDK 24+'s reduceLanes(ADD) would make them)
        System.err.println("SparkStudyTest: JDK " + Runtime.version().feature() + ", kernels " + (VectorSupport.ENABLED ? "Vector API" : "scalar"));
        assertThat(VectorSupport.ENABLED).as("Vector API kernels on JDK %d", Runtime.version().feature()).isEqualTo(VectorSupport.AVAILABLE);
        // local[2, 2]: two task threads, and a task may fail twice before its job does (spark.task.maxFailures)
        SparkConf conf = new SparkConf().setMaster("local[2, 2]").setAppName("convinit SparkStudyTest").set("spark.ui.enabled", "false")
                .set("spark.driver.host", "127.0.0.1").set("spark.driver.bindAddress", "127.0.0.1");
        sc = new JavaSparkContext(conf);
    }

    @AfterAll
    static void stopSpark() {
        if (sc != null) sc.stop();
    }

    private String[] args(String name, String... more) {
        String[] base = {"--limit", "300", "--model", TINY, "--inits", "default; xavier_uniform_", "--seeds", "2", "--epochs", "1",
            "--batch-size", "32", "--lr", "0.05", "--json", dir.resolve(name + ".json").toString(), "--out", dir.resolve(name + ".html").toString()};
        return Stream.concat(Stream.of(base), Stream.of(more)).toArray(String[]::new);
    }

    private record Run(int code, String out, String err) {}

    private Run spark(CellTask task, String name, String... more) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        int code = SparkStudy.run(sc, task, args(name, more), new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    private Run local(String name) {
        StringWriter out = new StringWriter();
        StringWriter err = new StringWriter();
        String[] study = Stream.concat(Stream.of("study"), Stream.of(args(name, "--parallel", "2"))).toArray(String[]::new);
        int code = Main.run(study, new PrintWriter(out), new PrintWriter(err));
        return new Run(code, out.toString(), err.toString());
    }

    /** The cells of a study's JSON without wall times, which legitimately differ between runs. */
    private JsonNode cells(String name) throws Exception {
        JsonNode cells = new ObjectMapper().readTree(dir.resolve(name + ".json").toFile()).get("cells");
        for (JsonNode c : cells) {
            ((ObjectNode) c).remove("wall_seconds");
            for (JsonNode e : c.get("epochs")) ((ObjectNode) e).remove("seconds");
        }
        return cells;
    }

    private static int index(String cellJson) {
        return CellSpec.fromJson(cellJson).index();
    }

    private static int files(Path results) {
        try (Stream<Path> s = Files.list(results)) {
            return (int) s.filter(p -> p.getFileName().toString().endsWith(".json")).count();
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Counts each attempt; cell 1's first attempt dies, as a task on a lost executor does. */
    private static final CellTask LOSES_CELL_1_ONCE = (json, dir) -> {
        int i = index(json);
        ATTEMPTS.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
        if (i == 1 && TaskContext.get().attemptNumber() == 0) throw new IllegalStateException("simulated executor loss (cell 1, attempt 0)");
        return CellTask.STANDARD.run(json, dir);
    };

    @Test
    void sparkCellsEqualTheLocalStudysAlsoWhenATaskIsLostOnce() throws Exception {
        Run local = local("local");
        assertThat(local.code()).as(local.err()).isZero();
        ATTEMPTS.clear();
        Run spark = spark(LOSES_CELL_1_ONCE, "spark", "--results-dir", dir.resolve("results").toString());
        assertThat(spark.code()).as(spark.err()).isZero();
        assertThat(spark.err()).contains("on Spark (local[2, 2])");
        // cell 1 ran twice (the lost attempt and its retry), every other cell once
        assertThat(ATTEMPTS).containsOnlyKeys(0, 1, 2, 3);
        assertThat(ATTEMPTS.get(1)).hasValue(2);
        assertThat(List.of(ATTEMPTS.get(0).get(), ATTEMPTS.get(2).get(), ATTEMPTS.get(3).get())).containsOnly(1);
        JsonNode cells = cells("spark");
        assertThat(cells).isEqualTo(cells("local"));
        assertThat(cells.size()).isEqualTo(4);
        assertThat(cells.get(0).get("step_loss").size()).isEqualTo(10);
        assertThat(cells.findValuesAsText("status")).containsOnly("ok");
        assertThat(files(dir.resolve("results"))).isEqualTo(4);
        assertThat(Files.readString(dir.resolve("spark.html"))).startsWith("<!DOCTYPE html>").contains("xavier_uniform_");
        assertThat(dir.resolve("spark.csv")).exists();
    }

    /**
     * Cells 2 and 3 fail on every attempt once cells 0 and 1 are saved, so the job fails with exactly two cells done (an
     * interrupted study); the resumed study runs cells 2 and 3 only.
     */
    private static final CellTask FAILS_AFTER_TWO = (json, dir) -> {
        int i = index(json);
        ATTEMPTS.computeIfAbsent(i, k -> new AtomicInteger()).incrementAndGet();
        if (i >= 2) {
            long deadline = System.nanoTime() + 60_000_000_000L;
            while (files(Path.of(dir)) < 2 && System.nanoTime() < deadline) java.util.concurrent.locks.LockSupport.parkNanos(20_000_000);
            throw new IllegalStateException("simulated crash (cell " + i + ")");
        }
        return CellTask.STANDARD.run(json, dir);
    };

    private static final CellTask COUNTS = (json, dir) -> {
        ATTEMPTS.computeIfAbsent(index(json), k -> new AtomicInteger()).incrementAndGet();
        return CellTask.STANDARD.run(json, dir);
    };

    @Test
    void anInterruptedStudyResumesRunningOnlyTheMissingCells() throws Exception {
        Run local = local("local");
        assertThat(local.code()).as(local.err()).isZero();
        Path results = dir.resolve("results");
        Run crashed = spark(FAILS_AFTER_TWO, "crashed", "--results-dir", results.toString());
        assertThat(crashed.code()).isEqualTo(1);
        assertThat(crashed.err()).contains("the Spark job failed").contains("simulated crash");
        assertThat(dir.resolve("crashed.json")).doesNotExist();
        assertThat(files(results)).isEqualTo(2);

        ATTEMPTS.clear();
        Run resumed = spark(COUNTS, "resumed", "--resume", results.toString());
        assertThat(resumed.code()).as(resumed.err()).isZero();
        assertThat(resumed.err()).contains("(2 cell files there)");
        assertThat(ATTEMPTS).containsOnlyKeys(2, 3);
        assertThat(ATTEMPTS.get(2)).hasValue(1);
        assertThat(ATTEMPTS.get(3)).hasValue(1);
        assertThat(files(results)).isEqualTo(4);
        assertThat(cells("resumed")).isEqualTo(cells("local"));
    }

    @Test
    void rulesThatExecutorsCannotRebuildAreRefusedBeforeAnyTask() {
        ATTEMPTS.clear();
        Run r = spark(COUNTS, "rules", "--init", "0.weight=zeros_");
        assertThat(r.code()).as(r.err()).isEqualTo(2);
        assertThat(r.err()).contains("scheme '0.weight=zeros_' cannot be sent to Spark executors");
        assertThat(ATTEMPTS).isEmpty();
        assertThat(dir.resolve("rules.json")).doesNotExist();
    }
}
