package org.convinit.lab.diagnose;

import java.util.List;
import java.util.Locale;

/**
 * A one-line judgement of how the activations' scale changes through the network at init.
 *
 * <p>With {@code s_first} and {@code s_last} the output std of the first and last weight layer (conv or linear, in
 * module order), {@code L} the number of weight layers and {@code r = s_last / s_first}:
 * <ul>
 * <li>{@code r < 0.5}: {@link Kind#VANISHING}, "activations shrink by 10^k over L layers (vanishing)", {@code k = log10 r};
 * <li>{@code r > 2}: {@link Kind#EXPLODING}, "activations grow by 10^k over L layers (exploding)";
 * <li>{@code 0.5 <= r <= 2}: {@link Kind#STABLE}, "activations stable within [0.5, 2] over L layers (ratio r)".
 * </ul>
 * {@code k} is printed with one decimal. Degenerate cases: a non-finite std in any weight layer is exploding; a first
 * std of 0 (every output equal) or a last std of 0 is vanishing; {@code log10Change} is then null. With fewer than two
 * weight layers there is nothing to compare: stable, {@code r = 1}.
 */
public record Verdict(Kind kind, String text, Double log10Change, int weightLayers) {
    /** Lower bound of the stable band of {@code s_last / s_first}. */
    public static final double STABLE_LOW = 0.5;
    /** Upper bound of the stable band. */
    public static final double STABLE_HIGH = 2.0;

    public enum Kind {
        VANISHING, EXPLODING, STABLE;

        /** The JSON name: {@code vanishing}, {@code exploding}, {@code stable}. */
        public String jsonName() {
            return name().toLowerCase(Locale.ROOT);
        }
    }

    /** The verdict over the weight layers of {@code layers} (module order). */
    public static Verdict of(List<LayerStats> layers) {
        List<LayerStats> w = layers.stream().filter(LayerStats::isWeightLayer).toList();
        int l = w.size();
        String over = " over " + l + (l == 1 ? " layer" : " layers");
        if (l < 2) return new Verdict(Kind.STABLE, "activations stable within [0.5, 2]" + over + " (nothing to compare)", 0.0, l);
        for (LayerStats s : w) {
            if (!Double.isFinite(s.output().std())) {
                return new Verdict(Kind.EXPLODING, "activations are not finite at layer " + s.name() + over + " (exploding)", null, l);
            }
        }
        double first = w.get(0).output().std();
        double last = w.get(l - 1).output().std();
        if (first == 0 || last == 0) {
            String where = first == 0 ? w.get(0).name() : w.get(l - 1).name();
            return new Verdict(Kind.VANISHING, "activations are constant (std 0) at layer " + where + over + " (vanishing)", null, l);
        }
        double r = last / first;
        double k = Math.log10(r);
        String exp = String.format(Locale.ROOT, "10^%.1f", k);
        if (r < STABLE_LOW) return new Verdict(Kind.VANISHING, "activations shrink by " + exp + over + " (vanishing)", k, l);
        if (r > STABLE_HIGH) return new Verdict(Kind.EXPLODING, "activations grow by " + exp + over + " (exploding)", k, l);
        return new Verdict(Kind.STABLE, String.format(Locale.ROOT, "activations stable within [0.5, 2]%s (ratio %.2f)", over, r), k, l);
    }
}
