package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.LinkedHashMap;
import java.util.Map;

import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** The three ways the PyTorch recipe sets a conv layer's weights, as README shows them. */
class CustomWeightRecipesTest {

    @Test
    void customUniformTensorCopiedUnderNoGrad() {
        // conv = nn.Conv2d(3, 16, 3, padding=1); w = torch.empty(16, 3, 3, 3).uniform_(-0.1, 0.1)
        // with torch.no_grad(): conv.weight.copy_(w)
        Conv2d conv = new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1));
        Tensor custom = Tensor.empty(DType.FLOAT32, 16, 3, 3, 3).uniform_(-0.1, 0.1);
        try (var g = GradMode.noGrad()) {
            conv.weight().copy_(custom);
        }
        assertThat(conv.weight().shape()).isEqualTo(Shape.of(16, 3, 3, 3));
        assertThat(conv.weight().valueEquals(custom)).isTrue();
        assertThat(conv.weight().max().item()).isLessThan(0.1);
        assertThat(conv.weight().min().item()).isGreaterThanOrEqualTo(-0.1);
        assertThat(conv.weight().requiresGrad()).isTrue();
        Tensor out = conv.forward(Tensor.ones(DType.FLOAT32, 1, 3, 8, 8));
        assertThat(out.shape()).isEqualTo(Shape.of(1, 16, 8, 8));
    }

    @Test
    void withoutNoGradTheCopyFailsAndSaysHow() {
        Conv2d conv = new Conv2d(3, 16, 3);
        assertThatThrownBy(() -> conv.weight().copy_(Tensor.zeros(DType.FLOAT32, 16, 3, 3, 3)))
                .isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("a leaf Variable that requires grad is being used in an in-place operation")
                .hasMessageContaining("GradMode.noGrad()");
    }

    @Test
    void pretrainedTensorByKeyWithBothShapesOnMismatch() {
        // pretrained = {'conv1.weight': ...}; conv.weight.copy_(pretrained['conv1.weight'])
        Generator.manualSeed(7);
        Conv2d source = new Conv2d(3, 16, 3);
        Map<String, Tensor> pretrained = new LinkedHashMap<>();
        pretrained.put("conv1.weight", source.weight().detach());
        pretrained.put("conv1.bias", source.bias().detach());
        pretrained.put("conv2.weight", Tensor.zeros(DType.FLOAT32, 32, 16, 3, 3));

        Conv2d conv = new Conv2d(3, 16, 3);
        conv.loadTensor("weight", pretrained.get("conv1.weight"));
        assertThat(conv.weight().valueEquals(source.weight())).isTrue();

        Tensor before = conv.weight().clone();
        assertThatThrownBy(() -> conv.loadTensor("weight", pretrained.get("conv2.weight")))
                .isInstanceOf(IllegalArgumentException.class)
                .hasMessage("size mismatch for weight: copying a param with shape [32, 16, 3, 3] from checkpoint, "
                        + "the shape in current model is [16, 3, 3, 3].");
        assertThat(conv.weight().valueEquals(before)).isTrue();
        assertThatThrownBy(() -> conv.loadTensor("wieght", before))
                .hasMessage("no parameter or buffer named 'wieght' in Conv2d; expected one of [weight, bias]");
    }

    @Test
    void pretrainedFloat64IsConvertedLikeTorchCopy() {
        Conv2d conv = new Conv2d(3, 16, 3);
        Tensor w64 = Tensor.full(DType.FLOAT64, 0.1, 16, 3, 3, 3);
        conv.loadTensor("weight", w64);
        assertThat(conv.weight().dtype()).isEqualTo(DType.FLOAT32);
        assertThat(conv.weight().toFloatArray()).containsOnly(0.1f);
    }

    @Test
    void zeroThenSetSingleElementsByIndex() {
        // with torch.no_grad(): conv.weight.zero_(); conv.weight[0, 0, 0, 0] = 1
        Conv2d conv = new Conv2d(3, 16, 3);
        try (var g = GradMode.noGrad()) {
            conv.weight().zero_();
            conv.weight().set(1, 0, 0, 0, 0);
            conv.weight().set(-2, -1, 2, 2, 2);
        }
        assertThat(conv.weight().get(0, 0, 0, 0)).isEqualTo(1);
        assertThat(conv.weight().get(15, 2, 2, 2)).isEqualTo(-2);
        assertThat(conv.weight().sum().item()).isEqualTo(-1);
        try (var g = GradMode.noGrad()) {
            assertThatThrownBy(() -> conv.weight().set(1, 16, 0, 0, 0))
                    .isInstanceOf(IndexOutOfBoundsException.class)
                    .hasMessage("index 16 is out of bounds for dimension 0 with size 16");
        }
    }
}
