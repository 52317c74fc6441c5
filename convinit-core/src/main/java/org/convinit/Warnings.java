package org.convinit;

import java.util.function.Consumer;

/**
 * Where convinit reports what PyTorch reports with {@code warnings.warn} (e.g. "Initializing
 * zero-element tensors is a no-op"). A warning goes to the {@link System.Logger} named {@code org.convinit}
 * at WARNING level. While that logger is the JDK's own default (java.util.logging's two-line console
 * format), a warning is printed instead as Python prints it, one line on stderr:
 * {@code UserWarning: Initializing zero-element tensors is a no-op}. An application that installs a
 * {@link System.LoggerFinder} gets every warning through it: with SLF4J, add
 * {@code org.slf4j:slf4j-jdk-platform-logging} and a binding (Logback) to the class path, and the warnings
 * arrive as SLF4J events of logger {@code org.convinit}. A thread may install its own listener (tests do)
 * for the duration of a scope.
 */
public final class Warnings {
    private static final System.Logger LOG = System.getLogger("org.convinit");
    private static final ThreadLocal<Consumer<String>> LISTENER = new ThreadLocal<>();

    private Warnings() {}

    /** Reports a warning. */
    public static void warn(String message) {
        Consumer<String> l = LISTENER.get();
        if (l != null) l.accept(message);
        else if (JDK_DEFAULT_LOGGING) System.err.println("UserWarning: " + message);
        else LOG.log(System.Logger.Level.WARNING, message);
    }

    /** Whether System.Logger is the JDK's own backend (no application LoggerFinder installed). */
    private static final boolean JDK_DEFAULT_LOGGING = isJdkDefault(System.LoggerFinder.getLoggerFinder().getClass().getName());

    static boolean isJdkDefault(String loggerFinderClass) {
        return loggerFinderClass.startsWith("jdk.internal.logger.") || loggerFinderClass.startsWith("sun.util.logging.");
    }

    /** Routes this thread's warnings to {@code listener} until the returned scope is closed. */
    public static AutoCloseable capture(Consumer<String> listener) {
        Consumer<String> previous = LISTENER.get();
        LISTENER.set(listener);
        return () -> LISTENER.set(previous);
    }
}
