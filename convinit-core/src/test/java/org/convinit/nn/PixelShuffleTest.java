package org.convinit.nn;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.Arrays;

import org.convinit.nn.functional.F;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;
import org.convinit.testing.Torch;
import org.junit.jupiter.api.Test;

/** PixelShuffle / PixelUnshuffle: the index definition over a matrix of shapes, gradients, torch's values and messages. */
class PixelShuffleTest {
    /** out[n, c, h·r+i, w·r+j] = in[n, c·r² + i·r + j, h, w], read literally. */
    static Tensor naiveShuffle(Tensor x, int r) {
        int n = x.size(0), c = x.size(1) / (r * r), h = x.size(2), w = x.size(3);
        Tensor y = Tensor.empty(x.dtype(), n, c, h * r, w * r);
        for (int a = 0; a < n; a++) for (int k = 0; k < c; k++) for (int p = 0; p < h * r; p++) for (int q = 0; q < w * r; q++) {
            y.set(x.get(a, k * r * r + (p % r) * r + q % r, p / r, q / r), a, k, p, q);
        }
        return y;
    }

    @Test
    void matchesTheIndexDefinitionOverShapesAndRoundTrips() {
        int[][] cases = {{1, 4, 2, 3, 2}, {2, 18, 3, 1, 3}, {3, 8, 5, 4, 2}, {1, 1, 2, 2, 1}};
        for (int[] c : cases) {
            Tensor x = Tensor.empty(DType.FLOAT32, c[0], c[1], c[2], c[3]).normal_(0, 1, new Generator(c[1]));
            Tensor y = new PixelShuffle(c[4]).forward(x);
            assertThat(y.valueEquals(naiveShuffle(x, c[4]))).as(Arrays.toString(c)).isTrue();
            assertThat(new PixelUnshuffle(c[4]).forward(y).valueEquals(x)).isTrue();
        }
        // batch dims beyond one, and none
        Tensor x5 = Tensor.empty(DType.FLOAT32, 2, 3, 8, 2, 2).normal_(0, 1, new Generator(1));
        assertThat(F.pixelShuffle(x5, 2).shape().toArray()).containsExactly(2, 3, 2, 4, 4);
        assertThat(F.pixelShuffle(x5.select(0, 0).select(0, 1), 2).shape().toArray()).containsExactly(2, 4, 4);
        assertThat(new PixelShuffle(3).toString()).isEqualTo("PixelShuffle(upscale_factor=3)");
    }

    @Test
    void gradientsAreThePermutationBack() {
        Tensor x = Tensor.empty(DType.FLOAT32, 2, 8, 3, 2).normal_(0, 1, new Generator(3)).requiresGrad(true);
        Tensor g = Tensor.empty(DType.FLOAT32, 2, 2, 6, 4).normal_(0, 1, new Generator(4));
        F.pixelShuffle(x, 2).backward(g, false);
        assertThat(x.grad().valueEquals(F.pixelUnshuffle(g, 2))).isTrue();
        Tensor z = Tensor.empty(DType.FLOAT32, 1, 2, 4, 6).normal_(0, 1, new Generator(5)).requiresGrad(true);
        Tensor gz = Tensor.empty(DType.FLOAT32, 1, 8, 2, 3).normal_(0, 1, new Generator(6));
        F.pixelUnshuffle(z, 2).backward(gz, false);
        assertThat(z.grad().valueEquals(F.pixelShuffle(gz, 2))).isTrue();
    }

    @Test
    void sameValuesAndMessagesAsTorch() {
        Torch.require();
        String py = String.join("\n",
                "import torch, torch.nn.functional as F",
                "x = torch.arange(2*8*2*3, dtype=torch.float32).reshape(2, 8, 2, 3)",
                "print(' '.join(str(int(v)) for v in F.pixel_shuffle(x, 2).flatten().tolist()))",
                "print(' '.join(str(int(v)) for v in F.pixel_unshuffle(x, 2 if False else 1).flatten().tolist()[:4]))",
                "y = torch.arange(1*2*4*6, dtype=torch.float32).reshape(1, 2, 4, 6)",
                "print(' '.join(str(int(v)) for v in F.pixel_unshuffle(y, 2).flatten().tolist()))");
        String[] lines = Torch.run(py).strip().split("\n");
        Tensor x = arange(2, 8, 2, 3);
        assertThat(ints(F.pixelShuffle(x, 2))).isEqualTo(lines[0]);
        assertThat(ints(F.pixelUnshuffle(arange(1, 2, 4, 6), 2))).isEqualTo(lines[2]);
        assertThatThrownBy(() -> F.pixelShuffle(Tensor.zeros(DType.FLOAT32, 1, 5, 2, 2), 2)).hasMessage("pixel_shuffle expects its "
                + "input's 'channel' dimension to be divisible by the square of upscale_factor, but input.size(-3)=5 is not divisible by 4");
        assertThatThrownBy(() -> F.pixelShuffle(Tensor.zeros(DType.FLOAT32, 5, 2), 2))
                .hasMessage("pixel_shuffle expects input to have at least 3 dimensions, but got input with 2 dimension(s)");
        assertThatThrownBy(() -> F.pixelUnshuffle(Tensor.zeros(DType.FLOAT32, 1, 1, 5, 4), 2)).hasMessage(
                "pixel_unshuffle expects height to be divisible by downscale_factor, but input.size(-2)=5 is not divisible by 2");
        assertThatThrownBy(() -> F.pixelUnshuffle(Tensor.zeros(DType.FLOAT32, 1, 1, 4, 5), 2)).hasMessage(
                "pixel_unshuffle expects width to be divisible by downscale_factor, but input.size(-1)=5 is not divisible by 2");
        assertThatThrownBy(() -> F.pixelShuffle(Tensor.zeros(DType.FLOAT32, 1, 4, 2, 2), 0))
                .hasMessage("pixel_shuffle expects a positive upscale_factor, but got 0");
    }

    static Tensor arange(int... shape) {
        int n = 1;
        for (int s : shape) n *= s;
        float[] v = new float[n];
        for (int i = 0; i < n; i++) v[i] = i;
        return Tensor.of(v, shape);
    }

    static String ints(Tensor t) {
        StringBuilder sb = new StringBuilder();
        for (double v : t.contiguous().toDoubleArray()) sb.append(sb.length() == 0 ? "" : " ").append((int) v);
        return sb.toString();
    }
}
