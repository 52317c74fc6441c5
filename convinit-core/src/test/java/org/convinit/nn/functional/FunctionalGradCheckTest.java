package org.convinit.nn.functional;

import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import org.convinit.random.Generator;
import org.junit.jupiter.api.Test;

/** Finite-difference checks (float64) of the functional layers' derivatives, beside their torch comparisons. */
class FunctionalGradCheckTest {

    @Test
    void activations() {
        check("relu", x -> F.relu(x[0]), leaf(1, -2, 2, 3, 4));
        check("leaky_relu", x -> F.leakyRelu(x[0], 0.1), leaf(2, -2, 2, 3, 4));
        check("tanh", x -> F.tanh(x[0]), leaf(3, -2, 2, 3, 4));
        check("sigmoid", x -> F.sigmoid(x[0]), leaf(4, -2, 2, 3, 4));
        check("gelu", x -> F.gelu(x[0], "none"), leaf(5, -2, 2, 3, 4));
        check("gelu tanh", x -> F.gelu(x[0], "tanh"), leaf(6, -2, 2, 3, 4));
    }

    @Test
    void poolsPadFlattenAndDropout() {
        check("max_pool2d", x -> F.maxPool2d(x[0], new int[] {3, 2}, new int[] {2, 1}, new int[] {1, 0}, new int[] {1, 1}, true),
                leaf(7, -2, 2, 2, 3, 7, 6));
        check("max_pool1d dilation", x -> F.maxPool1d(x[0], new int[] {2}, new int[] {2}, new int[] {0}, new int[] {2}, false),
                leaf(8, -2, 2, 2, 3, 9));
        check("avg_pool2d", x -> F.avgPool2d(x[0], new int[] {3, 3}, new int[] {2, 2}, new int[] {1, 1}, true, false, null),
                leaf(9, -2, 2, 1, 2, 7, 7));
        check("avg_pool3d", x -> F.avgPool3d(x[0], new int[] {2, 2, 2}, new int[] {1, 2, 1}, new int[] {0, 1, 0}, false, true, null),
                leaf(10, -2, 2, 1, 2, 3, 4, 3));
        check("adaptive_avg_pool2d", x -> F.adaptiveAvgPool2d(x[0], 3, 2), leaf(11, -2, 2, 2, 2, 7, 5));
        check("pad reflect", x -> F.pad(x[0], new int[] {2, 1, 1, 2}, "reflect", 0), leaf(12, -2, 2, 1, 2, 4, 5));
        check("pad replicate", x -> F.pad(x[0], new int[] {1, 2}, "replicate", 0), leaf(13, -2, 2, 2, 3, 4));
        check("pad circular", x -> F.pad(x[0], new int[] {1, 1, 2, 0}, "circular", 0), leaf(14, -2, 2, 1, 1, 3, 4));
        check("flatten", x -> F.flatten(x[0], 1, -1).pow(2), leaf(15, -2, 2, 2, 3, 4));
        check("dropout", x -> F.dropout(x[0], 0.4, true, new Generator(3)), leaf(16, -2, 2, 4, 5));
    }

    @Test
    void linearAndBatchNorm() {
        check("linear", x -> F.linear(x[0], x[1], x[2]), leaf(17, -1, 1, 3, 2, 4), leaf(18, -1, 1, 5, 4), leaf(19, -1, 1, 5));
        check("batch_norm train", x -> F.batchNorm(x[0], null, null, x[1], x[2], true, 0.1, 1e-5),
                leaf(20, -2, 2, 4, 3, 2, 2), leaf(21, 0.5, 1.5, 3), leaf(22, -1, 1, 3));
        check("batch_norm eval", x -> F.batchNorm(x[0], leaf(23, -0.5, 0.5, 3).detach(), leaf(24, 0.5, 2, 3).detach(), x[1], x[2],
                false, 0.1, 1e-5), leaf(25, -2, 2, 4, 3, 5), leaf(26, 0.5, 1.5, 3), leaf(27, -1, 1, 3));
    }
}
