package org.convinit.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

import org.junit.jupiter.api.Test;

/** The progress bar: hidden for the first half second, then redrawn at most every 100 ms and at the end. */
class ProgressTest {
    private static final long MS = 1_000_000L;

    @Test
    void drawsAfterTheDelayAtMostTenTimesASecondAndAtTheEnd() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        AtomicInteger named = new AtomicInteger();
        try (Progress p = new Progress(new PrintWriter(out), "epoch 1", 100, true, now::get)) {
            p.advance(10, () -> "a" + named.incrementAndGet());
            assertThat(out.toString()).as("nothing in the first half second").isEmpty();
            now.set(600 * MS);
            p.advance(10, () -> "b" + named.incrementAndGet());
            assertThat(out.toString()).contains("epoch 1 [" + "=".repeat(6) + " ".repeat(24) + "] 20% b1");
            now.set(650 * MS);
            p.advance(10, () -> "c" + named.incrementAndGet());
            assertThat(named.get()).as("no redraw (and no name) within 100 ms").isEqualTo(1);
            now.set(701 * MS);
            p.advance(10, () -> "d" + named.incrementAndGet());
            assertThat(out.toString()).contains("40% d2");
            now.set(710 * MS);
            p.advance(60, () -> "e" + named.incrementAndGet());
            assertThat(out.toString()).as("the last step is always drawn").contains("100% e3");
        }
        assertThat(out.toString()).endsWith("\r" + " ".repeat(80) + "\r");
    }

    @Test
    void disabledBarPrintsNothingAndNamesNothing() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        try (Progress p = new Progress(new PrintWriter(out), "x", 10, false, now::get)) {
            now.set(10_000 * MS);
            p.advance(5, () -> {
                throw new AssertionError("named while disabled");
            });
        }
        assertThat(out.toString()).isEmpty();
    }

    @Test
    void aLinePrintedDuringTheBarClearsItAndTheBarComesBackAtOnce() {
        StringWriter out = new StringWriter();
        AtomicLong now = new AtomicLong(0);
        PrintWriter w = new PrintWriter(out);
        try (Progress p = new Progress(w, "epoch 1", 100, true, now::get)) {
            now.set(600 * MS);
            p.advance(10, "a");
            int drawn = out.toString().length();
            p.println(w, "step 10 (epoch 1): loss 2.3000");
            assertThat(out.toString().substring(drawn)).isEqualTo("\r" + " ".repeat(80) + "\r" + "step 10 (epoch 1): loss 2.3000"
                    + System.lineSeparator());
            p.advance(10, "b"); // at once: not after another 100 ms
            assertThat(out.toString()).endsWith("20% b   ");
        }
    }
}
