package org.convinit.optim;

import java.util.List;
import java.util.Map;
import java.util.Set;

import org.convinit.nn.Parameter;
import org.convinit.tensor.Tensor;

/**
 * Stochastic gradient descent with optional momentum, dampening, Nesterov momentum, L2 weight decay and
 * maximization ({@code torch.optim.SGD}), exactly as torch 1.13's {@code _single_tensor_sgd}:
 *
 * <pre>
 * g = maximize ? -grad : grad
 * if weight_decay != 0:  g = g + weight_decay * p
 * if momentum != 0:
 *     b = g                                  (first step: state momentum_buffer)
 *     b = momentum * b + (1 - dampening) * g (later steps)
 *     g = nesterov ? g + momentum * b : b
 * p = p - lr * g
 * </pre>
 *
 * Each line is one float32 tensor operation with its scalar rounded to float32; {@code a + s * b} is a
 * fused multiply-add, as in torch's AVX2 {@code add} kernel.
 */
public final class SGD extends Optimizer<SGD.Options> {

    /** SGD hyperparameters; {@code lr} has no default in torch. */
    public record Options(double lr, double momentum, double dampening, double weightDecay, boolean nesterov, boolean maximize)
            implements OptimizerOptions<Options> {

        @Override
        public Options lr(double lr) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options momentum(double momentum) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options dampening(double dampening) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options weightDecay(double weightDecay) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options nesterov(boolean nesterov) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        public Options maximize(boolean maximize) {
            return new Options(lr, momentum, dampening, weightDecay, nesterov, maximize);
        }

        /** torch's checks, in torch's order and words. */
        @Override
        public void validate() {
            if (lr < 0.0) throw new IllegalArgumentException("Invalid learning rate: " + PyFloat.repr(lr));
            if (momentum < 0.0) throw new IllegalArgumentException("Invalid momentum value: " + PyFloat.repr(momentum));
            if (weightDecay < 0.0) throw new IllegalArgumentException("Invalid weight_decay value: " + PyFloat.repr(weightDecay));
            if (nesterov && (momentum <= 0 || dampening != 0)) {
                throw new IllegalArgumentException("Nesterov momentum requires a momentum and zero dampening");
            }
        }
    }

    /** torch's defaults for a learning rate: no momentum, dampening or weight decay. */
    public static Options options(double lr) {
        return new Options(lr, 0, 0, 0, false, false);
    }

    public SGD(List<Parameter> params, Options options) {
        super(oneGroup(params, options));
    }

    public SGD(List<ParamGroup<Options>> groups) {
        super(groups);
    }

    @Override
    void update(F32 param, F32 grad, Options o, Map<String, Tensor> state, Parameter p) {
        boolean first = o.momentum() != 0 && !state.containsKey("momentum_buffer");
        Tensor buf = buffer(o, state, p);
        UpdateKernels.Sgd s = new UpdateKernels.Sgd((float) o.weightDecay(), (float) o.momentum(), (float) (1 - o.dampening()),
                (float) -o.lr(), o.maximize(), o.weightDecay() != 0, o.nesterov());
        UpdateKernels.sgd(param.a, param.off, grad.a, grad.off, buf == null ? null : buf.storage().floats(), first, param.n, s);
    }

    @Override
    void update(F64 param, F64 grad, Options o, Map<String, Tensor> state, Parameter p) {
        boolean first = o.momentum() != 0 && !state.containsKey("momentum_buffer");
        Tensor buf = buffer(o, state, p);
        UpdateKernels.sgd64(param.a, param.off, grad.a, grad.off, buf == null ? null : buf.storage().doubles(), first, param.n, o);
    }

    /** The momentum buffer (null without momentum); created as zeros on the first step, which the kernel fills with the gradient. */
    private static Tensor buffer(Options o, Map<String, Tensor> state, Parameter p) {
        if (o.momentum() == 0) return null;
        return state.computeIfAbsent("momentum_buffer", k -> Optimizer.zerosLike(p));
    }

    @Override
    Set<String> stateNames() {
        return Set.of("momentum_buffer");
    }
}
