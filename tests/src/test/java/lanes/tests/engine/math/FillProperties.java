package lanes.tests.engine.math;

import static org.junit.jupiter.api.Assertions.assertEquals;

import lanes.engine.math.Fill;
import lanes.tests.Gen;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.constraints.IntRange;

/**
 * A fill sets exactly its range, whether it runs on its caller or, past {@link Fill#PARALLEL_MIN}, in one range per
 * thread: every element inside gets the value, none outside changes.
 */
class FillProperties {

    @Property(tries = 12)
    void aFillSetsItsRangeAndNothingElseOnAnyThreadCount(@ForAll @IntRange(min = 1, max = 3) int threads,
            @ForAll @IntRange(min = 0, max = 3) int lengthsOfMin, @ForAll @IntRange(min = 0, max = 40) int extra,
            @ForAll @IntRange(min = 0, max = 17) int from, @ForAll long seed) {
        int n = lengthsOfMin * Fill.PARALLEL_MIN + extra;
        float[] a = Gen.floats(seed, from + n + 5);
        float[] before = a.clone();
        Gen.onThreads(threads, () -> {
            Fill.fill(a, from, from + n, -2.5f);
            return null;
        });
        for (int i = 0; i < a.length; i++) {
            float expected = i >= from && i < from + n ? -2.5f : before[i];
            if (Float.floatToRawIntBits(a[i]) != Float.floatToRawIntBits(expected)) {
                assertEquals(expected, a[i], "index " + i + " of a fill of [" + from + ", " + (from + n) + ") on "
                        + threads + " threads");
            }
        }
    }
}
