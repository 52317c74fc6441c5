package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** The reference Conv2d forward against torch 1.13.1, and its input checks. */
class Conv2dForwardTest {

    record Case(String torchCtor, Conv2d module, int[] inputShape) {}

    @Test
    void forwardMatchesTorch() {
        Torch.require();
        Case[] cases = {
            new Case("nn.Conv2d(3, 16, 3, padding=1)", new Conv2d(3, 16, 3, ConvOptions.DEFAULT.padding(1)), new int[] {2, 3, 9, 7}),
            new Case("nn.Conv2d(4, 6, (1, 3), stride=(2, 1), groups=2, bias=False)",
                    new Conv2d(4, 6, new int[] {1, 3}, ConvOptions.DEFAULT.stride(2, 1).groups(2).bias(false)), new int[] {1, 4, 8, 8}),
            new Case("nn.Conv2d(2, 2, 4, padding='same', dilation=2)",
                    new Conv2d(2, 2, 4, ConvOptions.DEFAULT.padding("same").dilation(2)), new int[] {2, 2, 10, 9}),
            new Case("nn.Conv2d(3, 3, 3, padding=2, padding_mode='reflect', groups=3)",
                    new Conv2d(3, 3, 3, ConvOptions.DEFAULT.padding(2).groups(3).paddingMode(PaddingMode.REFLECT)), new int[] {1, 3, 6, 5}),
            new Case("nn.Conv2d(1, 2, 3, padding=1, padding_mode='circular')",
                    new Conv2d(1, 2, 3, ConvOptions.DEFAULT.padding(1).paddingMode(PaddingMode.CIRCULAR)), new int[] {2, 1, 5, 5}),
            new Case("nn.Conv2d(2, 4, 3, stride=2, dilation=(1, 2))",
                    new Conv2d(2, 4, 3, ConvOptions.DEFAULT.stride(2).dilation(1, 2)), new int[] {2, 9, 11}),
            new Case("nn.Conv2d(2, 3, 2, padding=(1, 0), padding_mode='replicate', stride=2)",
                    new Conv2d(2, 3, 2, ConvOptions.DEFAULT.padding(1, 0).stride(2).paddingMode(PaddingMode.REPLICATE)), new int[] {1, 2, 5, 6}),
        };
        Generator g = new Generator(99);
        StringBuilder script = new StringBuilder("import torch, torch.nn as nn\ntorch.set_printoptions(precision=10)\n");
        Tensor[] outs = new Tensor[cases.length];
        for (int i = 0; i < cases.length; i++) {
            Case c = cases[i];
            Tensor x = Tensor.empty(DType.FLOAT64, c.inputShape()).uniform_(-1, 1, g);
            Conv2d m = c.module();
            Tensor w = m.weight().to(DType.FLOAT64);
            outs[i] = forward64(m, x);
            script.append("m = ").append(c.torchCtor()).append(".double()\n")
                    .append("with torch.no_grad():\n")
                    .append("    m.weight.copy_(torch.tensor(").append(list(w)).append(", dtype=torch.float64).reshape(m.weight.shape))\n");
            if (m.bias() != null) {
                script.append("    m.bias.copy_(torch.tensor(").append(list(m.bias().to(DType.FLOAT64))).append(", dtype=torch.float64))\n");
            }
            script.append("x = torch.tensor(").append(list(x)).append(", dtype=torch.float64).reshape(")
                    .append(tuple(c.inputShape())).append(")\n")
                    .append("y = m(x)\nprint(list(y.shape)); print(' '.join(v.hex() for v in y.flatten().tolist()))\n");
        }
        String[] lines = Torch.run(script.toString()).strip().split("\n");
        for (int i = 0; i < cases.length; i++) {
            assertThat(outs[i].shape().toString()).as(cases[i].torchCtor()).isEqualTo(lines[2 * i]);
            String[] vals = lines[2 * i + 1].split(" ");
            double[] mine = outs[i].toDoubleArray();
            assertThat(mine).hasSize(vals.length);
            for (int k = 0; k < vals.length; k++) {
                assertThat(Math.abs(mine[k] - hex(vals[k]))).as("%s element %d", cases[i].torchCtor(), k).isLessThan(1e-12);
            }
        }
    }

    /** Runs the module in float64 with its weights converted, as the test script does in torch. */
    private static Tensor forward64(Conv2d m, Tensor x) {
        Tensor w = m.weight().to(DType.FLOAT64);
        Tensor b = m.bias() == null ? null : m.bias().to(DType.FLOAT64);
        return org.convinit.nn.functional.internal.reference.ReferenceConv.conv(2, x, w, b, m.stride, m.padBefore, m.padAfter,
                m.dilation, m.groups, m.paddingMode);
    }

    /** Python's float.hex() text, e.g. {@code -0x1.8p+1}, which Java parses as a hex float literal. */
    private static double hex(String s) {
        return Double.parseDouble(s);
    }

    private static String list(Tensor t) {
        StringBuilder sb = new StringBuilder("[");
        for (double v : t.toDoubleArray()) sb.append("float.fromhex('").append(Double.toHexString(v)).append("'),");
        return sb.append(']').toString();
    }

    private static String tuple(int[] s) {
        StringBuilder sb = new StringBuilder("(");
        for (int v : s) sb.append(v).append(',');
        return sb.append(')').toString();
    }

    @Test
    void unbatchedInputKeepsItsRank() {
        Conv2d conv = new Conv2d(3, 4, 3);
        assertThat(conv.forward(Tensor.zeros(DType.FLOAT32, 3, 5, 5)).shape()).isEqualTo(Shape.of(4, 3, 3));
    }

    @Test
    void inputChecksUseATensMessages() {
        Conv2d conv = new Conv2d(6, 8, 3, ConvOptions.DEFAULT.groups(2));
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(DType.FLOAT32, 1, 5, 32, 32)))
                .hasMessage("Given groups=2, weight of size [8, 3, 3, 3], expected input[1, 5, 32, 32] to have 6 channels, "
                        + "but got 5 channels instead");
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(DType.FLOAT32, 6, 32)))
                .hasMessage("Expected 3D (unbatched) or 4D (batched) input to conv2d, but got input of size: [6, 32]");
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(DType.FLOAT32, 1, 6, 2, 2)))
                .hasMessage("Calculated padded input size per channel: (2 x 2). Kernel size: (3 x 3). "
                        + "Kernel size can't be greater than actual input size");
        assertThatThrownBy(() -> conv.forward(Tensor.zeros(DType.FLOAT64, 1, 6, 4, 4)))
                .hasMessageContaining("input dtype torch.float64 and weight dtype torch.float32 differ");
    }

    @Test
    void constructorChecksNameBothNumbers() {
        assertThatThrownBy(() -> new Conv2d(6, 8, 3, ConvOptions.DEFAULT.groups(4)))
                .hasMessage("Conv2d: in_channels (6) must be divisible by groups (4)");
        assertThatThrownBy(() -> new Conv2d(4, 6, 3, ConvOptions.DEFAULT.groups(4)))
                .hasMessage("Conv2d: out_channels (6) must be divisible by groups (4)");
        assertThatThrownBy(() -> new Conv2d(4, 4, 3, ConvOptions.DEFAULT.groups(0)))
                .hasMessage("Conv2d: groups (0) must be a positive integer");
        assertThatThrownBy(() -> new Conv2d(4, 4, 3, ConvOptions.DEFAULT.padding("same").stride(2)))
                .hasMessage("Conv2d: padding='same' is not supported for strided convolutions (stride=[2, 2])");
        assertThatThrownBy(() -> ConvOptions.DEFAULT.padding("full"))
                .hasMessage("Invalid padding string 'full', should be one of {'valid', 'same'}");
        assertThatThrownBy(() -> PaddingMode.parse("mirror"))
                .hasMessage("padding_mode must be one of ['zeros', 'reflect', 'replicate', 'circular'], but got padding_mode='mirror'");
        assertThatThrownBy(() -> new Conv2d(4, 4, new int[] {3, 3, 3}, ConvOptions.DEFAULT))
                .hasMessage("Conv2d: kernel_size=[3, 3, 3]: expected 1 or 2 values");
        assertThatThrownBy(() -> new Conv2d(4, 4, 0)).hasMessage("Conv2d: kernel_size=[0, 0] must be positive");
    }
}
