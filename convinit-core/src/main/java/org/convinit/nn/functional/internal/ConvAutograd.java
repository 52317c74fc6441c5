package org.convinit.nn.functional.internal;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.tensor.Tensor;

/**
 * The differentiable convolution behind {@code F.conv*}, {@code F.conv_transpose*} and the conv
 * layers: the forward on the fast path for a checked {@link ConvSpec}, recorded for autograd with
 * its gradients from {@link FastConvBackward} (the input's only when it requires grad).
 */
public final class ConvAutograd {
    private ConvAutograd() {}

    /** The convolution or transposed convolution {@code spec} describes, of the caller's input. */
    public static Tensor run(ConvSpec spec, Tensor input, Tensor weight, Tensor bias) {
        boolean vector = Kernels.vectorInUse();
        Tensor x = spec.batch(input);
        Tensor out;
        try (var g = GradMode.noGrad()) {
            out = FastConv.runBatched(spec, x.detach(), weight.detach(), bias == null ? null : bias.detach(), vector);
        }
        out = Autograd.record(out, "ConvolutionBackward0", new Tensor[] {x, weight, bias}, new Tensor[] {x, weight},
                gy -> FastConvBackward.grads(spec, x, weight, bias != null && bias.requiresGrad(), gy, x.requiresGrad(),
                        weight.requiresGrad(), vector));
        return spec.unbatch(out);
    }
}
