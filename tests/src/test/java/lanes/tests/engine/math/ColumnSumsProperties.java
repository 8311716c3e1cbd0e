package lanes.tests.engine.math;

import static lanes.tests.Compare.assertBitwiseEqual;

import lanes.engine.Simd;
import lanes.engine.math.ColumnSums;
import lanes.tests.Gen;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * ColumnSums adds every column in row order, so it must equal the plain loop bit for bit, for every row count and
 * width (below, at and around the lane count), and leave the rest of both arrays as it was.
 */
class ColumnSumsProperties {

    @Property
    void columnSumsAreThePlainLoopsBitForBitAndTouchNothingElse(@ForAll @IntRange(min = 0, max = 7) int n,
            @ForAll @IntRange(min = 1, max = 70) int k, @ForAll @IntRange(min = 0, max = 5) int pad,
            @ForAll @IntRange(min = 0, max = 3) int offset, @ForAll long seed) {
        int ldx = k + pad;
        float[] x = Gen.floats(seed, offset + n * ldx + Simd.LANES);
        float[] expected = Gen.floats(seed + 1, offset + k + 3);
        float[] actual = expected.clone();
        for (int i = 0; i < n; i++) {
            for (int j = 0; j < k; j++) {
                expected[offset + j] += x[offset + i * ldx + j];
            }
        }
        float[] xBefore = x.clone();
        ColumnSums.add(n, k, x, offset, ldx, actual, offset);
        String what = "ColumnSums.add(n=" + n + ", k=" + k + ", ldx=" + ldx + ", offset=" + offset + ", seed=" + seed
                + ")";
        assertBitwiseEqual(what, expected, actual);
        assertBitwiseEqual(what + ": x", xBefore, x);
    }
}
