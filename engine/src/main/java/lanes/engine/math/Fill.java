package lanes.engine.math;

import java.util.Arrays;
import java.util.Objects;
import java.util.function.IntConsumer;
import lanes.engine.Parallel;
import lanes.engine.internal.CallArguments;
import lanes.engine.internal.Ranges;

/**
 * Sets a range of an array to one value. A fill of at least {@link #PARALLEL_MIN} elements runs on
 * {@link Parallel#threads()} threads, one contiguous range each, in order (the caller's first), the ranges an
 * optimizer's update of the same array takes ({@link SgdUpdate}): zeroing the gradients after an update then
 * finds each range in the cache of the thread that last wrote it. On one thread, the caller pulled the other
 * thread's half of every gradient over (the MLP 784-256-128-10's step on 2 threads, Zen 5: 5 % of its samples).
 */
public final class Fill {
    /** Elements below which a fill runs on its caller alone: 64 K. */
    public static final int PARALLEL_MIN = Ranges.PARALLEL_MIN;

    /** One fill's arguments ({@link CallArguments}); part p fills range p of {@code parts}. */
    private static final class Call extends CallArguments {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        float[] a;
        int from;
        int n;
        int parts;
        float value;
        final IntConsumer part = p -> Arrays.fill(a, from + Ranges.from(n, p, parts),
                from + Ranges.from(n, p + 1, parts), value);

        static Call start() {
            return borrow(MINE, Call::new);
        }

        @Override
        protected void clear() {
            a = null;
        }
    }

    private Fill() {
    }

    /**
     * {@code a[from .. to) = value}.
     *
     * @param a the array, modified
     * @param from the first index
     * @param to one past the last index
     * @param value the value
     */
    public static void fill(float[] a, int from, int to, float value) {
        int n = to - from;
        int parts = Ranges.parts(n);
        if (parts == 1) {
            Arrays.fill(a, from, to, value);
            return;
        }
        Objects.checkFromToIndex(from, to, a.length);
        try (Call c = Call.start()) {
            c.a = a;
            c.from = from;
            c.n = n;
            c.parts = parts;
            c.value = value;
            Parallel.run(parts, c.part);
        }
    }
}
