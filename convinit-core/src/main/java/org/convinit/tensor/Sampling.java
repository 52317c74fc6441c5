package org.convinit.tensor;

import java.util.Arrays;

import org.convinit.internal.HalfFloats;
import org.convinit.random.Generator;
import org.convinit.random.NormalKernels;

/**
 * The fill kernels behind {@link Tensor#uniform_} and {@link Tensor#normal_}: torch 1.13.1's CPU
 * algorithms (see {@code shared/reference/torch-rng-and-init.md} §2–3). Values are drawn in storage
 * order, which for a non-contiguous tensor is what TensorIterator's stride-sorted order gives.
 */
final class Sampling {
    private Sampling() {}

    static void uniform(Tensor t, double a, double b, Generator gen) {
        DType dt = t.dtype();
        if (!dt.isFloatingPoint()) {
            throw new IllegalArgumentException("uniform_ on a " + dt + " tensor: expected a floating point tensor");
        }
        if (!(a <= b)) {
            throw new IllegalArgumentException("uniform_ expects to return a [from, to) range, but found from="
                    + a + " > to=" + b);
        }
        double maxValue = maxFinite(dt);
        if (b - a > maxValue) {
            throw new IllegalArgumentException("uniform_ expects to-from <= " + maxValue + " for " + dt
                    + ", but found to=" + b + " and from=" + a + " which result in to-from to exceed the limit");
        }
        // torch clamps from/to into the dtype's finite range before casting
        a = Math.min(Math.max(a, -maxValue), maxValue);
        b = Math.min(Math.max(b, -maxValue), maxValue);
        int n = (int) t.numel();
        if (n == 0) return;
        if (dt == DType.FLOAT32) {
            float from = (float) a;
            float to = (float) b;
            if (t.isContiguous()) {
                gen.fillUniform(t.storage.floats(), t.layout.offset(), n, from, to);
            } else {
                float[] tmp = new float[n];
                gen.fillUniform(tmp, 0, n, from, to);
                scatter(t, tmp);
            }
        } else if (dt == DType.FLOAT64) {
            if (t.isContiguous()) {
                gen.fillUniform(t.storage.doubles(), t.layout.offset(), n, a, b);
            } else {
                double[] tmp = new double[n];
                gen.fillUniform(tmp, 0, n, a, b);
                scatter(t, tmp);
            }
        } else {
            // float16 / bfloat16: x from the low 11 (8) bits of one draw, range rounded to the dtype, computed in float
            boolean half = dt == DType.FLOAT16;
            float from = round16((float) a, half);
            float to = round16((float) b, half);
            float range = round16(to - from, half);
            int mask = half ? 0x7FF : 0xFF;
            float divisor = half ? 0x1p-11f : 0x1p-8f;
            double[] tmp = new double[n];
            for (int i = 0; i < n; i++) {
                float x = (gen.random() & mask) * divisor;
                tmp[i] = x * range + from;
            }
            scatter(t, tmp);
        }
    }

    /**
     * {@code normal_(mean, std)} as torch 1.13's {@code normal_kernel} on an x86 CPU with AVX2:
     * <ul>
     *   <li>float32, contiguous, numel &ge; 16: {@link NormalKernels#fillFloat} (AVX2 Cephes fill);</li>
     *   <li>float64 / float16 / bfloat16, contiguous, numel &ge; 16: {@code normal_fill<scalar_t>};</li>
     *   <li>otherwise (numel &lt; 16 or non-contiguous, any dtype): the scalar double Box–Muller with
     *       the generator's cached second sample, in storage order, cast to the dtype.</li>
     * </ul>
     */
    static void normal(Tensor t, double mean, double std, Generator gen) {
        DType dt = t.dtype();
        if (!dt.isFloatingPoint()) {
            throw new IllegalArgumentException("normal_ on a " + dt + " tensor: expected a floating point tensor");
        }
        if (!(std >= 0.0)) {
            throw new IllegalArgumentException("normal expects std >= 0.0, but found std " + std);
        }
        int n = (int) t.numel();
        if (n == 0) return;
        if (n >= 16 && t.isContiguous()) {
            switch (dt) {
                case FLOAT32:
                    NormalKernels.fillFloat(gen, t.storage.floats(), t.layout.offset(), n, (float) mean, (float) std);
                    return;
                case FLOAT64:
                    NormalKernels.fillDouble(gen, t.storage.doubles(), t.layout.offset(), n, mean, std);
                    return;
                case FLOAT16:
                    scatterFloats(t, NormalKernels.fillHalf(gen, n, mean, std));
                    return;
                case BFLOAT16:
                    scatterFloats(t, NormalKernels.fillBFloat16(gen, n, mean, std));
                    return;
                default:
                    throw new AssertionError(dt);
            }
        }
        double[] tmp = new double[n];
        synchronized (gen) {
            for (int i = 0; i < n; i++) tmp[i] = gen.normalDouble(mean, std);
        }
        scatter(t, tmp);
    }

    /** Writes float values (exact in the tensor's dtype) in storage order. */
    private static void scatterFloats(Tensor t, float[] values) {
        int[] offs = memoryOrder(t);
        Storage s = t.storage;
        for (int i = 0; i < offs.length; i++) s.setDouble(offs[i], values[i]);
    }

    private static float round16(float v, boolean half) {
        return half ? HalfFloats.halfToFloat(HalfFloats.floatToHalf(v)) : HalfFloats.bf16ToFloat(HalfFloats.floatToBf16(v));
    }

    private static double maxFinite(DType dt) {
        switch (dt) {
            case FLOAT32: return Float.MAX_VALUE;
            case FLOAT16: return 65504.0;
            case BFLOAT16: return HalfFloats.bf16ToFloat((short) 0x7F7F);
            default: return Double.MAX_VALUE;
        }
    }

    /** Storage offsets of the tensor's elements in ascending (memory) order. */
    static int[] memoryOrder(Tensor t) {
        int[] offs = t.elementOffsets();
        Arrays.sort(offs);
        return offs;
    }

    static void scatter(Tensor t, float[] values) {
        int[] offs = memoryOrder(t);
        float[] d = t.storage.floats();
        for (int i = 0; i < offs.length; i++) d[offs[i]] = values[i];
    }

    static void scatter(Tensor t, double[] values) {
        int[] offs = memoryOrder(t);
        Storage s = t.storage;
        for (int i = 0; i < offs.length; i++) s.setDouble(offs[i], values[i]);
    }
}
