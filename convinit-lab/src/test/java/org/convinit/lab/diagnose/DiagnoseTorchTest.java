package org.convinit.lab.diagnose;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.function.Consumer;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import org.convinit.init.Init;
import org.convinit.io.Checkpoints;
import org.convinit.io.numpy.Npy;
import org.convinit.lab.data.DataSource;
import org.convinit.nn.AdaptiveAvgPool2d;
import org.convinit.nn.AvgPool2d;
import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.Conv2d;
import org.convinit.nn.ConvOptions;
import org.convinit.nn.ConvTranspose2d;
import org.convinit.nn.Flatten;
import org.convinit.nn.LeakyReLU;
import org.convinit.nn.Linear;
import org.convinit.nn.MaxPool2d;
import org.convinit.nn.Module;
import org.convinit.nn.Parameter;
import org.convinit.nn.ReLU;
import org.convinit.nn.Sequential;
import org.convinit.nn.Sigmoid;
import org.convinit.nn.Tanh;
import org.convinit.nn.WeightLayer;
import org.convinit.random.Generator;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Diagnose's numbers against PyTorch 1.13.1's on the same weights (written as .pth, loaded with torch.load) and the
 * same batch (written as .npy): {@code tools/golden/diagnose_torch.py} measures with forward hooks and full backward
 * hooks. Every number of every layer is compared within 1e-5 relative ({@link #check}); the histogram's counts within
 * one per bin, and only where torch has a value within 1e-5 of the range from one of the bin's edges (forward values
 * differ by float rounding, ~1e-6 relative, so such a value, or a shifted edge, may land on either side); the totals
 * are equal.
 */
class DiagnoseTorchTest {
    static final double REL = 1e-5;
    private static final ObjectMapper JSON = new ObjectMapper();
    static DiagnoseBatch batch;
    private static final ThreadLocal<String> WORST_FIELD = ThreadLocal.withInitial(() -> "");

    @TempDir
    Path dir;

    @BeforeAll
    static void batch() {
        batch = DiagnoseBatch.first(DataSource.builtin(), 64);
    }

    /** The largest relative difference seen per model, for the report. */
    record Result(String model, double maxRel, int histogramDiffs) {}

    Result compare(String torchExpr, Module javaModel) throws Exception {
        Torch.require();
        Diagnosis d = Diagnose.run(javaModel, torchExpr, new Diagnosis.InitInfo(0L, null, null, null), batch);
        Path w = dir.resolve("w.pth");
        Path x = dir.resolve("x.npy");
        Path y = dir.resolve("y.npy");
        Checkpoints.write(w, javaModel.stateDict());
        Npy.write(x, batch.images());
        Npy.write(y, batch.labels());
        Path script = Path.of("..", "tools", "golden", "diagnose_torch.py").toAbsolutePath().normalize();
        String argv = String.format("['%s', %s, '%s', '%s', '%s']", script, JSON.writeValueAsString(torchExpr), w, x, y);
        JsonNode torch = JSON.readTree(Torch.run("import runpy, sys\nsys.argv = " + argv + "\nrunpy.run_path(sys.argv[0], run_name='__main__')\n"));
        JsonNode mine = DiagnosisJson.toJson(d);
        assertThat(mine.get("batch").get("sha256").asText()).isEqualTo(torch.get("batch_sha256").asText());
        double[] worst = {0};
        WORST_FIELD.set("");
        int hist = 0;
        check(worst, "loss", mine.get("loss"), torch.get("loss"), 0);
        JsonNode tl = torch.get("layers");
        assertThat(mine.get("layers").size()).isEqualTo(tl.size());
        for (int i = 0; i < tl.size(); i++) {
            JsonNode a = mine.get("layers").get(i);
            JsonNode b = tl.get(i);
            String where = a.get("name").asText();
            assertThat(a.get("name").asText()).isEqualTo(b.get("name").asText());
            assertThat(a.get("type").asText()).isEqualTo(b.get("type").asText());
            double scale = b.get("output_std").asDouble();
            for (String f : List.of("output_std", "output_min", "output_max", "zero_fraction", "saturated_fraction", "grad_output_std",
                    "weight_grad_norm", "update_ratio", "fan_in", "predicted_gain", "measured_gain", "predicted_std")) {
                check(worst, where + "." + f, a.get(f), b.get(f), 0);
            }
            // a mean is a difference of values: its error is relative to the values' scale (std), not to itself
            check(worst, where + ".output_mean", a.get("output_mean"), b.get("output_mean"), scale);
            JsonNode ha = a.get("histogram");
            JsonNode hb = b.get("histogram");
            check(worst, where + ".histogram.min", ha.get("min"), hb.get("min"), 0);
            check(worst, where + ".histogram.max", ha.get("max"), hb.get("max"), 0);
            long totalA = 0;
            long totalB = 0;
            for (int k = 0; k < Histogram.BINS; k++) {
                long ca = ha.get("counts").get(k).asLong();
                long cb = hb.get("counts").get(k).asLong();
                long near = hb.get("near_edge").get(k).asLong();
                // a count may move only by values that lie within float rounding (1e-5 of the range) of the bin's edges
                assertThat(Math.abs(ca - cb)).as("%s histogram bin %d: %d vs torch %d, %d values near its edges", where, k, ca, cb, near)
                        .isLessThanOrEqualTo(Math.min(1, near));
                hist += Math.abs(ca - cb);
                totalA += ca;
                totalB += cb;
            }
            assertThat(totalA).as("%s histogram total", where).isEqualTo(totalB);
        }
        System.out.printf(Locale.ROOT, "diagnose vs torch: %s%n  max rel diff %.2e (%s), histogram counts moved %d%n", torchExpr, worst[0],
                WORST_FIELD.get(), hist);
        return new Result(torchExpr, worst[0], hist);
    }

    /** {@code |a - b| <= 1e-5 * max(|a|, |b|, scale)}; both null, or both numbers. */
    static void check(double[] worst, String what, JsonNode a, JsonNode b, double scale) {
        assertThat(a.isNull()).as("%s: %s vs torch %s", what, a, b).isEqualTo(b.isNull());
        if (a.isNull()) return;
        double x = a.asDouble();
        double y = b.asDouble();
        double denom = Math.max(Math.max(Math.abs(x), Math.abs(y)), scale);
        double rel = denom == 0 ? 0 : Math.abs(x - y) / denom;
        if (rel > worst[0]) WORST_FIELD.set(what);
        worst[0] = Math.max(worst[0], rel);
        assertThat(rel).as("%s: %s vs torch %s", what, x, y).isLessThanOrEqualTo(REL);
    }

    static Module seeded(long seed, java.util.function.Supplier<Module> build) {
        Generator.manualSeed(seed);
        return build.get();
    }

    static void initWeights(Module m, Consumer<Parameter> fn) {
        for (Module s : m.modules()) if (s instanceof WeightLayer) fn.accept(((WeightLayer) s).weight());
    }

    @Test
    void convReluMaxPoolFlattenLinear() throws Exception {
        Module m = seeded(1, () -> new Sequential(new Conv2d(1, 8, 3), new ReLU(), new Conv2d(8, 8, 3, ConvOptions.DEFAULT.padding(1)),
                new ReLU(), new MaxPool2d(2), new Flatten(), new Linear(1352, 10)));
        compare("Sequential(Conv2d(1, 8, 3), ReLU(), Conv2d(8, 8, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(1352, 10))", m);
    }

    @Test
    void batchNorm() throws Exception {
        Module m = seeded(2, () -> new Sequential(new Conv2d(1, 8, 3, ConvOptions.DEFAULT.bias(false)), new BatchNorm2d(8), new ReLU(),
                new Conv2d(8, 16, 3, ConvOptions.DEFAULT.stride(2)), new BatchNorm2d(16), new ReLU(), new AdaptiveAvgPool2d(1),
                new Flatten(), new Linear(16, 10)));
        initWeights(m, w -> Init.kaimingNormal(w, 0, org.convinit.init.FanMode.FAN_OUT, org.convinit.init.Nonlinearity.RELU, null));
        compare("Sequential(Conv2d(1, 8, 3, bias=False), BatchNorm2d(8), ReLU(), Conv2d(8, 16, 3, stride=2), BatchNorm2d(16), ReLU(), "
                + "AdaptiveAvgPool2d(1), Flatten(), Linear(16, 10))", m);
    }

    @Test
    void groupedConvAndLeakyRelu() throws Exception {
        Module m = seeded(3, () -> new Sequential(new Conv2d(1, 8, 3), new LeakyReLU(0.1), new Conv2d(8, 16, 3, ConvOptions.DEFAULT.groups(4)),
                new ReLU(), new Conv2d(16, 16, 3, ConvOptions.DEFAULT.groups(16).padding(1)), new ReLU(), new Flatten(), new Linear(9216, 10)));
        compare("Sequential(Conv2d(1, 8, 3), LeakyReLU(0.1), Conv2d(8, 16, 3, groups=4), ReLU(), Conv2d(16, 16, 3, groups=16, padding=1), "
                + "ReLU(), Flatten(), Linear(9216, 10))", m);
    }

    @Test
    void transposedConv() throws Exception {
        Module m = seeded(4, () -> new Sequential(new Conv2d(1, 4, 3, ConvOptions.DEFAULT.stride(2)), new ReLU(),
                new ConvTranspose2d(4, 8, 3, ConvOptions.DEFAULT.stride(2).outputPadding(1)), new ReLU(), new AvgPool2d(2), new Flatten(),
                new Linear(1568, 10)));
        compare("Sequential(Conv2d(1, 4, 3, stride=2), ReLU(), ConvTranspose2d(4, 8, 3, stride=2, output_padding=1), ReLU(), "
                + "AvgPool2d(2), Flatten(), Linear(1568, 10))", m);
    }

    @Test
    void tanhAndSigmoidSaturate() throws Exception {
        Module m = seeded(5, () -> new Sequential(new Flatten(), new Linear(784, 64), new Tanh(), new Linear(64, 32), new Sigmoid(),
                new Linear(32, 10)));
        initWeights(m, w -> Init.normal(w, 0, 0.3));
        Result r = compare("Sequential(Flatten(), Linear(784, 64), Tanh(), Linear(64, 32), Sigmoid(), Linear(32, 10))", m);
        assertThat(r.maxRel()).isLessThanOrEqualTo(REL);
    }

    @Test
    void deepPlainNetVanishesWithXavier() throws Exception {
        List<Module> layers = new ArrayList<>();
        StringBuilder expr = new StringBuilder("Sequential(");
        Generator.manualSeed(6);
        int c = 1;
        for (int i = 0; i < 8; i++) {
            layers.add(new Conv2d(c, 8, 3, ConvOptions.DEFAULT.padding(1)));
            layers.add(new ReLU());
            expr.append("Conv2d(").append(c).append(", 8, 3, padding=1), ReLU(), ");
            c = 8;
        }
        layers.add(new Flatten());
        layers.add(new Linear(8 * 28 * 28, 10));
        expr.append("Flatten(), Linear(6272, 10))");
        Module m = new Sequential(layers);
        initWeights(m, w -> Init.xavierUniform(w));
        compare(expr.toString(), m);
    }
}
