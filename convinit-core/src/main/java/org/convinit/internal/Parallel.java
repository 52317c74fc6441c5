package org.convinit.internal;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ForkJoinPool;
import java.util.concurrent.ForkJoinWorkerThread;
import java.util.concurrent.Future;
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
     * workers that take items in order; each worker gets its own scratch state from {@code scratch}.
     */
    public static <S> void forEach(int count, Supplier<S> scratch, ItemBody<S> body) {
        int workers = Math.min(threads(), count);
        if (workers <= 1 || Thread.currentThread() instanceof ForkJoinWorkerThread) {
            S s = scratch.get();
            for (int i = 0; i < count; i++) body.run(i, s);
            return;
        }
        AtomicInteger next = new AtomicInteger();
        runWorkers(workers, w -> {
            S s = scratch.get();
            for (int i = next.getAndIncrement(); i < count; i = next.getAndIncrement()) body.run(i, s);
        });
    }

    /**
     * Runs {@code body.run(i, s)} for every {@code i} in {@code [0, count)} on up to {@link #threads()} workers,
     * worker {@code w} taking the contiguous items {@code [w·count/W, (w+1)·count/W)} with scratch {@code w}, and
     * returns the scratches in worker order. Unlike {@link #forEach(int, Supplier, ItemBody)}, which item lands in
     * which scratch does not depend on timing: a reduction over the returned scratches in list order gives the
     * same bits on every run with the same number of threads.
     */
    public static <S> List<S> forEachInRanges(int count, Supplier<S> scratch, ItemBody<S> body) {
        int workers = Thread.currentThread() instanceof ForkJoinWorkerThread ? 1 : Math.max(1, Math.min(threads(), count));
        List<S> scratches = new ArrayList<>(workers);
        for (int w = 0; w < workers; w++) scratches.add(scratch.get());
        if (workers == 1) {
            for (int i = 0; i < count; i++) body.run(i, scratches.get(0));
            return scratches;
        }
        runWorkers(workers, w -> {
            S s = scratches.get(w);
            for (int i = (int) ((long) count * w / workers), end = (int) ((long) count * (w + 1) / workers); i < end; i++) body.run(i, s);
        });
        return scratches;
    }

    /** Runs {@code worker.accept(w)} for {@code w} in {@code [0, workers)}: 0 on this thread, the others on the pool; rethrows the first failure. */
    private static void runWorkers(int workers, IntConsumer worker) {
        ForkJoinPool p = pool();
        List<Future<?>> futures = new ArrayList<>(workers - 1);
        for (int w = 1; w < workers; w++) {
            int id = w;
            futures.add(p.submit(() -> worker.accept(id)));
        }
        Throwable failure = null;
        try {
            worker.accept(0);
        } catch (RuntimeException | Error e) {
            failure = e;
        }
        for (Future<?> f : futures) {
            try {
                f.get();
            } catch (ExecutionException e) {
                if (failure == null) failure = e.getCause();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
                if (failure == null) failure = e;
            }
        }
        if (failure instanceof RuntimeException) throw (RuntimeException) failure;
        if (failure instanceof Error) throw (Error) failure;
        if (failure != null) throw new IllegalStateException(failure);
    }

    /** Runs {@code body.accept(i)} for every {@code i} in {@code [0, count)} in parallel. */
    public static void forEach(int count, IntConsumer body) {
        forEach(count, () -> null, (i, s) -> body.accept(i));
    }

    /** The body of a parallel loop with per-worker scratch. */
    @FunctionalInterface
    public interface ItemBody<S> {
        void run(int item, S scratch);
    }
}
