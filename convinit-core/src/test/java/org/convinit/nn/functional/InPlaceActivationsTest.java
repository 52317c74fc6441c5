package org.convinit.nn.functional;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.function.BiFunction;

import org.convinit.autograd.GradMode;
import org.convinit.nn.Hardswish;
import org.convinit.nn.ReLU;
import org.convinit.nn.ReLU6;
import org.convinit.nn.SiLU;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/**
 * {@code inplace=True} as torch runs it: the input is overwritten and returned with the out-of-place values; under
 * autograd ReLU and ReLU6 rewrite the input's history (its gradient flows through the new node, for the returned
 * tensor and for later uses of the input), a tensor saved by an earlier node fails its backward, a leaf that requires
 * grad is refused; Hardswish and SiLU (whose backward needs the input) run out of place under autograd.
 */
class InPlaceActivationsTest {
    private static final String[] NAMES = {"relu", "relu6", "hardswish", "silu"};

    private static Tensor apply(String op, Tensor x, boolean inplace) {
        switch (op) {
            case "relu": return F.relu(x, inplace);
            case "relu6": return F.relu6(x, inplace);
            case "hardswish": return F.hardswish(x, inplace);
            default: return F.silu(x, inplace);
        }
    }

    private static Tensor data(DType dt, long seed, int... shape) {
        return Tensor.empty(dt, shape).uniform_(-8, 8, new Generator(seed));
    }

    @Test
    void withoutAGraphTheInputIsOverwrittenAndReturned() {
        for (DType dt : new DType[] {DType.FLOAT32, DType.FLOAT64}) {
            for (String op : NAMES) {
                for (boolean transposed : new boolean[] {false, true}) {
                    Tensor base = data(dt, 3, 4, 5, 33);
                    Tensor x = transposed ? base.transpose(0, 2) : base;
                    Tensor want = apply(op, x, false);
                    long version = x.storage().version();
                    Tensor got;
                    try (var g = GradMode.noGrad()) {
                        got = apply(op, x, true);
                    }
                    String what = op + " " + dt + (transposed ? " transposed" : "");
                    assertThat(got).as(what).isSameAs(x);
                    assertThat(x.toDoubleArray()).as(what).containsExactly(want.toDoubleArray());
                    assertThat(x.storage().version()).as(what + " version").isGreaterThan(version);
                }
            }
        }
    }

    /** y = relu_(w·x): the gradient of sum(y·G) + sum(y) through the returned tensor and through w·x's tensor itself. */
    @Test
    void underAutogradReluAndRelu6RewriteTheHistory() {
        for (String op : new String[] {"relu", "relu6"}) {
            for (boolean transposed : new boolean[] {false, true}) {
                BiFunction<Boolean, Tensor, Tensor> run = (inplace, w) -> {
                    Tensor h = data(DType.FLOAT32, 5, 3, 4, 7).mul(w);
                    if (transposed) h = h.transpose(0, 2).contiguous();
                    Tensor y = apply(op, h, inplace);
                    if (inplace) {
                        assertThat(y).isSameAs(h);
                        assertThat(h.gradFn().toString()).contains(op.equals("relu") ? "Relu" : "Hardtanh");
                    }
                    Tensor gy = data(DType.FLOAT32, 6, y.shape().toArray());
                    y.mul(gy).sum().add(h.sum()).backward();
                    return y;
                };
                Tensor w1 = data(DType.FLOAT32, 7, 4, 7).requiresGrad(true);
                Tensor w2 = w1.detach().clone().requiresGrad(true);
                Tensor want = run.apply(false, w1);
                Tensor got = run.apply(true, w2);
                assertThat(got.toFloatArray()).as(op).containsExactly(want.toFloatArray());
                // out of place, h.sum() reaches w without the activation; in place h is the activation's output
                Tensor w3 = w1.detach().clone().requiresGrad(true);
                Tensor h3 = data(DType.FLOAT32, 5, 3, 4, 7).mul(w3);
                if (transposed) h3 = h3.transpose(0, 2).contiguous();
                Tensor y3 = apply(op, h3, false);
                y3.mul(data(DType.FLOAT32, 6, y3.shape().toArray())).sum().add(y3.sum()).backward();
                assertThat(w2.grad().toFloatArray()).as(op + " gradient").containsExactly(w3.grad().toFloatArray());
            }
        }
    }

    @Test
    void underAutogradTheChecksOfAnInPlaceOpHold() {
        Tensor leaf = data(DType.FLOAT32, 1, 2, 3, 4, 4).requiresGrad(true);
        assertThatThrownBy(() -> F.relu(leaf, true)).hasMessageContaining("a leaf Variable that requires grad is being used in an in-place operation");
        Tensor h = leaf.mul(2);
        Tensor bn = F.batchNorm(h, null, null, null, null, true, 0.1, 1e-5); // saves h for its backward
        F.relu(h, true);
        assertThatThrownBy(() -> bn.sum().backward()).hasMessageContaining("modified by an inplace operation");
        Tensor v = leaf.mul(3).view(2, 3, 16);
        assertThatThrownBy(() -> F.relu6(v, true)).hasMessageContaining("on a view of a tensor that is part of the autograd graph");
        for (String op : new String[] {"hardswish", "silu"}) { // out of place under autograd: the input is left as it was
            Tensor x = leaf.mul(1);
            double[] before = x.toDoubleArray();
            Tensor y = apply(op, x, true);
            assertThat(y).isNotSameAs(x);
            assertThat(x.toDoubleArray()).as(op).containsExactly(before);
            assertThat(y.toDoubleArray()).as(op).containsExactly(apply(op, x, false).toDoubleArray());
        }
    }

    @Test
    void modulesPrintInplaceAsTorch() {
        assertThat(new ReLU(true).toString()).isEqualTo("ReLU(inplace=True)");
        assertThat(new ReLU().toString()).isEqualTo("ReLU()");
        assertThat(new ReLU6(true).toString()).isEqualTo("ReLU6(inplace=True)");
        assertThat(new SiLU(true).toString()).isEqualTo("SiLU(inplace=True)");
        assertThat(new Hardswish(true).toString()).isEqualTo("Hardswish()");
        Tensor x = data(DType.FLOAT32, 2, 2, 8);
        try (var g = GradMode.noGrad()) {
            assertThat(new ReLU6(true).forward(x)).isSameAs(x);
        }
    }
}
