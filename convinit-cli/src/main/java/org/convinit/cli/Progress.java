package org.convinit.cli;

import java.io.PrintWriter;
import java.util.function.LongSupplier;
import java.util.function.Supplier;

/**
 * A one-line progress bar on stderr for work that takes more than a moment: it appears only on a
 * terminal and only after half a second, so scripts and quick runs see nothing; it is redrawn at most
 * ten times a second (and when the work is done), so a fast loop does not pay for the terminal.
 */
final class Progress implements AutoCloseable {
    private static final long DELAY_NANOS = 500_000_000L;
    private static final long REDRAW_NANOS = 100_000_000L;
    private final PrintWriter err;
    private final String label;
    private final long total;
    private final LongSupplier clock;
    private final long start;
    private final boolean enabled;
    private boolean shown;
    private long done;
    private long drawn;

    Progress(PrintWriter err, String label, long total) {
        this(err, label, total, System.console() != null && !Boolean.getBoolean("convinit.noProgress"), System::nanoTime);
    }

    /** A bar drawn when {@code enabled}, timed by {@code clock} (nanoseconds). */
    Progress(PrintWriter err, String label, long total, boolean enabled, LongSupplier clock) {
        this.err = err;
        this.label = label;
        this.total = Math.max(1, total);
        this.enabled = enabled;
        this.clock = clock;
        this.start = clock.getAsLong();
    }

    /** Records {@code amount} more units done, naming the current item. */
    void advance(long amount, String item) {
        advance(amount, () -> item);
    }

    /** {@link #advance(long, String)} with the item's name computed only when the bar is redrawn. */
    void advance(long amount, Supplier<String> itemName) {
        done += amount;
        if (!enabled) return;
        long now = clock.getAsLong();
        if (now - start < DELAY_NANOS || (shown && now - drawn < REDRAW_NANOS && done < total)) return;
        shown = true;
        drawn = now;
        String item = itemName.get();
        int width = 30;
        int filled = (int) Math.min(width, width * done / total);
        String name = item.length() > 30 ? "..." + item.substring(item.length() - 27) : item;
        err.print("\r" + label + " [" + "=".repeat(filled) + " ".repeat(width - filled) + "] "
                + Math.min(100, 100 * done / total) + "% " + name + "   ");
        err.flush();
    }

    /** Prints {@code line} on {@code w} (stdout or stderr) as a line of its own: the bar, if drawn, is cleared first and redrawn by the next advance. */
    void println(PrintWriter w, String line) {
        if (shown) {
            clear();
            drawn = clock.getAsLong() - REDRAW_NANOS;
        }
        w.println(line);
        w.flush();
    }

    @Override
    public void close() {
        if (shown) clear();
    }

    private void clear() {
        err.print("\r" + " ".repeat(80) + "\r");
        err.flush();
    }
}
