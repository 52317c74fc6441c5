package org.convinit.cli.expr;

import java.util.function.Function;

/** Python's arithmetic on number literals, for {@link PyParser}: int op int stays int except {@code /}. */
final class PyArithmetic {
    private PyArithmetic() {}

    static PyExpr negateIf(boolean negate, PyExpr operand, Function<String, IllegalArgumentException> error, String text) {
        if (operand instanceof PyExpr.Int i) {
            if (!negate) return i;
            if (i.value() == Long.MIN_VALUE) throw error.apply("'" + text + "' is out of range");
            return new PyExpr.Int(-i.value());
        }
        if (operand instanceof PyExpr.Float f) return negate ? new PyExpr.Float(-f.value(), text) : f;
        throw error.apply("unary " + (negate ? "-" : "+") + " needs a number, got " + operand);
    }

    static PyExpr apply(String op, PyExpr a, PyExpr b, Function<String, IllegalArgumentException> error, String text) {
        if (!isNumber(a) || !isNumber(b)) {
            throw error.apply("'" + op + "' needs numbers on both sides, got " + a + " " + op + " " + b);
        }
        try {
            if (a instanceof PyExpr.Int x && b instanceof PyExpr.Int y && !op.equals("/")) {
                Long r = intOp(op, x.value(), y.value());
                if (r != null) return new PyExpr.Int(r);
            }
            double x = value(a);
            double y = value(b);
            double r = switch (op) {
                case "+" -> x + y;
                case "-" -> x - y;
                case "*" -> x * y;
                case "/" -> divide(x, y);
                case "//" -> Math.floor(divide(x, y));
                case "%" -> y == 0 ? divide(x, y) : x - Math.floor(x / y) * y;
                case "**" -> Math.pow(x, y);
                default -> throw error.apply("unknown operator '" + op + "'");
            };
            return new PyExpr.Float(r, text);
        } catch (ArithmeticException e) {
            throw error.apply("'" + text + "': " + e.getMessage());
        }
    }

    /** The integer result, or null where Python's result is a float ({@code int ** negative int}). */
    private static Long intOp(String op, long x, long y) {
        return switch (op) {
            case "+" -> Math.addExact(x, y);
            case "-" -> Math.subtractExact(x, y);
            case "*" -> Math.multiplyExact(x, y);
            case "//" -> {
                if (y == 0) throw new ArithmeticException("integer division or modulo by zero");
                yield Math.floorDiv(x, y);
            }
            case "%" -> {
                if (y == 0) throw new ArithmeticException("integer division or modulo by zero");
                yield Math.floorMod(x, y);
            }
            case "**" -> y < 0 ? null : power(x, y);
            default -> null;
        };
    }

    private static long power(long base, long exp) {
        if (base == 0 || base == 1) return exp == 0 ? 1 : base;
        if (base == -1) return exp % 2 == 0 ? 1 : -1;
        long r = 1; // |base| >= 2 overflows within 63 steps
        for (long i = 0; i < exp; i++) r = Math.multiplyExact(r, base);
        return r;
    }

    private static double divide(double x, double y) {
        if (y == 0) throw new ArithmeticException("division by zero");
        return x / y;
    }

    private static boolean isNumber(PyExpr e) {
        return e instanceof PyExpr.Int || e instanceof PyExpr.Float;
    }

    private static double value(PyExpr e) {
        return e instanceof PyExpr.Int i ? i.value() : ((PyExpr.Float) e).value();
    }
}
