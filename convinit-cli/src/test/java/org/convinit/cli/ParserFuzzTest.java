package org.convinit.cli;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

import com.code_intelligence.jazzer.junit.FuzzTest;
import org.convinit.cli.expr.PyExpr;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.fuzz.FuzzContract;

/**
 * Coverage-guided fuzz targets (Jazzer) for the command line's expression parsers: the input, as UTF-8 text, is a
 * {@code --model} expression ({@code Sequential(Conv2d(1, 8, 3), ReLU())}, literal arithmetic included) or an
 * {@code --init} call ({@code kaiming_normal_(mode='fan_out', nonlinearity='relu')}). Either it gives a module / a
 * bound call (then applied to a small tensor), or an {@link IllegalArgumentException} whose message says what is
 * wrong; any other exception or error ({@code StackOverflowError}, {@code ArithmeticException}, ...) or an
 * allocation far beyond what the text declares is a finding. In CI (no {@code JAZZER_FUZZ}) each target replays
 * its committed inputs in {@code src/test/resources/org/convinit/cli/ParserFuzzTestInputs/TARGET/};
 * {@code tools/fuzz/run.sh model} / {@code initCall} fuzzes.
 */
class ParserFuzzTest {
    /** Largest declared size (see {@link #declaredSize}) a model expression is built for; larger ones are only parsed. */
    static final long MAX_BUILT = 1L << 22;

    @FuzzTest(maxDuration = "60m", maxExecutions = 1_000_000)
    void model(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        long[] declared = {0};
        FuzzContract.check(data.length, 8L * (1 << 20) + 256L * data.length + 32 * MAX_BUILT, () -> {
            PyExpr e = PyExpr.parse(text);
            declared[0] = declaredSize(e);
            // torchvision's builders (lower-case names) take seconds each; layers whose sizes multiply past the
            // cap would legitimately need gigabytes: both are parsed, not built
            if (declared[0] <= MAX_BUILT && layersOnly(e)) Layers.build(text, DType.FLOAT32);
        }, IllegalArgumentException.class);
    }

    @FuzzTest(maxDuration = "60m", maxExecutions = 1_000_000)
    void initCall(byte[] data) {
        String text = new String(data, StandardCharsets.UTF_8);
        FuzzContract.check(data.length, 8L * (1 << 20) + 256L * data.length, () -> {
            InitFunctions.Call call = InitFunctions.parse(text);
            call.apply(Tensor.zeros(DType.FLOAT32, 8, 2, 3, 3));
        }, IllegalArgumentException.class);
    }

    /**
     * A bound on the elements a model expression's layers allocate: per call, the product of its integer
     * literals (tuples flattened) times the largest one squared (an int kernel size becomes a 3-D kernel), summed
     * over the calls.
     */
    static long declaredSize(PyExpr e) {
        if (!(e instanceof PyExpr.Call)) return 0;
        PyExpr.Call c = (PyExpr.Call) e;
        List<PyExpr> values = new ArrayList<>(c.args());
        values.addAll(c.kwargs().values());
        long product = 1;
        long largest = 1;
        long nested = 0;
        for (int i = 0; i < values.size(); i++) {
            PyExpr v = values.get(i);
            if (v instanceof PyExpr.Seq) values.addAll(((PyExpr.Seq) v).items());
            if (v instanceof PyExpr.Int) {
                long a = Math.max(1, Math.min(Math.abs(((PyExpr.Int) v).value()), 1L << 40));
                product = saturatingMultiply(product, a);
                largest = Math.max(largest, a);
            }
            nested = saturatingAdd(nested, declaredSize(v));
        }
        return saturatingAdd(nested, saturatingMultiply(product, saturatingMultiply(largest, largest)));
    }

    /** Whether every call names a layer, not a torchvision model builder. */
    private static boolean layersOnly(PyExpr e) {
        if (e instanceof PyExpr.Seq) return ((PyExpr.Seq) e).items().stream().allMatch(ParserFuzzTest::layersOnly);
        if (!(e instanceof PyExpr.Call)) return true;
        PyExpr.Call c = (PyExpr.Call) e;
        String name = c.name().substring(c.name().lastIndexOf('.') + 1);
        return !name.isEmpty() && Character.isUpperCase(name.charAt(0))
                && c.args().stream().allMatch(ParserFuzzTest::layersOnly)
                && c.kwargs().values().stream().allMatch(ParserFuzzTest::layersOnly);
    }

    private static long saturatingMultiply(long a, long b) {
        return a > Long.MAX_VALUE / b ? Long.MAX_VALUE : a * b;
    }

    private static long saturatingAdd(long a, long b) {
        return a > Long.MAX_VALUE - b ? Long.MAX_VALUE : a + b;
    }
}
