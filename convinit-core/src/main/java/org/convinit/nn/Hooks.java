package org.convinit.nn;

import org.convinit.tensor.Tensor;

/**
 * The hook types of {@link Module}, as torch's {@code register_forward_pre_hook}, {@code register_forward_hook}
 * and {@code register_full_backward_hook}, for modules of one input and one output. They run only when the
 * module is run through {@link Module#call(Tensor)} (torch's {@code module(x)}), never through a direct
 * {@code forward} call (as in torch). A hook that returns {@code null} leaves the value as it was; a tensor
 * replaces it.
 */
public final class Hooks {
    private Hooks() {}

    /** {@code hook(module, input) -> None or a modified input}, run before {@code forward}. */
    @FunctionalInterface
    public interface ForwardPreHook {
        Tensor apply(Module module, Tensor input);
    }

    /** {@code hook(module, input, output) -> None or a modified output}, run after {@code forward}. */
    @FunctionalInterface
    public interface ForwardHook {
        Tensor apply(Module module, Tensor input, Tensor output);
    }

    /**
     * {@code hook(module, grad_input, grad_output) -> None or a new grad_input}, run during backward once the
     * gradient with respect to the module's input is computed. {@code gradInput} is {@code null} when the input
     * does not require grad (torch passes {@code (None,)}); the hook then runs as soon as {@code gradOutput} is
     * known, and what it returns is ignored. The gradients must not be changed in place.
     */
    @FunctionalInterface
    public interface BackwardHook {
        Tensor apply(Module module, Tensor gradInput, Tensor gradOutput);
    }
}
