package org.convinit.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convinit.testing.GradCheck.check;
import static org.convinit.testing.GradCheck.leaf;

import java.lang.ref.WeakReference;

import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class AutogradTest {

    @Test
    void elementwiseOpsMatchFiniteDifferences() {
        Tensor a = leaf(1, -2, 2, 3, 4);
        Tensor b = leaf(2, 0.5, 2, 3, 4);
        Tensor row = leaf(3, -1, 1, 4);
        check("add", x -> x[0].add(x[1]), a, b);
        check("sub broadcast", x -> x[0].sub(x[1]), a, row);
        check("mul broadcast", x -> x[0].mul(x[1]), a, row);
        check("div", x -> x[0].div(x[1]), a, b);
        check("scalar ops", x -> x[0].add(1.5).sub(0.25).mul(3).div(7), a);
        check("pow", x -> x[0].pow(3), a);
        check("pow fractional", x -> x[0].pow(1.5), b);
        check("neg abs", x -> x[0].neg().abs(), a);
        check("exp", x -> x[0].exp(), a);
        check("log sqrt", x -> x[0].log().add(x[0].sqrt()), b);
    }

    @Test
    void reductionsMatchFiniteDifferences() {
        Tensor a = leaf(4, -2, 2, 3, 5);
        check("sum", x -> x[0].sum(), a);
        check("mean", x -> x[0].mean(), a);
        check("sum dim", x -> x[0].sum(1, false), a);
        check("sum keepdim", x -> x[0].sum(0, true), a);
        check("mean dim", x -> x[0].mean(-1, false), a);
        check("var unbiased", x -> x[0].var(true), a);
        check("var biased", x -> x[0].var(false), a);
        check("std", x -> x[0].std(true), a);
        check("var dim", x -> x[0].var(1, true, false), a);
        check("std dim keepdim", x -> x[0].std(0, false, true), a);
        check("max", x -> x[0].max(), a);
        check("min", x -> x[0].min(), a);
        check("amax", x -> x[0].amax(1, false), a);
        check("amin keepdim", x -> x[0].amin(0, true), a);
    }

    @Test
    void viewsAndMatmulMatchFiniteDifferences() {
        Tensor a = leaf(5, -1, 1, 2, 3, 4);
        Tensor m = leaf(6, -1, 1, 4, 5);
        check("view", x -> x[0].view(6, 4).mul(x[0].view(6, 4)), a);
        check("reshape of permute", x -> x[0].permute(2, 0, 1).reshape(4, 6).pow(2), a);
        check("transpose", x -> x[0].transpose(0, 2).exp(), a);
        check("select", x -> x[0].select(1, -1).pow(2), a);
        check("index", x -> x[0].index(1, 2).pow(2), a);
        check("narrow", x -> x[0].narrow(2, 1, 2).pow(2), a);
        check("slice", x -> x[0].slice(2, 0, 4, 3).pow(3), a);
        check("squeeze unsqueeze", x -> x[0].unsqueeze(1).squeeze().squeeze(0).pow(2), a);
        check("expand", x -> x[0].unsqueeze(0).expand(3, 2, 3, 4).pow(2), a);
        check("clone contiguous", x -> x[0].transpose(0, 1).contiguous().clone().pow(2), a);
        check("matmul", x -> x[0].view(6, 4).matmul(x[1]), a, m);
        check("flatten t", x -> x[0].t().flatten().pow(2), m);
    }

    @Test
    void gradientsAccumulateAcrossBackwardCalls() {
        Tensor x = leaf(7, -1, 1, 3);
        x.mul(2).sum().backward();
        x.mul(3).sum().backward();
        assertThat(x.grad().toDoubleArray()).containsExactly(5, 5, 5);
        assertThat(x.isLeaf()).isTrue();
        Tensor y = x.mul(2);
        assertThat(y.isLeaf()).isFalse();
        assertThat(y.requiresGrad()).isTrue();
        assertThat(y.gradFn().name()).isEqualTo("MulBackward1");
    }

    @Test
    void diamondGraphsSumBothPaths() {
        Tensor x = leaf(8, -1, 1, 4);
        Tensor y = x.exp();
        y.mul(y).add(y).sum().backward();
        double[] xs = x.detach().toDoubleArray();
        double[] g = x.grad().toDoubleArray();
        for (int i = 0; i < 4; i++) assertThat(g[i]).isCloseTo(2 * Math.exp(2 * xs[i]) + Math.exp(xs[i]), org.assertj.core.data.Offset.offset(1e-12));
    }

    @Test
    void noGraphUnderNoGradAndDetachCutsIt() {
        Tensor x = leaf(9, -1, 1, 3);
        try (var g = GradMode.noGrad()) {
            Tensor y = x.mul(2);
            assertThat(y.requiresGrad()).isFalse();
            assertThat(y.gradFn()).isNull();
        }
        assertThat(x.detach().mul(2).requiresGrad()).isFalse();
        assertThatThrownBy(() -> x.detach().sum().backward())
                .hasMessage("element 0 of tensors does not require grad and does not have a grad_fn");
    }

    @Test
    void backwardTwiceThroughAFreedGraphFailsLikeTorch() {
        Tensor x = leaf(10, -1, 1, 3);
        Tensor loss = x.mul(x).sum();
        loss.backward();
        assertThatThrownBy(loss::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("Trying to backward through the graph a second time");
        Tensor loss2 = x.mul(x).sum();
        loss2.backward(null, true);
        loss2.backward(null, false);
        assertThat(x.grad()).isNotNull();
    }

    @Test
    void backwardFreesTheGraphsTensorsButRetainGraphKeepsThem() throws InterruptedException {
        Tensor x = leaf(13, -1, 1, 3);
        Tensor h = x.mul(2);
        Tensor loss = h.mul(h).sum();
        WeakReference<Tensor> hidden = new WeakReference<>(h);
        h = null;
        loss.backward(null, true);
        assertThat(loss.gradFn().inputs()).hasSize(1);
        loss.backward();
        assertThat(loss.gradFn().inputs()).isEmpty();
        for (int i = 0; i < 50 && hidden.get() != null; i++) {
            System.gc();
            Thread.sleep(10);
        }
        assertThat(hidden.get()).as("the intermediate, reachable before only through the freed graph of the live loss").isNull();
        assertThat(x.grad().toDoubleArray()).isEqualTo(x.mul(16).detach().toDoubleArray());
        assertThatThrownBy(loss::backward).hasMessageStartingWith("Trying to backward through the graph a second time");
    }

    @Test
    void inPlaceChangeOfASavedTensorIsDetected() {
        Tensor x = Tensor.vector(1, 2, 3);
        Tensor w = new Parameter(Tensor.vector(1, 1, 1));
        Tensor y = w.mul(x).sum();
        x.fill_(5);
        assertThatThrownBy(y::backward).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("one of the variables needed for gradient computation has been modified by an inplace operation")
                .hasMessageContaining("is at version 1; expected version 0 instead");
    }

    @Test
    void nonScalarRootNeedsAnExplicitGradient() {
        Tensor x = leaf(11, -1, 1, 2, 2);
        Tensor y = x.mul(3);
        assertThatThrownBy(y::backward).hasMessageContaining("grad can be implicitly created only for scalar outputs");
        y.backward(Tensor.ones(DType.FLOAT64, 2, 2), false);
        assertThat(x.grad().toDoubleArray()).containsOnly(3.0);
        assertThatThrownBy(() -> x.mul(2).requiresGrad(false)).hasMessageStartingWith("you can only change requires_grad flags of leaf variables");
        assertThatThrownBy(() -> x.mul(2).add_(Tensor.vector(1))).hasMessageContaining("part of the autograd graph");
    }

    @Test
    void deepChainsDoNotOverflowTheStack() {
        Tensor x = leaf(12, -1, 1, 2);
        Tensor y = x;
        for (int i = 0; i < 50_000; i++) y = y.mul(1.0);
        y.sum().backward();
        assertThat(x.grad().toDoubleArray()).containsOnly(1.0);
    }

    @Test
    void moduleZeroGradZeroesInPlaceOrDrops() {
        org.convinit.nn.Conv2d conv = new org.convinit.nn.Conv2d(1, 1, 1);
        conv.forward(Tensor.ones(DType.FLOAT32, 1, 1, 2, 2)).sum().backward();
        Tensor g = conv.weight().grad();
        assertThat(g.toFloatArray()).containsExactly(4f);
        conv.zeroGrad(false);
        assertThat(conv.weight().grad()).isSameAs(g);
        assertThat(g.toFloatArray()).containsExactly(0f);
        conv.zeroGrad(true);
        assertThat(conv.weight().grad()).isNull();
    }

    @Test
    void float32ParametersGetFloat32Gradients() {
        Parameter p = new Parameter(Tensor.vector(1, 2));
        p.mul(Tensor.of(new double[] {3, 4}, 2)).sum().backward();
        assertThat(p.grad().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(p.grad().toFloatArray()).containsExactly(3f, 4f);
    }
}
