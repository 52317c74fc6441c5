package org.convinit.tensor;

import java.math.BigDecimal;
import java.math.MathContext;
import java.math.RoundingMode;
import java.util.ArrayList;
import java.util.List;

import org.convinit.internal.PyRepr;

/**
 * {@code torch._tensor_str} with the default print options (precision 4, threshold 1000, edgeitems 3,
 * linewidth 80): integer mode, scientific mode, column width, summarization and suffixes as torch
 * 1.13 prints them.
 */
final class TensorFormat {
    private static final int PRECISION = 4;
    private static final int THRESHOLD = 1000;
    private static final int EDGE = 3;
    private static final int LINEWIDTH = 80;

    private TensorFormat() {}

    static String format(Tensor t) {
        String prefix = "tensor(";
        int indent = prefix.length();
        List<String> suffixes = new ArrayList<>();
        boolean summarize = t.numel() > THRESHOLD;
        String body;
        if (t.numel() == 0 && !(t.dim() == 1 && t.size(0) == 0)) {
            body = "[]";
            suffixes.add("size=" + PyRepr.tuple(t.shape().toArray()));
        } else if (t.numel() == 0) {
            body = "[]";
        } else {
            Formatter f = new Formatter(t.dtype(), summarize ? summarized(t) : t.toDoubleArray());
            body = tensorStr(t, indent, summarize, f);
        }
        DType dt = t.dtype();
        if (dt != DType.FLOAT32 && dt != DType.INT64 && dt != DType.BOOL) {
            suffixes.add("dtype=" + dt);
        }
        if (t.requiresGrad()) suffixes.add("requires_grad=True");
        StringBuilder sb = new StringBuilder(prefix).append(body);
        for (String s : suffixes) sb.append(", ").append(s);
        return sb.append(')').toString();
    }

    /** The values torch formats when summarizing: the edge items of every dim. */
    private static double[] summarized(Tensor t) {
        if (t.dim() == 0) return t.toDoubleArray();
        if (t.dim() == 1) {
            if (t.size(0) > 2 * EDGE) {
                double[] a = t.narrow(0, 0, EDGE).toDoubleArray();
                double[] b = t.narrow(0, t.size(0) - EDGE, EDGE).toDoubleArray();
                double[] out = new double[a.length + b.length];
                System.arraycopy(a, 0, out, 0, a.length);
                System.arraycopy(b, 0, out, a.length, b.length);
                return out;
            }
            return t.toDoubleArray();
        }
        List<double[]> parts = new ArrayList<>();
        int n = t.size(0);
        if (n > 2 * EDGE) {
            for (int i = 0; i < EDGE; i++) parts.add(summarized(t.select(0, i)));
            for (int i = n - EDGE; i < n; i++) parts.add(summarized(t.select(0, i)));
        } else {
            for (int i = 0; i < n; i++) parts.add(summarized(t.select(0, i)));
        }
        int total = 0;
        for (double[] p : parts) total += p.length;
        double[] out = new double[total];
        int k = 0;
        for (double[] p : parts) {
            System.arraycopy(p, 0, out, k, p.length);
            k += p.length;
        }
        return out;
    }

    private static String tensorStr(Tensor t, int indent, boolean summarize, Formatter f) {
        int dim = t.dim();
        if (dim == 0) return f.format(t.item());
        if (dim == 1) return vectorStr(t, indent, summarize, f);
        List<String> slices = new ArrayList<>();
        int n = t.size(0);
        if (summarize && n > 2 * EDGE) {
            for (int i = 0; i < EDGE; i++) slices.add(tensorStr(t.select(0, i), indent + 1, summarize, f));
            slices.add("...");
            for (int i = n - EDGE; i < n; i++) slices.add(tensorStr(t.select(0, i), indent + 1, summarize, f));
        } else {
            for (int i = 0; i < n; i++) slices.add(tensorStr(t.select(0, i), indent + 1, summarize, f));
        }
        String sep = "," + "\n".repeat(dim - 1) + " ".repeat(indent + 1);
        return "[" + String.join(sep, slices) + "]";
    }

    private static String vectorStr(Tensor t, int indent, boolean summarize, Formatter f) {
        int elementLength = f.maxWidth + 2;
        int perLine = Math.max(1, (int) Math.floor((LINEWIDTH - indent) / (double) elementLength));
        List<String> data = new ArrayList<>();
        int n = t.size(0);
        double[] v = t.toDoubleArray();
        if (summarize && n > 2 * EDGE) {
            for (int i = 0; i < EDGE; i++) data.add(f.format(v[i]));
            data.add(" ...");
            for (int i = n - EDGE; i < n; i++) data.add(f.format(v[i]));
        } else {
            for (double x : v) data.add(f.format(x));
        }
        List<String> lines = new ArrayList<>();
        for (int i = 0; i < data.size(); i += perLine) {
            lines.add(String.join(", ", data.subList(i, Math.min(data.size(), i + perLine))));
        }
        return "[" + String.join(",\n" + " ".repeat(indent + 1), lines) + "]";
    }

    /** torch's {@code _Formatter}. */
    static final class Formatter {
        final boolean floating;
        final DType dtype;
        boolean intMode = true;
        boolean sciMode = false;
        int maxWidth = 1;

        Formatter(DType dtype, double[] values) {
            this.dtype = dtype;
            this.floating = dtype.isFloatingPoint();
            if (!floating) {
                for (double v : values) maxWidth = Math.max(maxWidth, plain(v).length());
                return;
            }
            List<Double> finite = new ArrayList<>();
            for (double v : values) if (Double.isFinite(v) && v != 0) finite.add(v);
            if (finite.isEmpty()) return;
            double min = Double.POSITIVE_INFINITY;
            double max = 0;
            for (double v : finite) {
                min = Math.min(min, Math.abs(v));
                max = Math.max(max, Math.abs(v));
                if (v != Math.ceil(v)) intMode = false;
            }
            if (intMode) {
                if (max / min > 1000. || max > 1.e8) {
                    sciMode = true;
                    for (double v : finite) maxWidth = Math.max(maxWidth, sci(v).length());
                } else {
                    for (double v : finite) maxWidth = Math.max(maxWidth, fixed(v, 0).length() + 1);
                }
            } else if (max / min > 1000. || max > 1.e8 || min < 1.e-4) {
                sciMode = true;
                for (double v : finite) maxWidth = Math.max(maxWidth, sci(v).length());
            } else {
                for (double v : finite) maxWidth = Math.max(maxWidth, fixed(v, PRECISION).length());
            }
        }

        String plain(double v) {
            if (dtype == DType.BOOL) return v != 0 ? "True" : "False";
            return Long.toString((long) v);
        }

        String format(double v) {
            String ret;
            if (floating) {
                if (sciMode) {
                    ret = sci(v);
                } else if (intMode) {
                    ret = fixed(v, 0);
                    if (Double.isFinite(v)) ret += ".";
                } else {
                    ret = fixed(v, PRECISION);
                }
            } else {
                ret = plain(v);
            }
            return " ".repeat(Math.max(0, maxWidth - ret.length())) + ret;
        }
    }

    /** Python's {@code '{:.Nf}'.format(v)}: exact decimal expansion, round half to even. */
    static String fixed(double v, int digits) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        String s = new BigDecimal(v).setScale(digits, RoundingMode.HALF_EVEN).toPlainString();
        if ((v < 0 || (v == 0 && 1 / v < 0)) && !s.startsWith("-")) s = "-" + s;
        return s;
    }

    /** Python's {@code '{:.4e}'.format(v)}. */
    static String sci(double v) {
        if (Double.isNaN(v)) return "nan";
        if (Double.isInfinite(v)) return v > 0 ? "inf" : "-inf";
        if (v == 0) return (1 / v < 0 ? "-" : "") + "0." + "0".repeat(PRECISION) + "e+00";
        BigDecimal bd = new BigDecimal(v).round(new MathContext(PRECISION + 1, RoundingMode.HALF_EVEN));
        int exp = bd.precision() - bd.scale() - 1;
        BigDecimal mant = bd.movePointLeft(exp).setScale(PRECISION, RoundingMode.HALF_EVEN);
        String e = String.format("%02d", Math.abs(exp));
        return mant.toPlainString() + "e" + (exp < 0 ? "-" : "+") + e;
    }
}
