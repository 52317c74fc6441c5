package org.convinit.internal;

/**
 * IEEE binary16 and bfloat16 conversions as c10::Half and c10::BFloat16 do them: round to nearest
 * even from float32, exact widening back. Java 17 lacks {@code Float.floatToFloat16}, so this is
 * written out; the tests compare it with torch and, exhaustively, with the widening.
 */
public final class HalfFloats {
    private HalfFloats() {}

    /** binary16 bits to float32 (exact). */
    public static float halfToFloat(short h) {
        int bits = h & 0xFFFF;
        int sign = (bits & 0x8000) << 16;
        int exp = (bits >>> 10) & 0x1F;
        int mant = bits & 0x3FF;
        if (exp == 0x1F) {
            return Float.intBitsToFloat(sign | 0x7F800000 | (mant << 13));
        }
        if (exp == 0) {
            if (mant == 0) return Float.intBitsToFloat(sign);
            // subnormal: mant * 2^-24
            float v = mant * 0x1p-24f;
            return sign != 0 ? -v : v;
        }
        return Float.intBitsToFloat(sign | ((exp + 112) << 23) | (mant << 13));
    }

    /** float32 to binary16 bits, round to nearest even, overflow to infinity, NaN kept quiet. */
    public static short floatToHalf(float f) {
        int x = Float.floatToRawIntBits(f);
        int sign = (x >>> 16) & 0x8000;
        int absx = x & 0x7FFFFFFF;
        if (absx >= 0x7F800000) { // inf or nan
            if (absx == 0x7F800000) return (short) (sign | 0x7C00);
            return (short) (sign | 0x7E00 | ((absx >>> 13) & 0x3FF));
        }
        if (absx >= 0x477FF000) { // >= 65520: rounds to infinity
            return (short) (sign | 0x7C00);
        }
        if (absx < 0x38800000) { // below the smallest normal half (2^-14): subnormal or zero
            // value = absx as float; subnormal half = round(value * 2^24)
            float a = Float.intBitsToFloat(absx);
            // a * 2^24 is exact in float; rint gives round-half-even
            int m = (int) Math.rint(a * 0x1p24f);
            return (short) (sign | m);
        }
        int exp = (absx >>> 23) - 127 + 15;
        int mant = absx & 0x7FFFFF;
        int half = (exp << 10) | (mant >>> 13);
        int rest = mant & 0x1FFF;
        if (rest > 0x1000 || (rest == 0x1000 && (half & 1) == 1)) half++;
        return (short) (sign | half);
    }

    /** bfloat16 bits to float32 (exact). */
    public static float bf16ToFloat(short b) {
        return Float.intBitsToFloat((b & 0xFFFF) << 16);
    }

    /** float32 to bfloat16 bits, round to nearest even; NaN becomes 0x7FC0 as in c10. */
    public static short floatToBf16(float f) {
        if (Float.isNaN(f)) return (short) 0x7FC0;
        int x = Float.floatToRawIntBits(f);
        int rounding = 0x7FFF + ((x >>> 16) & 1);
        return (short) ((x + rounding) >>> 16);
    }
}
