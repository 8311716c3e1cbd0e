package lanes.engine.simd;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Horizontal sums in one fixed order. {@code reduceLanes(ADD)} on floats may add in a different order when C2
 * intrinsifies it than in the interpreter or C1, so the same call could return different bits before and after
 * warm-up. Here every stage adds lane l to lane l ^ s (s = LANES/2, ..., 1; at most 8): lane-wise adds and
 * permutes, exact in every execution mode; wider vectors then add every 16th lane in order.
 *
 * <p>The sum takes an array, never a vector: a {@code FloatVector} handed to a method that C2 did not inline is
 * boxed, and whether C2 inlines a method depends on what it compiled first (a method already compiled on its own
 * into more than {@code InlineSmallCode} bytes is not inlined), so a vector parameter here made some runs allocate
 * on every call for good. A kernel that holds its sum in registers applies {@link #XOR_8} to {@link #XOR_1} in
 * that order itself ({@code Dot}), held to this method bit for bit by a test.
 */
public final class Reduce {
    /** Lane l to lane l ^ 8 (identity where that lane does not exist). */
    public static final VectorShuffle<Float> XOR_8 = xor(8);
    /** Lane l to lane l ^ 4. */
    public static final VectorShuffle<Float> XOR_4 = xor(4);
    /** Lane l to lane l ^ 2. */
    public static final VectorShuffle<Float> XOR_2 = xor(2);
    /** Lane l to lane l ^ 1. */
    public static final VectorShuffle<Float> XOR_1 = xor(1);

    private Reduce() {
    }

    /**
     * The sum of {@code a[offset .. offset + LANES)}, pairwise by lane-index bits from the highest down. Not
     * modified.
     */
    public static float sum(float[] a, int offset) {
        FloatVector v = FloatVector.fromArray(SPECIES, a, offset);
        if (LANES >= 16) {
            v = v.add(v.rearrange(XOR_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(XOR_4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(XOR_2));
        }
        if (LANES >= 2) {
            v = v.add(v.rearrange(XOR_1));
        }
        float s = v.lane(0);
        for (int block = 16; block < LANES; block += 16) {
            s += v.lane(block);
        }
        return s;
    }

    private static VectorShuffle<Float> xor(int s) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = (l ^ s) < LANES ? l ^ s : l;
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }
}
