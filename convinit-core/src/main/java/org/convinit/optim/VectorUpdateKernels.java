package org.convinit.optim;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorOperators;
import jdk.incubator.vector.VectorSpecies;

/**
 * {@link UpdateKernels}' loops on Vector API lanes: the same expressions in the same order, lane by lane
 * (lanewise {@code +, *, /, fma, sqrt, max} round exactly as their scalar forms, so every element gets the
 * same bits); the tail shorter than a vector runs the scalar loop. Loaded only when
 * {@code jdk.incubator.vector} is present and {@link UpdateKernels#SWITCH} has switched to them.
 */
final class VectorUpdateKernels {
    private VectorUpdateKernels() {}

    private static final VectorSpecies<Float> F = FloatVector.SPECIES_PREFERRED;

    /** Elements per vector: shorter tensors run the scalar loop. */
    static final int LANES = F.length();

    static void adam(float[] p, int po, float[] g, int go, float[] m, float[] v, float[] vmax, int n, UpdateKernels.Adam s) {
        int end = F.loopBound(n);
        FloatVector beta1 = FloatVector.broadcast(F, s.beta1());
        FloatVector a1 = FloatVector.broadcast(F, s.oneMinusBeta1());
        FloatVector beta2 = FloatVector.broadcast(F, s.beta2());
        FloatVector a2 = FloatVector.broadcast(F, s.oneMinusBeta2());
        FloatVector bc2 = FloatVector.broadcast(F, s.bc2Sqrt());
        FloatVector eps = FloatVector.broadcast(F, s.eps());
        FloatVector negStep = FloatVector.broadcast(F, s.negStepSize());
        FloatVector decay = FloatVector.broadcast(F, s.decay());
        FloatVector weightDecay = FloatVector.broadcast(F, s.weightDecay());
        for (int i = 0; i < end; i += LANES) {
            FloatVector gi = FloatVector.fromArray(F, g, go + i);
            if (s.maximize()) gi = gi.neg();
            FloatVector pi = FloatVector.fromArray(F, p, po + i);
            if (s.decoupled()) {
                pi = pi.mul(decay);
            } else if (s.l2()) {
                gi = pi.fma(weightDecay, gi);
            }
            FloatVector mi = gi.fma(a1, FloatVector.fromArray(F, m, i).mul(beta1));
            mi.intoArray(m, i);
            FloatVector vi = a2.mul(gi).fma(gi, FloatVector.fromArray(F, v, i).mul(beta2));
            vi.intoArray(v, i);
            if (s.amsgrad()) {
                vi = FloatVector.fromArray(F, vmax, i).lanewise(VectorOperators.MAX, vi);
                vi.intoArray(vmax, i);
            }
            FloatVector denom = vi.lanewise(VectorOperators.SQRT).div(bc2).add(eps);
            pi.add(negStep.mul(mi).div(denom)).intoArray(p, po + i);
        }
        UpdateKernels.adam(p, po, g, go, m, v, vmax, end, n, s);
    }

    static void sgd(float[] p, int po, float[] g, int go, float[] buf, boolean first, int n, UpdateKernels.Sgd s) {
        int end = F.loopBound(n);
        FloatVector momentum = FloatVector.broadcast(F, s.momentum());
        FloatVector damp = FloatVector.broadcast(F, s.oneMinusDampening());
        FloatVector negLr = FloatVector.broadcast(F, s.negLr());
        FloatVector weightDecay = FloatVector.broadcast(F, s.weightDecay());
        for (int i = 0; i < end; i += LANES) {
            FloatVector di = FloatVector.fromArray(F, g, go + i);
            if (s.maximize()) di = di.neg();
            FloatVector pi = FloatVector.fromArray(F, p, po + i);
            if (s.l2()) di = pi.fma(weightDecay, di);
            if (buf != null) {
                FloatVector bi = first ? di : di.fma(damp, FloatVector.fromArray(F, buf, i).mul(momentum));
                bi.intoArray(buf, i);
                di = s.nesterov() ? bi.fma(momentum, di) : bi;
            }
            di.fma(negLr, pi).intoArray(p, po + i);
        }
        UpdateKernels.sgd(p, po, g, go, buf, first, end, n, s);
    }
}
