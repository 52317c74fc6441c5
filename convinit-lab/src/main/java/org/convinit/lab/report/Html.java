package org.convinit.lab.report;

import java.util.Locale;

/** Escaping and number formats for the page: nothing from the study reaches the HTML unescaped. */
final class Html {
    private Html() {}

    /** Text and attribute values: {@code & < > " '} escaped. */
    static String esc(String s) {
        return s == null ? "" : replace(s, c -> switch (c) {
            case '&' -> "&amp;";
            case '<' -> "&lt;";
            case '>' -> "&gt;";
            case '"' -> "&quot;";
            case '\'' -> "&#39;";
            default -> null;
        });
    }

    /**
     * JSON for a {@code <script type="application/json">} block: {@code <}, {@code >}, {@code &} and the
     * JavaScript line separators U+2028/U+2029 become {@code \\uXXXX} escapes. In JSON they can only occur
     * inside strings, where the escape means the same character, so no {@code </script>} or {@code <!--}
     * can end the block early.
     */
    static String scriptJson(String json) {
        return replace(json, c -> c == '<' || c == '>' || c == '&' || c == '\u2028' || c == '\u2029'
                ? String.format(Locale.ROOT, "\\u%04x", (int) c) : null);
    }

    /** Each char {@code c} of {@code s} replaced by {@code by.apply(c)}, kept where that is null. */
    private static String replace(String s, java.util.function.IntFunction<String> by) {
        StringBuilder b = new StringBuilder(s.length() + 64);
        for (int i = 0; i < s.length(); i++) {
            String r = by.apply(s.charAt(i));
            if (r == null) b.append(s.charAt(i));
            else b.append(r);
        }
        return b.toString();
    }

    /** Escaped text with powers of ten as superscripts: "10^-3.2" -> 10<sup>-3.2</sup> (the verdicts write them so). */
    static String prose(String s) {
        return esc(s).replaceAll("10\\^([-+−]?[0-9]+(?:\\.[0-9]+)?)", "10<sup>$1</sup>");
    }

    /** A fraction as a percentage with one decimal: 0.8137 -> "81.4%". */
    static String percent(double fraction) {
        return String.format(Locale.ROOT, "%.1f%%", 100 * fraction);
    }

    /** A round percentage without its ".0": 0.75 -> "75%", 0.755 -> "75.5%". */
    static String shortPercent(double fraction) {
        String p = percent(fraction);
        return p.endsWith(".0%") ? p.substring(0, p.length() - 3) + "%" : p;
    }

    /** An ISO-8601 instant to the second, in UTC: "2026-12-01T00:14:56.6517Z" -> "2026-12-01 00:14:56 UTC"; other text as it is. */
    static String when(String iso) {
        try {
            java.time.Instant t = java.time.Instant.parse(iso).truncatedTo(java.time.temporal.ChronoUnit.SECONDS);
            return t.toString().replace('T', ' ').replace("Z", " UTC");
        } catch (java.time.format.DateTimeParseException e) {
            return iso;
        }
    }

    /** Percentage points with one decimal, no sign: 0.0123 -> "1.2". */
    static String points(double fraction) {
        return String.format(Locale.ROOT, "%.1f", 100 * fraction);
    }

    /** Three significant digits for losses and the like; plain notation between 1e-3 and 1e5. */
    static String num(double v) {
        if (!Double.isFinite(v)) return "—";
        double a = Math.abs(v);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) return String.format(Locale.ROOT, "%.2e", v);
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).stripTrailingZeros().toPlainString();
    }

    /**
     * "mean ± half" with both to the decimals of the mean's three significant digits: (0.4652, 0.0123) ->
     * "0.465 ± 0.012"; the "±" part is left out when it rounds to zero.
     */
    static String plusMinus(double mean, double half) {
        if (!Double.isFinite(mean)) return "—";
        double a = Math.abs(mean);
        if (a != 0 && (a < 1e-3 || a >= 1e5)) {
            return num(mean) + (Double.isFinite(half) && half > 0 ? " ± " + num(half) : "");
        }
        int decimals = a == 0 ? 3 : Math.max(0, 2 - (int) Math.floor(Math.log10(a)));
        String h = Double.isFinite(half) ? String.format(Locale.ROOT, "%." + decimals + "f", half) : "";
        boolean zero = h.isEmpty() || Double.parseDouble(h) == 0;
        return String.format(Locale.ROOT, "%." + decimals + "f", mean) + (zero ? "" : " ± " + h);
    }

    /** A whole number with thin grouping: 12345 -> "12,345". */
    static String count(double v) {
        return Double.isFinite(v) ? String.format(Locale.ROOT, "%,d", Math.round(v)) : "—";
    }

    /** Seconds as "212 s" or "3 min 32 s". */
    static String duration(double seconds) {
        if (!Double.isFinite(seconds)) return "—";
        long s = Math.round(seconds);
        return s < 120 ? s + " s" : (s / 60) + " min " + (s % 60) + " s";
    }
}
