package org.convinit.testing;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.function.Function;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * torch.autograd.gradcheck in miniature: compares the analytic gradient of {@code sum(f(x) * w)}
 * (w random) with central finite differences, in float64.
 */
public final class GradCheck {
    private GradCheck() {}

    /** Checks every input that requires grad; inputs must be float64 leaves. */
    public static void check(String what, Function<Tensor[], Tensor> f, Tensor... inputs) {
        check(what, f, 1e-6, 1e-5, inputs);
    }

    public static void check(String what, Function<Tensor[], Tensor> f, double eps, double tol, Tensor... inputs) {
        for (Tensor t : inputs) {
            if (t.requiresGrad()) t.setGrad(null);
        }
        Tensor out = f.apply(inputs);
        Tensor w = Tensor.empty(DType.FLOAT64, out.shape().toArray()).uniform_(-1, 1, new Generator(17));
        out.mul(w).sum().backward();
        for (int k = 0; k < inputs.length; k++) {
            Tensor x = inputs[k];
            if (!x.requiresGrad()) continue;
            assertThat(x.grad()).as("%s: grad of input %d", what, k).isNotNull();
            double[] analytic = x.grad().toDoubleArray();
            int n = (int) x.numel();
            int[] offs = x.elementOffsets();
            for (int i = 0; i < n; i++) {
                double orig = x.storage().getDouble(offs[i]);
                double plus;
                double minus;
                try (var g = GradMode.noGrad()) {
                    x.storage().setDouble(offs[i], orig + eps);
                    plus = f.apply(inputs).mul(w).sum().item();
                    x.storage().setDouble(offs[i], orig - eps);
                    minus = f.apply(inputs).mul(w).sum().item();
                    x.storage().setDouble(offs[i], orig);
                }
                double numeric = (plus - minus) / (2 * eps);
                assertThat(Math.abs(analytic[i] - numeric))
                        .as("%s: d/d input%d[%d] analytic %s numeric %s", what, k, i, analytic[i], numeric)
                        .isLessThanOrEqualTo(tol * Math.max(1, Math.abs(numeric)));
            }
        }
    }

    /** A float64 leaf of the given shape, uniform in [lo, hi), that requires grad. */
    public static Tensor leaf(long seed, double lo, double hi, int... shape) {
        return Tensor.empty(DType.FLOAT64, shape).uniform_(lo, hi, new Generator(seed)).requiresGrad(true);
    }
}
