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

    /** {@code max(0, x)}; backward {@code dy} where {@code y > 0}, else 0; in place as {@code relu_} when asked. */
    public static Tensor relu(FloatLayerKernel k, Tensor input, boolean inplace) {
        return fromResult(input, inplace, "relu", "ReluBackward0", k::relu, k::reluBackward);
    }

    /** An elementwise float32 map {@code y[yOff + i] = f(x[xOff + i])}; {@code y} may be {@code x}. */
    @FunctionalInterface
    public interface Map {
        void apply(float[] x, int xOff, float[] y, int yOff, int n);
    }

    /** A backward from the result: {@code gx[gxOff + i]} from {@code gy[gOff + i]} and {@code y[yOff + i]}. */
    @FunctionalInterface
    public interface FromResult {
        void apply(float[] gy, int gOff, float[] y, int yOff, float[] gx, int gxOff, int n);
    }

    /**
     * {@code f} elementwise, in chunks over the pool, with a backward that reads only the result (ReLU, hardtanh).
     * In place ({@code inplace}, torch's {@code op_}): the result overwrites the input's storage (a non-contiguous
     * input is computed on a contiguous copy and copied back) and the input itself is returned; when a graph is
     * recorded its history moves to an alias of the storage, the node's input, as torch's {@code rebase_history}.
     */
    public static Tensor fromResult(Tensor input, boolean inplace, String op, String node, Map f, FromResult df) {
        int[] shape = input.shape().toArray();
        Tensor prev = inplace ? input.rebaseForInPlace(op + "_") : input;
        Dense x = Dense.of(input);
        Dense y = inplace ? x : Dense.alloc(shape);
        int n = x.n;
        LayerKernels.forEach(chunks(n), n, c -> {
            int i = c * CHUNK;
            f.apply(x.a, x.off + i, y.a, y.off + i, Math.min(CHUNK, n - i));
        });
        Tensor out = y.tensor;
        if (inplace) {
            if (x.tensor.storage() != input.storage()) input.copy_(x.tensor);
            out = input;
        }
        return Autograd.record(out, node, new Tensor[] {prev}, new Tensor[] {out}, g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.grad(shape);
            LayerKernels.forEach(chunks(n), n, c -> {
                int i = c * CHUNK;
                df.apply(gy.a, gy.off + i, y.a, y.off + i, gx.a, i, Math.min(CHUNK, n - i));
            });
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
            Dense gx = Dense.grad(shape);
            k.leakyReluBackward(gy.a, gy.off, x.a, x.off, slope, gx.a, x.n);
            return new Tensor[] {gx.tensor};
        });
    }

    /** {@code f} elementwise, each value in double rounded once; records {@code dx = dy·df(x, y)}. */
    public static Tensor map(String op, Tensor input, DoubleUnaryOperator f, DoubleBinaryOperator df) {
        return map(op, input, false, f, df);
    }

    /**
     * {@link #map(String, Tensor, DoubleUnaryOperator, DoubleBinaryOperator)}, or with {@code inplace} (only where no
     * graph is recorded: the backward reads the input) over the input's storage, returning the input.
     */
    public static Tensor map(String op, Tensor input, boolean inplace, DoubleUnaryOperator f, DoubleBinaryOperator df) {
        if (inplace) input.rebaseForInPlace(op + "_"); // the checks of an in-place op; nothing is recorded
        Dense x = Dense.of(input);
        int n = x.n;
        int[] shape = input.shape().toArray();
        Dense y = inplace ? x : Dense.alloc(shape);
        LayerKernels.forEach(chunks(n), n * 8L, c -> {
            for (int i = c * CHUNK, end = Math.min(n, i + CHUNK); i < end; i++) y.a[y.off + i] = (float) f.applyAsDouble(x.a[x.off + i]);
        });
        if (inplace) return x.tensor.storage() == input.storage() ? input : input.copy_(x.tensor);
        return Autograd.record(y.tensor, op + "Backward", new Tensor[] {input}, new Tensor[0], g -> {
            Dense gy = Dense.of(g);
            Dense gx = Dense.grad(shape);
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
            Dense gx = Dense.grad(shape);
            for (int i = 0; i < n; i++) gx.a[i] = gy.a[gy.off + i] * (keep[i] ? scale : 0f);
            return new Tensor[] {gx.tensor};
        });
    }
}
