package org.convinit.cli;

import java.io.PrintWriter;

/**
 * A one-line progress bar on stderr for work that takes more than a moment: it appears only on a
 * terminal and only after half a second, so scripts and quick runs see nothing.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_NANOS = 500_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final long start = System.nanoTime();
    private final boolean enabled;
    private boolean shown;
    private long done;

    Progress(PrintWriter err, String label, long total) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = System.console() != null && !Boolean.getBoolean("convinit.noProgress");
    }

    /** Records {@code amount} more units done, naming the current item. */
    void advance(long amount, String item) {
        done += amount;
        if (!enabled || System.nanoTime() - start < DELAY_NANOS) return;
        shown = true;
        int width = 30;
        int filled = (int) Math.min(width, width * done / total);
        String name = item.length() > 30 ? "..." + item.substring(item.length() - 27) : item;
        err.print("\r" + label + " [" + "=".repeat(filled) + " ".repeat(width - filled) + "] "
                + Math.min(100, 100 * done / total) + "% " + name + "   ");
        err.flush();
    }

    @Override
    public void close() {
        if (shown) {
            err.print("\r" + " ".repeat(80) + "\r");
            err.flush();
        }
    }
}
