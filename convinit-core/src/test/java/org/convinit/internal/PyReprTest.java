package org.convinit.internal;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

class PyReprTest {

    /** Python 3's repr(float) of each value (checked by hand against CPython 3.11). */
    @Test
    void matchesPythonOnATable() {
        Object[][] table = {
            {1e16, "1e+16"}, {1e15, "1000000000000000.0"}, {9999999999999998.0, "9999999999999998.0"},
            {1e-5, "1e-05"}, {1e-4, "0.0001"}, {0.0001234, "0.0001234"}, {-2.5e-7, "-2.5e-07"},
            {-0.0, "-0.0"}, {0.0, "0.0"}, {Double.POSITIVE_INFINITY, "inf"}, {Double.NEGATIVE_INFINITY, "-inf"},
            {Double.NaN, "nan"}, {0.1 + 0.2, "0.30000000000000004"}, {100.0, "100.0"}, {1e22, "1e+22"},
            {1e23, "1e+23"}, {2e23, "2e+23"}, {123456789012345.0, "123456789012345.0"}, {-1.5e16, "-1.5e+16"},
            {2.5, "2.5"}, {3.0, "3.0"}, {0.001, "0.001"}, {5e-324, "5e-324"}, {Double.MAX_VALUE, "1.7976931348623157e+308"},
            {2.2250738585072014e-308, "2.2250738585072014e-308"}, {1 / 3.0, "0.3333333333333333"},
            {2.82879384806159E17, "2.82879384806159e+17"}, {1.0E23, "1e+23"}, {8.41E21, "8.41e+21"},
            {(double) 0.1f, "0.10000000149011612"}, {(double) 1e-5f, "9.999999747378752e-06"},
            {(double) 3.4028235e38f, "3.4028234663852886e+38"}, {(double) Float.MIN_VALUE, "1.401298464324817e-45"},
        };
        for (Object[] row : table) {
            assertThat(PyRepr.of((double) row[0])).as("repr(%s)", row[0]).isEqualTo(row[1]);
        }
    }

    @Test
    void tuplesReadAsPython() {
        assertThat(PyRepr.tuple(3, 3)).isEqualTo("(3, 3)");
        assertThat(PyRepr.tuple(3)).isEqualTo("(3,)");
        assertThat(PyRepr.tuple()).isEqualTo("()");
    }

    /** Random bit patterns (every exponent, subnormals, float32 values widened) against the real Python. */
    @Test
    void matchesPythonOnRandomDoubles() {
        Torch.require();
        SplittableRandom r = new SplittableRandom(20261130);
        List<Double> values = new ArrayList<>();
        for (int i = 0; i < 3000; i++) {
            double v = Double.longBitsToDouble(r.nextLong());
            if (!Double.isNaN(v)) values.add(v);
            values.add((double) Float.intBitsToFloat(r.nextInt()));
            values.add(Math.scalb(1.0, r.nextInt(-1074, 1024)) * (r.nextBoolean() ? 1 : -1)); // powers of two: lopsided intervals
        }
        String[] hex = new String[values.size()];
        for (int i = 0; i < hex.length; i++) hex[i] = Long.toHexString(Double.doubleToRawLongBits(values.get(i)));
        String out = Torch.run("import sys, struct\n"
                + "for h in sys.argv[1:]:\n"
                + "    print(repr(struct.unpack('<d', int(h, 16).to_bytes(8, 'little'))[0]))\n", hex);
        String[] py = out.trim().split("\n");
        assertThat(py).hasSize(values.size());
        for (int i = 0; i < py.length; i++) {
            assertThat(PyRepr.of(values.get(i))).as("repr of bits %x", Double.doubleToRawLongBits(values.get(i))).isEqualTo(py[i]);
        }
    }
}
