package lanes.engine.gemm;

import java.util.concurrent.atomic.AtomicIntegerArray;
import java.util.function.IntConsumer;
import lanes.engine.internal.CallArguments;

/**
 * One GEMM call's arguments, {@code C := alpha * A B + beta * C} over three {@link Operand}s (A and B already
 * op(A), op(B): their strides say whether they are transposed), in a block each thread reuses
 * ({@link CallArguments}). When the product is split over threads, the block also says how, and its parts each
 * run the blocking loops over one block of rows or columns of C.
 *
 * <pre>
 *   try (GemmCall call = GemmCall.start()) {
 *       call.a.set(a, aOff, rsA, csA);  call.b.set(...);  call.c.set(c, cOff, ldc, 1);
 *       Gemm.gemm(call.product(m, n, k, alpha, beta, epilogue), threads);
 *   }
 * </pre>
 */
final class GemmCall extends CallArguments {
    private static final ThreadLocal<GemmCall> MINE = ThreadLocal.withInitial(GemmCall::new);

    /** op(A), M x K; not modified. */
    final Operand a = new Operand();
    /** op(B), K x N; not modified. */
    final Operand b = new Operand();
    /** C, M x N, unit column stride; modified. */
    final Operand c = new Operand();
    int m;
    int n;
    int k;
    float alpha;
    float beta;
    /** Run on each finished block of C, or null. */
    Epilogue epilogue;

    // How a multi-threaded call is split: parts of whole units (MR rows or NR columns) of C.
    boolean byRows;
    int unit;
    int units;
    int extent;
    int parts;
    boolean directB;
    final IntConsumer part = this::part;

    // The rows of C shared by the team in row blocks (shareRows): member m owns the m-th run of rowBlocks / team
    // blocks; per step (jc, pc) of the loop nest and member, how many blocks of its run are claimed from either
    // end; per block, the steps done.
    int rowBlocks;
    private int team;
    private AtomicIntegerArray claimed = new AtomicIntegerArray(0);
    private AtomicIntegerArray done = new AtomicIntegerArray(0);
    final IntConsumer member = p -> GemmBlocking.forThisThread().runShared(this, p);

    /** This thread's block for a new call (a fresh one if a call of this thread is running). */
    static GemmCall start() {
        return borrow(MINE, GemmCall::new);
    }

    /**
     * Sets the sizes, scalars and epilogue (the operands are set on {@link #a}, {@link #b}, {@link #c});
     * returns this.
     */
    GemmCall product(int m, int n, int k, float alpha, float beta, Epilogue epilogue) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.epilogue = epilogue;
        return this;
    }

    /** Multiply-adds of the product. */
    long multiplyAdds() {
        return (long) m * n * k;
    }

    @Override
    protected void clear() {
        a.clear();
        b.clear();
        c.clear();
        epilogue = null;
    }

    /** Splits the product by rows of C (else by columns) into {@code parts} parts of whole {@code unit}s. */
    void split(boolean byRows, int unit, int parts) {
        this.byRows = byRows;
        this.unit = unit;
        this.extent = byRows ? m : n;
        this.units = (extent + unit - 1) / unit;
        this.parts = parts;
    }

    /**
     * Shares C's rows among a team of {@code team} in {@code rowBlocks} blocks over {@code steps} steps of the loop
     * nest ({@link GemmBlocking#runShared}): at each step every member packs the step's panel of B, runs its own
     * blocks and then claims the blocks of the others that none has started.
     */
    void shareRows(int rowBlocks, int team, int steps) {
        this.rowBlocks = rowBlocks;
        this.team = team;
        if (claimed.length() < steps * team * PAD) {
            claimed = new AtomicIntegerArray(steps * team * PAD);
        }
        if (done.length() < rowBlocks * PAD) {
            done = new AtomicIntegerArray(rowBlocks * PAD);
        }
        for (int i = 0; i < steps * team; i++) {
            claimed.set(i * PAD, 0);
        }
        for (int i = 0; i < rowBlocks; i++) {
            done.set(i * PAD, 0);
        }
    }

    /** True if step {@code step} has row blocks no member has claimed yet (else its panel of B need not be packed). */
    boolean hasUnclaimed(int step) {
        int per = rowBlocks / team;
        for (int owner = 0; owner < team; owner++) {
            int v = claimed.get((step * team + owner) * PAD);
            if ((v & 0xFFFF) + (v >>> 16) < per) {
                return true;
            }
        }
        return false;
    }

    /**
     * The next row block of step {@code step} for member {@code member}: the first unclaimed one of its own run of
     * blocks, or else the last unclaimed one of another member's run; {@link #rowBlocks} when every block is claimed.
     * Member m owns the m-th run of {@code rowBlocks / team} blocks, in every step, and so keeps its rows of C in its
     * core's cache from step to step, unless a slower member has left some to the others (taken from the end of
     * its run, which it reaches last). Owning every team-th block instead cost 5-10 % on 512^3 at 256 bits.
     */
    int claim(int step, int member) {
        int per = rowBlocks / team;
        for (int v = 0; v < team; v++) {
            int owner = (member + v) % team;
            int at = (step * team + owner) * PAD;
            // low 16 bits: blocks claimed from the front of the run (by its owner), high: from its end (by others)
            for (int c = claimed.get(at); (c & 0xFFFF) + (c >>> 16) < per; c = claimed.get(at)) {
                if (v == 0 && claimed.compareAndSet(at, c, c + 1)) {
                    return owner * per + (c & 0xFFFF);
                }
                if (v > 0 && claimed.compareAndSet(at, c, c + (1 << 16))) {
                    return owner * per + per - 1 - (c >>> 16);
                }
            }
        }
        return rowBlocks;
    }

    /**
     * Waits until row block {@code block} has been through the steps before {@code step}: the rank-KC updates of a
     * block of C run in order, each after the one before it. The member that claimed the step before is at work on
     * it (every member claims the steps in order), so the wait is short and ends.
     */
    void awaitSteps(int block, int step) {
        while (done.get(block * PAD) < step) {
            Thread.onSpinWait();
        }
    }

    /** Records that row block {@code block} has been through step {@code step}. */
    void finishStep(int block, int step) {
        done.set(block * PAD, step + 1);
    }

    /** Ints between two counters: one cache line each. */
    private static final int PAD = 16;

    /** First row (or column) of part {@code part}: whole units, split as evenly as they go. */
    private int from(int part) {
        return (int) ((long) units * part / parts) * unit;
    }

    /** End of part {@code part}: the next part's start, or the extent for the last. */
    private int to(int part) {
        return Math.min(extent, (int) ((long) units * (part + 1) / parts) * unit);
    }

    // part `part` on its own: a block of rows (or of columns, when C is wide)
    private void part(int part) {
        int from = from(part);
        int to = to(part);
        if (byRows) {
            GemmBlocking.forThisThread().run(this, from, to - from, 0, n, directB);
        } else {
            GemmBlocking.forThisThread().run(this, 0, m, from, to - from);
        }
    }
}
