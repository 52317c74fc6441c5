package org.convinit.nn.functional;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.GradMode;
import org.convinit.random.Generator;
import org.convinit.tensor.DType;
import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/** The graph pieces of torchvision's models: {@code torch.cat}, channel shuffle, stochastic depth. */
final class Structure {
    private Structure() {}

    /** {@code torch.cat(tensors, dim)}; backward: each input's slice of the gradient. */
    static Tensor cat(int dim, Tensor... tensors) {
        if (tensors.length == 0) throw new IllegalArgumentException("torch.cat(): expected a non-empty list of Tensors");
        Tensor first = tensors[0];
        int rank = first.dim();
        int d = Shape.normalizeDim(dim, rank);
        int total = 0;
        for (int i = 0; i < tensors.length; i++) {
            Tensor t = tensors[i];
            if (t.dim() != rank || t.dtype() != first.dtype()) {
                throw new IllegalArgumentException("torch.cat(): tensor 0 is " + first.shape() + " " + first.dtype().torchName()
                        + " but tensor " + i + " is " + t.shape() + " " + t.dtype().torchName());
            }
            for (int k = 0; k < rank; k++) {
                if (k != d && t.size(k) != first.size(k)) {
                    throw new IllegalArgumentException("torch.cat(): Sizes of tensors must match except in dimension " + d
                            + ". Expected size " + first.size(k) + " but got size " + t.size(k) + " for tensor number " + i
                            + " in the list (" + first.shape() + " vs " + t.shape() + ")");
                }
            }
            total += t.size(d);
        }
        int[] shape = first.shape().toArray();
        shape[d] = total;
        Tensor out = Tensor.empty(first.dtype(), shape);
        int[] starts = new int[tensors.length];
        try (var g = GradMode.noGrad()) {
            int off = 0;
            for (int i = 0; i < tensors.length; i++) {
                starts[i] = off;
                int len = tensors[i].size(d);
                if (len > 0) out.narrow(d, off, len).copy_(tensors[i]);
                off += len;
            }
        }
        return Autograd.record(out, "CatBackward0", tensors.clone(), new Tensor[0], g -> {
            Tensor[] grads = new Tensor[tensors.length];
            for (int i = 0; i < tensors.length; i++) grads[i] = g.narrow(d, starts[i], tensors[i].size(d)).contiguous();
            return grads;
        });
    }

    /** torchvision's {@code channel_shuffle}: {@code [N, g·c, H, W]} viewed as {@code [N, g, c, H, W]}, g and c swapped. */
    static Tensor channelShuffle(Tensor input, int groups) {
        if (input.dim() < 3) {
            throw new IllegalArgumentException("channel_shuffle: expected an input of at least 3 dims [N, C, *], got " + input.shape());
        }
        int c = input.size(1);
        if (groups <= 0 || c % groups != 0) {
            throw new IllegalArgumentException("channel_shuffle: groups=" + groups + " must be positive and divide the "
                    + c + " channels of input " + input.shape());
        }
        int[] s = input.shape().toArray();
        int[] split = new int[s.length + 1];
        split[0] = s[0];
        split[1] = groups;
        split[2] = c / groups;
        System.arraycopy(s, 2, split, 3, s.length - 2);
        return input.reshape(split).transpose(1, 2).contiguous().reshape(s);
    }

    /**
     * torchvision's {@code stochastic_depth(input, p, mode, training)}: in training each row ({@code "row"}) or the
     * whole batch ({@code "batch"}) is kept with probability {@code 1-p} and scaled by {@code 1/(1-p)}; the noise
     * {@code [N, 1, ...]} or {@code [1, ...]} is drawn as {@code empty(size).bernoulli_(1-p)} then {@code div_(1-p)}.
     */
    static Tensor stochasticDepth(Tensor input, double p, String mode, boolean training, Generator generator) {
        if (!(p >= 0 && p <= 1)) throw new IllegalArgumentException("drop probability has to be between 0 and 1, but got " + p);
        if (!"row".equals(mode) && !"batch".equals(mode)) {
            throw new IllegalArgumentException("mode has to be either 'batch' or 'row', but got " + mode);
        }
        if (!training || p == 0) return input;
        double q = 1 - p;
        int[] size = new int[input.dim()];
        java.util.Arrays.fill(size, 1);
        if (mode.equals("row")) size[0] = input.size(0);
        boolean f32 = input.dtype() == DType.FLOAT32;
        double scale = q > 0 ? (f32 ? (double) (1.0f / (float) q) : 1 / q) : 1;
        Generator g = Generator.orDefault(generator);
        double[] v = new double[mode.equals("row") ? input.size(0) : 1];
        synchronized (g) {
            for (int i = 0; i < v.length; i++) {
                double u = (g.random64() & ((1L << 53) - 1)) * 0x1p-53;
                v[i] = u < q ? scale : 0;
            }
        }
        return input.mul(Tensor.of(v, size).to(input.dtype()));
    }
}
