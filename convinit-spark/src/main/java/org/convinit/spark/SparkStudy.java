package org.convinit.spark;

import java.io.PrintWriter;
import java.util.Arrays;
import java.util.stream.Stream;

import org.apache.spark.SparkConf;
import org.apache.spark.api.java.JavaSparkContext;
import org.convinit.cli.Main;

/**
 * The Spark driver: {@code spark-submit --class org.convinit.spark.SparkStudy convinit-spark.jar [study options]} takes
 * exactly {@code convinit study}'s options (--model, --inits, --seeds, --epochs, --preset, --data, --results-dir,
 * --resume, --out, --json, --csv, ...), runs the cells on the cluster and writes the same HTML, JSON and CSV on the
 * driver. Without spark-submit (no {@code spark.master} set) it runs in local mode on every core.
 */
public final class SparkStudy {
    private SparkStudy() {}

    public static void main(String[] args) {
        SparkConf conf = new SparkConf().setAppName("convinit study").setIfMissing("spark.master", "local[*]");
        int code;
        try (JavaSparkContext sc = new JavaSparkContext(conf)) {
            code = run(sc, CellTask.STANDARD, args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        }
        System.exit(code);
    }

    /** Runs {@code convinit study ARGS} with its cells on {@code sc}, each run by {@code task}; returns the exit status. */
    public static int run(JavaSparkContext sc, CellTask task, String[] args, PrintWriter out, PrintWriter err) {
        String[] study = Stream.concat(Stream.of("study"), Arrays.stream(args)).toArray(String[]::new);
        return Main.run(study, out, err, new SparkEngine(sc, task));
    }
}
