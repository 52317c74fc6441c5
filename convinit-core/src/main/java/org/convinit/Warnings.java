package org.convinit;

import java.util.function.Consumer;

/**
 * Where convinit reports what PyTorch reports with {@code warnings.warn} (e.g. "Initializing
 * zero-element tensors is a no-op"). By default a warning goes to {@link System.Logger} at WARNING
 * level; a thread may install its own listener (tests do) for the duration of a scope.
 */
public final class Warnings {
    private static final System.Logger LOG = System.getLogger("org.convinit");
    private static final ThreadLocal<Consumer<String>> LISTENER = new ThreadLocal<>();

    private Warnings() {}

    /** Reports a warning. */
    public static void warn(String message) {
        Consumer<String> l = LISTENER.get();
        if (l != null) l.accept(message);
        else LOG.log(System.Logger.Level.WARNING, message);
    }

    /** Routes this thread's warnings to {@code listener} until the returned scope is closed. */
    public static AutoCloseable capture(Consumer<String> listener) {
        Consumer<String> previous = LISTENER.get();
        LISTENER.set(listener);
        return () -> LISTENER.set(previous);
    }
}
