package org.convinit.nn.functional.kernels;

import java.util.function.DoubleBinaryOperator;
import java.util.function.DoubleUnaryOperator;

import org.convinit.autograd.Autograd;
import org.convinit.random.Generator;
import org.convinit.tensor.Tensor;

/**
 * Float32 elementwise layers on the tensor's own storage: ReLU (backward from its output's sign),
 * LeakyReLU, any {@code f} with its derivative (each value computed in double and rounded once), and
 * dropout. Inputs are checked by the caller to be float32.
 */
public final class FastActivations {
    private FastActivations() {}

    /** {@code max(0, x)}; backward {@code dy} where {@code y > 0}, else 0. */
    public static Tensor relu(FloatLayerKernel k, Tensor input) {
        Dense x = Dense.of(input);
        int[] shape = input.shape().toArray();
        Dense y = Dense.alloc(shape);
        k.relu(x.a, x.off, y.a, x.n);
        return Autograd.record(y.tensor, "reluBackward", new Tensor[] {input}, new Tensor[0], g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.alloc(shape);
            k.reluBackward(gy.a, gy.off, y.a, gx.a, x.n);
            return new Tensor[] {gx.tensor};
        });
    }

    /** {@code x > 0 ? x : slope·x} in float; backward {@code dy} or {@code slope·dy}. */
    public static Tensor leakyRelu(FloatLayerKernel k, Tensor input, double negativeSlope) {
        float slope = (float) negativeSlope;
        Dense x = Dense.of(input);
        int[] shape = input.shape().toArray();
        Dense y = Dense.alloc(shape);
        k.leakyRelu(x.a, x.off, slope, y.a, x.n);
        return Autograd.record(y.tensor, "leaky_reluBackward", new Tensor[] {input}, new Tensor[0], g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.alloc(shape);
            k.leakyReluBackward(gy.a, gy.off, x.a, x.off, slope, gx.a, x.n);
            return new Tensor[] {gx.tensor};
        });
    }

    /** {@code f} elementwise, each value in double rounded once; records {@code dx = dy·df(x, y)}. */
    public static Tensor map(String op, Tensor input, DoubleUnaryOperator f, DoubleBinaryOperator df) {
        Dense x = Dense.of(input);
        int n = x.n;
        int[] shape = input.shape().toArray();
        Dense y = Dense.alloc(shape);
        LayerKernels.forEach(chunks(n), n * 8L, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) y.a[i] = (float) f.applyAsDouble(x.a[x.off + i]);
        });
        return Autograd.record(y.tensor, op + "Backward", new Tensor[] {input}, new Tensor[0], g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.alloc(shape);
            LayerKernels.forEach(chunks(n), n * 8L, c -> {
                for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) {
                    gx.a[i] = (float) (gy.a[gy.off + i] * df.applyAsDouble(x.a[x.off + i], y.a[i]));
                }
            });
            return new Tensor[] {gx.tensor};
        });
    }

    private static final int CHUNK = 1 << 14;

    private static int chunks(int n) {
        return (n + CHUNK - 1) / CHUNK;
    }

    /**
     * Dropout in training with {@code 0 < p < 1}: the mask drawn as {@code F.dropout} documents (one
     * {@code random64()} per element in row-major order, kept when its 53-bit uniform is below
     * {@code 1-p}); kept values are multiplied in float by {@code (float) (1 / (float) (1-p))}, dropped ones by 0.
     */
    public static Tensor dropout(Tensor input, double p, Generator generator) {
        Dense x = Dense.of(input);
        int n = x.n;
        int[] shape = input.shape().toArray();
        Dense y = Dense.alloc(shape);
        boolean[] keep = new boolean[n];
        double q = 1 - p;
        float scale = 1.0f / (float) q;
        Generator g = Generator.orDefault(generator);
        synchronized (g) {
            for (int i = 0; i < n; i++) keep[i] = (g.random64() & ((1L << 53) - 1)) * 0x1p-53 < q;
        }
        for (int i = 0; i < n; i++) y.a[i] = x.a[x.off + i] * (keep[i] ? scale : 0f);
        return Autograd.record(y.tensor, "MulBackward0", new Tensor[] {input}, new Tensor[0], gOut -> {
            Dense gy = Dense.of(gOut);
            Dense gx = Dense.alloc(shape);
            for (int i = 0; i < n; i++) gx.a[i] = gy.a[gy.off + i] * (keep[i] ? scale : 0f);
            return new Tensor[] {gx.tensor};
        });
    }
}
