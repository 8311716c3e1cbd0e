package lanes.app.studio;

import java.util.concurrent.locks.ReentrantLock;

/**
 * One run the studio holds: a playground network or a training run. What all runs share: an id, a lock that every
 * read and change of the run's model takes, a version that grows with every change (what the event streams wait
 * on), the time it was last seen by a page (the registry ends runs nobody looks at), and a training thread that
 * {@link #play} starts and {@link #pause} ends.
 */
abstract class Run {
    final String id;
    final ReentrantLock lock = new ReentrantLock(true);     // fair: a reader waits at most one slice
    private final Object signal = new Object();
    private long version;
    private volatile long lastSeen = System.nanoTime();
    private volatile int watchers;
    private volatile boolean closed;
    private volatile String fault;
    private Thread worker;

    Run(String id) {
        this.id = id;
    }

    /** {@code playground} or {@code train}. */
    abstract String kind();

    /**
     * The run's state as JSON: what GET returns and the event stream sends. Called under {@link #lock}.
     *
     * @return one JSON object
     */
    abstract String state();

    /** The work of the training thread, until paused, done or closed; called without the lock. */
    abstract void work() throws InterruptedException;

    /** True while the training thread runs. */
    final synchronized boolean playing() {
        return worker != null && worker.isAlive();
    }

    /** Starts the training thread, unless it runs. */
    final synchronized void play() {
        if (closed) {
            throw new ApiError(409, null, "run " + id + " has ended");
        }
        if (playing()) {
            return;
        }
        worker = Thread.ofVirtual().name("studio-run-" + id).start(() -> {
            try {
                work();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            } catch (RuntimeException | Error e) {
                // the page shows this as the run's failure, instead of a run that stopped for no reason it can see
                fault = "the training thread failed: " + e;
                System.err.println("lanes studio: run " + id + ": " + fault);
                e.printStackTrace();
            } finally {
                changed();
            }
        });
        changed();
    }

    /** Stops the training thread and waits for it. */
    final void pause() {
        Thread w;
        synchronized (this) {
            w = worker;
            worker = null;
        }
        if (w != null) {
            w.interrupt();
            try {
                w.join(10_000);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }
        changed();
    }

    /**
     * What ended the training thread when it failed, for the page: the exception's class and message; null while
     * it has not failed.
     */
    final String fault() {
        return fault;
    }

    /** True when the training thread should stop. */
    final boolean stopping() {
        return closed || Thread.currentThread().isInterrupted();
    }

    /** Marks a change: every event stream sends the new state. */
    final void changed() {
        synchronized (signal) {
            version++;
            signal.notifyAll();
        }
    }

    /**
     * Waits until the version is past {@code seen} or {@code millis} pass.
     *
     * @return the version now
     */
    final long awaitChange(long seen, long millis) throws InterruptedException {
        long end = System.nanoTime() + millis * 1_000_000L;
        synchronized (signal) {
            while (version <= seen && !closed) {
                long left = (end - System.nanoTime()) / 1_000_000L;
                if (left <= 0) {
                    break;
                }
                signal.wait(left);
            }
            return version;
        }
    }

    final long version() {
        synchronized (signal) {
            return version;
        }
    }

    /** A page used the run now. */
    final void touch() {
        lastSeen = System.nanoTime();
    }

    /** An event stream opened (+1) or closed (-1). */
    final synchronized void watch(int delta) {
        watchers += delta;
        touch();
    }

    /** True when no stream watches the run and no request touched it for {@code idleNanos}. */
    final boolean idle(long now, long idleNanos) {
        return watchers == 0 && now - lastSeen > idleNanos;
    }

    final boolean closed() {
        return closed;
    }

    /** Ends the run: its thread stops, its streams end. */
    void close() {
        closed = true;
        pause();
        synchronized (signal) {
            signal.notifyAll();
        }
    }
}
