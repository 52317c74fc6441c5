package org.convinit.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/**
 * {@link Parallel}: every item runs once; {@code forEachInRanges} binds item {@code i} to scratch {@code w} exactly
 * when {@code i} is in {@code [w·count/W, (w+1)·count/W)} and each scratch sees its items in order, whichever thread
 * runs them; a caller does not wait for pool workers that cannot start; a loop's first calls run on the caller alone.
 */
class ParallelTest {
    private final int before = Parallel.threads();
    /** The pool from a loop's first call on (the cold calls are tested on their own). */
    private final int coldBefore = Parallel.coldCalls(0);

    @AfterEach
    void restore() {
        Parallel.setThreads(before);
        Parallel.coldCalls(coldBefore);
    }

    @Test
    void aLoopsFirstCallsRunOnTheCallerAloneThenOnThePool() {
        Parallel.setThreads(2);
        Parallel.coldCalls(3);
        Thread caller = Thread.currentThread();
        List<Boolean> allOnCaller = new ArrayList<>();
        List<List<Integer>> ranges = new ArrayList<>();
        for (int call = 0; call < 40; call++) {
            AtomicInteger elsewhere = new AtomicInteger();
            // one lambda (one loop) for every call; items long enough that a started pool worker takes some
            List<List<Integer>> scratches = Parallel.forEachInRanges(64, ArrayList::new, (i, s) -> {
                if (Thread.currentThread() != caller) elsewhere.incrementAndGet();
                s.add(i);
                spin(200_000);
            });
            allOnCaller.add(elsewhere.get() == 0);
            if (call == 0) ranges = scratches;
            else assertThat(scratches).as("call %d: the same ranges and scratches, cold or not", call).isEqualTo(ranges);
        }
        assertThat(allOnCaller.subList(0, 3)).as("the first three calls").containsOnly(true);
        assertThat(allOnCaller.subList(3, 40)).as("later calls: the pool takes part").contains(false);
        assertThat(ranges).hasSize(2);
        assertThat(ranges.get(0)).hasSize(32);
    }

    @Test
    void forEachItemUsesThePoolFromTheFirstCallAndRunsEveryItemOnce() {
        Parallel.setThreads(2);
        Parallel.coldCalls(3);
        Thread caller = Thread.currentThread();
        AtomicInteger elsewhere = new AtomicInteger();
        AtomicIntegerArray seen = new AtomicIntegerArray(8);
        Parallel.forEachItem(8, i -> {
            if (Thread.currentThread() != caller) elsewhere.incrementAndGet();
            seen.incrementAndGet(i);
            spin(20_000_000);
        });
        for (int i = 0; i < 8; i++) assertThat(seen.get(i)).as("item %d", i).isEqualTo(1);
        assertThat(elsewhere.get()).as("items the pool ran in the loop's first call").isPositive();
    }

    private static void spin(long nanos) {
        long end = System.nanoTime() + nanos;
        while (System.nanoTime() < end) {
            Thread.onSpinWait();
        }
    }

    @Test
    void forEachRunsEveryItemOnce() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int count : new int[] {0, 1, 2, 3, 7, 100, 1000}) {
                AtomicIntegerArray seen = new AtomicIntegerArray(Math.max(1, count));
                for (int rep = 0; rep < 50; rep++) Parallel.forEach(count, i -> seen.incrementAndGet(i));
                for (int i = 0; i < count; i++) assertThat(seen.get(i)).as("threads %d count %d item %d", threads, count, i).isEqualTo(50);
            }
        }
    }

    @Test
    void forEachInRangesBindsEachItemToItsRangesScratchInOrder() {
        for (int threads = 1; threads <= 3; threads++) {
            Parallel.setThreads(threads);
            for (int count : new int[] {1, 2, 3, 5, 8, 101}) {
                for (int rep = 0; rep < 50; rep++) {
                    List<List<Integer>> scratches = Parallel.forEachInRanges(count, ArrayList::new, (i, s) -> s.add(i));
                    int workers = Math.min(threads, count);
                    assertThat(scratches).hasSize(workers);
                    for (int w = 0; w < workers; w++) {
                        List<Integer> expected = new ArrayList<>();
                        for (int i = (int) ((long) count * w / workers); i < (long) count * (w + 1) / workers; i++) expected.add(i);
                        assertThat(scratches.get(w)).as("threads %d count %d worker %d", threads, count, w).isEqualTo(expected);
                    }
                }
            }
        }
    }

    @Test
    void theCallerRunsWorkTheBusyPoolCannotStart() throws Exception {
        Parallel.setThreads(2);
        CountDownLatch release = new CountDownLatch(1);
        ExecutorService callers = Executors.newFixedThreadPool(3);
        try {
            // two callers whose second range blocks on a pool worker: both of the pool's two threads are then held
            List<Future<?>> blockers = new ArrayList<>();
            for (int b = 0; b < 2; b++) {
                CountDownLatch poolStarted = new CountDownLatch(1);
                blockers.add(callers.submit(() -> Parallel.forEachInRanges(2, () -> null, (i, s) -> {
                    if (Thread.currentThread() instanceof ForkJoinWorkerThread) {
                        poolStarted.countDown();
                        await(release, 120);
                    } else if (i == 0) {
                        await(poolStarted, 20); // leaves the second range to the pool
                    }
                })));
                // the caller may run the second range itself (the pool started late): then this blocker holds no pool thread
                if (!poolStarted.await(20, TimeUnit.SECONDS)) blockers.remove(blockers.size() - 1).get();
            }
            AtomicInteger ran = new AtomicInteger();
            Future<?> free = callers.submit(() -> {
                Parallel.forEachInRanges(2, () -> null, (i, s) -> ran.incrementAndGet());
                Parallel.forEach(5, i -> ran.incrementAndGet());
            });
            free.get(60, TimeUnit.SECONDS); // the old runWorkers waited here for a pool thread until release
            assertThat(ran.get()).isEqualTo(7);
            release.countDown();
            for (Future<?> f : blockers) f.get(60, TimeUnit.SECONDS);
        } finally {
            release.countDown();
            callers.shutdownNow();
        }
    }

    @Test
    void aFailureInAnyWorkerReachesTheCaller() {
        Parallel.setThreads(2);
        for (int bad : new int[] {0, 9}) {
            assertThatThrownBy(() -> Parallel.forEachInRanges(10, () -> null, (i, s) -> {
                if (i == bad) throw new IllegalArgumentException("item " + i);
            })).isInstanceOf(IllegalArgumentException.class).hasMessage("item " + bad);
            assertThatThrownBy(() -> Parallel.forEach(10, i -> {
                if (i == bad) throw new IllegalStateException("item " + i);
            })).isInstanceOf(IllegalStateException.class).hasMessage("item " + bad);
        }
    }

    private static void await(CountDownLatch latch, int seconds) {
        try {
            latch.await(seconds, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
