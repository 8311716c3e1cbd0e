package lanes.engine.internal;

import static lanes.engine.Simd.LANES;

import lanes.engine.Parallel;

/**
 * The split of an elementwise pass over {@code n} contiguous elements into one range per thread, in order (part 0,
 * the caller's, first), each starting on a whole vector. Every pass split by this class splits the same array the
 * same way, so that a thread finds in its own cache the range it wrote in the pass before (the optimizer's update,
 * then the gradient's zeroing, then the next forward product's rows of the weights).
 */
public final class Ranges {
    /** Elements below which a pass runs on its caller alone: 64 K (256 KB of floats). */
    public static final int PARALLEL_MIN = 1 << 16;

    private Ranges() {
    }

    /**
     * The number of ranges for {@code n} elements: 1 below {@link #PARALLEL_MIN}, else up to one per thread, none
     * shorter than half of it.
     *
     * @param n the elements
     * @return the ranges, at least 1
     */
    public static int parts(int n) {
        return n < PARALLEL_MIN ? 1 : Math.max(1, Math.min(Parallel.threads(), n / (PARALLEL_MIN / 2)));
    }

    /**
     * The first element of range {@code p} of {@code parts} over {@code n} ({@code n} for {@code p == parts}): as
     * even as whole vectors allow.
     *
     * @param n the elements
     * @param p the range, 0 to parts
     * @param parts the ranges
     * @return the range's first element
     */
    public static int from(int n, int p, int parts) {
        return p == parts ? n : (int) ((long) (n / LANES) * p / parts) * LANES;
    }
}
