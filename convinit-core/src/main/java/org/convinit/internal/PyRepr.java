package org.convinit.internal;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;

/**
 * Python's {@code repr} of a float and of an int tuple, so messages and module reprs read as torch's
 * ({@code eps=1e-05}, {@code Invalid learning rate: -0.001}, {@code kernel_size=(3, 3)}).
 */
public final class PyRepr {
    private PyRepr() {}

    /**
     * {@code repr(float)}: the shortest decimal that reads back as {@code v} (the nearest such if
     * several), fixed notation for decimal exponents -4 to 15, else {@code 1e+16} style.
     */
    public static String of(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0) ? "-0.0" : "0.0";
        BigDecimal d = shortest(Math.abs(v)).stripTrailingZeros();
        String digits = d.unscaledValue().toString();
        int exp = digits.length() - d.scale() - 1; // decimal exponent of the first digit
        StringBuilder sb = new StringBuilder(v < 0 ? "-" : "");
        if (exp >= -4 && exp < 16) {
            if (exp < 0) {
                sb.append("0.").append("0".repeat(-exp - 1)).append(digits);
            } else if (digits.length() <= exp + 1) {
                sb.append(digits).append("0".repeat(exp + 1 - digits.length())).append(".0");
            } else {
                sb.append(digits, 0, exp + 1).append('.').append(digits.substring(exp + 1));
            }
        } else {
            sb.append(digits.charAt(0));
            if (digits.length() > 1) sb.append('.').append(digits.substring(1));
            String e = Integer.toString(Math.abs(exp));
            sb.append('e').append(exp < 0 ? '-' : '+').append(e.length() < 2 ? "0" : "").append(e);
        }
        return sb.toString();
    }

    /**
     * The fewest significant digits that read back as {@code v > 0} (David Gay's mode 0, as Python):
     * at each precision both neighbours of the exact value are tried, since next to a power of two the
     * rounding interval is lopsided and the nearer one may not read back while the farther one does.
     */
    private static BigDecimal shortest(double v) {
        BigDecimal exact = new BigDecimal(v);
        for (int p = 1; p < 17; p++) {
            BigDecimal down = exact.round(new MathContext(p, RoundingMode.DOWN));
            BigDecimal up = exact.round(new MathContext(p, RoundingMode.UP));
            boolean downOk = down.doubleValue() == v;
            boolean upOk = up.doubleValue() == v;
            if (downOk && upOk) {
                int c = exact.subtract(down).compareTo(up.subtract(exact));
                return c < 0 || (c == 0 && down.unscaledValue().testBit(0) == false) ? down : up;
            }
            if (downOk) return down;
            if (upOk) return up;
        }
        return exact.round(new MathContext(17, RoundingMode.HALF_EVEN)); // 17 digits always read back
    }

    /** Python's tuple repr: {@code (3, 3)}, {@code (3,)}, {@code ()}. */
    public static String tuple(int... v) {
        StringBuilder sb = new StringBuilder("(");
        for (int i = 0; i < v.length; i++) {
            if (i > 0) sb.append(", ");
            sb.append(v[i]);
        }
        if (v.length == 1) sb.append(',');
        return sb.append(')').toString();
    }
}
