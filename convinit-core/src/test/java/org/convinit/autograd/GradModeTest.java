package org.convinit.autograd;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.concurrent.atomic.AtomicBoolean;

import org.convinit.init.Init;
import org.convinit.nn.Parameter;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

class GradModeTest {

    @Test
    void scopesNestAndRestore() {
        assertThat(GradMode.isEnabled()).isTrue();
        try (var a = GradMode.noGrad()) {
            assertThat(GradMode.isEnabled()).isFalse();
            try (var b = GradMode.enableGrad()) {
                assertThat(GradMode.isEnabled()).isTrue();
            }
            assertThat(GradMode.isEnabled()).isFalse();
        }
        assertThat(GradMode.isEnabled()).isTrue();
    }

    @Test
    void gradModeIsPerThread() throws Exception {
        AtomicBoolean other = new AtomicBoolean();
        try (var a = GradMode.noGrad()) {
            Thread t = new Thread(() -> other.set(GradMode.isEnabled()));
            t.start();
            t.join();
        }
        assertThat(other.get()).isTrue();
    }

    @Test
    void inPlaceEditOfARequiresGradLeafFailsWithTheFix() {
        Parameter w = new Parameter(Tensor.zeros(DType.FLOAT32, 2, 2));
        String fix = "try (var g = GradMode.noGrad()) { ... } (in PyTorch: with torch.no_grad(): ...)";
        assertThatThrownBy(() -> w.fill_(1)).isInstanceOf(IllegalStateException.class)
                .hasMessageStartingWith("a leaf Variable that requires grad is being used in an in-place operation (fill_).")
                .hasMessageContaining(fix);
        assertThatThrownBy(() -> w.copy_(Tensor.ones(DType.FLOAT32, 2, 2))).hasMessageContaining("(copy_)");
        assertThatThrownBy(() -> w.set(1, 0, 0)).hasMessageContaining("(index_put_)");
        assertThatThrownBy(() -> w.uniform_(0, 1)).hasMessageContaining("(uniform_)");
        assertThatThrownBy(() -> w.zero_()).hasMessageContaining("(zero_)");
        assertThatThrownBy(() -> w.index(0).fill_(1)).hasMessageStartingWith(
                "a view of a leaf Variable that requires grad is being used in an in-place operation (fill_).");
        assertThat(w.toFloatArray()).containsOnly(0f);
    }

    @Test
    void noGradAllowsTheEditAndInitFunctionsDisableGradThemselves() {
        Parameter w = new Parameter(Tensor.zeros(DType.FLOAT32, 2, 2));
        try (var g = GradMode.noGrad()) {
            w.fill_(1);
            w.set(5, 1, 1);
        }
        assertThat(w.toFloatArray()).containsExactly(1, 1, 1, 5);
        assertThatCode(() -> Init.uniform(w, -1, 1)).doesNotThrowAnyException();
        assertThat(w.requiresGrad()).isTrue();
    }

    @Test
    void detachedTensorsAndNonGradTensorsEditFreely() {
        Parameter w = new Parameter(Tensor.zeros(DType.FLOAT32, 3));
        w.detach().fill_(2);
        assertThat(w.toFloatArray()).containsOnly(2f);
        Parameter frozen = new Parameter(Tensor.zeros(DType.FLOAT32, 3), false);
        frozen.fill_(3);
        assertThat(frozen.toFloatArray()).containsOnly(3f);
        assertThatThrownBy(() -> Tensor.zeros(DType.INT64, 2).requiresGrad(true))
                .hasMessageContaining("only floating point tensors can require gradients");
    }
}
