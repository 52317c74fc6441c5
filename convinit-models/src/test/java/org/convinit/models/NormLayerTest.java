package org.convinit.models;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Map;

import org.convinit.nn.BatchNorm2d;
import org.convinit.nn.GroupNorm;
import org.convinit.nn.LayerNorm;
import org.convinit.nn.Module;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** {@code norm_layer} by name as {@code functools.partial(torch.nn.X, ...)}, its errors, and the typed Java form. */
class NormLayerTest {
    @Test
    void namesReadAsPartialsOfTorchNn() {
        assertThat(NormLayer.parse("GroupNorm(32)").make(64, DType.FLOAT64).toString()).isEqualTo("GroupNorm(32, 64, eps=1e-05, affine=True)");
        assertThat(NormLayer.parse("nn.GroupNorm(4, eps=1e-3, affine=False)").make(8, DType.FLOAT32).toString())
                .isEqualTo("GroupNorm(4, 8, eps=0.001, affine=False)");
        assertThat(NormLayer.parse("torch.nn.BatchNorm2d(eps=0.001, momentum=None)").make(16, DType.FLOAT32).toString())
                .isEqualTo("BatchNorm2d(16, eps=0.001, momentum=None, affine=True, track_running_stats=True)");
        assertThat(NormLayer.parse("BatchNorm2d").make(3, DType.FLOAT32)).isInstanceOf(BatchNorm2d.class);
        assertThat(NormLayer.parse("GroupNorm(2)").make(6, DType.FLOAT32)).isInstanceOf(GroupNorm.class);
        assertThat(NormLayer.parse("LayerNorm(eps=1e-06)").make(6, DType.FLOAT32)).isInstanceOf(LayerNorm.class);
        assertThat(NormLayer.parse("torchvision.models.convnext.LayerNorm2d(eps=1e-05, elementwise_affine=False)").make(6, DType.FLOAT32)
                .stateDict()).isEmpty();
        Module block = ConvNeXt.Block.parse("CNBlock(norm_layer='nn.LayerNorm(eps=1e-05, elementwise_affine=False)')").make(8, 0.5, 0.1,
                DType.FLOAT32);
        assertThat(block.stateDict().keySet()).containsExactly("layer_scale", "block.0.weight", "block.0.bias", "block.3.weight",
                "block.3.bias", "block.5.weight", "block.5.bias");
    }

    @Test
    void badNamesAreNamed() {
        assertThatThrownBy(() -> NormLayer.parse("InstanceNorm2d")).hasMessageContaining("unknown layer 'InstanceNorm2d'");
        assertThatThrownBy(() -> NormLayer.parse("nn.LayerNorm2d")).hasMessageContaining("nn.LayerNorm2d does not exist");
        assertThatThrownBy(() -> NormLayer.parse("LayerNorm(8)")).hasMessageContaining("next positional argument, normalized_shape");
        assertThatThrownBy(() -> ConvNeXt.Block.parse("Bottleneck")).hasMessageContaining("expected CNBlock");
        assertThatThrownBy(() -> ConvNeXt.Block.parse("CNBlock(layer_scale=0.5)")).hasMessageContaining("norm_layer=...");
        assertThatThrownBy(() -> Models.create("convnext_tiny", Map.of("block", 3), DType.FLOAT32))
                .hasMessageContaining("block=3, expected a ConvNeXt.Block");
        // partial(nn.GroupNorm)(c) would make c the number of groups; partial(nn.GroupNorm, num_groups=4)(c) a duplicate
        assertThatThrownBy(() -> NormLayer.parse("GroupNorm")).hasMessageContaining("next positional argument, num_channels");
        assertThatThrownBy(() -> NormLayer.parse("GroupNorm(num_groups=4)")).hasMessageContaining("next positional argument, num_channels");
        assertThatThrownBy(() -> NormLayer.parse("GroupNorm(2.5)")).hasMessageContaining("num_groups=2.5, expected an int");
        assertThatThrownBy(() -> NormLayer.parse("BatchNorm2d(0.001)")).hasMessageContaining("next positional argument, num_features");
        assertThatThrownBy(() -> NormLayer.parse("BatchNorm2d(momentun=0.1)"))
                .hasMessageContaining("unexpected keyword argument 'momentun'").hasMessageContaining("momentum");
        assertThatThrownBy(() -> NormLayer.parse("BatchNorm2d(affine=yes)")).hasMessageContaining("yes, expected True or False");
        assertThatThrownBy(() -> Models.create("resnet18", Map.of("norm_layer", 3), DType.FLOAT32))
                .hasMessageContaining("norm_layer=3, expected a NormLayer");
        // torchvision's builders of B5-B7 and V2 pass their own norm_layer (a TypeError there)
        for (String fixed : new String[] {"efficientnet_b5", "efficientnet_v2_s", "densenet121"}) {
            assertThatThrownBy(() -> Models.create(fixed, Map.of("norm_layer", "GroupNorm(2)"), DType.FLOAT32))
                    .hasMessageContaining("unexpected keyword argument 'norm_layer'");
        }
        assertThatThrownBy(() -> EfficientNet.v2("s", EfficientNet.Options.DEFAULT.normLayer(NormLayer.groupNorm(2)), DType.FLOAT32))
                .hasMessageContaining("multiple values for keyword argument 'norm_layer'");
    }

    @Test
    void theTypedFormBuildsWhatTheNameBuilds() {
        Module byName = Generator.withDefault(new Generator(3), () -> Models.create("resnet18",
                Map.of("norm_layer", "GroupNorm(16)", "zero_init_residual", true), DType.FLOAT32));
        Module typed = Generator.withDefault(new Generator(3), () -> Models.resnet18(ResNet.Options.DEFAULT
                .normLayer((c, dt) -> new GroupNorm(16, c, 1e-5, true, dt)).zeroInitResidual(true)));
        Map<String, Tensor> a = byName.stateDict();
        Map<String, Tensor> b = typed.stateDict();
        assertThat(a.keySet()).containsExactlyElementsOf(b.keySet()).contains("layer1.0.bn2.weight").doesNotContain("bn1.running_mean");
        for (String k : a.keySet()) assertThat(a.get(k).valueEquals(b.get(k))).as(k).isTrue();
        assertThat(typed.tensor("layer1.0.bn2.weight").toFloatArray()).containsOnly(0f);
    }
}
