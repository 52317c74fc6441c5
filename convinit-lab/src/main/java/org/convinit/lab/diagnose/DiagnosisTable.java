package org.convinit.lab.diagnose;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * A {@link Diagnosis} as a text table, one row per leaf module, the theory's prediction printed beside each
 * measurement (std beside predicted std, measured gain beside predicted gain); {@code -} where a value does not exist.
 */
public final class DiagnosisTable {
    private static final String[] HEADER = {"layer", "type", "mean", "std", "pred std", "min", "max", "zero%", "sat%",
        "grad std", "|dW|", "update", "gain", "pred gain"};

    private DiagnosisTable() {}

    public static String render(Diagnosis d) {
        StringBuilder sb = new StringBuilder();
        sb.append("model:   ").append(d.model()).append('\n');
        Diagnosis.InitInfo i = d.init();
        sb.append("init:    ").append(describe(i)).append('\n');
        Diagnosis.BatchInfo b = d.batch();
        sb.append(String.format(Locale.ROOT, "batch:   %s, images %d..%d (%d), sha256 %s%n", b.source(), b.first(), b.last(), b.size(),
                b.sha256()));
        sb.append(String.format(Locale.ROOT, "loss:    %.6g (mean cross-entropy, training mode)%n%n", d.loss()));
        List<String[]> rows = new ArrayList<>();
        rows.add(HEADER);
        for (LayerStats l : d.layers()) {
            Summary s = l.output();
            rows.add(new String[] {l.name().isEmpty() ? "(model)" : l.name(), l.type(), num(s.mean()), num(s.std()),
                num(l.predictedStd()), num(s.min()), num(s.max()), pct(s.zeroFraction()), pct(s.saturatedFraction()),
                num(l.gradOutputStd()), num(l.weightGradNorm()), num(l.updateRatio()), num(l.measuredGain()), num(l.predictedGain())});
        }
        int[] width = new int[HEADER.length];
        for (String[] r : rows) for (int c = 0; c < r.length; c++) width[c] = Math.max(width[c], r[c].length());
        for (String[] r : rows) {
            StringBuilder line = new StringBuilder();
            for (int c = 0; c < r.length; c++) {
                if (c > 0) line.append("  ");
                String cell = c < 2 ? pad(r[c], width[c], false) : pad(r[c], width[c], true);
                line.append(cell);
            }
            sb.append(line.toString().stripTrailing()).append('\n');
        }
        sb.append('\n').append("verdict: ").append(d.verdict().text()).append('\n');
        sb.append("(std: unbiased std of the output; pred std: He et al. 2015's line from the first conv/linear layer; gain: "
                + "(std / previous conv/linear std)^2 beside its prediction c * fan_in * mean(w^2); grad std: of d loss / d output; "
                + "update: 0.01 * |dW| / |W|)\n");
        return sb.toString();
    }

    static String describe(Diagnosis.InitInfo i) {
        if (i.weights() != null) return "weights from " + i.weights();
        StringBuilder sb = new StringBuilder();
        sb.append("seed ").append(i.seed() == null ? "-" : i.seed().toString());
        sb.append(", weights ").append(i.init() == null ? "as the model's own init" : i.init());
        if (i.biasInit() != null) sb.append(", biases ").append(i.biasInit());
        return sb.toString();
    }

    private static String num(Double v) {
        if (v == null) return "-";
        if (v.isNaN() || v.isInfinite()) return v.toString();
        if (v == 0) return "0";
        double a = Math.abs(v);
        return a >= 1e-3 && a < 1e4 ? String.format(Locale.ROOT, "%.4g", v) : String.format(Locale.ROOT, "%.3e", v);
    }

    private static String pct(double f) {
        return Double.isNaN(f) ? "-" : String.format(Locale.ROOT, "%.1f", 100 * f);
    }

    private static String pad(String s, int w, boolean right) {
        String fill = " ".repeat(w - s.length());
        return right ? fill + s : s + fill;
    }
}
