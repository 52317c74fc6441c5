package org.convinit.autograd;

/**
 * Thread-local grad mode, as {@code torch.no_grad()} / {@code torch.enable_grad()}. Scopes nest and
 * restore the previous mode when closed:
 *
 * <pre>{@code
 * try (var g = GradMode.noGrad()) {
 *     conv.weight().copy_(custom);     // allowed: no graph, no leaf check
 * }
 * }</pre>
 */
public final class GradMode {
    private static final ThreadLocal<boolean[]> ENABLED = ThreadLocal.withInitial(() -> new boolean[] {true});

    private GradMode() {}

    /** Whether operations on this thread record gradients (and leaf in-place checks apply). */
    public static boolean isEnabled() {
        return ENABLED.get()[0];
    }

    /** Disables grad on this thread until the returned scope is closed. */
    public static Scope noGrad() {
        return set(false);
    }

    /** Enables grad on this thread (e.g. inside a no-grad scope) until the returned scope is closed. */
    public static Scope enableGrad() {
        return set(true);
    }

    private static Scope set(boolean enabled) {
        boolean[] cell = ENABLED.get();
        boolean previous = cell[0];
        cell[0] = enabled;
        return new Scope(cell, previous);
    }

    /** A grad-mode scope; closing it restores the mode that was in force when it was opened. */
    public static final class Scope implements AutoCloseable {
        private final boolean[] cell;
        private final boolean previous;
        private boolean closed;

        private Scope(boolean[] cell, boolean previous) {
            this.cell = cell;
            this.previous = previous;
        }

        @Override
        public void close() {
            if (!closed) {
                closed = true;
                cell[0] = previous;
            }
        }
    }
}
