package org.convinit.bench;

import java.util.Random;

import org.convinit.nn.functional.ConvKernels;
import org.convinit.nn.functional.F;
import org.convinit.tensor.DType;
import org.convinit.tensor.Tensor;

/**
 * The benchmarked convolutions (float32), the same list as tools/bench/conv_vs_torch.py. Each has
 * a name, its operand shapes and its flop count (2 per multiply-add).
 */
public enum ConvShape {
    /** ResNet stage-1 3×3. */
    C64_56_K3(false, 8, 64, 56, 56, 64, 3, 1, 1, 1),
    /** ResNet stem 7×7 stride 2. */
    C3_224_K7S2(false, 8, 3, 224, 224, 64, 7, 2, 3, 1),
    /** ResNet stage-4 3×3 (deep, small spatial). */
    C256_14_K3(false, 8, 256, 14, 14, 256, 3, 1, 1, 1),
    /** MNIST-sized first layer. */
    C1_28_K3(false, 32, 1, 28, 28, 32, 3, 1, 1, 1),
    /** MNIST-sized second layer (after a 2×2 pool). */
    C32_14_K3(false, 32, 32, 14, 14, 64, 3, 1, 1, 1),
    /** MobileNet-style depthwise 3×3. */
    DW128_56_K3(false, 8, 128, 56, 56, 128, 3, 1, 1, 128),
    /** MobileNetV2 depthwise 3×3 stride 2 (block 4's expansion, 56 → 28). */
    DW144_56_K3S2(false, 8, 144, 56, 56, 144, 3, 2, 1, 144),
    /** MobileNetV2 last-stage depthwise 3×3 on a 7×7 map. */
    DW960_7_K3(false, 8, 960, 7, 7, 960, 3, 1, 1, 960),
    /** EfficientNet-B0 / MobileNetV3 depthwise 5×5. */
    DW240_28_K5(false, 8, 240, 28, 28, 240, 5, 1, 2, 240),
    /** EfficientNet-B0 depthwise 5×5 stride 2 (stage 3's first block, 56 → 28). */
    DW144_56_K5S2(false, 8, 144, 56, 56, 144, 5, 2, 2, 144),
    /** DCGAN-style upsampling ConvTranspose2d k4 s2 p1 (28 → 56). */
    T64_28_K4S2(true, 8, 64, 28, 28, 32, 4, 2, 1, 1);

    public final boolean transposed;
    public final int n, c, h, w, o, k, stride, pad, groups;

    ConvShape(boolean transposed, int n, int c, int h, int w, int o, int k, int stride, int pad, int groups) {
        this.transposed = transposed;
        this.n = n;
        this.c = c;
        this.h = h;
        this.w = w;
        this.o = o;
        this.k = k;
        this.stride = stride;
        this.pad = pad;
        this.groups = groups;
    }

    /** Human-readable description, e.g. {@code N8 C64 56x56 ->64 k3 s1 p1}. */
    public String label() {
        return (transposed ? "T " : "") + "N" + n + " C" + c + " " + h + "x" + w + " ->" + o + " k" + k + " s" + stride + " p" + pad
                + (groups > 1 ? " g" + groups : "");
    }

    public int outH() {
        return transposed ? (h - 1) * stride - 2 * pad + k : (h + 2 * pad - k) / stride + 1;
    }

    public int outW() {
        return transposed ? (w - 1) * stride - 2 * pad + k : (w + 2 * pad - k) / stride + 1;
    }

    /** 2 × multiply-adds. */
    public double flops() {
        if (transposed) return 2.0 * n * c * h * w * (o / groups) * k * k;
        return 2.0 * n * o * outH() * outW() * (c / groups) * k * k;
    }

    /** Operands with fixed-seed values in [-1, 1): input, weight, bias. */
    public Tensor[] operands() {
        Random r = new Random(ordinal() + 1);
        Tensor x = fill(r, Tensor.empty(DType.FLOAT32, n, c, h, w));
        Tensor wt = transposed ? fill(r, Tensor.empty(DType.FLOAT32, c, o / groups, k, k))
                : fill(r, Tensor.empty(DType.FLOAT32, o, c / groups, k, k));
        Tensor b = fill(r, Tensor.empty(DType.FLOAT32, o));
        return new Tensor[] {x, wt, b};
    }

    /** Runs the convolution once through {@link ConvKernels}. */
    public Tensor run(Tensor[] ops) {
        int[] s = {stride, stride};
        int[] p = {pad, pad};
        int[] d = {1, 1};
        if (transposed) return ConvKernels.convTranspose(ops[0], ops[1], ops[2], s, p, new int[] {0, 0}, d, groups);
        return ConvKernels.conv(ops[0], ops[1], ops[2], s, p, p, d, groups);
    }

    /**
     * Backward operands {x, w, y, g}: the {@link #operands()} input and weight requiring grad, the output
     * {@code y} of {@code F.conv2d} (or {@code F.convTranspose2d}) built once with no bias, and a
     * fixed-seed output gradient {@code g} in [-1, 1) of y's shape. Without a bias the backward computes
     * dX and dW only, as torch's {@code autograd.grad(y, (x, w), g)} does (the bias does not change them).
     */
    public Tensor[] backwardOperands() {
        Tensor[] ops = operands();
        Tensor x = ops[0].requiresGrad(true);
        Tensor wt = ops[1].requiresGrad(true);
        int[] s = {stride, stride};
        int[] p = {pad, pad};
        int[] d = {1, 1};
        Tensor y = transposed ? F.convTranspose2d(x, wt, null, s, p, new int[] {0, 0}, groups, d)
                : F.conv2d(x, wt, null, s, p, d, groups);
        Tensor g = fill(new Random(ordinal() + 101), Tensor.empty(DType.FLOAT32, y.shape().toArray()));
        return new Tensor[] {x, wt, y, g};
    }

    /**
     * {dX, dW} of {@link #backwardOperands()} for its output gradient, by {@code y.backward(g, true)}
     * (graph retained, gradients copied into the leaves' {@code grad}), then cleared for the next call.
     */
    public Tensor[] runBackward(Tensor[] ops) {
        ops[2].backward(ops[3], true);
        Tensor[] grads = {ops[0].grad(), ops[1].grad()};
        ops[0].setGrad(null);
        ops[1].setGrad(null);
        return grads;
    }

    private static Tensor fill(Random r, Tensor t) {
        float[] a = t.storage().floats();
        for (int i = 0; i < a.length; i++) a[i] = r.nextFloat() * 2 - 1;
        return t;
    }
}
