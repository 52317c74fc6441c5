package org.convinit.optim;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;

import org.convinit.internal.VectorSupport;
import org.junit.jupiter.api.Test;

/**
 * The optimizers' update loops: the Vector API loops give the scalar reference's bits for every element, over
 * lengths around the vector width, offset parameter and gradient arrays, every flag combination, and values
 * that include NaN, infinities, signed zeros and subnormals; and the fused scalar loop gives the bits of
 * torch's sequence of whole-tensor operations, written out literally below. (OptimizerGoldenTest compares
 * whole runs with torch itself.)
 */
class UpdateKernelsTest {
    private static final int[] LENGTHS = {0, 1, 3, 7, 15, 16, 17, 31, 32, 33, 64, 100, 257, 1029};
    private static final float[] SPECIAL = {Float.NaN, Float.POSITIVE_INFINITY, Float.NEGATIVE_INFINITY, 0f, -0f,
        Float.MIN_VALUE, -Float.MIN_NORMAL, 1e-20f, 3e30f, -1f};

    /** Uniform values in (-1, 1) with scale, and one in 16 a special value (if asked). */
    private static float[] values(SplittableRandom r, int n, float scale, boolean special) {
        float[] a = new float[n];
        for (int i = 0; i < n; i++) {
            a[i] = special && r.nextInt(16) == 0 ? SPECIAL[r.nextInt(SPECIAL.length)] : (float) (r.nextDouble(-1, 1) * scale);
        }
        return a;
    }

    private static float[] abs(float[] a) {
        float[] b = a.clone();
        for (int i = 0; i < b.length; i++) b[i] = Math.abs(b[i]);
        return b;
    }

    /** Same bits, except that any NaN matches any NaN (the Vector API's max returns the canonical NaN). */
    private static void assertSameBits(String what, float[] expected, float[] actual) {
        assertThat(actual.length).isEqualTo(expected.length);
        for (int i = 0; i < expected.length; i++) {
            assertThat(Float.floatToIntBits(actual[i])).as("%s[%d]: expected %s, got %s", what, i, expected[i], actual[i])
                    .isEqualTo(Float.floatToIntBits(expected[i]));
        }
    }

    private static List<UpdateKernels.Adam> adamCases() {
        List<UpdateKernels.Adam> cases = new ArrayList<>();
        for (int flags = 0; flags < 16; flags++) {
            boolean maximize = (flags & 1) != 0;
            boolean decoupled = (flags & 2) != 0;
            boolean l2 = !decoupled && (flags & 4) != 0;
            boolean amsgrad = (flags & 8) != 0;
            cases.add(new UpdateKernels.Adam(0.9f, 0.100000024f, 0.999f, 0.0009999871f, 0.01f, 0.99999f, 0.031622775f,
                    1e-8f, -0.0123f, maximize, l2, decoupled, amsgrad));
        }
        return cases;
    }

    private static List<UpdateKernels.Sgd> sgdCases() {
        List<UpdateKernels.Sgd> cases = new ArrayList<>();
        for (int flags = 0; flags < 8; flags++) {
            cases.add(new UpdateKernels.Sgd(5e-4f, 0.9f, 0.7f, -0.05f, (flags & 1) != 0, (flags & 2) != 0, (flags & 4) != 0));
        }
        return cases;
    }

    @Test
    void vectorAdamMatchesScalarBitForBit() {
        assertThat(VectorSupport.AVAILABLE).as("jdk.incubator.vector in the test JVM").isTrue();
        SplittableRandom r = new SplittableRandom(7);
        for (boolean special : new boolean[] {false, true}) {
            for (int n : LENGTHS) {
                for (UpdateKernels.Adam s : adamCases()) {
                    int po = r.nextInt(4);
                    int go = r.nextInt(4);
                    float[] p = values(r, n + po, 1, special);
                    float[] g = values(r, n + go, 0.1f, special);
                    float[] m = values(r, n, 0.01f, special);
                    float[] v = abs(values(r, n, 1e-4f, special));
                    float[] vmax = abs(values(r, n, 1e-4f, special));
                    float[] p2 = p.clone();
                    float[] m2 = m.clone();
                    float[] v2 = v.clone();
                    float[] vmax2 = vmax.clone();
                    UpdateKernels.adam(p, po, g, go, m, v, vmax, 0, n, s);
                    if (n >= VectorUpdateKernels.LANES) VectorUpdateKernels.adam(p2, po, g, go, m2, v2, vmax2, n, s);
                    else UpdateKernels.adam(p2, po, g, go, m2, v2, vmax2, n, s);
                    String what = "adam n=" + n + " " + s;
                    assertSameBits(what + " param", p, p2);
                    assertSameBits(what + " exp_avg", m, m2);
                    assertSameBits(what + " exp_avg_sq", v, v2);
                    assertSameBits(what + " max_exp_avg_sq", vmax, vmax2);
                }
            }
        }
    }

    @Test
    void vectorSgdMatchesScalarBitForBit() {
        assertThat(VectorSupport.AVAILABLE).as("jdk.incubator.vector in the test JVM").isTrue();
        SplittableRandom r = new SplittableRandom(8);
        for (boolean special : new boolean[] {false, true}) {
            for (int n : LENGTHS) {
                for (UpdateKernels.Sgd s : sgdCases()) {
                    for (int momentum = 0; momentum < 3; momentum++) { // none, first step, later step
                        int po = r.nextInt(4);
                        int go = r.nextInt(4);
                        float[] p = values(r, n + po, 1, special);
                        float[] g = values(r, n + go, 0.1f, special);
                        float[] buf = momentum == 0 ? null : values(r, n, 0.1f, special);
                        float[] p2 = p.clone();
                        float[] buf2 = buf == null ? null : buf.clone();
                        UpdateKernels.sgd(p, po, g, go, buf, momentum == 1, 0, n, s);
                        if (n >= VectorUpdateKernels.LANES) VectorUpdateKernels.sgd(p2, po, g, go, buf2, momentum == 1, n, s);
                        else UpdateKernels.sgd(p2, po, g, go, buf2, momentum == 1, n, s);
                        String what = "sgd n=" + n + " momentum case " + momentum + " " + s;
                        assertSameBits(what + " param", p, p2);
                        if (buf != null) assertSameBits(what + " momentum_buffer", buf, buf2);
                    }
                }
            }
        }
    }

    /** torch 1.13's _single_tensor_adam(w) for one float32 tensor, one whole-tensor operation per loop. */
    private static void adamOpByOp(float[] p, float[] grad, float[] m, float[] v, float[] vmax, UpdateKernels.Adam s) {
        int n = p.length;
        float[] g = grad.clone();
        if (s.maximize()) for (int i = 0; i < n; i++) g[i] = -g[i];
        if (s.decoupled()) for (int i = 0; i < n; i++) p[i] = p[i] * s.decay();                      // param.mul_(1 - lr * wd)
        if (s.l2()) for (int i = 0; i < n; i++) g[i] = Math.fma(p[i], s.weightDecay(), g[i]);      // grad.add(param, alpha=wd)
        for (int i = 0; i < n; i++) m[i] = m[i] * s.beta1();                                         // exp_avg.mul_(beta1)
        for (int i = 0; i < n; i++) m[i] = Math.fma(g[i], s.oneMinusBeta1(), m[i]);                 // .add_(grad, alpha=1 - beta1)
        for (int i = 0; i < n; i++) v[i] = v[i] * s.beta2();                                         // exp_avg_sq.mul_(beta2)
        for (int i = 0; i < n; i++) v[i] = Math.fma(s.oneMinusBeta2() * g[i], g[i], v[i]);         // .addcmul_(grad, grad, 1 - beta2)
        float[] src = v;
        if (s.amsgrad()) {
            for (int i = 0; i < n; i++) vmax[i] = Math.max(vmax[i], v[i]);                          // torch.maximum(..., out=)
            src = vmax;
        }
        float[] denom = new float[n];
        for (int i = 0; i < n; i++) denom[i] = (float) Math.sqrt(src[i]);                            // .sqrt()
        for (int i = 0; i < n; i++) denom[i] = denom[i] / s.bc2Sqrt();                               // / bias_correction2_sqrt
        for (int i = 0; i < n; i++) denom[i] = denom[i] + s.eps();                                   // .add_(eps)
        for (int i = 0; i < n; i++) p[i] = p[i] + s.negStepSize() * m[i] / denom[i];                 // param.addcdiv_(exp_avg, denom, -step_size)
    }

    @Test
    void fusedAdamMatchesTorchsOpSequence() {
        SplittableRandom r = new SplittableRandom(9);
        for (UpdateKernels.Adam s : adamCases()) {
            int n = 77;
            float[] p = values(r, n, 1, true);
            float[] g = values(r, n, 0.1f, true);
            float[] m = values(r, n, 0.01f, true);
            float[] v = abs(values(r, n, 1e-4f, true));
            float[] vmax = abs(values(r, n, 1e-4f, true));
            float[] p2 = p.clone();
            float[] m2 = m.clone();
            float[] v2 = v.clone();
            float[] vmax2 = vmax.clone();
            float[] g2 = g.clone();
            adamOpByOp(p, g, m, v, vmax, s);
            UpdateKernels.adam(p2, 0, g2, 0, m2, v2, vmax2, n, s);
            assertSameBits("param " + s, p, p2);
            assertSameBits("exp_avg " + s, m, m2);
            assertSameBits("exp_avg_sq " + s, v, v2);
            assertSameBits("max_exp_avg_sq " + s, vmax, vmax2);
            assertSameBits("grad is not written " + s, g, g2);
        }
    }

    @Test
    void fusedSgdMatchesTorchsOpSequence() {
        SplittableRandom r = new SplittableRandom(10);
        for (UpdateKernels.Sgd s : sgdCases()) {
            for (int momentum = 0; momentum < 3; momentum++) {
                int n = 77;
                float[] p = values(r, n, 1, true);
                float[] grad = values(r, n, 0.1f, true);
                float[] buf = momentum == 0 ? null : values(r, n, 0.1f, true);
                float[] p2 = p.clone();
                float[] buf2 = buf == null ? null : buf.clone();
                // torch's _single_tensor_sgd, one whole-tensor operation per loop
                float[] d = grad.clone();
                if (s.maximize()) for (int i = 0; i < n; i++) d[i] = -d[i];
                if (s.l2()) for (int i = 0; i < n; i++) d[i] = Math.fma(p[i], s.weightDecay(), d[i]);
                if (momentum == 1) System.arraycopy(d, 0, buf, 0, n);                                // buf = clone(d_p)
                if (momentum == 2) {
                    for (int i = 0; i < n; i++) buf[i] = buf[i] * s.momentum();                       // buf.mul_(momentum)
                    for (int i = 0; i < n; i++) buf[i] = Math.fma(d[i], s.oneMinusDampening(), buf[i]); // .add_(d_p, 1 - dampening)
                }
                if (buf != null) {
                    if (s.nesterov()) for (int i = 0; i < n; i++) d[i] = Math.fma(buf[i], s.momentum(), d[i]);
                    else d = buf.clone();
                }
                for (int i = 0; i < n; i++) p[i] = Math.fma(d[i], s.negLr(), p[i]);                  // param.add_(d_p, alpha=-lr)
                float[] g2 = grad.clone();
                UpdateKernels.sgd(p2, 0, g2, 0, buf2, momentum == 1, n, s);
                assertSameBits("param " + s + " momentum case " + momentum, p, p2);
                if (buf != null) assertSameBits("momentum_buffer " + s, buf, buf2);
                assertSameBits("grad is not written " + s, grad, g2);
            }
        }
    }

    @Test
    void switchGoesVectorForGoodAfterEnoughScalarWork() {
        UpdateKernels.Switch sw = new UpdateKernels.Switch(true, 1000);
        assertThat(sw.vector(600)).isFalse();
        assertThat(sw.vector(600)).as("the call that crosses the threshold still runs scalar").isFalse();
        assertThat(sw.vector(600)).isTrue();
        assertThat(sw.vector(UpdateKernels.VECTOR_MIN - 1)).as("short tensors stay scalar").isFalse();
        assertThat(sw.vector(UpdateKernels.VECTOR_MIN)).isTrue();
        UpdateKernels.Switch off = new UpdateKernels.Switch(false, 0);
        for (int i = 0; i < 3; i++) assertThat(off.vector(1 << 20)).as("never without the Vector API").isFalse();
    }
}
