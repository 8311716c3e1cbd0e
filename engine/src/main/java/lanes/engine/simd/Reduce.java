package lanes.engine.simd;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;

/**
 * Horizontal sums in one fixed order. {@code reduceLanes(ADD)} on floats may add in a different order when C2
 * intrinsifies it than in the interpreter or C1, so the same call could return different bits before and after
 * warm-up. Here every stage adds lane l to lane l ^ s (s = LANES/2, ..., 1): lane-wise adds and permutes, exact
 * in every execution mode.
 */
public final class Reduce {
    private static final VectorShuffle<Float> XOR_8 = xor(8);
    private static final VectorShuffle<Float> XOR_4 = xor(4);
    private static final VectorShuffle<Float> XOR_2 = xor(2);
    private static final VectorShuffle<Float> XOR_1 = xor(1);

    private Reduce() {
    }

    /** The sum of the lanes of {@code v}, pairwise by lane-index bits from the highest down. */
    public static float sum(FloatVector v) {
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
        if (LANES > 16) {
            // Wider machines: finish the remaining high bits the same way, lane by lane in a fixed order.
            float s = 0f;
            for (int block = 0; block < LANES; block += 16) {
                s += v.lane(block);
            }
            return s;
        }
        return v.lane(0);
    }

    private static VectorShuffle<Float> xor(int s) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = (l ^ s) < LANES ? l ^ s : l;
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }
}
