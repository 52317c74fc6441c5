package org.convinit.init;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convinit.init.InitStatisticsTest.checkMoments;
import static org.convinit.init.InitStatisticsTest.checkUniform;
import static org.convinit.init.InitStatisticsTest.ks;
import static org.convinit.init.InitStatisticsTest.normalCdf;
import static org.convinit.init.InitStatisticsTest.sample;

import java.util.ArrayList;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.Warnings;
import org.convinit.init.VarianceScaling.Distribution;
import org.convinit.init.VarianceScaling.Mode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Bits;
import org.convinit.testing.Golden;
import org.junit.jupiter.api.Test;

/**
 * variance_scaling_, its JAX presets and timm's trunc_normal_tf_: exact formulas (tables), bits against timm's
 * functions on torch 1.13.1 (tools/golden/gen_schemes.py), and KS + moment tests for every mode × distribution.
 */
class VarianceScalingTest {
    static final JsonNode GOLDEN = Golden.load("schemes.json");
    /** float64 trunc_normal_tf_ goes through erfinv in double with Java's exp/log (torch: glibc's): ulp bound. */
    static final long FLOAT64_TRUNC_ULPS = 4;

    @Test
    void formulasTable() {
        // shape, mode, scale -> denominator, variance; then std of the truncated normal and the uniform bound
        Object[][] table = {
            {Shape.of(16, 3, 3, 3), Mode.FAN_IN, 1.0, 27.0},
            {Shape.of(16, 3, 3, 3), Mode.FAN_OUT, 1.0, 144.0},
            {Shape.of(16, 3, 3, 3), Mode.FAN_AVG, 2.0, 85.5},
            {Shape.of(64, 32), Mode.FAN_IN, 2.0, 32.0},
            {Shape.of(64, 32), Mode.FAN_AVG, 1.0, 48.0},
            // ConvTranspose2d(8, 6, 3) weight [8, 6, 3, 3]: torch's "fan_in" is 6*9, the data flow's fan-out
            {Shape.of(8, 6, 3, 3), Mode.FAN_IN, 1.0, 54.0},
            {Shape.of(5, 1, 3), Mode.FAN_AVG, 1.0, 9.0},
        };
        for (Object[] r : table) {
            Shape s = (Shape) r[0];
            Mode m = (Mode) r[1];
            double scale = (Double) r[2];
            double n = (Double) r[3];
            assertThat(VarianceScaling.denominator(s, m)).as("%s %s", s, m).isEqualTo(n);
            assertThat(VarianceScaling.variance(s, scale, m)).isEqualTo(scale / n);
        }
        assertThat(VarianceScaling.TRUNCATED_STD).isEqualTo(0.87962566103423978);
        // the constant is the std of N(0,1) truncated to ±2: 1 − 2·2φ(2)/(2Φ(2) − 1)
        double phi2 = Math.exp(-2) / Math.sqrt(2 * Math.PI);
        double z = 2 * normalCdf(2, 0, 1) - 1;
        assertThat(Math.sqrt(1 - 4 * phi2 / z)).isCloseTo(VarianceScaling.TRUNCATED_STD, org.assertj.core.data.Offset.offset(1e-15));
        assertThat(VarianceScaling.truncatedStd(1.0 / 27)).isEqualTo(Math.sqrt(1.0 / 27) / 0.87962566103423978);
        assertThat(VarianceScaling.uniformBound(2.0 / 32)).isEqualTo(Math.sqrt(6.0 / 32));
        assertThatThrownBy(() -> VarianceScaling.variance(Shape.of(0, 3), 1, Mode.FAN_OUT)).hasMessageContaining("fan_out is 0");
        assertThatThrownBy(() -> VarianceScaling.varianceScaling(Tensor.empty(DType.FLOAT32, 3, 3), 0, Mode.FAN_IN,
                Distribution.NORMAL, null)).hasMessageContaining("scale = 0.0");
        assertThatThrownBy(() -> Mode.parse("fan_sum")).hasMessageContaining("fan_avg");
        assertThat(Distribution.parse("untruncated_normal")).isEqualTo(Distribution.NORMAL);
    }

    static Map<String, Object> kwargs(JsonNode kw) {
        Map<String, Object> m = new LinkedHashMap<>();
        Iterator<Map.Entry<String, JsonNode>> it = kw.fields();
        while (it.hasNext()) {
            Map.Entry<String, JsonNode> e = it.next();
            m.put(e.getKey(), e.getValue().isTextual() ? e.getValue().asText() : (Object) e.getValue().asDouble());
        }
        return m;
    }

    @Test
    void bitsEqualTimmsFunctionsOnTorch() {
        List<String> seen = new ArrayList<>();
        for (JsonNode c : GOLDEN.get("cases")) {
            String fn = c.get("fn").asText();
            seen.add(fn);
            DType dt = DType.parse(c.get("dtype").asText());
            Tensor t = Tensor.empty(dt, Golden.ints(c.get("shape")));
            Generator.manualSeed(c.get("seed").asLong());
            InitCall.of(fn, kwargs(c.get("kwargs"))).apply(t, null);
            String what = fn + c.get("kwargs") + " " + c.get("shape") + " " + dt + " seed " + c.get("seed");
            boolean libmBound = dt == DType.FLOAT64 && (fn.equals("trunc_normal_tf_")
                    || c.get("kwargs").path("distribution").asText().equals("truncated_normal"));
            if (!libmBound) {
                Bits.assertBitsEqual(t, c.get("bits"), what);
                continue;
            }
            double[] exp = Bits.values(dt, c.get("bits"));
            double[] got = t.toDoubleArray();
            for (int i = 0; i < exp.length; i++) {
                long ulps = Math.abs(Double.doubleToRawLongBits(got[i]) - Double.doubleToRawLongBits(exp[i]));
                assertThat(ulps).as("%s element %d", what, i).isLessThanOrEqualTo(FLOAT64_TRUNC_ULPS);
            }
        }
        assertThat(seen).contains("variance_scaling_", "lecun_normal_", "lecun_uniform_", "glorot_normal_",
                "glorot_uniform_", "he_normal_", "he_uniform_", "trunc_normal_tf_");
    }

    static final int N = 200_000;

    /** CDF of N(0, s²) truncated to [−2s, 2s]. */
    static double truncCdf(double x, double s) {
        double lo = normalCdf(-2 * s, 0, s);
        double hi = normalCdf(2 * s, 0, s);
        return Math.min(1, Math.max(0, (normalCdf(x, 0, s) - lo) / (hi - lo)));
    }

    @Test
    void everyModeAndDistributionHasItsDistribution() {
        Generator g = new Generator(12);
        int[] shape = {N / 50, 5, 10}; // fan_in 50, fan_out N/5, fan_avg (50 + N/5)/2
        for (Mode mode : Mode.values()) {
            for (Distribution dist : Distribution.values()) {
                double scale = 2.0;
                Tensor t = Tensor.empty(DType.FLOAT32, shape);
                VarianceScaling.varianceScaling(t, scale, mode, dist, g);
                double var = scale / VarianceScaling.denominator(t.shape(), mode);
                String what = mode + " " + dist;
                switch (dist) {
                    case UNIFORM:
                        checkUniform(t, -Math.sqrt(3 * var), Math.sqrt(3 * var));
                        break;
                    case NORMAL: {
                        double[] v = sample(t);
                        double s = Math.sqrt(var);
                        assertThat(ks(v, x -> normalCdf(x, 0, s))).as(what).isLessThan(1.95 / Math.sqrt(N));
                        checkMoments(v, 0, var, 3 * var * var);
                        break;
                    }
                    default: {
                        double[] v = sample(t);
                        double s = Math.sqrt(var) / VarianceScaling.TRUNCATED_STD;
                        // cut at ±2 of the untruncated std, and the variance is exactly scale/n
                        assertThat(v[0]).as(what).isGreaterThanOrEqualTo(-2 * s * (1 + 1e-6));
                        assertThat(v[v.length - 1]).as(what).isLessThanOrEqualTo(2 * s * (1 + 1e-6));
                        assertThat(ks(v, x -> truncCdf(x, s))).as(what).isLessThan(1.95 / Math.sqrt(N));
                        checkMoments(v, 0, var, 16 * s * s * s * s);
                    }
                }
            }
        }
    }

    @Test
    void truncNormalTfBoundsAreInStdUnitsWhereTorchsAreAbsolute() {
        Generator g = new Generator(3);
        Tensor tf = VarianceScaling.truncNormalTf(Tensor.empty(DType.FLOAT32, N), 1.0, 0.02, -2, 2, g);
        double[] v = sample(tf);
        assertThat(v[0]).isGreaterThanOrEqualTo(1.0 - 0.04 - 1e-6);
        assertThat(v[v.length - 1]).isLessThanOrEqualTo(1.0 + 0.04 + 1e-6);
        assertThat(ks(v, x -> truncCdf(x - 1.0, 0.02))).isLessThan(1.95 / Math.sqrt(N));
        // torch's trunc_normal_ with the same arguments: bounds ±2 are absolute, far from mean 1 ± 0.02·k: no cut at all
        Tensor torchStyle = Init.truncNormal(Tensor.empty(DType.FLOAT32, N), 1.0, 0.02, -2, 2, g);
        double[] w = sample(torchStyle);
        assertThat(w[w.length - 1] - 1.0).isGreaterThan(0.04 * 1.5);
        assertThatThrownBy(() -> VarianceScaling.truncNormalTf(Tensor.empty(DType.FLOAT32, 3), 0, -1, -2, 2, null))
                .hasMessageContaining("std = -1.0");
    }

    @Test
    void deprecatedAliasWarningsAreTorchsText() throws Exception {
        org.convinit.testing.Torch.require();
        String py = String.join("\n",
                "import warnings, torch, torch.nn.init as init",
                "for name in " + InitCall.deprecatedNames().stream().map(n -> "'" + n + "'").collect(java.util.stream.Collectors.joining(", ", "[", "]")) + ":",
                "    t = torch.empty(6, 5)",
                "    kw = {'sparse': {'sparsity': 0.5}, 'constant': {'val': 0.25}}.get(name, {})",
                "    if name == 'dirac': t = torch.empty(4, 3, 3)",
                "    with warnings.catch_warnings(record=True) as w:",
                "        warnings.simplefilter('always')",
                "        getattr(init, name)(t, **kw)",
                "    print(str(w[0].message))");
        String[] torch = org.convinit.testing.Torch.run(py).strip().split("\n");
        List<String> ours = new ArrayList<>();
        for (String alias : InitCall.deprecatedNames()) {
            Map<String, Object> kw = alias.equals("sparse") ? Map.of("sparsity", 0.5) : alias.equals("constant") ? Map.of("val", 0.25) : Map.of();
            Tensor t = alias.equals("dirac") ? Tensor.empty(DType.FLOAT32, 4, 3, 3) : Tensor.empty(DType.FLOAT32, 6, 5);
            try (AutoCloseable w = Warnings.capture(ours::add)) {
                InitCall.of(alias, kw).apply(t, new Generator(1));
            }
        }
        assertThat(ours).containsExactly(torch);
    }

    @Test
    void deprecatedAliasesWarnAsTorchAndDrawTheSame() throws Exception {
        for (String alias : InitCall.deprecatedNames()) {
            Map<String, Object> kw = alias.equals("sparse") ? Map.of("sparsity", 0.5)
                    : alias.equals("constant") ? Map.of("val", 0.25) : Map.of();
            int[] shape = alias.equals("eye") || alias.equals("sparse") ? new int[] {6, 5} : new int[] {4, 3, 3};
            List<String> warnings = new ArrayList<>();
            Generator.manualSeed(5);
            Tensor a = Tensor.empty(DType.FLOAT32, shape);
            try (AutoCloseable w = Warnings.capture(warnings::add)) {
                InitCall call = InitCall.of(alias, kw);
                assertThat(call.name()).isEqualTo(alias + "_");
                assertThat(call.toString()).startsWith(alias + "(");
                call.apply(a, null);
            }
            assertThat(warnings).containsExactly("nn.init." + alias + " is now deprecated in favor of nn.init." + alias + "_.");
            Generator.manualSeed(5);
            Tensor b = InitCall.of(alias + "_", kw).apply(Tensor.empty(DType.FLOAT32, shape), null);
            if (!alias.equals("orthogonal")) assertThat(a.valueEquals(b)).as(alias).isTrue();
        }
        assertThat(InitCall.names()).doesNotContain("normal").contains("trunc_normal_tf_", "variance_scaling_");
        assertThat(InitCall.torchNames()).hasSize(14).doesNotContain("trunc_normal_tf_");
    }
}
