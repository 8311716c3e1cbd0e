package lanes.engine;

import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.concurrent.locks.LockSupport;
import java.util.function.IntConsumer;
import lanes.engine.tune.Tuning;

/**
 * The one shared team of worker threads that every multi-threaded kernel uses.
 *
 * <p>The thread count is {@link #threads()}: the system property {@code lanes.threads} if set, else the number of
 * available cores; {@link #setThreads} changes it at run time. Kernels split their work into independent parts
 * whose results do not depend on which thread runs them, so a result never depends on the thread count.
 *
 * <p>Part {@code p} belongs to team member {@code p % team} (the caller is member 0), so that the same part of
 * successive calls (an image of a batch, forward then backward) tends to run on the same core. A member that has
 * run its own parts takes the next unstarted parts of the others, so that a member that starts late or runs slow
 * does not hold the call up. Idle workers spin for
 * {@code lanes.spinMicros} (default 200) microseconds before they park, so that a stream of kernel calls does
 * not pay a thread wake-up for each.
 *
 * <p>One job runs at a time; a caller that finds the team busy (another thread's job, or a kernel called from
 * inside a part) runs its parts itself, in order.
 */
public final class Parallel {
    private static final int MAX_THREADS = Math.max(Runtime.getRuntime().availableProcessors(),
            Tuning.current().threads());
    private static volatile int threads = Tuning.current().threads();

    private static final Object LOCK = new Object();
    private static Thread[] workers = new Thread[0];
    private static volatile IntConsumer body;
    private static volatile int parts;
    /**
     * The current job's number above {@link #HELPER_BITS} bits of its helper count (workers 0..helpers-1 take
     * part), in one volatile word: a worker that reads the helper count apart from the number can see a job it
     * is not part of start, then read the next job's helper count, run that job and count itself done twice.
     */
    private static volatile long ticket;
    private static final int HELPER_BITS = 20;
    /** The most members a team has: setThreads may ask for more, the team stays at this. */
    private static final int MAX_TEAM = MAX_THREADS * 4;
    private static volatile int teamSize;
    /** How long an idle worker spins for the next job before it parks: GEMM calls come in quick succession. */
    private static final long SPIN_NANOS = Tuning.current().spinMicros() * 1000;
    private static final AtomicInteger PENDING = new AtomicInteger();
    /** Ints between two members' counters: one cache line each, so that claiming a part touches no other's. */
    private static final int PAD = 16;
    /** Member m's parts m, m + team, ... are claimed in order through {@code CLAIMED[m * PAD]}, by anyone. */
    private static final AtomicIntegerArray CLAIMED = new AtomicIntegerArray(PAD * MAX_TEAM);
    private static volatile Throwable failure;
    private static boolean busy;

    private Parallel() {
    }

    /**
     * Threads a kernel may use: {@code lanes.threads}, or the available cores.
     *
     * @return the thread count, at least 1
     */
    public static int threads() {
        return threads;
    }

    /**
     * Sets the number of threads kernels may use (at least 1).
     *
     * @param n the thread count (>= 1)
     */
    public static void setThreads(int n) {
        if (n < 1) {
            throw new IllegalArgumentException("setThreads: " + n + " threads; must be >= 1");
        }
        threads = n;
    }

    /**
     * Runs {@code body.accept(part)} for every part in {@code [0, parts)} on up to {@code maxThreads} threads (the
     * caller among them) and returns when all are done. The first exception a part throws is rethrown here.
     *
     * @param parts the number of parts (>= 0)
     * @param maxThreads the most threads to use, the caller included
     * @param body runs one part, given its index
     */
    public static void run(int parts, int maxThreads, IntConsumer body) {
        int team = Math.min(Math.min(parts, maxThreads), Math.min(threads, MAX_TEAM));
        if (team <= 1 || !claim(team)) {
            for (int p = 0; p < parts; p++) {
                body.accept(p);
            }
            return;
        }
        runClaimed(parts, team, body);
    }

    private static void runClaimed(int parts, int team, IntConsumer body) {
        try {
            Parallel.body = body;
            Parallel.parts = parts;
            failure = null;
            teamSize = team;
            PENDING.set(team - 1);
            for (int m = 0; m < team; m++) {
                CLAIMED.set(m * PAD, 0);
            }
            ticket = ((ticket >>> HELPER_BITS) + 1) << HELPER_BITS | (team - 1);   // volatile write publishes the job
            for (int w = 0; w < team - 1; w++) {
                LockSupport.unpark(workers[w]);
            }
            work(body, parts, 0, team);
            while (PENDING.get() > 0) {
                Thread.onSpinWait();
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

    /**
     * {@link #run(int, int, IntConsumer)} on up to {@link #threads()} threads.
     *
     * @param parts the number of parts (>= 0)
     * @param body runs one part, given its index
     */
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
                Thread[] grown = java.util.Arrays.copyOf(workers, team - 1);
                for (int w = workers.length; w < grown.length; w++) {
                    int index = w;
                    long born = ticket;          // the job about to be published is newer than this
                    Thread t = new Thread(() -> workerLoop(index, born), "lanes-worker-" + (w + 1));
                    t.setDaemon(true);
                    grown[w] = t;
                    t.start();
                }
                workers = grown;
            }
            return true;
        }
    }

    // Member `member` of a team of `team` claims its own parts member, member + team, ... in order, then the
    // unstarted parts of the members after it. Every part runs once: whoever increments its owner's counter past
    // it. Zen 5, 2 threads, in process, against fixed shares only: MLP training step 1.08-1.09x, LeNet-5 1.02-1.04x,
    // tdnn backward-data 1.09-1.11x, strided 1.02x, sq1024 and the MLP GEMMs 0.99-1.02x.
    private static void work(IntConsumer job, int n, int member, int team) {
        for (int v = 0; v < team; v++) {
            int owner = (member + v) % team;
            for (int p; (p = owner + CLAIMED.getAndIncrement(owner * PAD) * team) < n; ) {
                try {
                    job.accept(p);
                } catch (Throwable t) {
                    if (failure == null) {
                        failure = t;
                    }
                }
            }
        }
    }

    private static void workerLoop(int index, long born) {
        long seen = born;
        long idleSince = System.nanoTime();
        while (true) {
            long g = ticket;
            if (g == seen) {
                if (System.nanoTime() - idleSince < SPIN_NANOS) {
                    Thread.onSpinWait();
                } else {
                    LockSupport.park(LOCK);
                }
                continue;
            }
            seen = g;
            // a helper: the job cannot end, nor its fields change, before this worker counts itself done
            if (index < (g & ((1 << HELPER_BITS) - 1))) {
                work(body, parts, index + 1, teamSize);
                PENDING.decrementAndGet();
            }
            idleSince = System.nanoTime();
        }
    }
}
