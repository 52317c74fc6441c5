package org.convinit.optim;

import java.util.concurrent.atomic.AtomicLong;

import org.convinit.internal.VectorSupport;

/**
 * The float32 update loops of {@link SGD} and {@link Adam}/{@link AdamW}, one pass over the elements with
 * no allocation. Each element goes through exactly the float32 operations torch 1.13's single-tensor CPU
 * code applies, in the same order and with the same fused multiply-adds (one tensor op per line there, one
 * expression per line here); the elements are independent, so fusing the passes into one changes no bit.
 *
 * <p>The loops here are the reference and the fallback; {@link VectorUpdateKernels} runs the same
 * expressions on Vector API lanes (lanewise {@code +, *, /, fma, sqrt, max} are correctly rounded, so the bits
 * are the same). Only the payload and sign of a NaN may differ between the two (the Vector API's {@code max}
 * returns the canonical NaN), as they do between torch's own vector and scalar loops.
 *
 * <p>Which loop runs: until C2 has compiled it, Vector API code runs boxed, far slower than the scalar loop
 * (Adam on issue 10's 50k-parameter CNN: the first 188 steps, one epoch, took 2.5–3.9 s on the vector loop
 * against 0.3–0.6 s on the scalar one, on a loaded machine), while compiled it saves only a few nanoseconds
 * per element. So the updates run scalar until the process has updated {@link #VECTOR_AFTER} elements, then
 * switch to the vector loop for good (the ski-rental rule: at most about twice the cost of the better choice);
 * a small model never pays the warm-up, a large one pays it once. Never without {@link VectorSupport#ENABLED}.
 */
final class UpdateKernels {
    private UpdateKernels() {}

    /** Elements updated on the scalar loops before the vector loops take over (about a second of scalar work). */
    static final long VECTOR_AFTER = 1L << 28;

    /** Tensors shorter than this always run the scalar loop. */
    static final int VECTOR_MIN = 64;

    static final Switch SWITCH = new Switch(VectorSupport.ENABLED, VECTOR_AFTER);

    /** Counts scalar work and says when the vector loops take over; once on, on for good. */
    static final class Switch {
        private final boolean allowed;
        private final long after;
        private final AtomicLong scalarElements = new AtomicLong();
        private volatile boolean on;

        Switch(boolean allowed, long after) {
            this.allowed = allowed;
            this.after = after;
        }

        /** Whether an update of {@code n} elements runs on the vector loop (else it is counted as scalar work). */
        boolean vector(int n) {
            if (on) return n >= VECTOR_MIN;
            if (allowed && scalarElements.addAndGet(n) >= after) on = true;
            return false;
        }
    }

    /**
     * Adam's float32 scalars for one step: {@code beta1, 1 - beta1, beta2, 1 - beta2} and {@code weight_decay}
     * rounded to float32, AdamW's factor {@code 1 - lr * weight_decay}, {@code sqrt(bias_correction2)},
     * {@code eps} and {@code -lr / bias_correction1}; {@code l2}: Adam's {@code weight_decay != 0} (the gradient
     * is decayed), {@code decoupled}: AdamW (the parameter is scaled by {@code decay}).
     */
    record Adam(float beta1, float oneMinusBeta1, float beta2, float oneMinusBeta2, float weightDecay, float decay,
                float bc2Sqrt, float eps, float negStepSize, boolean maximize, boolean l2, boolean decoupled, boolean amsgrad) {}

    /**
     * SGD's float32 scalars: {@code weight_decay, momentum, 1 - dampening, -lr}; {@code l2}: {@code weight_decay != 0}
     * (as a double, before rounding).
     */
    record Sgd(float weightDecay, float momentum, float oneMinusDampening, float negLr, boolean maximize, boolean l2,
               boolean nesterov) {}

    /**
     * One Adam step over {@code n} elements: parameter {@code p[po..]}, gradient {@code g[go..]} (read only),
     * state {@code m, v} and (AMSGrad) {@code vmax} from index 0. Per element:
     * <pre>
     * g = maximize ? -g : g
     * p = p * decay                          (AdamW)      | g = fma(p, weight_decay, g)   (Adam, weight_decay != 0)
     * m = fma(g, 1 - beta1, m * beta1)
     * v = fma((1 - beta2) * g, g, v * beta2)
     * vmax = max(vmax, v)                    (AMSGrad; the denominator then uses vmax)
     * p = p + (-step_size * m) / (sqrt(v) / sqrt(bias_correction2) + eps)
     * </pre>
     */
    static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int n, Adam s) {
        if (SWITCH.vector(n)) {
            VectorUpdateKernels.adam(p, po, g, go, m, v, vmax, n, s);
        } else {
            adam(p, po, g, go, m, v, vmax, 0, n, s);
        }
    }

    /** {@link #adam} on elements {@code [from, to)}, scalar: the reference and the vector loop's tail. */
    static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int from, int to, Adam s) {
        for (int i = from; i < to; i++) {
            float gi = s.maximize() ? -g[go + i] : g[go + i];
            float pi = p[po + i];
            if (s.decoupled()) {
                pi = pi * s.decay();
            } else if (s.l2()) {
                gi = Math.fma(pi, s.weightDecay(), gi);
            }
            float mi = Math.fma(gi, s.oneMinusBeta1(), m[i] * s.beta1());
            m[i] = mi;
            float vi = Math.fma(s.oneMinusBeta2() * gi, gi, v[i] * s.beta2());
            v[i] = vi;
            if (s.amsgrad()) {
                vi = Math.max(vmax[i], vi); // torch.maximum: NaN propagates
                vmax[i] = vi;
            }
            float denom = (float) Math.sqrt(vi) / s.bc2Sqrt() + s.eps();
            p[po + i] = pi + s.negStepSize() * mi / denom;
        }
    }

    /**
     * One SGD step over {@code n} elements: parameter {@code p[po..]}, gradient {@code g[go..]} (read only),
     * momentum buffer {@code buf} from index 0 (null without momentum; {@code first}: the buffer is new and
     * takes the gradient). Per element:
     * <pre>
     * d = maximize ? -g : g
     * d = fma(p, weight_decay, d)                                   (weight_decay != 0)
     * buf = first ? d : fma(d, 1 - dampening, buf * momentum)       (momentum != 0)
     * d = nesterov ? fma(buf, momentum, d) : buf                    (momentum != 0)
     * p = fma(d, -lr, p)
     * </pre>
     */
    static void sgd(float[] p, int po, float[] g, int go, float[] buf, boolean first, int n, Sgd s) {
        if (SWITCH.vector(n)) {
            VectorUpdateKernels.sgd(p, po, g, go, buf, first, n, s);
        } else {
            sgd(p, po, g, go, buf, first, 0, n, s);
        }
    }

    /**
     * {@link #sgd} for float64 ({@code model.double()}): the same expressions in double, with the options' scalars as
     * they are (torch's float64 kernels take them as doubles). Scalar only.
     */
    static void sgd64(double[] p, int po, double[] g, int go, double[] buf, boolean first, int n, SGD.Options o) {
        double weightDecay = o.weightDecay();
        double momentum = o.momentum();
        double oneMinusDampening = 1 - o.dampening();
        double negLr = -o.lr();
        for (int i = 0; i < n; i++) {
            double di = o.maximize() ? -g[go + i] : g[go + i];
            double pi = p[po + i];
            if (weightDecay != 0) di = Math.fma(pi, weightDecay, di);
            if (buf != null) {
                double bi = first ? di : Math.fma(di, oneMinusDampening, buf[i] * momentum);
                buf[i] = bi;
                di = o.nesterov() ? Math.fma(bi, momentum, di) : bi;
            }
            p[po + i] = Math.fma(di, negLr, pi);
        }
    }

    /**
     * {@link #adam} for float64: the same expressions in double; {@code bc2Sqrt} is {@code sqrt(bias_correction2)} and
     * {@code negStepSize} {@code -lr / bias_correction1}. Scalar only.
     */
    static void adam64(double[] p, int po, double[] g, int go, double[] m, double[] v, double[] vmax, int n, AdamOptions o,
            double bc2Sqrt, double negStepSize, boolean decoupled) {
        double beta1 = o.beta1();
        double beta2 = o.beta2();
        double decay = 1 - o.lr() * o.weightDecay();
        for (int i = 0; i < n; i++) {
            double gi = o.maximize() ? -g[go + i] : g[go + i];
            double pi = p[po + i];
            if (decoupled) {
                pi = pi * decay;
            } else if (o.weightDecay() != 0) {
                gi = Math.fma(pi, o.weightDecay(), gi);
            }
            double mi = Math.fma(gi, 1 - beta1, m[i] * beta1);
            m[i] = mi;
            double vi = Math.fma((1 - beta2) * gi, gi, v[i] * beta2);
            v[i] = vi;
            if (vmax != null) {
                vi = Math.max(vmax[i], vi);
                vmax[i] = vi;
            }
            p[po + i] = pi + negStepSize * mi / (Math.sqrt(vi) / bc2Sqrt + o.eps());
        }
    }

    /** {@link #sgd} on elements {@code [from, to)}, scalar: the reference and the vector loop's tail. */
    static void sgd(float[] p, int po, float[] g, int go, float[] buf, boolean first, int from, int to, Sgd s) {
        for (int i = from; i < to; i++) {
            float di = s.maximize() ? -g[go + i] : g[go + i];
            float pi = p[po + i];
            if (s.l2()) di = Math.fma(pi, s.weightDecay(), di);
            if (buf != null) {
                float bi = first ? di : Math.fma(di, s.oneMinusDampening(), buf[i] * s.momentum());
                buf[i] = bi;
                di = s.nesterov() ? Math.fma(bi, s.momentum(), di) : bi;
            }
            p[po + i] = Math.fma(di, s.negLr(), pi);
        }
    }
}
