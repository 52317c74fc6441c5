package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.convinit.nn.ConvChecksTest.fails;
import static org.convinit.nn.ConvChecksTest.t;

import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.junit.jupiter.api.Test;

/** Every constructor and input check of the layers around the convolutions, with its message. */
class LayerChecksTest {
    static final PoolOptions P = PoolOptions.DEFAULT;
    static final int[] ONE = {1};
    static final int[] ZERO = {0};

    @Test
    void poolConstructorChecks() {
        fails(() -> new MaxPool2d(3, P.padding(2)), "MaxPool2d: padding=2 must be at most half of kernel_size=3 (pad 2 > 3 / 2 in dim 0)");
        fails(() -> new MaxPool2d(new int[] {2, 4}, P.padding(1, 3)),
                "MaxPool2d: padding=(1, 3) must be at most half of kernel_size=(2, 4) (pad 3 > 4 / 2 in dim 1)");
        fails(() -> new MaxPool1d(0), "MaxPool1d: kernel_size=0 must be positive");
        fails(() -> new MaxPool2d(2, P.stride(0)), "MaxPool2d: stride=0 must be positive");
        fails(() -> new MaxPool3d(2, P.dilation(1, 0, 1)), "MaxPool3d: dilation=(1, 0, 1) must be positive");
        fails(() -> new MaxPool2d(2, P.padding(-1)), "MaxPool2d: padding=-1 must be non-negative");
        fails(() -> new MaxPool2d(new int[] {2, 2, 2}, P), "MaxPool2d: kernel_size=[2, 2, 2]: expected 1 or 2 values");
        fails(() -> new MaxPool2d(2, P.countIncludePad(false)),
                "MaxPool2d: count_include_pad and divisor_override are options of average pooling");
        fails(() -> new AvgPool2d(2, P.dilation(2)), "AvgPool2d: average pooling has no dilation (got dilation=2)");
        fails(() -> new AvgPool1d(2, P.divisorOverride(2)), "AvgPool1d: divisor_override is not an option of AvgPool1d");
        fails(() -> new AvgPool2d(2, P.divisorOverride(0)), "AvgPool2d: divisor_override must be non-zero");
        fails(() -> new AvgPool3d(3, P.padding(2)), "AvgPool3d: padding=2 must be at most half of kernel_size=3 (pad 2 > 3 / 2 in dim 0)");
        fails(() -> new AvgPool2d(0), "AvgPool2d: kernel_size=0 must be positive");
        fails(() -> new AdaptiveAvgPool2d(2, -1),
                "AdaptiveAvgPool2d: elements of output_size must be greater than or equal to 0, but got output_size=(2, -1)");
    }

    @Test
    void poolInputChecks() {
        fails(() -> new MaxPool2d(2).forward(t(3, 4)), "max_pool2d: expected a 3D (unbatched) or 4D (batched) input, but got input of size [3, 4]");
        fails(() -> new MaxPool2d(3).forward(t(1, 3, 1, 1)),
                "max_pool2d: Given input size: (3x1x1). Calculated output size: (3x0x0). Output size is too small");
        fails(() -> new AvgPool1d(3).forward(t(2, 2)),
                "avg_pool1d: Given input size: (2x2). Calculated output size: (2x0). Output size is too small");
        fails(() -> new AvgPool3d(2).forward(t(2, 2, 2)),
                "avg_pool3d: expected a 4D (unbatched) or 5D (batched) input, but got input of size [2, 2, 2]");
        fails(() -> F.maxPool2d(t(1, 3, 4, 4), new int[] {3}, null, new int[] {2}, ONE, false),
                "max_pool2d: pad should be at most half of kernel size, but got pad=2 and kernel_size=3 (padding=[2, 2], kernel_size=[3, 3])");
        fails(() -> F.maxPool2d(t(1, 3, 4, 4), new int[] {2}, new int[] {0}, ZERO, ONE, false),
                "max_pool2d: stride should be greater than zero, but got stride=[0, 0]");
        fails(() -> F.maxPool2d(t(1, 3, 4, 4), new int[] {0}, null, ZERO, ONE, false),
                "max_pool2d: kernel_size should be greater than zero, but got kernel_size=[0, 0]");
        fails(() -> F.maxPool2d(t(1, 3, 4, 4), new int[] {2}, null, ZERO, new int[] {0}, false),
                "max_pool2d: dilation should be greater than zero, but got dilation=[0, 0]");
        fails(() -> F.maxPool2d(t(1, 3, 4, 4), new int[] {2, 2, 2}, null, ZERO, ONE, false),
                "max_pool2d: kernel_size must be a single int or a tuple of 2 ints, but got kernel_size=[2, 2, 2]");
        fails(() -> F.avgPool2d(t(1, 3, 4, 4), new int[] {2}, null, ZERO, false, true, 0),
                "avg_pool2d: divisor must be not zero (divisor_override=0)");
        fails(() -> F.maxPool2d(Tensor.zeros(DType.INT32, 1, 3, 4, 4), 2), "max_pool2d: input has dtype torch.int32; expected float32 or float64");
        fails(() -> new AdaptiveAvgPool2d(2).forward(t(3, 4)),
                "adaptive_avg_pool2d: expected a 3D (unbatched) or 4D (batched) input, but got input of size [3, 4]");
        fails(() -> new AdaptiveAvgPool2d(2).forward(t(1, 3, 0, 4)),
                "adaptive_avg_pool2d: expected input to have non-zero size for non-batch dimensions, but input has sizes [1, 3, 0, 4] "
                        + "with dimension 2 being empty");
        fails(() -> F.adaptiveAvgPool2d(t(1, 3, 4, 4), 2, -1),
                "adaptive_avg_pool2d: elements of output_size must be greater than or equal to 0 but received (2, -1)");
        fails(() -> F.adaptiveAvgPool2d(t(1, 3, 4, 4), 1, 2, 3), "adaptive_avg_pool2d: output_size must have 1 or 2 values, but got [1, 2, 3]");
    }

    @Test
    void batchNormChecks() {
        fails(() -> new BatchNorm2d(0), "BatchNorm2d: num_features (0) must be positive");
        fails(() -> new BatchNorm2d(3, 0, 0.1, true, true, DType.FLOAT32), "BatchNorm2d: eps (0.0) must be positive");
        fails(() -> new BatchNorm1d(3, 1e-5, 1.5, true, true, DType.FLOAT32),
                "BatchNorm1d: momentum (1.5) must be between 0 and 1, or null for a cumulative average");
        fails(() -> new BatchNorm3d(3, 1e-5, 0.1, true, true, DType.FLOAT16), "BatchNorm3d: dtype torch.float16: expected float32 or float64");
        fails(() -> new BatchNorm2d(3).forward(t(3, 4, 4)), "BatchNorm2d: expected 4D input (got 3D input of size [3, 4, 4])");
        fails(() -> new BatchNorm1d(3).forward(t(1, 3, 4, 4)), "BatchNorm1d: expected 2D or 3D input (got 4D input of size [1, 3, 4, 4])");
        fails(() -> new BatchNorm3d(3).forward(t(1, 3, 4, 4)), "BatchNorm3d: expected 5D input (got 4D input of size [1, 3, 4, 4])");
        fails(() -> new BatchNorm2d(3).forward(t(1, 4, 4, 4)),
                "BatchNorm2d(3): expected input with 3 channels at dim 1, but got input of size [1, 4, 4, 4]");
        BatchNorm1d bn = new BatchNorm1d(3);
        fails(() -> bn.forward(t(1, 3)), "Expected more than 1 value per channel when training, got input size [1, 3]");
        assertThat(bn.numBatchesTracked().toLongArray()).containsExactly(0L);
        bn.eval();
        assertThat(bn.forward(t(1, 3)).shape().toArray()).containsExactly(1, 3);
        fails(() -> F.batchNorm(t(5), null, null, null, null, true, 0.1, 1e-5),
                "batch_norm: expected an input of at least 2 dims [N, C, *], but got input of size [5]");
        fails(() -> F.batchNorm(t(1, 4), null, null, null, null, true, 0.1, 1e-5),
                "Expected more than 1 value per channel when training, got input size [1, 4]");
        fails(() -> F.batchNorm(t(2, 4, 3), t(3), t(4), null, null, false, 0.1, 1e-5),
                "batch_norm: running_mean should contain 4 elements (one per channel of the input), but got running_mean of size [3]");
    }

    @Test
    void linearChecks() {
        fails(() -> new Linear(-1, 3), "Linear: in_features (-1) must be non-negative");
        fails(() -> new Linear(3, -2), "Linear: out_features (-2) must be non-negative");
        fails(() -> new Linear(3, 2, true, DType.INT8, null), "Linear: dtype torch.int8: expected float32 or float64");
        fails(() -> new Linear(4, 3).forward(t(2, 5)),
                "mat1 and mat2 shapes cannot be multiplied (2x5 and 4x3): input of size [2, 5] has 5 features, but weight of size [3, 4] expects 4");
        fails(() -> new Linear(4, 3).forward(t(5)),
                "mat1 and mat2 shapes cannot be multiplied (1x5 and 4x3): input of size [5] has 5 features, but weight of size [3, 4] expects 4");
        fails(() -> new Linear(4, 3).forward(t(2, 3, 5)),
                "mat1 and mat2 shapes cannot be multiplied (6x5 and 4x3): input of size [2, 3, 5] has 5 features, but weight of size [3, 4] expects 4");
        fails(() -> F.linear(t(2, 4), t(3, 4, 1), null),
                "linear: expected a 2-dimensional weight [out_features, in_features], but got weight of size [3, 4, 1]");
        fails(() -> F.linear(t(), t(3, 4), null), "linear: expected an input of at least 1 dim, but got a 0-dim input");
        fails(() -> F.linear(t(2, 4), t(3, 4), t(4)), "linear: expected bias of size [3] for weight of size [3, 4], but got bias of size [4]");
        fails(() -> new Linear(4, 3).forward(Tensor.zeros(DType.FLOAT64, 2, 4)),
                "linear: input dtype torch.float64 and weight dtype torch.float32 differ; expected the same dtype (convert the "
                        + "input with .to(torch.float32) or the weight with .to(torch.float64))");
    }

    @Test
    void activationDropoutFlattenAndPadChecks() {
        fails(() -> new GELU("fast"), "GELU: approximate argument must be either none or tanh, but got approximate='fast'");
        fails(() -> F.gelu(t(3), "erf"), "approximate argument must be either none or tanh, but got approximate='erf'");
        fails(() -> new Dropout(1.5), "dropout probability has to be between 0 and 1, but got 1.5");
        fails(() -> F.dropout(t(3), -0.1, true, null), "dropout probability has to be between 0 and 1, but got -0.1");
        fails(() -> F.dropout(Tensor.zeros(DType.INT64, 3), 0.5, true, null), "dropout: input has dtype torch.int64; expected float32 or float64");
        fails(() -> F.relu(Tensor.zeros(DType.INT64, 3)), "relu: input has dtype torch.int64; expected float32 or float64");
        fails(() -> new Flatten(2, 1).forward(t(2, 3, 4)),
                "flatten() has invalid args: start_dim cannot come after end_dim (start_dim=2, end_dim=1 for input of size [2, 3, 4])");
        assertThatThrownBy(() -> new Flatten(1, 5).forward(t(2, 3, 4))).isInstanceOf(IndexOutOfBoundsException.class)
                .hasMessage("Dimension out of range (expected to be in range of [-3, 2], but got 5)");
        fails(() -> F.pad(t(2, 3), new int[] {1, 1}, "mirror", 0),
                "Unrecognised padding mode 'mirror'; expected one of 'constant', 'reflect', 'replicate', 'circular'");
        fails(() -> F.pad(t(2, 3), 1, 1, 1), "Padding length must be divisible by 2, but got 3 values [1, 1, 1]");
        fails(() -> F.pad(t(2, 3), 1, 1, 1, 1, 1, 1), "Padding length too large: 6 values pad 3 dims, but the input of size [2, 3] has 2");
        fails(() -> F.pad(t(2, 3, 4, 5), new int[] {1, 1}, "reflect", 0),
                "reflect padding of 1 dims expects a 2D or 3D input, but got input of size [2, 3, 4, 5]");
        fails(() -> F.pad(t(2, 3), new int[] {-1, 1}, "replicate", 0), "replicate padding (-1, 1) of dimension 1 must be non-negative");
        fails(() -> F.pad(t(2, 3), new int[] {1, 3}, "reflect", 0),
                "Padding size should be less than the corresponding input dimension, but got: reflect padding (1, 3) at dimension 1 of "
                        + "input of size [2, 3]");
        fails(() -> F.pad(t(2, 3), new int[] {4, 0}, "circular", 0),
                "Padding value causes wrapping around more than once: circular padding (4, 0) at dimension 1 of input of size [2, 3] "
                        + "must be at most 3");
        fails(() -> F.pad(t(2, 0), new int[] {1, 0}, "replicate", 0), "replicate padding of an empty dimension 1 of input of size [2, 0]");
        fails(() -> F.pad(t(2, 3), -2, -2), "The input size 3, plus negative padding -2 and -2 resulted in a negative output size -1 at dimension 1");
        fails(() -> F.pad(Tensor.zeros(DType.INT64, 3), 1, 1), "pad: input has dtype torch.int64; expected float32 or float64");
    }

    @Test
    void reprsFollowTorch() {
        assertThat(new Dropout(0.25).toString()).isEqualTo("Dropout(p=0.25, inplace=False)");
        assertThat(new LeakyReLU(0.2).toString()).isEqualTo("LeakyReLU(negative_slope=0.2)");
        assertThat(new GELU("tanh").toString()).isEqualTo("GELU(approximate='tanh')");
        assertThat(new BatchNorm1d(3, 1e-3, null, false, true, DType.FLOAT32).toString())
                .isEqualTo("BatchNorm1d(3, eps=0.001, momentum=None, affine=False, track_running_stats=True)");
        assertThat(new MaxPool2d(new int[] {2, 3}, P.stride(1, 2)).toString())
                .isEqualTo("MaxPool2d(kernel_size=(2, 3), stride=(1, 2), padding=0, dilation=1, ceil_mode=False)");
        assertThat(new AdaptiveAvgPool2d(3, null).toString()).isEqualTo("AdaptiveAvgPool2d(output_size=(3, None))");
        assertThat(new Conv3d(2, 2, 3, ConvOptions.DEFAULT.paddingMode(PaddingMode.CIRCULAR)).toString())
                .isEqualTo("Conv3d(2, 2, kernel_size=(3, 3, 3), stride=(1, 1, 1), padding_mode=circular)");
        assertThat(Repr.pyFloat(1e-5)).isEqualTo("1e-05");
        assertThat(Repr.pyFloat(1e-4)).isEqualTo("0.0001");
        assertThat(Repr.pyFloat(1e16)).isEqualTo("1e+16");
        assertThat(Repr.pyFloat(123.0)).isEqualTo("123.0");
        assertThat(Repr.pyFloat(-2.5e-7)).isEqualTo("-2.5e-07");
    }
}
