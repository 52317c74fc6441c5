package org.convinit.tensor;

import org.convinit.autograd.Autograd;
import org.convinit.autograd.Backward;

/**
 * The differentiable arithmetic and reductions behind {@link Tensor}'s methods: each forward
 * ({@link TensorMath}) recorded with its local derivative beside it. The engine sums broadcast
 * gradients back down to each input's shape.
 */
final class TensorOps {
    private static final Tensor[] NONE = new Tensor[0];

    private TensorOps() {}

    /** Records {@code out = op(x)} whose backward needs only the output gradient. */
    static Tensor unary(Tensor x, Tensor out, String name, Backward backward) {
        return Autograd.record(out, name, new Tensor[] {x}, NONE, backward);
    }

    static Tensor binary(Tensor a, Tensor b, TensorMath.Op op) {
        Tensor out = TensorMath.binary(a, b, op);
        Tensor[] in = {a, b};
        switch (op) {
            case ADD: return Autograd.record(out, "AddBackward0", in, NONE, g -> new Tensor[] {g, g});
            case SUB: return Autograd.record(out, "SubBackward0", in, NONE, g -> new Tensor[] {g, g.neg()});
            // d(xy) = y dx + x dy
            case MUL: return Autograd.record(out, "MulBackward0", in, in, g -> new Tensor[] {g.mul(b), g.mul(a)});
            // d(x/y) = dx / y - x dy / y²
            case DIV: return Autograd.record(out, "DivBackward0", in, in,
                    g -> new Tensor[] {g.div(b), g.mul(a).div(b.mul(b)).neg()});
            default: throw new IllegalArgumentException("binary op " + op + " on two tensors is not differentiable here");
        }
    }

    static Tensor scalar(Tensor x, double v, TensorMath.Op op) {
        Tensor out = TensorMath.binaryScalar(x, v, op);
        switch (op) {
            case ADD: return unary(x, out, "AddBackward1", g -> new Tensor[] {g});
            case SUB: return unary(x, out, "SubBackward1", g -> new Tensor[] {g});
            case MUL: return unary(x, out, "MulBackward1", g -> new Tensor[] {g.mul(v)});
            case DIV: return unary(x, out, "DivBackward1", g -> new Tensor[] {g.div(v)});
            // d(x^e) = e x^(e-1) dx
            case POW: return Autograd.record(out, "PowBackward0", new Tensor[] {x}, new Tensor[] {x},
                    g -> new Tensor[] {v == 0 ? g.mul(0) : g.mul(x.pow(v - 1).mul(v))});
            default: throw new AssertionError(op);
        }
    }

    static Tensor unary(Tensor x, TensorMath.Unary op) {
        Tensor out = TensorMath.unary(x, op);
        Tensor[] in = {x};
        switch (op) {
            case NEG: return unary(x, out, "NegBackward0", g -> new Tensor[] {g.neg()});
            // d|x| = sign(x) dx (0 at 0, as torch)
            case ABS: return Autograd.record(out, "AbsBackward0", in, in,
                    g -> new Tensor[] {g.mul(TensorMath.unary(x, TensorMath.Unary.SIGN))});
            // d(e^x) = e^x dx
            case EXP: return Autograd.record(out, "ExpBackward0", in, new Tensor[] {out},
                    g -> new Tensor[] {g.mul(out.detach())});
            // d(ln x) = dx / x
            case LOG: return Autograd.record(out, "LogBackward0", in, in, g -> new Tensor[] {g.div(x)});
            // d(√x) = dx / (2√x)
            case SQRT: return Autograd.record(out, "SqrtBackward0", in, new Tensor[] {out},
                    g -> new Tensor[] {g.div(out.detach().mul(2))});
            default: throw new IllegalArgumentException("unary op " + op + " is not differentiable here");
        }
    }

    static Tensor sum(Tensor x) {
        int[] in = x.layout.sizes();
        return unary(x, TensorMath.reduceAll(x, TensorMath.Reduce.SUM, false), "SumBackward0",
                g -> new Tensor[] {g.expand(in)});
    }

    static Tensor mean(Tensor x) {
        int[] in = x.layout.sizes();
        long n = x.numel();
        return unary(x, TensorMath.reduceAll(x, TensorMath.Reduce.MEAN, false), "MeanBackward0",
                g -> new Tensor[] {g.div(n).expand(in)});
    }

    /** d var = 2 (x - mean) / (n - c), c = 1 if unbiased (Bessel). */
    static Tensor var(Tensor x, boolean unbiased) {
        Tensor out = TensorMath.reduceAll(x, TensorMath.Reduce.VAR, unbiased);
        long dof = x.numel() - (unbiased ? 1 : 0);
        return Autograd.record(out, "VarBackward0", new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {g.mul(x.sub(x.mean()).mul(2.0 / dof))});
    }

    /** d std = d var / (2 std). */
    static Tensor std(Tensor x, boolean unbiased) {
        Tensor out = TensorMath.reduceAll(x, TensorMath.Reduce.STD, unbiased);
        long dof = x.numel() - (unbiased ? 1 : 0);
        return Autograd.record(out, "StdBackward0", new Tensor[] {x}, new Tensor[] {x, out},
                g -> new Tensor[] {g.mul(x.sub(x.mean()).div(out.detach().mul(dof)))});
    }

    /** min or max of all elements; the gradient is shared evenly among tied extrema, as torch's amin/amax. */
    static Tensor extremum(Tensor x, TensorMath.Reduce r) {
        Tensor out = TensorMath.reduceAll(x, r, false);
        String name = r == TensorMath.Reduce.MIN ? "MinBackward1" : "MaxBackward1";
        return Autograd.record(out, name, new Tensor[] {x}, new Tensor[] {x, out}, g -> {
            Tensor mask = TensorMath.equalMask(x, out.detach());
            return new Tensor[] {mask.mul(g.div(mask.sum()))};
        });
    }

    /** A reduced gradient (or output) given back its reduced dim, for broadcasting against the input. */
    private static Tensor keep(Tensor g, int d, boolean keepdim, int rank) {
        return keepdim || rank == 0 ? g : g.unsqueeze(d);
    }

    private static int reducedDim(Tensor x, int dim) {
        return Shape.normalizeDim(dim, Math.max(x.dim(), 1));
    }

    static Tensor sum(Tensor x, int dim, boolean keepdim) {
        int[] in = x.layout.sizes();
        int d = reducedDim(x, dim);
        return unary(x, TensorMath.reduceDim(x, dim, keepdim, TensorMath.Reduce.SUM, false), "SumBackward1",
                g -> new Tensor[] {keep(g, d, keepdim, in.length).expand(in)});
    }

    static Tensor mean(Tensor x, int dim, boolean keepdim) {
        int[] in = x.layout.sizes();
        int d = reducedDim(x, dim);
        int n = in.length == 0 ? 1 : in[d];
        return unary(x, TensorMath.reduceDim(x, dim, keepdim, TensorMath.Reduce.MEAN, false), "MeanBackward1",
                g -> new Tensor[] {keep(g, d, keepdim, in.length).div(n).expand(in)});
    }

    static Tensor var(Tensor x, int dim, boolean unbiased, boolean keepdim) {
        Tensor out = TensorMath.reduceDim(x, dim, keepdim, TensorMath.Reduce.VAR, unbiased);
        int d = reducedDim(x, dim);
        int rank = x.dim();
        int dof = (rank == 0 ? 1 : x.size(d)) - (unbiased ? 1 : 0);
        return Autograd.record(out, "VarBackward1", new Tensor[] {x}, new Tensor[] {x},
                g -> new Tensor[] {keep(g, d, keepdim, rank).mul(x.sub(x.mean(d, true)).mul(2.0 / dof))});
    }

    /** amin/amax over a dim; the gradient is shared evenly among tied extrema. */
    static Tensor extremum(Tensor x, int dim, boolean keepdim, TensorMath.Reduce r) {
        Tensor out = TensorMath.reduceDim(x, dim, keepdim, r, false);
        String name = r == TensorMath.Reduce.MIN ? "AminBackward0" : "AmaxBackward0";
        int d = reducedDim(x, dim);
        int rank = x.dim();
        return Autograd.record(out, name, new Tensor[] {x}, new Tensor[] {x, out}, g -> {
            Tensor mask = TensorMath.equalMask(x, keep(out.detach(), d, keepdim, rank));
            return new Tensor[] {mask.mul(keep(g, d, keepdim, rank).div(mask.sum(d, true)))};
        });
    }

    /** d(AB) = dC Bᵀ, Aᵀ dC. */
    static Tensor matmul(Tensor a, Tensor b) {
        return Autograd.record(TensorMath.matmul(a, b), "MmBackward0", new Tensor[] {a, b},
                new Tensor[] {a, b}, g -> new Tensor[] {g.matmul(b.t()), a.t().matmul(g)});
    }
}
