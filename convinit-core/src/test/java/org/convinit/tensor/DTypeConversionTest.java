package org.convinit.tensor;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

import org.convinit.internal.HalfFloats;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** Conversions between dtypes, checked exhaustively where possible and against torch 1.13.1 otherwise. */
class DTypeConversionTest {

    @Test
    void everyHalfValueSurvivesARoundTripThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.halfToFloat((short) h);
            if (Float.isNaN(f)) {
                assertThat(Float.isNaN(HalfFloats.halfToFloat(HalfFloats.floatToHalf(f)))).isTrue();
                continue;
            }
            assertThat(HalfFloats.floatToHalf(f) & 0xFFFF).as("half bits %04x", h).isEqualTo(h);
        }
    }

    @Test
    void everyBfloat16ValueSurvivesARoundTripThroughFloat() {
        for (int h = 0; h < 0x10000; h++) {
            float f = HalfFloats.bf16ToFloat((short) h);
            if (Float.isNaN(f)) continue;
            assertThat(HalfFloats.floatToBf16(f) & 0xFFFF).isEqualTo(h);
        }
    }

    @Test
    void halfRoundsToNearestEvenAtTies() {
        // 1 + 2^-11 is exactly between 1 and 1 + 2^-10: ties to even (1.0); 1 + 3*2^-11 ties up to 1 + 2^-9
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(1 + 0x1p-11f))).isEqualTo(1f);
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(1 + 3 * 0x1p-11f))).isEqualTo(1 + 0x1p-9f);
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(65520f))).isInfinite();
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(65519.99f))).isEqualTo(65504f);
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(0x1p-25f))).isEqualTo(0f); // tie to even zero
        assertThat(HalfFloats.halfToFloat(HalfFloats.floatToHalf(0x1.8p-25f))).isEqualTo(0x1p-24f);
    }

    @Test
    void conversionsMatchTorch() {
        Torch.require();
        Random r = new Random(42);
        List<Float> vals = new ArrayList<>(List.of(0f, -0f, 1f, -1f, 0.5f, -1.7f, 2.5f, 3.5f, -2.5f, 127.6f, 128f, -129f, 255.5f,
                300f, -300f, 65504f, 65519f, 65520f, 1e-8f, 6e-8f, 1e-5f, 3.0e38f, -3.0e38f, 70000f, 32767.5f, -32768.9f));
        for (int i = 0; i < 400; i++) {
            int kind = i % 4;
            float f = kind == 0 ? (float) r.nextGaussian() : kind == 1 ? (float) (r.nextGaussian() * 1000)
                    : kind == 2 ? Float.intBitsToFloat(r.nextInt()) : (float) (r.nextGaussian() * 1e-5);
            if (Float.isNaN(f) || Float.isInfinite(f)) continue;
            vals.add(f);
        }
        StringBuilder hex = new StringBuilder();
        for (float v : vals) hex.append(Integer.toHexString(Float.floatToRawIntBits(v))).append(',');
        DType[] targets = {DType.FLOAT16, DType.BFLOAT16, DType.FLOAT64, DType.INT8, DType.UINT8, DType.INT16, DType.INT32,
                DType.INT64, DType.BOOL};
        // Out-of-range float -> integer casts are undefined behaviour in C++; compare only in-range values there.
        String out = Torch.run(String.join("\n",
                "import sys, struct, torch",
                "vals = [struct.unpack('<f', struct.pack('<I', int(h, 16)))[0] for h in sys.argv[1].split(',') if h]",
                "x = torch.tensor(vals, dtype=torch.float32)",
                "for name in sys.argv[2].split(','):",
                "    y = x.to(getattr(torch, name))",
                "    print(name, ' '.join(repr(float(v)) for v in y.double().tolist()))"), hex.toString(),
                "float16,bfloat16,float64,int8,uint8,int16,int32,int64,bool");
        String[] lines = out.strip().split("\n");
        assertThat(lines).hasSize(targets.length);
        Tensor x = Tensor.of(toArray(vals), vals.size());
        for (int t = 0; t < targets.length; t++) {
            String[] parts = lines[t].split(" ");
            DType dt = targets[t];
            Tensor y = x.to(dt);
            double[] mine = y.toDoubleArray();
            for (int i = 0; i < vals.size(); i++) {
                double v = vals.get(i);
                if (!dt.isFloatingPoint() && dt != DType.BOOL && !inRange(v, dt)) continue;
                assertThat(mine[i]).as("%s of %s", dt, v).isEqualTo(parsePy(parts[i + 1]));
            }
        }
    }

    private static double parsePy(String s) {
        switch (s) {
            case "inf": return Double.POSITIVE_INFINITY;
            case "-inf": return Double.NEGATIVE_INFINITY;
            case "nan": return Double.NaN;
            default: return Double.parseDouble(s);
        }
    }

    private static boolean inRange(double v, DType dt) {
        double t = v < 0 ? Math.ceil(v) : Math.floor(v);
        switch (dt) {
            case INT8: return t >= -128 && t <= 127;
            case UINT8: return t >= 0 && t <= 255;
            case INT16: return t >= -32768 && t <= 32767;
            case INT32: return t >= Integer.MIN_VALUE && t <= Integer.MAX_VALUE;
            default: return t >= Long.MIN_VALUE && t < 9.2e18;
        }
    }

    private static float[] toArray(List<Float> l) {
        float[] a = new float[l.size()];
        for (int i = 0; i < a.length; i++) a[i] = l.get(i);
        return a;
    }
}
