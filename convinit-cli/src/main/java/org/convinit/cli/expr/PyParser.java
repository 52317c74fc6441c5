package org.convinit.cli.expr;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A recursive-descent parser for {@link PyExpr}. Errors name the position and what was expected. Arithmetic on
 * number literals is evaluated as Python does ({@code 32 * 7 * 7}, {@code 2 ** -0.5}, {@code 64 // 2},
 * {@code -(1 / 3)}): {@code + - * / // % **} with Python's precedence, integer results for integer operands
 * except {@code /}, floor division and modulo rounding toward negative infinity.
 */
final class PyParser {
    private static final int MAX_DEPTH = 64;
    private final String s;
    private int pos;
    private int depth;

    PyParser(String s) {
        this.s = s;
    }

    PyExpr parseAll() {
        PyExpr e = expr();
        skipWs();
        if (pos != s.length()) throw error("unexpected '" + s.charAt(pos) + "'");
        return e;
    }

    private IllegalArgumentException error(String what) {
        return new IllegalArgumentException("cannot parse '" + s + "' at column " + (pos + 1) + ": " + what);
    }

    private void skipWs() {
        while (pos < s.length() && Character.isWhitespace(s.charAt(pos))) pos++;
    }

    private boolean peek(char c) {
        skipWs();
        return pos < s.length() && s.charAt(pos) == c;
    }

    private void expect(char c) {
        skipWs();
        if (pos >= s.length() || s.charAt(pos) != c) {
            throw error(pos >= s.length() ? "expected '" + c + "' but the text ended" : "expected '" + c + "'");
        }
        pos++;
    }

    private PyExpr expr() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        try {
            int start = pos;
            PyExpr left = term();
            while (peekOperator("+") || peekOperator("-")) {
                String op = operator();
                left = PyArithmetic.apply(op, left, term(), this::error, source(start));
            }
            return left;
        } finally {
            depth--;
        }
    }

    private PyExpr term() {
        int start = pos;
        PyExpr left = unary();
        while (peekOperator("*") || peekOperator("/") || peekOperator("%")) {
            String op = operator();
            left = PyArithmetic.apply(op, left, unary(), this::error, source(start));
        }
        return left;
    }

    /** Prefix signs and {@code **} recurse here, so they count toward {@link #MAX_DEPTH} as parentheses do. */
    private PyExpr unary() {
        if (++depth > MAX_DEPTH) throw error("nesting deeper than " + MAX_DEPTH);
        try {
            skipWs();
            int start = pos;
            if (peekOperator("-") || peekOperator("+")) {
                String op = operator();
                return PyArithmetic.negateIf(op.equals("-"), unary(), this::error, source(start));
            }
            PyExpr base = atom();
            if (peekOperator("**")) {
                operator();
                return PyArithmetic.apply("**", base, unary(), this::error, source(start));
            }
            return base;
        } finally {
            depth--;
        }
    }

    /** Whether the next token starts with {@code op}; {@link #operator()} takes the doubled {@code **} and {@code //}. */
    private boolean peekOperator(String op) {
        skipWs();
        return s.startsWith(op, pos);
    }

    private String operator() {
        skipWs();
        String op = s.startsWith("**", pos) ? "**" : s.startsWith("//", pos) ? "//" : s.substring(pos, pos + 1);
        pos += op.length();
        return op;
    }

    private String source(int start) {
        return s.substring(start, pos).trim();
    }

    private PyExpr atom() {
        skipWs();
        if (pos >= s.length()) throw error("expected a value but the text ended");
        char c = s.charAt(pos);
        if (c == '(' || c == '[') return seq(c);
        if (c == '\'' || c == '"') return str(c);
        if (c == '.' || Character.isDigit(c)) return number();
        if (Character.isLetter(c) || c == '_') return nameOrCall();
        throw error("unexpected '" + c + "'");
    }

    private PyExpr seq(char open) {
        char close = open == '(' ? ')' : ']';
        pos++;
        List<PyExpr> items = new ArrayList<>();
        boolean trailingComma = false;
        while (!peek(close)) {
            items.add(expr());
            trailingComma = false;
            if (peek(',')) {
                pos++;
                trailingComma = true;
            } else {
                break;
            }
        }
        expect(close);
        if (open == '(' && items.size() == 1 && !trailingComma) return items.get(0); // parenthesised value
        return new PyExpr.Seq(items, open == '[');
    }

    private PyExpr str(char quote) {
        pos++;
        StringBuilder sb = new StringBuilder();
        while (pos < s.length() && s.charAt(pos) != quote) {
            char c = s.charAt(pos++);
            if (c == '\\' && pos < s.length()) c = s.charAt(pos++);
            sb.append(c);
        }
        if (pos >= s.length()) throw error("unterminated string");
        pos++;
        return new PyExpr.Str(sb.toString());
    }

    private PyExpr number() {
        int start = pos;
        int digitsStart = pos;
        boolean isFloat = false;
        while (pos < s.length()) {
            char c = s.charAt(pos);
            if (Character.isDigit(c) || c == '_') {
                pos++;
            } else if (c == '.' || c == 'e' || c == 'E') {
                isFloat = true;
                pos++;
                if ((c == 'e' || c == 'E') && pos < s.length() && (s.charAt(pos) == '-' || s.charAt(pos) == '+')) pos++;
            } else {
                break;
            }
        }
        String text = s.substring(start, pos).replace("_", "");
        if (pos == digitsStart) throw error("expected a number");
        try {
            if (isFloat) return new PyExpr.Float(Double.parseDouble(text), text);
            return new PyExpr.Int(Long.parseLong(text));
        } catch (NumberFormatException e) {
            pos = start;
            throw error("'" + text + "' is not a number");
        }
    }

    private PyExpr nameOrCall() {
        int start = pos;
        while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_' || s.charAt(pos) == '.')) pos++;
        String name = s.substring(start, pos);
        switch (name) {
            case "True": return new PyExpr.Bool(true);
            case "False": return new PyExpr.Bool(false);
            case "None": return new PyExpr.None();
            case "inf": case "math.inf": case "float('inf')": return new PyExpr.Float(Double.POSITIVE_INFINITY, "inf");
            default: break;
        }
        if (!peek('(')) return new PyExpr.Call(name, List.of(), Map.of(), false);
        pos++;
        List<PyExpr> args = new ArrayList<>();
        LinkedHashMap<String, PyExpr> kwargs = new LinkedHashMap<>();
        while (!peek(')')) {
            skipWs();
            int save = pos;
            String key = null;
            while (pos < s.length() && (Character.isLetterOrDigit(s.charAt(pos)) || s.charAt(pos) == '_')) pos++;
            if (pos > save && peek('=') && !(pos + 1 < s.length() && s.charAt(pos + 1) == '=')) {
                key = s.substring(save, pos).trim();
                pos++;
            } else {
                pos = save;
            }
            PyExpr v = expr();
            if (key != null) {
                if (kwargs.containsKey(key)) throw error("keyword argument repeated: " + key);
                kwargs.put(key, v);
            } else {
                if (!kwargs.isEmpty()) throw error("positional argument follows keyword argument");
                args.add(v);
            }
            if (peek(',')) pos++;
            else break;
        }
        expect(')');
        return new PyExpr.Call(name, args, kwargs, true);
    }
}
