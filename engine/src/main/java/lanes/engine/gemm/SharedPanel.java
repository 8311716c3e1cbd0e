package lanes.engine.gemm;

import java.util.concurrent.atomic.AtomicInteger;

/**
 * The packed panel of B that the threads of one multi-threaded GEMM share when they split C by rows: each member
 * packs its share of the panel's micro-panels, all wait at a barrier, all compute their rows against the whole
 * panel, and wait again before the next panel overwrites it. Without it every thread would pack all of B.
 */
final class SharedPanel {
    private final int team;
    private final AtomicInteger arrived = new AtomicInteger();
    private volatile int phase;
    private volatile boolean broken;
    float[] packedB = new float[0];

    SharedPanel(int team) {
        this.team = team;
    }

    int team() {
        return team;
    }

    /** Grows the shared buffer; called before the team starts, by one thread. */
    void ensure(int floats) {
        if (packedB.length < floats) {
            packedB = new float[floats];
        }
    }

    /** Waits, spinning, until every member has arrived; throws if a member failed. */
    void await() {
        int myPhase = phase;
        if (arrived.incrementAndGet() == team) {
            arrived.set(0);
            phase = myPhase + 1;
            return;
        }
        while (phase == myPhase) {
            if (broken) {
                throw new IllegalStateException("another GEMM thread failed");
            }
            Thread.onSpinWait();
        }
    }

    /** Releases the other members when this one fails, so that none waits forever. */
    void breakBarrier() {
        broken = true;
    }
}
