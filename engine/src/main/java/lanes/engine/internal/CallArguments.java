package lanes.engine.internal;

import java.util.function.Supplier;

/**
 * A kernel call's arguments, held in fields for its parallel parts to read, in a block that each thread reuses: a
 * call borrows its thread's block and gives it back when it ends, and {@link lanes.engine.Parallel#run} is handed the block's
 * fixed part objects, so that a warm call allocates no closure. A call made while its thread's block is out (a
 * kernel run from inside one of its own parts) gets a fresh block.
 *
 * <pre>
 *   try (Call c = Call.start(spec)) {      // borrow
 *       c.out = y; ...                     // the arguments
 *       Parallel.run(parts, c.forward);    // c.forward = p -> forwardPart(c, p), made once per block
 *   }                                      // give back: references to the caller's arrays dropped
 * </pre>
 */
public abstract class CallArguments implements AutoCloseable {
    private boolean lent;

    /** This thread's block from {@code mine}, or a new one from {@code fresh} if that one is lent out already. */
    protected static <A extends CallArguments> A borrow(ThreadLocal<A> mine, Supplier<A> fresh) {
        A a = mine.get();
        if (((CallArguments) a).lent) {
            a = fresh.get();
        }
        ((CallArguments) a).lent = true;
        return a;
    }

    /** Ends the call: drops the references to the caller's arrays ({@link #clear}) and frees the block. */
    @Override
    public final void close() {
        clear();
        lent = false;
    }

    /** Sets every array and object field to null, so that nothing of the caller's stays reachable. */
    protected abstract void clear();
}
