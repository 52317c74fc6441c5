package org.convinit.tensor;

import org.convinit.autograd.GradMode;
import org.convinit.autograd.Node;

/**
 * A tensor's autograd state, as torch's {@code AutogradMeta}: {@code requires_grad}, the accumulated
 * {@code grad} and the {@code grad_fn} that produced it, with the rules (and torch's messages) for
 * changing them and for changing the tensor in place.
 */
final class AutogradMeta {
    boolean requiresGrad;
    Tensor grad;
    Node gradFn;

    /** Sets {@code requires_grad} of {@code t}; as in torch, only floating leaves may change it. */
    void setRequiresGrad(Tensor t, boolean requiresGrad) {
        if (requiresGrad && !t.dtype().isFloatingPoint()) {
            throw new IllegalArgumentException("requires_grad=True on a " + t.dtype() + " tensor: "
                    + "only floating point tensors can require gradients");
        }
        if (gradFn != null && requiresGrad != this.requiresGrad) {
            throw new IllegalStateException("you can only change requires_grad flags of leaf variables. If you want to use a "
                    + "computed variable in a subgraph that doesn't require differentiation use detach().");
        }
        this.requiresGrad = requiresGrad;
    }

    void attach(Node node) {
        if (gradFn != null || requiresGrad) {
            throw new IllegalStateException("attachGradFn: tensor already belongs to the autograd graph");
        }
        this.gradFn = node;
        this.requiresGrad = true;
    }

    void setGrad(Tensor t, Tensor grad) {
        if (grad != null && !grad.shape().equals(t.shape())) {
            throw new IllegalArgumentException("grad of shape " + grad.shape() + " for a tensor of shape "
                    + t.shape() + ": expected the same shape");
        }
        this.grad = grad;
    }

    /**
     * Throws where PyTorch raises on an in-place change {@code op} of {@code t}: of a leaf that requires
     * grad, or of a view of one, while grad is enabled. Otherwise bumps the storage's version.
     */
    static void checkInPlace(Tensor t, String op) {
        if (GradMode.isEnabled()) {
            Tensor root = t.viewBase == null ? t : t.viewBase;
            if (root.meta.requiresGrad && root.isLeaf()) {
                String what = root == t ? "a leaf Variable that requires grad"
                        : "a view of a leaf Variable that requires grad";
                throw new IllegalStateException(what + " is being used in an in-place operation (" + op + "). "
                        + "To change a parameter's values, disable grad around the change: "
                        + "try (var g = GradMode.noGrad()) { ... } (in PyTorch: with torch.no_grad(): ...)");
            }
            if (t.meta.requiresGrad) {
                throw new IllegalStateException("in-place operation " + op + " on a tensor that is part of the autograd graph "
                        + "(grad_fn " + t.meta.gradFn + "): convinit does not rewrite graphs in place; use the out-of-place form "
                        + "(e.g. add instead of add_) or detach() first");
            }
        }
        t.storage.bumpVersion();
    }

    /**
     * Torch's {@code rebase_history} for an in-place op {@code op} on {@code t} that records its own node: the
     * checks of {@link #checkInPlace} for leaves and their views, then, when {@code t} is in a recorded graph,
     * a new alias of its storage and layout takes over its history (returned: the node's input) and {@code t}
     * is left without one. Bumps the storage's version. Views of graph tensors are refused (torch rewrites
     * their base's history; convinit does not).
     */
    static Tensor rebase(Tensor t, String op) {
        if (!GradMode.isEnabled() || !t.meta.requiresGrad || t.isLeaf()) {
            checkInPlace(t, op);
            return t;
        }
        if (t.viewBase != null) {
            throw new IllegalStateException("in-place operation " + op + " on a view of a tensor that is part of the autograd graph: "
                    + "convinit does not rewrite a base's history; use the out-of-place form or apply it to the base");
        }
        Tensor alias = new Tensor(t.storage, t.layout, t);
        alias.meta.requiresGrad = true;
        alias.meta.gradFn = t.meta.gradFn;
        t.meta.gradFn = null;
        t.meta.requiresGrad = false;
        t.storage.bumpVersion();
        return alias;
    }

    /** {@code add_}'s extra rule: accumulating a tensor that requires grad would lose its gradient. */
    static void checkAccumulated(Tensor other) {
        if (GradMode.isEnabled() && other.requiresGrad()) {
            throw new IllegalStateException("add_: the argument requires grad; in-place accumulation into a tensor outside the "
                    + "graph would lose its gradient. Use add (out of place) instead");
        }
    }
}
