package org.convinit.autograd;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;

import org.convinit.tensor.Shape;
import org.convinit.tensor.Tensor;

/**
 * Reverse-mode automatic differentiation over a dynamic graph, as torch.autograd: operations run
 * with grad enabled on inputs that require grad record a {@link Node}; {@link #backward} walks the
 * graph in reverse topological order (iteratively — deep nets do not overflow the stack) and
 * accumulates ({@code +=}) gradients into the {@code grad} of leaves. Intermediate gradients may live in arrays the
 * engine reuses from pass to pass ({@link GradBuffers}): a backward function that keeps its {@code gradOutput}
 * after it returns must copy it or call {@link GradBuffers#keepThisPass()}.
 *
 * <p>Differentiable operations, in the core or in layers, call {@link #record} with their local derivative:
 *
 * <pre>{@code
 * Tensor out = compute(x, w);
 * return Autograd.record(out, "MyOpBackward", new Tensor[] {x, w}, new Tensor[] {x, w},
 *         g -> new Tensor[] {gradX(g, w), gradW(g, x)});
 * }</pre>
 */
public final class Autograd {
    private Autograd() {}

    /**
     * Attaches a node to {@code out} when grad is enabled and some input requires grad; otherwise
     * returns {@code out} untouched. {@code saved} are the tensors the backward reads (checked for
     * in-place changes when it runs).
     */
    public static Tensor record(Tensor out, String name, Tensor[] inputs, Tensor[] saved, Backward backward) {
        if (!GradMode.isEnabled()) return out;
        boolean any = false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) any = true;
        if (!any) return out;
        return out.attachGradFn(new Node(name, inputs, saved, backward));
    }

    /** Whether a graph would be recorded for these inputs now. */
    public static boolean isRecording(Tensor... inputs) {
        if (!GradMode.isEnabled()) return false;
        for (Tensor t : inputs) if (t != null && t.requiresGrad()) return true;
        return false;
    }

    /** {@code grad} summed over broadcast dims down to {@code shape} (the adjoint of expand). */
    public static Tensor sumToShape(Tensor grad, Shape shape) {
        if (grad.shape().equals(shape)) return grad;
        Tensor g = grad;
        int lead = g.dim() - shape.rank();
        for (int i = 0; i < lead; i++) g = g.sum(0, false);
        for (int d = 0; d < shape.rank(); d++) {
            if (shape.get(d) == 1 && g.size(d) != 1) g = g.sum(d, true);
        }
        return g;
    }

    /**
     * Backpropagates from {@code root}: with {@code gradient} null, root must hold one element and the
     * seed gradient is 1. Frees the graph unless {@code retainGraph}.
     */
    public static void backward(Tensor root, Tensor gradient, boolean retainGraph) {
        if (!root.requiresGrad()) {
            throw new IllegalStateException("element 0 of tensors does not require grad and does not have a grad_fn");
        }
        Tensor seed;
        if (gradient == null) {
            if (root.numel() != 1) {
                throw new IllegalArgumentException("grad can be implicitly created only for scalar outputs (got shape "
                        + root.shape() + "); pass an explicit gradient");
            }
            seed = Tensor.ones(root.dtype(), root.shape().toArray());
        } else {
            if (!gradient.shape().equals(root.shape())) {
                throw new IllegalArgumentException("Mismatch in shape: grad_output[0] has a shape of " + gradient.shape()
                        + " and output[0] has a shape of " + root.shape() + ".");
            }
            seed = gradient.to(root.dtype());
        }
        GradBuffers.begin();
        try (var g = GradMode.noGrad()) {
            if (root.gradFn() == null) {
                GradAccumulator.accumulate(root, seed);
                return;
            }
            List<Node> order = topologicalOrder(root.gradFn());
            Map<Node, Tensor> grads = new IdentityHashMap<>();
            grads.put(root.gradFn(), seed);
            for (Node node : order) {
                Tensor gOut = grads.remove(node);
                if (gOut == null) continue;
                Tensor[] gIn = node.apply(gOut);
                for (int i = 0; i < node.inputCount(); i++) {
                    Tensor in = node.input(i);
                    if (in == null || !in.requiresGrad() || gIn[i] == null) continue;
                    Tensor gi = sumToShape(gIn[i], in.shape());
                    if (gi.dtype() != in.dtype()) gi = gi.to(in.dtype());
                    if (in.gradFn() == null) {
                        GradAccumulator.accumulate(in, gi);
                    } else {
                        Tensor prev = grads.get(in.gradFn());
                        grads.put(in.gradFn(), prev == null ? gi : prev.add(gi));
                    }
                }
                if (!retainGraph) node.release();
            }
        } finally {
            GradBuffers.end();
        }
    }

    /** Nodes reachable from {@code root}, each after every node that feeds gradient into it. */
    private static List<Node> topologicalOrder(Node root) {
        // iterative post-order DFS, then reversed
        List<Node> post = new ArrayList<>();
        Map<Node, Boolean> visited = new IdentityHashMap<>();
        ArrayDeque<Object[]> stack = new ArrayDeque<>();
        stack.push(new Object[] {root, 0});
        visited.put(root, Boolean.TRUE);
        while (!stack.isEmpty()) {
            Object[] top = stack.peek();
            Node n = (Node) top[0];
            int i = (Integer) top[1];
            if (i < n.inputCount()) {
                top[1] = i + 1;
                Tensor in = n.input(i);
                Node child = in == null ? null : in.gradFn();
                if (child != null && !visited.containsKey(child)) {
                    visited.put(child, Boolean.TRUE);
                    stack.push(new Object[] {child, 0});
                }
            } else {
                stack.pop();
                post.add(n);
            }
        }
        List<Node> order = new ArrayList<>(post.size());
        for (int i = post.size() - 1; i >= 0; i--) order.add(post.get(i));
        return order;
    }
}
