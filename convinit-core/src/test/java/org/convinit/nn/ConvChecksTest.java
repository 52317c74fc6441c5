package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.assertj.core.api.ThrowableAssert.ThrowingCallable;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every constructor and input check of the convolution layers and functions, with its message. */
class ConvChecksTest {
    static final ConvOptions D = ConvOptions.DEFAULT;
    static final int[] ONE = {1};
    static final int[] ZERO = {0};

    static void fails(ThrowingCallable call, String message) {
        assertThatThrownBy(call).isInstanceOf(IllegalArgumentException.class).hasMessage(message);
    }

    static Tensor t(int... shape) {
        return Tensor.zeros(DType.FLOAT32, shape);
    }

    @Test
    void constructorChecksNameBothNumbers() {
        fails(() -> new Conv2d(6, 4, 3, D.groups(4)), "Conv2d: in_channels (6) must be divisible by groups (4)");
        fails(() -> new Conv2d(4, 6, 3, D.groups(4)), "Conv2d: out_channels (6) must be divisible by groups (4)");
        fails(() -> new ConvTranspose2d(6, 4, 3, D.groups(4)), "ConvTranspose2d: in_channels (6) must be divisible by groups (4)");
        fails(() -> new Conv1d(0, 4, 3), "Conv1d: in_channels (0) must be positive");
        fails(() -> new Conv3d(4, -1, 3), "Conv3d: out_channels (-1) must be positive");
        fails(() -> new Conv2d(4, 4, 3, D.groups(0)), "Conv2d: groups (0) must be a positive integer");
        fails(() -> new Conv2d(4, 4, 0), "Conv2d: kernel_size=[0, 0] must be positive");
        fails(() -> new Conv2d(4, 4, 3, D.stride(1, 0)), "Conv2d: stride=[1, 0] must be positive");
        fails(() -> new Conv1d(4, 4, 3, D.dilation(0)), "Conv1d: dilation=[0] must be positive");
        fails(() -> new Conv2d(4, 4, 3, D.padding(-1)), "Conv2d: padding=[-1, -1] must be non-negative");
        fails(() -> new ConvTranspose2d(4, 4, 3, D.outputPadding(-1)), "ConvTranspose2d: output_padding=[-1, -1] must be non-negative");
        fails(() -> new ConvTranspose2d(4, 4, 3, D.stride(2).outputPadding(0, 2)),
                "ConvTranspose2d: output padding (2) must be smaller than either stride (2) or dilation (1) in dim 1");
        fails(() -> new Conv2d(4, 4, 3, D.outputPadding(1)), "Conv2d: output_padding is only for transposed convolutions");
        fails(() -> new Conv2d(4, 4, 3, D.padding("same").stride(2)),
                "Conv2d: padding='same' is not supported for strided convolutions (stride=[2, 2])");
        fails(() -> new ConvTranspose1d(4, 4, 3, D.padding("same")),
                "ConvTranspose1d: padding='same' is not supported for transposed convolutions");
        fails(() -> new ConvTranspose3d(4, 4, 3, D.paddingMode(PaddingMode.REFLECT)),
                "Only \"zeros\" padding mode is supported for ConvTranspose3d (got padding_mode='reflect')");
        fails(() -> new Conv2d(4, 4, new int[] {3}, D, DType.INT64, null), "Conv2d: dtype torch.int64: expected float32 or float64");
        fails(() -> new Conv2d(4, 4, new int[] {3, 3, 3}, D), "Conv2d: kernel_size=[3, 3, 3]: expected 1 or 2 values");
        fails(() -> new Conv3d(4, 4, 3, D.stride(1, 2)), "Conv3d: stride=[1, 2]: expected 1 or 3 values");
        fails(() -> D.padding("full"), "Invalid padding string 'full', should be one of {'valid', 'same'}");
        fails(() -> PaddingMode.parse("mirror"),
                "padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='mirror'");
    }

    @Test
    void layerForwardChecks() {
        fails(() -> new Conv2d(4, 4, 3, D.padding(2).paddingMode(PaddingMode.REFLECT)).forward(t(1, 4, 2, 5)),
                "Padding size should be less than the corresponding input dimension, but got: reflect padding (2, 2) at dimension 2"
                        + " of input of size [1, 4, 2, 5]");
        fails(() -> new Conv1d(2, 2, 3, D.padding(4).paddingMode(PaddingMode.CIRCULAR)).forward(t(2, 3)),
                "Padding value causes wrapping around more than once: circular padding (4, 4) at dimension 1 of input of size [2, 3]"
                        + " must be at most 3");
        fails(() -> new Conv2d(4, 4, 3, D.padding(1).paddingMode(PaddingMode.REPLICATE)).forward(t(4, 5)),
                "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [4, 5]");
        fails(() -> new Conv2d(4, 4, 3).forward(t(1, 4, 5, 5), 5, 5), "Conv2d: output_size is only accepted by transposed convolutions");
        ConvTranspose2d up = new ConvTranspose2d(4, 2, 4, D.stride(2).padding(1));
        assertThat(up.forward(t(1, 4, 5, 5), 11, 10).shape().toArray()).containsExactly(1, 2, 11, 10);
        assertThat(up.forward(t(1, 4, 5, 5), 1, 2, 11, 11).shape().toArray()).containsExactly(1, 2, 11, 11);
        fails(() -> up.forward(t(1, 4, 5, 5), 12, 10),
                "requested an output size of [12, 10], but valid sizes range from [10, 10] to [11, 11] (for an input of [5, 5])");
        fails(() -> up.forward(t(1, 4, 5, 5), 10),
                "ConvTranspose2d: for 4D input, output_size must have 2 or 4 elements (got 1: [10])");
        fails(() -> up.forward(t(5, 5), 10, 10),
                "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [5, 5]");
    }

    @Test
    void functionalConvChecksUseATenMessages() {
        Tensor x = t(1, 5, 32, 32);
        fails(() -> F.conv2d(x, t(8, 3, 3, 3), null, ONE, ZERO, ONE, 2),
                "Given groups=2, weight of size [8, 3, 3, 3], expected input[1, 5, 32, 32] to have 6 channels, but got 5 channels instead");
        fails(() -> F.conv2d(t(5, 32), t(8, 5, 3, 3), null),
                "Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [5, 32]");
        fails(() -> F.conv2d(x, t(8, 5, 3), null), "conv2d: expected a 4-dimensional weight, but got weight of size [8, 5, 3]");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), t(7)),
                "Given weight of size [8, 5, 3, 3], expected bias to be 1-dimensional with 8 elements, but got bias of size [7] instead");
        fails(() -> F.conv2d(x, t(7, 5, 3, 3), null, ONE, ZERO, ONE, 2),
                "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [7, 5, 3, 3] instead");
        fails(() -> F.conv2d(x, t(1, 5, 3, 3), null, ONE, ZERO, ONE, 2),
                "Given groups=2, expected weight to be at least 2 at dimension 0, but got weight of size [1, 5, 3, 3] instead");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, new int[] {0}, ZERO, ONE, 1), "non-positive stride is not supported (stride=[0, 0])");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, ONE, new int[] {-1}, ONE, 1), "negative padding is not supported (padding=[-1, -1])");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, ONE, ZERO, new int[] {0}, 1), "dilation should be greater than zero, but got [0, 0]");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, ONE, ZERO, ONE, 0), "non-positive groups is not supported (groups=0)");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, new int[] {1, 1, 1}, ZERO, ONE, 1),
                "conv2d: expected stride to be a single integer value or a list of 2 values to match the convolution dimensions, "
                        + "but got stride=[1, 1, 1]");
        fails(() -> F.conv2d(x, t(8, 5, 40, 3), null),
                "Calculated padded input size per channel: (32 x 32). Kernel size: (40 x 3). Kernel size can't be greater than actual "
                        + "input size");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, new int[] {2}, "same", ONE, 1),
                "padding='same' is not supported for strided convolutions (stride=[2, 2])");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), null, ONE, "foo", ONE, 1),
                "Invalid padding string 'foo', should be one of {'valid', 'same'}");
        fails(() -> F.conv2d(x, Tensor.zeros(DType.FLOAT64, 8, 5, 3, 3), null),
                "conv2d: input dtype torch.float32 and weight dtype torch.float64 differ; expected the same dtype (convert the "
                        + "input with .to(torch.float64) or the weight with .to(torch.float32))");
        fails(() -> F.conv2d(x, t(8, 5, 3, 3), Tensor.zeros(DType.FLOAT64, 8)),
                "conv2d: input dtype torch.float32 and bias dtype torch.float64 differ; expected the same dtype (convert the "
                        + "input with .to(torch.float64) or the bias with .to(torch.float32))");
        fails(() -> F.conv1d(Tensor.zeros(DType.INT64, 2, 3), t(4, 2, 1), null),
                "conv1d: input has dtype torch.int64; expected float32 or float64");
        fails(() -> F.convPadded(2, x, t(8, 5, 3, 3), null, ONE, new int[] {0}, new int[] {-1}, ONE, 1),
                "negative padding is not supported (padding=[-1, -1])");
    }

    @Test
    void functionalTransposedChecks() {
        Tensor x = t(1, 5, 32, 32);
        fails(() -> F.convTranspose2d(x, t(4, 3, 3, 3), null),
                "Given transposed=1, weight of size [4, 3, 3, 3], expected input[1, 5, 32, 32] to have 4 channels, but got 5 channels instead");
        fails(() -> F.convTranspose2d(x, t(5, 3, 3, 3), t(5)),
                "Given transposed=1, weight of size [5, 3, 3, 3], expected bias to be 1-dimensional with 3 elements, but got bias of size "
                        + "[5] instead");
        fails(() -> F.convTranspose2d(x, t(5, 3, 3, 3), t(14), ONE, ZERO, ZERO, 5, ONE),
                "Given transposed=1, weight of size [5, 3, 3, 3], expected bias to be 1-dimensional with 15 elements, but got bias of "
                        + "size [14] instead");
        fails(() -> F.convTranspose2d(t(1, 5, 2, 2), t(5, 3, 3, 3), null, ONE, new int[] {3}, ZERO, 1, ONE),
                "Given input size per channel: (2 x 2). Calculated output size per channel: (-2 x -2). Output size is too small");
        fails(() -> F.convTranspose2d(x, t(5, 3, 3, 3), null, ONE, ZERO, ONE, 1, ONE),
                "output padding must be smaller than either stride or dilation, but got output_padding=[1, 1], stride=[1, 1], "
                        + "dilation=[1, 1]");
        fails(() -> F.convTranspose2d(x, t(5, 3, 3, 3), null, new int[] {2}, ZERO, new int[] {-1}, 1, ONE),
                "negative output_padding is not supported (output_padding=[-1, -1])");
        fails(() -> F.convTranspose2d(t(5, 32), t(5, 3, 3, 3), null),
                "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [5, 32]");
        fails(() -> F.convTranspose2d(x, t(5, 3, 3, 3), null, ONE, ZERO, ZERO, 2, ONE),
                "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [5, 3, 3, 3] instead");
        fails(() -> F.convTranspose1d(t(1, 2, 3), t(2, 1, 3), null, ONE, ZERO, ZERO, 1, new int[] {1, 1}),
                "conv_transpose1d: expected dilation to be a single integer value or a list of 1 values to match the convolution "
                        + "dimensions, but got dilation=[1, 1]");
    }

    @Test
    void paddingEnumsParseTorchNamesAndPadByOneRule() {
        for (ConvPadding p : ConvPadding.values()) assertThat(ConvPadding.parse(p.torchName())).isSameAs(p);
        for (PadMode m : PadMode.values()) assertThat(PadMode.parse(m.torchName())).isSameAs(m);
        fails(() -> PadMode.parse("zeros"), "Unrecognised padding mode 'zeros'; expected one of 'constant', 'reflect', 'replicate', 'circular'");
        assertThat(PaddingMode.ZEROS.padMode()).isEqualTo(PadMode.CONSTANT);
        assertThat(PaddingMode.REFLECT.padMode()).isEqualTo(PadMode.REFLECT);
        assertThat(PaddingMode.REPLICATE.padMode()).isEqualTo(PadMode.REPLICATE);
        assertThat(PaddingMode.CIRCULAR.padMode()).isEqualTo(PadMode.CIRCULAR);
        // padded coordinates -2..5 of a size-4 dim: the input coordinate each copies (-1: the constant)
        int[][] table = {
            {-1, -1, 0, 1, 2, 3, -1, -1},
            {2, 1, 0, 1, 2, 3, 2, 1},
            {0, 0, 0, 1, 2, 3, 3, 3},
            {2, 3, 0, 1, 2, 3, 0, 1},
        };
        for (PadMode m : PadMode.values()) {
            for (int pos = -2; pos <= 5; pos++) {
                assertThat(m.source(pos, 4)).as("%s at %d", m, pos).isEqualTo(table[m.ordinal()][pos + 2]);
            }
        }
        Tensor x = TorchOracle.randn(new java.util.Random(5), DType.FLOAT64, 1, 2, 5, 6);
        Tensor w = TorchOracle.randn(new java.util.Random(6), DType.FLOAT64, 3, 2, 4, 3);
        assertThat(F.conv2d(x, w, null, ONE, ConvPadding.SAME, new int[] {2}, 1).toDoubleArray())
                .containsExactly(F.conv2d(x, w, null, ONE, "same", new int[] {2}, 1).toDoubleArray());
        assertThat(F.pad(x, new int[] {1, 2, 2, 0}, PadMode.REFLECT, 0).toDoubleArray())
                .containsExactly(F.pad(x, new int[] {1, 2, 2, 0}, "reflect", 0).toDoubleArray());
        assertThat(new Conv2d(2, 2, 4, D.padding(ConvPadding.SAME).dilation(2)).toString())
                .isEqualTo("Conv2d(2, 2, kernel_size=(4, 4), stride=(1, 1), padding=same, dilation=(2, 2))");
    }

    @Test
    void unbatchedInputGivesTheBatchedResultWithoutTheBatchDim() {
        java.util.Random r = new java.util.Random(3);
        Tensor x = TorchOracle.randn(r, DType.FLOAT64, 4, 6, 5);
        for (ConvNd m : new ConvNd[] {new Conv2d(4, 6, new int[] {3}, D.padding(1).paddingMode(PaddingMode.CIRCULAR), DType.FLOAT64, null),
                new ConvTranspose2d(4, 2, new int[] {3}, D.stride(2).groups(2), DType.FLOAT64, null)}) {
            Tensor a = m.forward(x);
            Tensor b = m.forward(x.unsqueeze(0)).squeeze(0);
            assertThat(a.shape()).isEqualTo(b.shape());
            assertThat(a.toDoubleArray()).containsExactly(b.toDoubleArray());
        }
    }
}
