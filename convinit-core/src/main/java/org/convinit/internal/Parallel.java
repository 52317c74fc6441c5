package org.convinit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.IntConsumer;
import java.util.function.Supplier;

/**
 * The one thread pool all of convinit's parallel work shares (kernels, layers, readers). Its size defaults to the number of available processors,
 * may be set at start-up with the system property {@code convinit.threads} and changed at run time
 * with {@link #setThreads(int)} (benchmarks run at 1 and 2 threads).
 */
public final class Parallel {
    private static int threads = initialThreads();
    private static ForkJoinPool pool;
    /** Calls of a parallel loop run on the calling thread alone ({@link #cold}); {@code -Dconvinit.coldCalls} sets it. */
    private static volatile int coldCalls = Integer.getInteger("convinit.coldCalls", 3);
    private static final ClassValue<AtomicInteger> CALLS = new ClassValue<>() {
        @Override
        protected AtomicInteger computeValue(Class<?> type) {
            return new AtomicInteger();
        }
    };

    private Parallel() {}

    private static int initialThreads() {
        int cpus = Runtime.getRuntime().availableProcessors();
        String prop = System.getProperty("convinit.threads");
        if (prop == null || prop.isBlank()) return cpus;
        try {
            int t = Integer.parseInt(prop.trim());
            if (t >= 1) return t;
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("system property convinit.threads=" + prop + ": expected a positive integer");
    }

    /** The number of threads the kernels use. */
    public static synchronized int threads() {
        return threads;
    }

    /** Sets the number of threads the kernels use (at least 1); replaces the shared pool. */
    public static synchronized void setThreads(int n) {
        if (n < 1) throw new IllegalArgumentException("threads " + n + ": expected at least 1");
        if (n == threads) return;
        threads = n;
        if (pool != null) {
            pool.shutdown();
            pool = null;
        }
    }

    private static synchronized ForkJoinPool pool() {
        if (pool == null) pool = new ForkJoinPool(threads);
        return pool;
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)} on up to {@link #threads()}
     * workers that take items in order, in runs of consecutive items; each worker that takes an item gets its own
     * scratch state from {@code scratch}. The calling thread is one of the workers; it does not wait for a pool worker
     * that has not started by the time the items are all taken. The loop's first calls run on the calling thread
     * alone ({@link #cold}).
     *
     * <p>A run is the items not yet taken divided by twice the workers (guided scheduling): runs shrink to single items
     * at the end, so the workers finish together. Workers that took one small item at a time (a 28×28 plane of a
     * pooling) spent their time on the shared counter's cache line and on the plane boundaries they shared: 2,048
     * ReLU planes took 3–4× longer at 2 threads than at 1 that way.
     */
    public static <S> void forEach(int count, Supplier<S> scratch, ItemBody<S> body) {
        forEach(count, scratch, body, body);
    }

    /**
     * {@link #forEach(int, Supplier, ItemBody)} whose loop is {@code site}'s (its class counts the loop's calls), or
     * with a null {@code site} a loop of few large items of uneven size: on the pool from its first call, each worker
     * taking one item at a time (a run of them could leave one worker with most of the work).
     */
    private static <S> void forEach(int count, Supplier<S> scratch, ItemBody<S> body, Object site) {
        int workers = Math.min(threads(), count);
        if (workers <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread || site != null && cold(site)) {
            S s = scratch.get();
            for (int i = 0; i < count; i++) body.run(i, s);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        runWorkers(workers, false, w -> {
            S s = null;
            while (true) {
                int i = next.get();
                if (i >= count) break;
                int end = site == null ? i + 1 : i + Math.max(1, (count - i) / (2 * workers));
                if (!next.compareAndSet(i, end)) continue;
                if (s == null) s = scratch.get();
                for (int j = i; j < end; j++) body.run(j, s);
            }
        });
    }

    /**
     * Runs {@code body.run(i, s)} for every {@code i} in {@code [0, count)} on up to {@link #threads()} workers,
     * worker {@code w} taking the contiguous items {@code [w·count/W, (w+1)·count/W)} with scratch {@code w}, and
     * returns the scratches in worker order. Unlike {@link #forEach(int, Supplier, ItemBody)}, which item lands in
     * which scratch does not depend on timing: a reduction over the returned scratches in list order gives the
     * same bits on every run with the same number of threads. (A range whose pool worker has not started when the
     * calling thread is done with its own is run by the calling thread, still with its own scratch, in order; so are
     * all ranges of the loop's first calls, {@link #cold}.)
     */
    public static <S> List<S> forEachInRanges(int count, Supplier<S> scratch, ItemBody<S> body) {
        int workers = Thread.currentThread() instanceof ForkJoinWorkerThread ? 1 : Math.max(1, Math.min(threads(), count));
        List<S> scratches = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) scratches.add(scratch.get());
        if (workers == 1) {
            for (int i = 0; i < count; i++) body.run(i, scratches.get(0));
            return scratches;
        }
        if (cold(body)) {
            for (int w = 0; w < workers; w++) {
                for (int i = (int) ((long) count * w / workers), end = (int) ((long) count * (w + 1) / workers); i < end; i++) body.run(i, scratches.get(w));
            }
            return scratches;
        }
        runWorkers(workers, true, w -> {
            S s = scratches.get(w);
            for (int i = (int) ((long) count * w / workers), end = (int) ((long) count * (w + 1) / workers); i < end; i++) body.run(i, s);
        });
        return scratches;
    }

    /**
     * Runs {@code worker.accept(w)} for {@code w} in {@code [0, workers)}: 0 on this thread, the others handed to the
     * pool. Then this thread claims each handed-out worker the pool has not started yet: with {@code runUnstarted}
     * it runs it itself, else drops it (the caller of a shared-counter loop has taken every item by then); it waits
     * only for workers the pool did start. Rethrows the first failure in worker order.
     */
    private static void runWorkers(int workers, boolean runUnstarted, IntConsumer worker) {
        ForkJoinPool p = pool();
        Worker[] handed = new Worker[workers];
        for (int w = 1; w < workers; w++) {
            handed[w] = new Worker(w, worker);
            p.execute(handed[w]);
        }
        Throwable failure = null;
        try {
            worker.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (int w = 1; w < workers; w++) {
            if (handed[w].compareAndSet(false, true)) {
                if (!runUnstarted) continue;
                try {
                    worker.accept(w);
                } catch (RuntimeException | Error e) {
                    if (failure == null) failure = e;
                }
            } else {
                handed[w].awaitDone();
                if (failure == null) failure = handed[w].failure;
            }
        }
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** One worker handed to the pool; set (claimed) by whichever thread runs it first, the pool's or the caller's. */
    private static final class Worker extends AtomicBoolean implements Runnable {
        private final int id;
        private final IntConsumer body;
        private final CountDownLatch done = new CountDownLatch(1);
        private volatile Throwable failure;

        Worker(int id, IntConsumer body) {
            this.id = id;
            this.body = body;
        }

        @Override
        public void run() {
            if (!compareAndSet(false, true)) return;
            try {
                body.accept(id);
            } catch (Throwable t) {
                failure = t;
            } finally {
                done.countDown();
            }
        }

        /** Waits until a started worker has finished (it writes into the caller's data: never abandoned on interrupt). */
        void awaitDone() {
            boolean interrupted = false;
            while (true) {
                try {
                    done.await();
                    break;
                } catch (InterruptedException e) {
                    interrupted = true;
                }
            }
            if (interrupted) Thread.currentThread().interrupt();
        }
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)} in parallel. */
    public static void forEach(int count, IntConsumer body) {
        forEach(count, () -> null, (i, s) -> body.accept(i), body);
    }

    /**
     * Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)} in parallel, each worker taking one item at
     * a time, on the pool from the loop's first call: for few large items of uneven size whose work is not the JIT's
     * (a checkpoint's storages, read and checked once per process).
     */
    public static void forEachItem(int count, IntConsumer body) {
        forEach(count, () -> null, (i, s) -> body.accept(i), null);
    }

    /**
     * Whether the parallel loop of {@code site} (a loop body: one class per lambda in the source) is still cold, and
     * counts this call. Its first {@code convinit.coldCalls} calls (default 3) run on the calling thread alone: their
     * code is still interpreted or compiled with profiling (the Vector API's kernels run in its Java fallback then,
     * ~100× slower), and a second thread running it too contends for the profile counters and for the core the JIT
     * compiles on. Measured on issue 10's 188 training steps in a fresh JVM at 2 threads (SerialGC, 4 quiet runs
     * each): 5.86 s (median) and 10.1–10.4 s of process CPU with 3 cold calls, 6.16 s and 10.3–11.1 s with none
     * (tools/bench/profiles/2026-12-02-gc-warmup.md).
     */
    private static boolean cold(Object site) {
        int limit = coldCalls;
        if (limit <= 0) return false;
        AtomicInteger calls = CALLS.get(site.getClass());
        return calls.get() < limit && calls.getAndIncrement() < limit;
    }

    /** Sets how many first calls of each parallel loop run on the calling thread alone (tests); returns the old count. */
    static int coldCalls(int calls) {
        int old = coldCalls;
        coldCalls = calls;
        return old;
    }

    /** The body of a parallel loop with per-worker scratch. */
    @FunctionalInterface
    public interface ItemBody<S> {
        void run(int item, S scratch);
    }
}
