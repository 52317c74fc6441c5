package org.convinit.lab.study;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;

/**
 * Schemes of one model ranked by mean final test accuracy (schemes with no finished seed last, in plan order).
 * {@code overlapsNext} marks an entry whose 95% interval overlaps the next one's: the data do not order them.
 */
public record Ranking(String model, int rank, String scheme, Interval accuracy, boolean overlapsNext) {

    /** The ranking of {@code stats} (one model's schemes). */
    public static List<Ranking> of(List<SchemeStats> stats) {
        List<SchemeStats> sorted = new ArrayList<>(stats);
        sorted.sort(Comparator.comparingDouble((SchemeStats s) -> s.accuracy() == null ? Double.POSITIVE_INFINITY : -s.accuracy().mean()));
        List<Ranking> out = new ArrayList<>();
        for (int i = 0; i < sorted.size(); i++) {
            SchemeStats s = sorted.get(i);
            Interval next = i + 1 < sorted.size() ? sorted.get(i + 1).accuracy() : null;
            boolean overlap = s.accuracy() != null && next != null && s.accuracy().overlaps(next);
            out.add(new Ranking(s.model(), i + 1, s.scheme(), s.accuracy(), overlap));
        }
        return out;
    }
}
