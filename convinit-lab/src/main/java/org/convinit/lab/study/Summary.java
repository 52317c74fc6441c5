package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;

import com.fasterxml.jackson.databind.JsonNode;

/**
 * The plain-language summary: per model, the ranking in words (with the caveat when intervals overlap),
 * divergences, the diagnosis verdict at init per scheme, and the caveats of the study's size.
 */
final class Summary {
    private Summary() {}

    static List<String> sentences(Plan plan, StudyData data, Map<String, List<SchemeStats>> statsByModel,
            Map<String, List<Ranking>> rankings, List<CellResult> results, boolean complete) {
        List<String> out = new ArrayList<>();
        for (ModelSpec m : plan.models()) {
            List<Ranking> rank = rankings.get(m.name());
            Ranking best = rank.get(0);
            String prefix = plan.models().size() > 1 ? m.name() + ": " : "";
            if (best.accuracy() == null) {
                out.add(prefix + "no scheme finished training, so there is no ranking.");
            } else {
                out.add(prefix + best.scheme() + " reached the highest final test accuracy, " + acc(best.accuracy()) + ".");
                List<String> tied = new ArrayList<>();
                for (int i = 0; i < rank.size() - 1 && rank.get(i).overlapsNext(); i++) tied.add(rank.get(i + 1).scheme());
                if (!tied.isEmpty()) {
                    out.add(prefix + "its 95% interval overlaps " + String.join(", ", tied) + ": with " + plan.seeds().size()
                            + " seed" + (plan.seeds().size() == 1 ? "" : "s") + " the data do not tell "
                            + (tied.size() == 1 ? "these two" : "these") + " apart.");
                }
                for (int i = 1; i < rank.size(); i++) {
                    Ranking r = rank.get(i);
                    if (r.accuracy() != null) out.add(prefix + r.scheme() + ": " + acc(r.accuracy()) + " (rank " + r.rank() + ").");
                }
            }
            for (SchemeStats s : statsByModel.get(m.name())) {
                if (s.diverged() > 0) {
                    out.add(prefix + s.scheme() + " diverged in " + s.diverged() + " of " + s.seeds() + " seeds (the loss became NaN or "
                            + "infinite, first at step " + s.firstDivergedStep() + ").");
                }
                if (s.failed() > 0) out.add(prefix + s.scheme() + " failed in " + s.failed() + " of " + s.seeds() + " seeds (see the cells' errors).");
                boolean stalled = s.accuracy() != null && s.accuracy().mean() < STALLED;
                if (stalled) {
                    out.add(prefix + s.scheme() + " stalled: its final test accuracy, " + acc(s.accuracy())
                            + ", is near chance (10% for 10 classes).");
                }
                if (!stalled && s.finished() > 0 && s.reached() < s.finished()) {
                    out.add(prefix + s.scheme() + " reached the target test accuracy in " + s.reached() + " of " + s.finished()
                            + " finished seeds.");
                }
            }
            verdicts(prefix, m, plan, results, out);
        }
        out.add(caveats(plan, data, complete));
        return out;
    }

    /** A mean final accuracy below this (1.5 x chance for 10 classes) is called a stall. */
    static final double STALLED = 0.15;

    /** Per scheme, the first diagnosed seed's verdict and the conv layers' std ratio against He et al.'s prediction. */
    private static void verdicts(String prefix, ModelSpec m, Plan plan, List<CellResult> results, List<String> out) {
        for (Scheme s : plan.schemes()) {
            for (CellResult r : results) {
                if (!r.cell().model().name().equals(m.name()) || !r.cell().scheme().name().equals(s.name()) || r.diagnosis() == null) continue;
                JsonNode text = r.diagnosis().path("verdict").path("text");
                String line = prefix + "at init (seed " + r.cell().seed() + "), " + s.name() + ": " + (text.isTextual() ? text.asText() : "");
                Propagation p = Propagation.of(r.diagnosis());
                if (p != null) {
                    line += String.format(Locale.ROOT, "; the conv outputs' std changes by x%.3f per layer over %d conv layers "
                            + "(He et al. 2015 predict x%.3f from the fans and weights)", p.measuredRatio(), p.convLayers(), p.predictedRatio());
                }
                out.add(line + ".");
                break;
            }
        }
    }

    private static String caveats(Plan plan, StudyData data, boolean complete) {
        int seeds = plan.seeds().size();
        int epochs = plan.config().epochs();
        String s = "Caveats: " + seeds + " seed" + (seeds == 1 ? "" : "s") + ", " + epochs + " epoch" + (epochs == 1 ? "" : "s")
                + " on " + data.train().size() + " training images (" + data.source() + "), tested on " + data.test().size()
                + "; a short run ranks initializations by how fast they start to learn, not by where they end up, and "
                + "intervals from " + seeds + " seed" + (seeds == 1 ? "" : "s") + " are wide.";
        if (!complete) s += " The study was stopped early: cells marked not_run are missing from every number.";
        return s;
    }

    private static String acc(Interval i) {
        if (i.n() == 1) return String.format(Locale.ROOT, "%.2f%% (1 seed, no interval)", 100 * i.mean());
        return String.format(Locale.ROOT, "%.2f%% (95%% interval %.2f to %.2f%%, %d seeds)", 100 * i.mean(), 100 * i.low(), 100 * i.high(), i.n());
    }
}
