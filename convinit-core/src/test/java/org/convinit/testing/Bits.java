package org.convinit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import com.fasterxml.jackson.databind.JsonNode;
import org.convinit.internal.HalfFloats;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/** Bit-for-bit comparison of a tensor with hex bit patterns from a golden fixture. */
public final class Bits {
    private Bits() {}

    /** The tensor's elements as hex bit patterns of its dtype (8, 16 or 4 digits), row-major. */
    public static String[] hex(Tensor t) {
        double[] v = t.toDoubleArray();
        String[] out = new String[v.length];
        for (int i = 0; i < v.length; i++) out[i] = hex(t.dtype(), v[i]);
        return out;
    }

    public static String hex(DType dt, double v) {
        switch (dt) {
            case FLOAT32: return String.format("%08x", Float.floatToRawIntBits((float) v));
            case FLOAT64: return String.format("%016x", Double.doubleToRawLongBits(v));
            case FLOAT16: return String.format("%04x", HalfFloats.floatToHalf((float) v) & 0xFFFF);
            case BFLOAT16: return String.format("%04x", HalfFloats.floatToBf16((float) v) & 0xFFFF);
            default: throw new IllegalArgumentException(dt.toString());
        }
    }

    /** Asserts every element equals the golden bits exactly; the message names the first differing index. */
    public static void assertBitsEqual(Tensor t, JsonNode expected, String what) {
        String[] got = hex(t);
        assertThat(got.length).as("%s: element count", what).isEqualTo(expected.size());
        for (int i = 0; i < got.length; i++) {
            if (!got[i].equals(expected.get(i).asText())) {
                assertThat(got[i]).as("%s: element %d of %d (value %s)", what, i, got.length, t.toDoubleArray()[i])
                        .isEqualTo(expected.get(i).asText());
            }
        }
    }

    /** The golden bits as doubles of {@code dt}. */
    public static double[] values(DType dt, JsonNode hexArray) {
        double[] out = new double[hexArray.size()];
        for (int i = 0; i < out.length; i++) {
            String h = hexArray.get(i).asText();
            switch (dt) {
                case FLOAT32: out[i] = Float.intBitsToFloat((int) Long.parseLong(h, 16)); break;
                case FLOAT64: out[i] = Double.longBitsToDouble(Long.parseUnsignedLong(h, 16)); break;
                case FLOAT16: out[i] = HalfFloats.halfToFloat((short) Integer.parseInt(h, 16)); break;
                case BFLOAT16: out[i] = HalfFloats.bf16ToFloat((short) Integer.parseInt(h, 16)); break;
                default: throw new IllegalArgumentException(dt.toString());
            }
        }
        return out;
    }
}
