package lanes.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;

/**
 * The one shared team of worker threads that every multi-threaded kernel uses.
 *
 * <p>The thread count is {@link #threads()}: the system property {@code lanes.threads} if set, else the number of
 * available cores; {@link #setThreads} changes it at run time. Kernels split their work into independent parts
 * whose results do not depend on which thread runs them, so a result never depends on the thread count.
 *
 * <p>One job runs at a time; a caller that finds the team busy (another thread's job, or a kernel called from
 * inside a part) runs its parts itself, in order.
 */
public final class Parallel {
    private static final int MAX_THREADS = Math.max(Runtime.getRuntime().availableProcessors(),
            Integer.getInteger("lanes.threads", 1));
    private static volatile int threads = initialThreads();

    private static final Object LOCK = new Object();
    private static Thread[] workers = new Thread[0];
    private static volatile IntConsumer body;
    private static volatile int parts;
    private static volatile int helpers;     // workers 0..helpers-1 take part in the current job
    private static volatile long generation;
    private static final AtomicInteger NEXT = new AtomicInteger();
    private static final AtomicInteger PENDING = new AtomicInteger();
    private static volatile Thread caller;
    private static volatile Throwable failure;
    private static boolean busy;

    private Parallel() {
    }

    private static int initialThreads() {
        String p = System.getProperty("lanes.threads");
        if (p == null) {
            return Runtime.getRuntime().availableProcessors();
        }
        try {
            int n = Integer.parseInt(p.trim());
            if (n >= 1) {
                return n;
            }
        } catch (NumberFormatException e) {
            // fall through to the error below
        }
        throw new IllegalArgumentException("lanes.threads = \"" + p + "\": must be a whole number >= 1");
    }

    /** Threads a kernel may use: {@code lanes.threads}, or the available cores. */
    public static int threads() {
        return threads;
    }

    /** Sets the number of threads kernels may use (at least 1). */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("setThreads: " + n + " threads; must be >= 1");
        }
        threads = n;
    }

    /**
     * Runs {@code body.accept(part)} for every part in {@code [0, parts)} on up to {@code maxThreads} threads (the
     * caller among them) and returns when all are done. The first exception a part throws is rethrown here.
     */
    public static void run(int parts, int maxThreads, IntConsumer body) {
        int team = Math.min(Math.min(parts, maxThreads), Math.max(threads, 1));
        if (team <= 1 || !claim(team)) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        try {
            Parallel.body = body;
            Parallel.parts = parts;
            failure = null;
            caller = Thread.currentThread();
            NEXT.set(0);
            PENDING.set(team - 1);
            helpers = team - 1;
            generation++;                                   // volatile write publishes the job
            for (int w = 0; w < team - 1; w++) {
                LockSupport.unpark(workers[w]);
            }
            work(body, parts);
            while (PENDING.get() > 0) {
                LockSupport.park(LOCK);
            }
            Throwable t = failure;
            if (t instanceof RuntimeException e) {
                throw e;
            } else if (t instanceof Error e) {
                throw e;
            } else if (t != null) {
                throw new IllegalStateException(t);
            }
        } finally {
            Parallel.body = null;
            synchronized (LOCK) {
                busy = false;
            }
        }
    }

    /** {@link #run(int, int, IntConsumer)} on up to {@link #threads()} threads. */
    public static void run(int parts, IntConsumer body) {
        run(parts, Integer.MAX_VALUE, body);
    }

    private static boolean claim(int team) {
        synchronized (LOCK) {
            if (busy) {
                return false;
            }
            busy = true;
            if (workers.length < team - 1) {
                Thread[] grown = java.util.Arrays.copyOf(workers, Math.min(team - 1, MAX_THREADS * 4));
                for (int w = workers.length; w < grown.length; w++) {
                    int index = w;
                    long born = generation;      // the job about to be published is newer than this
                    Thread t = new Thread(() -> workerLoop(index, born), "lanes-worker-" + (w + 1));
                    t.setDaemon(true);
                    grown[w] = t;
                    t.start();
                }
                workers = grown;
            }
            return workers.length >= team - 1;
        }
    }

    private static void work(IntConsumer job, int n) {
        for (int p = NEXT.getAndIncrement(); p < n; p = NEXT.getAndIncrement()) {
            try {
                job.accept(p);
            } catch (Throwable t) {
                if (failure == null) {
                    failure = t;
                }
            }
        }
    }

    private static void workerLoop(int index, long born) {
        long seen = born;
        while (true) {
            long g = generation;
            if (g == seen) {
                LockSupport.park(LOCK);
                continue;
            }
            seen = g;
            if (index < helpers) {
                work(body, parts);
                if (PENDING.decrementAndGet() == 0) {
                    LockSupport.unpark(caller);
                }
            }
        }
    }
}
