package org.convinit.nn;

import java.math.BigDecimal;

/** Python's reprs, for torch-style module printing. */
final class Repr {
    private Repr() {}

    /** Python's {@code repr(float)}: {@code 0.1}, {@code 1e-05}, {@code 0.5}, {@code 1.0}. */
    static String pyFloat(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = new BigDecimal(Double.toString(Math.abs(v))).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - 1 - d.scale();
        String sign = v < 0 ? "-" : "";
        if (exp >= -4 && exp < 16) {
            String plain = d.toPlainString();
            return sign + (plain.contains(".") ? plain : plain + ".0");
        }
        String mant = digits.length() == 1 ? digits : digits.charAt(0) + "." + digits.substring(1);
        return sign + mant + "e" + (exp < 0 ? "-" : "+") + String.format("%02d", Math.abs(exp));
    }

    /** Python's bool. */
    static String pyBool(boolean b) {
        return b ? "True" : "False";
    }

    /** An int for one value, a tuple for several, as torch prints arguments given either way. */
    static String intOrTuple(int[] v) {
        return v.length == 1 ? Integer.toString(v[0]) : ConvNd.tuple(v);
    }
}
