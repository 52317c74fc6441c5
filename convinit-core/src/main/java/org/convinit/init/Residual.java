package org.convinit.init;

import org.convinit.random.Generator;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * Residual-network init building blocks until convinit has residual models: Fixup's scaled He init
 * ({@code fixup_}); its scalar multipliers and biases and SkipInit's α are {@link org.convinit.nn.Scale} and
 * {@link org.convinit.nn.Bias}. The rest of both recipes are rules on the model
 * ({@code --init 'layer*.conv2.weight=zeros_' --init 'fc.*=zeros_'}).
 *
 * <p>Fixup (Zhang, Dauphin &amp; Ma 2019, "Fixup Initialization: Residual Learning Without Normalization", arXiv
 * 1901.09321): the classifier and the last layer of each residual branch start at 0; every other layer in a branch is
 * He-initialized and scaled by {@code L^(−1/(2m−2))}, L branches of m layers each; a scalar multiplier (init 1) per branch
 * and scalar biases (init 0) before each conv, linear and activation. At init the logits are 0, so the cross-entropy is
 * exactly ln(classes). The official CIFAR code draws the scaled conv as
 * {@code normal_(w, 0, sqrt(2 / (w.shape[0] * prod(w.shape[2:]))) * num_layers ** (-0.5))} — fan_out, not fan_in.
 *
 * <p>SkipInit (De &amp; Smith 2020, arXiv 2002.10444): one scalar α per residual branch, initialized to 0, multiplies the
 * branch; the network starts as the identity (plus the shortcut path), with the same initial loss.
 */
public final class Residual {
    private Residual() {}

    /** {@code L^(−1/(2m−2))}: Fixup's scale for a branch of m ≥ 2 layers in a net of L branches. */
    public static double fixupScale(int branches, int layersPerBranch) {
        if (branches < 1) throw new IllegalArgumentException("fixup_: num_branches = " + branches + ": expected at least 1");
        if (layersPerBranch < 2) {
            throw new IllegalArgumentException("fixup_: layers_per_branch = " + layersPerBranch + ": expected at least 2 (the last "
                    + "layer of a branch is zeroed, not scaled)");
        }
        return Math.pow(branches, -1.0 / (2 * layersPerBranch - 2));
    }

    /** {@code sqrt(2 / fan_out) · L^(−1/(2m−2))}, the official code's std (fan_out = size(0)·∏k). */
    public static double fixupStd(Shape shape, int branches, int layersPerBranch) {
        return Math.sqrt(2.0 / Fans.of(shape).fanOut()) * fixupScale(branches, layersPerBranch);
    }

    /** {@code fixup_(t, num_branches, layers_per_branch=2)}: {@code normal_(t, 0, fixupStd)}. */
    public static Tensor fixup(Tensor t, int branches, int layersPerBranch, Generator generator) {
        return Init.normal(t, 0, fixupStd(t.shape(), branches, layersPerBranch), generator);
    }
}
