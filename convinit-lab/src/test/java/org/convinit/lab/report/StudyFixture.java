package org.convinit.lab.report;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.JsonNodeFactory;
import com.fasterxml.jackson.databind.node.ObjectNode;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;

/**
 * A realistic, schema-complete {@code convinit-study/1} document (docs/study-json.md) for the report's
 * tests: two models (a small CNN and a plain 8-layer conv net), five schemes, three seeds, two epochs of
 * 157 steps. {@code normal_(std=10)} diverges: on every seed of the plain net (nulls everywhere downstream)
 * and on seed 1 of the CNN. Numbers follow the theory's shape (Xavier halves the variance per ReLU layer,
 * kaiming keeps it) with seeded noise; aggregates are computed from the cells as the study does.
 */
final class StudyFixture {
    static final List<String> SCHEMES = List.of("default", "xavier_uniform_",
            "kaiming_normal_(mode='fan_out', nonlinearity='relu')", "orthogonal_", "normal_(std=10)");
    static final int STEPS_PER_EPOCH = 157;
    static final int EPOCHS = 2;
    private static final JsonNodeFactory F = JsonNodeFactory.instance;
    private static final double T975_2 = 4.302652729911275;

    private StudyFixture() {}

    record Model(String name, String expr, List<String> types) {}

    static final Model CNN = new Model("cnn", "Sequential(Conv2d(1, 8, 3, padding=1), ReLU(), MaxPool2d(2), "
            + "Conv2d(8, 16, 3, padding=1), ReLU(), MaxPool2d(2), Flatten(), Linear(784, 10))",
            List.of("Conv2d", "ReLU", "MaxPool2d", "Conv2d", "ReLU", "MaxPool2d", "Flatten", "Linear"));
    static final Model PLAIN8 = plain(8);

    /** A plain conv net of the he2015 preset's shape: {@code depth} x (Conv2d 3x3, ReLU), Flatten, Linear. */
    static Model plain(int depth) {
        return new Model("plain" + depth, "Sequential(Conv2d(1, 16, 3, padding=1), ReLU(), ... " + depth
                + " conv layers ..., Flatten(), Linear(12544, 10))", plainTypes(depth));
    }

    private static List<String> plainTypes(int depth) {
        List<String> t = new ArrayList<>();
        for (int i = 0; i < depth; i++) {
            t.add("Conv2d");
            t.add("ReLU");
        }
        t.add("Flatten");
        t.add("Linear");
        return t;
    }

    static ObjectNode study() {
        return study(List.of(CNN, PLAIN8), SCHEMES, null);
    }

    /** The he2015 preset's shape: plain nets of depth 8, 16 and 30; default vs xavier vs kaiming. */
    static ObjectNode he2015() {
        return study(List.of(plain(8), plain(16), plain(30)),
                List.of("default", "xavier_uniform_", "kaiming_normal_(nonlinearity='relu')"), "he2015");
    }

    static ObjectNode study(List<Model> modelList, List<String> schemeList, String preset) {
        ObjectNode s = F.objectNode().put("schema", "convinit-study/1");
        ObjectNode config = s.putObject("config");
        ArrayNode models = config.putArray("models");
        for (Model m : modelList) models.addObject().put("name", m.name()).put("model", m.expr());
        schemeList.forEach(config.putArray("inits")::add);
        config.putArray("seeds").add(0).add(1).add(2);
        config.put("epochs", EPOCHS).put("optimizer", "sgd").put("lr", 0.01).put("batch_size", 64)
                .put("target_accuracy", 0.8).putNull("max_minutes").put("preset", preset).put("parallel_cells", 2);
        ObjectNode r = s.putObject("reproducibility");
        r.put("command", "convinit study --model cnn --inits \"default; xavier_uniform_; ...\" --seeds 3 "
                + "--out </script><b>x</b>.html").put("convinit_version", "0.1.0").put("torch_semantics", "1.13.1")
                .put("java", "17.0.15").put("os", "Linux amd64");
        r.putObject("data").put("source", "built-in Fashion-MNIST subset").put("train_examples", 10000)
                .put("test_examples", 2000).put("sha256", "9f2c".repeat(16));
        r.put("started", "2026-11-30T23:59:00Z").put("wall_seconds", 212.4).put("complete", true);
        ArrayNode cells = s.putArray("cells");
        for (Model m : modelList) {
            for (String scheme : schemeList) {
                for (int seed = 0; seed < 3; seed++) cells.add(cell(m, scheme, seed, preset == null));
            }
        }
        ArrayNode aggs = s.putArray("aggregates");
        for (Model m : modelList) {
            for (String scheme : schemeList) aggs.add(aggregate(m, scheme, cells, preset == null));
        }
        ArrayNode ranking = s.putArray("ranking");
        for (Model m : modelList) {
            List<JsonNode> ranked = new ArrayList<>();
            for (JsonNode a : aggs) {
                if (a.path("model").asText().equals(m.name()) && a.path("final_test_accuracy").path("mean").isNumber()) {
                    ranked.add(a);
                }
            }
            ranked.sort(Comparator.comparingDouble(a -> -a.path("final_test_accuracy").path("mean").asDouble()));
            for (int i = 0; i < ranked.size(); i++) {
                ranking.addObject().put("model", m.name()).put("rank", i + 1).put("scheme", ranked.get(i).path("scheme")
                        .asText()).put("final_test_accuracy", ranked.get(i).path("final_test_accuracy").path("mean").asDouble());
            }
        }
        s.putArray("summary")
                .add("On cnn, kaiming_normal_(mode='fan_out', nonlinearity='relu') reached the highest final test "
                        + "accuracy (86.1% ± 0.9), but its interval overlaps orthogonal_'s: with 3 seeds the two are "
                        + "not distinguishable.")
                .add("On plain8, default init vanishes at init (activations shrink by 10^-3.0 over 9 weight layers) "
                        + "and its loss stalls near 2.30 for 2 epochs; xavier_uniform_ halves the variance per layer.")
                .add("normal_(std=10) diverged on 4 of 6 runs (loss NaN within the first 45 steps).")
                .add("Caveats: 3 seeds, 2 epochs, 10,000 training images: differences of a point or two may not "
                        + "hold for longer training or the full data set.");
        return s;
    }

    /** Per-layer std gain of a weight layer (He et al. 2015's variance gain, square-rooted). */
    private static double stdGain(String scheme) {
        return switch (scheme) {
            case "default" -> Math.sqrt(1.0 / 6);
            case "xavier_uniform_", "orthogonal_" -> Math.sqrt(0.5);
            case "normal_(std=10)" -> 30;
            default -> 1.0;
        };
    }

    private static ObjectNode cell(Model m, String scheme, int seed, boolean evals) {
        Random rnd = new Random(31L * (m.name().hashCode() * 7L + scheme.hashCode()) + seed);
        boolean diverges = scheme.startsWith("normal_") && (m != CNN || seed == 1);
        ObjectNode c = F.objectNode().put("model", m.name()).put("scheme", scheme).put("seed", seed);
        c.put("status", diverges ? "diverged" : "ok");
        int divergedAt = diverges ? (m != CNN ? 2 + seed : 45) : -1;
        if (diverges) c.put("diverged_at_step", divergedAt);
        else c.putNull("diverged_at_step");
        c.putNull("error");
        c.set("diagnosis", diagnosis(m, scheme, seed, rnd));
        double quality = quality(m, scheme);
        ArrayNode loss = c.putArray("step_loss");
        int steps = diverges ? divergedAt : STEPS_PER_EPOCH * EPOCHS;
        double floor = 0.25 + 0.9 * (1 - quality), tau = 30 + 200 * (1 - quality);
        for (int t = 1; t <= steps; t++) {
            if (diverges && t == divergedAt) {
                loss.addNull();
                break;
            }
            double v = floor + (2.30 - floor) * Math.exp(-t / tau) + 0.08 * rnd.nextGaussian() * (0.3 + floor);
            if (diverges) v = 2.3 + 40 * t * t;
            loss.add(Math.max(0.05, v));
        }
        ArrayNode epochs = c.putArray("epochs");
        int reachedAt = -1;
        for (int e = 1; e <= EPOCHS && !diverges; e++) {
            double acc = Math.min(0.93, 0.1 + (quality * 0.78) * (1 - Math.exp(-e * 1.6)) + 0.01 * rnd.nextGaussian());
            epochs.addObject().put("epoch", e).put("train_loss", floor + 0.3 / e).put("test_loss", floor + 0.25 / e + 0.02 * rnd.nextGaussian())
                    .put("test_accuracy", acc).put("seconds", 9.1 + rnd.nextDouble());
            if (acc >= 0.8 && reachedAt < 0) reachedAt = (int) (STEPS_PER_EPOCH * (e - 0.5) + rnd.nextInt(40));
        }
        if (reachedAt > 0) c.put("steps_to_target", reachedAt);
        else c.putNull("steps_to_target");
        ArrayNode evaluations = c.putArray("evaluations");
        for (int t = 40; evals && !diverges && t <= STEPS_PER_EPOCH * EPOCHS + 39; t += 40) {
            int step = Math.min(t, STEPS_PER_EPOCH * EPOCHS);
            double acc = 0.1 + quality * 0.78 * (1 - Math.exp(-1.6 * step / STEPS_PER_EPOCH)) + 0.012 * rnd.nextGaussian();
            evaluations.addObject().put("step", step).put("test_loss", 2.3 - 2 * acc).put("test_accuracy", acc);
        }
        c.put("wall_seconds", diverges ? 0.8 : 18.3 + rnd.nextDouble());
        return c;
    }

    /** How well a scheme trains a model, 0 (stalls) to 1. */
    private static double quality(Model m, String scheme) {
        double q = scheme.startsWith("kaiming") ? 1.0 : switch (scheme) {
            case "orthogonal_" -> 0.98;
            case "xavier_uniform_" -> 0.95;
            case "default" -> 0.9;
            default -> 0.6;
        };
        if (m != CNN) {
            int depth = (m.types().size() - 2) / 2;
            q = scheme.equals("default") ? 0.05 : scheme.startsWith("xavier") ? (depth >= 30 ? 0.08 : 0.7) : q * 0.97;
        }
        return q;
    }

    private static ObjectNode diagnosis(Model m, String scheme, int seed, Random rnd) {
        ObjectNode d = F.objectNode().put("schema", "convinit-diagnose/1").put("model", m.expr());
        d.putObject("init").put("seed", seed).put("init", scheme).putNull("bias_init").putNull("weights");
        d.putObject("batch").put("source", "built-in Fashion-MNIST subset (train, 10000 images)")
                .put("size", 64).put("sha256", "ab12".repeat(16)).putArray("indices").add(0).add(63);
        d.put("loss", 2.3 + 0.05 * rnd.nextGaussian());
        ArrayNode layers = d.putArray("layers");
        double std = 0.5 * (1 + 0.05 * rnd.nextGaussian()), firstStd = Double.NaN, predicted = Double.NaN;
        double prevWeightStd = Double.NaN, gain = stdGain(scheme);
        int weightLayers = 0;
        for (int i = 0; i < m.types().size(); i++) {
            String type = m.types().get(i);
            boolean weight = type.equals("Conv2d") || type.equals("Linear");
            boolean relu = type.equals("ReLU");
            if (weight && weightLayers > 0) std *= gain * (1 + 0.04 * rnd.nextGaussian()) / 0.58;
            if (relu) std *= 0.58;
            if (type.equals("MaxPool2d")) std *= 1.15;
            ObjectNode l = layers.addObject().put("name", Integer.toString(i)).put("type", type);
            l.put("output_mean", relu ? 0.4 * std : 0.01 * rnd.nextGaussian()).put("output_std", std);
            l.put("output_min", relu ? 0 : -4 * std).put("output_max", 4 * std);
            l.put("zero_fraction", relu ? 0.5 + 0.02 * rnd.nextGaussian() : 0).put("saturated_fraction", 0.0);
            ObjectNode h = l.putObject("histogram").put("min", relu ? 0 : -4 * std).put("max", 4 * std);
            ArrayNode counts = h.putArray("counts");
            for (int b = 0; b < 40; b++) {
                double x = relu ? b / 10.0 : (b - 19.5) / 5.0;
                double p = Math.exp(-x * x / 2) * (relu ? 0.5 : 1);
                counts.add(Math.round(6000 * p / 8 + (relu && b == 0 ? 25000 : 0)));
            }
            double g = 1e-3 * Math.pow(gain == 30 ? 30 : 1 / Math.max(gain, 0.3), (m.types().size() - i) / 2.0);
            l.put("grad_output_std", g * (1 + 0.05 * rnd.nextGaussian()));
            if (weight) {
                weightLayers++;
                l.put("weight_grad_norm", 0.03 * g / 1e-3).put("update_ratio", 1e-3 * (1 + rnd.nextDouble()));
                double pg = gain * gain * (1 + 0.01 * rnd.nextGaussian());
                l.put("predicted_gain", pg);
                if (weightLayers == 1) {
                    firstStd = std;
                    predicted = std;
                    l.putNull("measured_gain");
                } else {
                    predicted *= Math.sqrt(pg);
                    l.put("measured_gain", Math.pow(std / prevWeightStd, 2));
                }
                l.put("predicted_std", predicted);
                prevWeightStd = std;
            } else {
                l.putNull("weight_grad_norm").putNull("update_ratio").putNull("predicted_gain")
                        .putNull("measured_gain").putNull("predicted_std");
            }
        }
        double change = Math.log10(prevWeightStd / firstStd);
        String kind = change < -1 ? "vanishing" : change > 1 ? "exploding" : "stable";
        d.putObject("verdict").put("kind", kind).put("log10_change", change).put("weight_layers", weightLayers)
                .put("text", kind.equals("stable") ? "stable within [0.5, 2] over " + weightLayers + " layers"
                        : String.format(java.util.Locale.ROOT, "activations %s by 10^%.1f over %d layers (%s)",
                                change < 0 ? "shrink" : "grow", change, weightLayers, kind));
        return d;
    }

    private static ObjectNode aggregate(Model m, String scheme, ArrayNode cells, boolean evals) {
        List<JsonNode> mine = new ArrayList<>(), ok = new ArrayList<>();
        for (JsonNode c : cells) {
            if (c.path("model").asText().equals(m.name()) && c.path("scheme").asText().equals(scheme)) {
                mine.add(c);
                if (c.path("status").asText().equals("ok")) ok.add(c);
            }
        }
        ObjectNode a = F.objectNode().put("model", m.name()).put("scheme", scheme).put("seeds", mine.size())
                .put("diverged", mine.size() - ok.size());
        a.set("final_test_accuracy", interval(ok, c -> c.path("epochs").path(EPOCHS - 1).path("test_accuracy")));
        a.set("final_test_loss", interval(ok, c -> c.path("epochs").path(EPOCHS - 1).path("test_loss")));
        List<JsonNode> reached = new ArrayList<>();
        for (JsonNode c : ok) if (c.path("steps_to_target").isNumber()) reached.add(c);
        ObjectNode stt = interval(reached, c -> c.path("steps_to_target"));
        stt.put("reached", reached.size());
        a.set("steps_to_target", stt);
        ObjectNode sl = a.putObject("step_loss");
        ArrayNode step = sl.putArray("step"), mean = sl.putArray("mean"), low = sl.putArray("low"), high = sl.putArray("high");
        for (int t = 0; !ok.isEmpty() && t < STEPS_PER_EPOCH * EPOCHS; t++) {
            final int at = t;
            ObjectNode iv = interval(ok, c -> c.path("step_loss").path(at));
            step.add(t + 1);
            mean.add(iv.get("mean"));
            low.add(iv.get("low"));
            high.add(iv.get("high"));
        }
        ObjectNode ea = a.putObject("epoch_accuracy");
        ArrayNode ep = ea.putArray("epoch"), em = ea.putArray("mean"), el = ea.putArray("low"), eh = ea.putArray("high");
        for (int e = 0; !ok.isEmpty() && e < EPOCHS; e++) {
            final int at = e;
            ObjectNode iv = interval(ok, c -> c.path("epochs").path(at).path("test_accuracy"));
            ep.add(e + 1);
            em.add(iv.get("mean"));
            el.add(iv.get("low"));
            eh.add(iv.get("high"));
        }
        if (evals) {
            ObjectNode ev = a.putObject("eval_accuracy");
            ArrayNode es = ev.putArray("step"), vm = ev.putArray("mean"), vl = ev.putArray("low"), vh = ev.putArray("high");
            for (int i = 0; !ok.isEmpty() && i < ok.get(0).path("evaluations").size(); i++) {
                final int at = i;
                ObjectNode iv = interval(ok, c -> c.path("evaluations").path(at).path("test_accuracy"));
                es.add(ok.get(0).path("evaluations").path(i).path("step").asInt());
                vm.add(iv.get("mean"));
                vl.add(iv.get("low"));
                vh.add(iv.get("high"));
            }
        }
        ObjectNode propagation = a.putObject("propagation");
        propagation.put("conv_layers", (int) m.types().stream().filter("Conv2d"::equals).count());
        propagation.set("measured_std_ratio", interval(mine, c -> F.numberNode(convRatio(c.path("diagnosis")))));
        propagation.set("predicted_std_ratio", interval(mine, c -> F.numberNode(stdGain(scheme))));
        ArrayNode layers = a.putArray("layers");
        for (int i = 0; i < m.types().size(); i++) {
            final int li = i;
            ObjectNode l = layers.addObject().put("name", Integer.toString(i)).put("type", m.types().get(i));
            l.set("output_std", interval(mine, c -> c.path("diagnosis").path("layers").path(li).path("output_std")));
            l.set("grad_output_std", interval(mine, c -> c.path("diagnosis").path("layers").path(li).path("grad_output_std")));
            l.set("predicted_gain", mine.get(0).path("diagnosis").path("layers").path(li).path("predicted_gain"));
            l.set("predicted_std", interval(mine, c -> c.path("diagnosis").path("layers").path(li).path("predicted_std")));
            ObjectNode h = l.putObject("histogram");
            JsonNode h0 = mine.get(0).path("diagnosis").path("layers").path(li).path("histogram");
            h.set("min", h0.path("min"));
            h.set("max", h0.path("max"));
            ArrayNode fr = h.putArray("fractions");
            double total = 0;
            for (JsonNode v : h0.path("counts")) total += v.asDouble();
            for (JsonNode v : h0.path("counts")) fr.add(v.asDouble() / total);
        }
        return a;
    }

    /** Geometric mean of the std ratio between consecutive conv layers of a diagnosis. */
    private static double convRatio(JsonNode diagnosis) {
        List<Double> stds = new ArrayList<>();
        for (JsonNode l : diagnosis.path("layers")) if (l.path("type").asText().equals("Conv2d")) stds.add(l.path("output_std").asDouble());
        return Math.pow(stds.get(stds.size() - 1) / stds.get(0), 1.0 / (stds.size() - 1));
    }

    /** Mean and 95% t-interval over the values present (3 seeds: t = 4.303); nulls when there is none. */
    private static ObjectNode interval(List<JsonNode> cells, java.util.function.Function<JsonNode, JsonNode> get) {
        List<Double> v = new ArrayList<>();
        for (JsonNode c : cells) if (get.apply(c).isNumber()) v.add(get.apply(c).asDouble());
        ObjectNode o = F.objectNode();
        if (v.isEmpty()) return o.putNull("mean").putNull("low").putNull("high");
        double mean = v.stream().mapToDouble(Double::doubleValue).average().orElseThrow();
        double ss = 0;
        for (double x : v) ss += (x - mean) * (x - mean);
        double half = v.size() < 2 ? 0 : (v.size() == 3 ? T975_2 : 12.706) * Math.sqrt(ss / (v.size() - 1) / v.size());
        return o.put("mean", mean).put("low", mean - half).put("high", mean + half);
    }
}
