package org.convinit.autograd;

import java.util.List;

import org.convinit.tensor.Tensor;

/**
 * One recorded operation of the autograd graph ({@code grad_fn} in torch): its inputs, the tensors it
 * saved for backward (checked against in-place changes by version), and its local derivative.
 */
public final class Node {
    private final String name;
    private static final Tensor[] NONE = new Tensor[0];
    private Tensor[] inputs;
    private Tensor[] saved;
    private final long[] savedVersions;
    private Backward backward;
    /** The forward scope this node was recorded in ({@link ActivationBuffers}), or null. */
    private final ActivationBuffers.Group group;

    Node(String name, Tensor[] inputs, Tensor[] saved, Backward backward) {
        this.name = name;
        this.inputs = inputs.clone();
        this.saved = saved.clone();
        this.savedVersions = new long[saved.length];
        for (int i = 0; i < saved.length; i++) savedVersions[i] = saved[i].storage().version();
        this.backward = backward;
        this.group = ActivationBuffers.joining();
    }

    /** torch's name for this node, e.g. {@code MulBackward0}. */
    public String name() {
        return name;
    }

    /**
     * The op's inputs, in order (those not requiring grad included); empty once a backward without
     * retainGraph has freed this node. Once shown, the arrays of the forward that recorded this node are never
     * reused ({@link ActivationBuffers}).
     */
    public List<Tensor> inputs() {
        if (group != null) group.expose();
        return List.of(inputs);
    }

    Tensor input(int i) {
        return inputs[i];
    }

    int inputCount() {
        return inputs.length;
    }

    /** Runs the local derivative: gradients with respect to each input (null where not needed). */
    Tensor[] apply(Tensor gradOutput) {
        if (backward == null) {
            throw new IllegalStateException("Trying to backward through the graph a second time (or directly access saved "
                    + "tensors after they have already been freed). Saved intermediate values of the graph are freed when you "
                    + "call .backward(). Specify retainGraph=true if you need to backward through the graph a second time.");
        }
        for (int i = 0; i < saved.length; i++) {
            long now = saved[i].storage().version();
            if (now != savedVersions[i]) {
                throw new IllegalStateException("one of the variables needed for gradient computation has been modified by "
                        + "an inplace operation: [" + saved[i].dtype() + " " + saved[i].shape() + "], which is saved by "
                        + name + "; is at version " + now + "; expected version " + savedVersions[i] + " instead.");
            }
        }
        return backward.apply(gradOutput);
    }

    /**
     * Frees the saved state after a backward without retainGraph, as torch frees saved variables: the
     * derivative (and what it captured), the saved tensors and the inputs, so a step's activations become
     * garbage during its backward and are not reachable through the loss tensor afterwards. Running this node
     * again throws; the graph behind it is no longer walked.
     */
    void release() {
        if (backward == null) return;
        backward = null;
        saved = NONE;
        inputs = NONE;
        if (group != null) group.released();
    }

    @Override
    public String toString() {
        return "<" + name + ">";
    }
}
