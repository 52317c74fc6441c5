package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.nn.Parameter;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Golden;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * 100 optimizer steps against torch 1.13.1 (tools/golden/gen_optim.py): four float32 parameters of different
 * shapes, gradients drawn from a seeded generator in both (parameter 1 has no gradient every third step),
 * for SGD, Adam and AdamW in many configurations, some with two groups and a StepLR or cosine schedule stepped
 * after every optimizer step. Parameters are compared
 * bit for bit at ten checkpoints, and the final optimizer state too.
 */
class OptimizerGoldenTest {
    private static final JsonNode FIXTURE = Golden.load("optim.json");

    static List<String> runs() {
        List<String> names = new ArrayList<>();
        for (JsonNode r : FIXTURE.get("runs")) names.add(r.get("name").asText());
        return names;
    }

    private static JsonNode run(String name) {
        for (JsonNode r : FIXTURE.get("runs")) if (r.get("name").asText().equals(name)) return r;
        throw new AssertionError(name);
    }

    static int[] shape(int i) {
        return Golden.ints(FIXTURE.get("shapes").get(i));
    }

    static List<Parameter> initialParams() {
        List<Parameter> ps = new ArrayList<>();
        JsonNode init = FIXTURE.get("initial_params");
        for (int i = 0; i < init.size(); i++) {
            int[] bits = Golden.floatBits(init.get(i));
            float[] v = new float[bits.length];
            for (int k = 0; k < v.length; k++) v[k] = Float.intBitsToFloat(bits[k]);
            ps.add(new Parameter(Tensor.of(v, shape(i))));
        }
        return ps;
    }

    static SGD.Options sgdOptions(JsonNode o) {
        SGD.Options s = SGD.options(o.get("lr").asDouble());
        if (o.has("momentum")) s = s.momentum(o.get("momentum").asDouble());
        if (o.has("dampening")) s = s.dampening(o.get("dampening").asDouble());
        if (o.has("weight_decay")) s = s.weightDecay(o.get("weight_decay").asDouble());
        if (o.has("nesterov")) s = s.nesterov(o.get("nesterov").asBoolean());
        if (o.has("maximize")) s = s.maximize(o.get("maximize").asBoolean());
        return s;
    }

    static AdamOptions adamOptions(JsonNode o, AdamOptions defaults) {
        AdamOptions a = defaults;
        if (o.has("lr")) a = a.lr(o.get("lr").asDouble());
        if (o.has("betas")) a = a.betas(o.get("betas").get(0).asDouble(), o.get("betas").get(1).asDouble());
        if (o.has("eps")) a = a.eps(o.get("eps").asDouble());
        if (o.has("weight_decay")) a = a.weightDecay(o.get("weight_decay").asDouble());
        if (o.has("amsgrad")) a = a.amsgrad(o.get("amsgrad").asBoolean());
        if (o.has("maximize")) a = a.maximize(o.get("maximize").asBoolean());
        return a;
    }

    /** The optimizer a fixture run describes, over {@code params}. */
    static Optimizer<?> build(JsonNode r, List<Parameter> params) {
        String kind = r.get("optimizer").asText();
        List<ParamGroup<SGD.Options>> sgd = new ArrayList<>();
        List<ParamGroup<AdamOptions>> adam = new ArrayList<>();
        for (JsonNode g : r.get("groups")) {
            List<Parameter> ps = new ArrayList<>();
            for (JsonNode i : g.get("params")) ps.add(params.get(i.asInt()));
            JsonNode o = g.get("options");
            switch (kind) {
                case "SGD": sgd.add(new ParamGroup<>(ps, sgdOptions(o))); break;
                case "Adam": adam.add(new ParamGroup<>(ps, adamOptions(o, Adam.options()))); break;
                case "AdamW": adam.add(new ParamGroup<>(ps, adamOptions(o, AdamW.options()))); break;
                default: throw new AssertionError(kind);
            }
        }
        switch (kind) {
            case "SGD": return new SGD(sgd);
            case "Adam": return new Adam(adam);
            default: return new AdamW(adam);
        }
    }

    /** Sets step {@code step}'s gradients as the fixture script does. */
    static void setGrads(List<Parameter> params, Generator g, int step) {
        JsonNode scales = FIXTURE.get("scales");
        for (int i = 0; i < params.size(); i++) {
            if (i == 1 && step % 3 == 0) {
                params.get(i).setGrad(null);
            } else {
                double s = scales.get(i).asDouble();
                params.get(i).setGrad(Tensor.empty(DType.FLOAT32, shape(i)).uniform_(-s, s, g));
            }
        }
    }

    private static double maxRelDiffSeen;

    @ParameterizedTest
    @MethodSource("runs")
    void hundredStepsMatchTorchBitForBit(String name) {
        JsonNode r = run(name);
        List<Parameter> params = initialParams();
        Optimizer<?> opt = build(r, params);
        JsonNode sched = r.get("scheduler");
        LrScheduler scheduler = null;
        if (!sched.isNull()) {
            scheduler = sched.get("kind").asText().equals("StepLR")
                    ? new StepLR(opt, sched.get("step_size").asInt(), sched.get("gamma").asDouble())
                    : new CosineAnnealingLR(opt, sched.get("T_max").asInt(), sched.get("eta_min").asDouble());
        }
        Generator g = new Generator(FIXTURE.get("grad_seed").asLong());
        JsonNode checkpoints = r.get("checkpoints");
        int next = 0;
        long mismatches = 0;
        double maxRel = 0;
        for (int step = 1; step <= FIXTURE.get("steps").asInt(); step++) {
            setGrads(params, g, step);
            opt.step();
            if (scheduler != null) scheduler.step();
            JsonNode cp = checkpoints.get(next);
            if (cp != null && cp.get("step").asInt() == step) {
                for (int i = 0; i < params.size(); i++) {
                    int[] exp = Golden.floatBits(cp.get("params").get(i));
                    float[] got = params.get(i).toFloatArray();
                    for (int k = 0; k < exp.length; k++) {
                        float e = Float.intBitsToFloat(exp[k]);
                        if (Float.floatToRawIntBits(got[k]) != exp[k]) {
                            mismatches++;
                            maxRel = Math.max(maxRel, Math.abs(got[k] - e) / Math.max(Math.abs(e), Math.abs(got[k])));
                        }
                    }
                }
                next++;
            }
        }
        assertThat(next).isEqualTo(checkpoints.size());
        synchronized (OptimizerGoldenTest.class) {
            maxRelDiffSeen = Math.max(maxRelDiffSeen, maxRel);
        }
        System.out.printf("optim golden %-26s mismatching elements %d, max relative difference %.3g%n", name, mismatches, maxRel);
        assertThat(maxRel).as("max relative difference to torch over 100 steps").isLessThanOrEqualTo(1e-6);
        assertThat(mismatches).as("elements not bit-identical to torch").isZero();

        // final state: momentum buffers / exp_avg / exp_avg_sq / max_exp_avg_sq / step, bit for bit
        JsonNode states = r.get("final_state");
        for (int i = 0; i < params.size(); i++) {
            Map<String, Tensor> st = opt.state(params.get(i));
            List<String> expectedKeys = new ArrayList<>();
            states.get(i).fieldNames().forEachRemaining(expectedKeys::add);
            assertThat(st.keySet()).as("state keys of parameter %d", i).containsExactlyInAnyOrderElementsOf(expectedKeys);
            for (Map.Entry<String, Tensor> e : st.entrySet()) {
                int[] exp = Golden.floatBits(states.get(i).get(e.getKey()));
                float[] got = e.getValue().toFloatArray();
                assertThat(got.length).isEqualTo(exp.length);
                for (int k = 0; k < exp.length; k++) {
                    assertThat(Float.floatToRawIntBits(got[k])).as("%s state %d %s[%d]", name, i, e.getKey(), k).isEqualTo(exp[k]);
                }
            }
        }
    }
}
