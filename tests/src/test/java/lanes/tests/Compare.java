package lanes.tests;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.Arrays;

/** Assertions whose failures say where and by how much: the index, the values, the tolerance, the worst difference. */
public final class Compare {
    private Compare() {
    }

    /**
     * Asserts {@code |actual[i] - expected[i]| <= tolerance[i]} for every i (NaN only matches NaN).
     *
     * @param what the operation and its inputs (shape, strides, offsets), printed on failure
     */
    public static void assertClose(String what, double[] expected, float[] actual, double[] tolerance) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " elements, got " + actual.length);
        }
        int worst = -1;
        double worstExcess = 0;
        int failures = 0;
        double maxDiff = 0;
        for (int i = 0; i < expected.length; i++) {
            double e = expected[i];
            double a = actual[i];
            if (Double.isNaN(e) || Double.isNaN(a)) {
                if (Double.isNaN(e) != Double.isNaN(a)) {
                    failures++;
                    if (worst < 0 || worstExcess < Double.POSITIVE_INFINITY) {
                        worst = i;
                        worstExcess = Double.POSITIVE_INFINITY;
                    }
                }
                continue;
            }
            double diff = e == a ? 0 : Math.abs(a - e);
            maxDiff = Math.max(maxDiff, diff);
            if (!(diff <= tolerance[i])) {
                failures++;
                double excess = diff / Math.max(tolerance[i], Double.MIN_VALUE);
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
        }
        if (failures > 0) {
            fail(String.format("%s: %d of %d elements outside tolerance; worst at index %d: expected %s, actual %s,"
                            + " |diff| %.3e > tolerance %.3e; largest |diff| overall %.3e",
                    what, failures, expected.length, worst, expected[worst], actual[worst],
                    Math.abs(actual[worst] - expected[worst]), tolerance[worst], maxDiff));
        }
    }

    /** Asserts the two arrays are equal bit for bit (NaN equal to NaN), printing the first differing index. */
    public static void assertBitwiseEqual(String what, float[] expected, float[] actual) {
        if (expected.length != actual.length) {
            fail(what + ": expected " + expected.length + " elements, got " + actual.length);
        }
        for (int i = 0; i < expected.length; i++) {
            if (Float.floatToIntBits(expected[i]) != Float.floatToIntBits(actual[i])) {
                int diffs = 0;
                for (int j = 0; j < expected.length; j++) {
                    if (Float.floatToIntBits(expected[j]) != Float.floatToIntBits(actual[j])) {
                        diffs++;
                    }
                }
                fail(String.format("%s: %d of %d elements differ; first at index %d: expected %s, actual %s"
                                + " (tolerance 0, |diff| %.3e)", what, diffs, expected.length, i, expected[i],
                        actual[i], Math.abs(expected[i] - actual[i])));
            }
        }
    }

    /** Widens a float array for {@link #assertClose}. */
    public static double[] widen(float[] a) {
        double[] out = new double[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = a[i];
        }
        return out;
    }

    /** A tolerance array of one value. */
    public static double[] uniform(int n, double tolerance) {
        double[] t = new double[n];
        Arrays.fill(t, tolerance);
        return t;
    }

    /** Every array element outside the view's addresses is as it was. */
    public static void assertOnlyViewChanged(String op, lanes.engine.Tensor view, float[] before) {
        boolean[] inView = new boolean[before.length];
        for (int[] idx : lanes.reference.Indexing.allIndices(view.shape())) {
            inView[lanes.reference.Indexing.address(view, idx)] = true;
        }
        for (int i = 0; i < before.length; i++) {
            if (!inView[i] && Float.floatToIntBits(before[i]) != Float.floatToIntBits(view.data()[i])) {
                throw new AssertionError(op + " wrote outside its output view " + view + " at array index " + i
                        + ": " + before[i] + " became " + view.data()[i]);
            }
        }
    }

    /** {@code start + delta} elementwise, in double. */
    public static double[] plus(float[] start, double[] delta) {
        double[] out = new double[delta.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = start[i] + delta[i];
        }
        return out;
    }

    /** The dot product of two arrays, in double. */
    public static double dot(float[] a, float[] b) {
        double s = 0;
        for (int i = 0; i < a.length; i++) {
            s += (double) a[i] * b[i];
        }
        return s;
    }

    /** {@code |a|} elementwise. */
    public static float[] abs(float[] a) {
        float[] out = new float[a.length];
        for (int i = 0; i < a.length; i++) {
            out[i] = Math.abs(a[i]);
        }
        return out;
    }

    /** Asserts that {@code call} throws a RuntimeException whose message contains every fragment. */
    public static void assertMessage(Runnable call, String... fragments) {
        RuntimeException e = assertThrows(RuntimeException.class, call::run);
        for (String f : fragments) {
            assertTrue(e.getMessage() != null && e.getMessage().contains(f),
                    "message \"" + e.getMessage() + "\" should contain \"" + f + "\"");
        }
    }
}
