package org.convinit.nn;

import org.convinit.tensor.Tensor;

/** {@code torch.nn.ReLU}: max(0, x) elementwise (NaN propagates). */
public final class ReLU extends Module {
    @Override
    public Tensor forward(Tensor input) {
        Tensor out = input.clone();
        int n = (int) out.numel();
        for (int i = 0; i < n; i++) {
            double v = out.storage().getDouble(i);
            if (v < 0) out.storage().setDouble(i, 0);
        }
        return out;
    }
}
