package org.convinit.nn.functional.internal;

import java.util.ArrayDeque;
import java.util.Arrays;
import java.util.Deque;
import java.util.List;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Consumer;
import java.util.function.Supplier;

/**
 * Keeps the per-worker scratch objects of the last call for the next call with the same layout key, so a
 * training step's repeated gradients of one layer shape neither allocate nor re-zero what stays valid (padding,
 * zero columns). One slot: a call with another key, or a concurrent call that finds the slot empty, makes fresh
 * scratches.
 *
 * @param <S> the scratch type
 */
final class ScratchPool<S> {
    private final AtomicReference<Kept<S>> slot = new AtomicReference<>();

    private record Kept<S>(int[] key, List<S> scratches) {}

    /**
     * A supplier for one call: the kept scratches of {@code key}, each passed through {@code reset} first, then
     * fresh ones from {@code fresh}.
     */
    Supplier<S> take(int[] key, Supplier<S> fresh, Consumer<S> reset) {
        Kept<S> kept = slot.getAndSet(null);
        Deque<S> left = kept != null && Arrays.equals(kept.key(), key) ? new ArrayDeque<>(kept.scratches()) : new ArrayDeque<>();
        return () -> {
            S s = left.poll();
            if (s == null) return fresh.get();
            reset.accept(s);
            return s;
        };
    }

    /** Keeps a finished call's scratches (which no one else holds) for the next {@link #take} of {@code key}. */
    void give(int[] key, List<S> scratches) {
        slot.set(new Kept<>(key.clone(), List.copyOf(scratches)));
    }

    /** The layout key of a weight gradient: the geometry (buffer layout included), the channel split and a path-specific size. */
    static int[] key(ConvGeometry g, int groups, int outCh, int extra) {
        int[] k = new int[25];
        k[0] = g.channels;
        k[1] = groups;
        k[2] = outCh;
        k[3] = extra;
        for (int d = 0; d < 3; d++) {
            k[4 + d] = g.in[d];
            k[7 + d] = g.kernel[d];
            k[10 + d] = g.stride[d];
            k[13 + d] = g.padBefore[d];
            k[16 + d] = g.dilation[d];
            k[19 + d] = g.out[d];
            // the phase planes' extents also depend on the padding after
            k[22 + d] = g.phase[d];
        }
        return k;
    }
}
