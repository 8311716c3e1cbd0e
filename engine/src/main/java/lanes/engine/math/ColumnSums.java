package lanes.engine.math;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;

/**
 * Column sums of a row-major matrix added into a vector: the bias gradient of a layer whose output rows are
 * examples ({@code db += sum over the batch of dy}).
 *
 * <pre>
 *   sums[j] += x[0, j] + x[1, j] + ... + x[n-1, j]      for j &lt; k, added row by row in that order
 * </pre>
 *
 * Vectors run across j, so every element is summed in row order whichever lane or tail holds it: the bits are
 * those of the plain loop.
 */
public final class ColumnSums {
    private ColumnSums() {
    }

    /**
     * Adds the column sums of the n x k matrix {@code x} (rows {@code ldx} apart) to {@code sums}.
     *
     * @param n rows
     * @param k columns
     * @param x the matrix, not modified
     * @param xOff index of element (0, 0)
     * @param ldx the step from one row to the next (&gt;= k)
     * @param sums the k sums, added to (modified)
     * @param sOff index of the first sum
     */
    public static void add(int n, int k, float[] x, int xOff, int ldx, float[] sums, int sOff) {
        // x (n, k) rows ldx apart, sums (k) -> sums (k) += column sums
        int bound = Simd.loopBound(k);
        for (int i = 0; i < n; i++) {
            int row = xOff + i * ldx;
            int j = 0;
            for (; j < bound; j += LANES) {
                FloatVector.fromArray(SPECIES, sums, sOff + j).add(FloatVector.fromArray(SPECIES, x, row + j))
                        .intoArray(sums, sOff + j);
            }
            for (; j < k; j++) {
                sums[sOff + j] += x[row + j];
            }
        }
    }
}
