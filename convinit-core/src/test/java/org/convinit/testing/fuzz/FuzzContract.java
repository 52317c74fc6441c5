package org.convinit.testing.fuzz;

import java.lang.management.ManagementFactory;

import org.convinit.Warnings;

/**
 * The contract every fuzz target asserts: the code under test returns a result or throws one of its documented
 * exception types, and allocates at most a budget that grows with the input, not with what the input claims.
 * Anything else — another exception type, an {@link Error} ({@code StackOverflowError}, {@code OutOfMemoryError}),
 * an allocation beyond the budget — is thrown as a {@link FuzzFinding} (or rethrown as is), which Jazzer reports.
 * The allocation is measured with the current thread's allocated-bytes counter, so work handed to other threads
 * is not counted. Warnings are captured and dropped (printing one per execution would cost more than the execution).
 */
public final class FuzzContract {
    private static final com.sun.management.ThreadMXBean THREADS =
            (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();

    private FuzzContract() {}

    /** The code under test. */
    @FunctionalInterface
    public interface Body {
        void run() throws Exception;
    }

    /** A broken contract: the message names the input size, the budget and what happened. */
    public static final class FuzzFinding extends RuntimeException {
        private static final long serialVersionUID = 1L;

        FuzzFinding(String message, Throwable cause) {
            super(message, cause);
        }
    }

    /**
     * Runs {@code body}; returns normally when it returns or throws an instance of one of {@code documented}.
     *
     * @param inputBytes the input's size, for messages
     * @param budgetBytes the most the current thread may allocate while running {@code body}
     * @throws FuzzFinding for an undocumented exception or an allocation over budget (errors propagate unchanged)
     */
    @SafeVarargs
    public static void check(long inputBytes, long budgetBytes, Body body, Class<? extends Exception>... documented) {
        long allocated = run(inputBytes, body, documented);
        // the first executions load, initialize and instrument classes on this thread: an over-budget run counts
        // only if a second run of the same input, with those classes loaded, is over budget too
        if (allocated > budgetBytes) allocated = run(inputBytes, body, documented);
        if (allocated > budgetBytes) {
            throw new FuzzFinding("input of " + inputBytes + " bytes: allocated " + allocated + " bytes, more than the budget of "
                    + budgetBytes, null);
        }
    }

    /** Runs {@code body} under the exception contract; returns the bytes this thread allocated meanwhile. */
    private static long run(long inputBytes, Body body, Class<? extends Exception>[] documented) {
        long before = THREADS.getCurrentThreadAllocatedBytes();
        try (AutoCloseable quiet = Warnings.capture(message -> { })) {
            body.run();
        } catch (Exception e) {
            if (!isOneOf(e, documented)) {
                throw new FuzzFinding("input of " + inputBytes + " bytes: undocumented " + e.getClass().getName()
                        + " (documented: " + names(documented) + ")", e);
            }
        }
        return THREADS.getCurrentThreadAllocatedBytes() - before;
    }

    private static boolean isOneOf(Exception e, Class<? extends Exception>[] types) {
        for (Class<? extends Exception> t : types) {
            if (t.isInstance(e)) return true;
        }
        return false;
    }

    private static String names(Class<? extends Exception>[] types) {
        StringBuilder sb = new StringBuilder();
        for (Class<? extends Exception> t : types) sb.append(sb.length() == 0 ? "" : ", ").append(t.getSimpleName());
        return sb.toString();
    }
}
