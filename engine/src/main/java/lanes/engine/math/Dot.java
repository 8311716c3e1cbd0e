package lanes.engine.math;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.internal.Checks;
import lanes.engine.internal.RowCursor;
import lanes.engine.simd.Reduce;

/** Dot products: {@code sum_i x_i * y_i}, over raw arrays with offsets and increments, or over tensor views. */
public final class Dot {
    private Dot() {
    }

    /**
     * Returns {@code sum_{i<n} x[xOff + i*incX] * y[yOff + i*incY]} (0 for {@code n = 0}). Neither array is
     * modified. Increments may be 0 (one element repeated).
     *
     * @param n number of elements (>= 0)
     * @param x the array x
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     * @param y the array y
     * @param yOff index of y's first element
     * @param incY step between y's elements (may be 0)
     * @return the dot product
     * @throws IllegalArgumentException if {@code n} or an increment is negative
     * @throws IndexOutOfBoundsException if an element lies outside its array
     */
    public static float dot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        Checks.strided("dot", "x", n, x, xOff, incX, true);
        Checks.strided("dot", "y", n, y, yOff, incY, true);
        if (incX == 1 && incY == 1) {
            return dotUnit(n, x, xOff, y, yOff);
        }
        return dotStrided(n, x, xOff, incX, y, yOff, incY);
    }

    /**
     * The sum of the products of corresponding elements of two views of the same shape: for rank 1, the dot
     * product; for matrices, the Frobenius inner product.
     *
     * @param x one view, not modified
     * @param y the other, of the same shape, not modified
     * @return the sum of products
     * @throws IllegalArgumentException if the shapes differ
     */
    public static float dot(Tensor x, Tensor y) {
        RowCursor rows = new RowCursor(x, y);
        int n = rows.rowLength();
        int incX = rows.rowStride(0);
        int incY = rows.rowStride(1);
        float sum = 0f;
        while (rows.next()) {
            sum += dot(n, x.data(), rows.rowOffset(0), incX, y.data(), rows.rowOffset(1), incY);
        }
        return sum;
    }

    // x (n), y (n) -> sum x*y; four accumulators cover the FMA latency of a load-bound loop.
    static float dotUnit(int n, float[] x, int xOff, float[] y, int yOff) {
        FloatVector acc0 = FloatVector.zero(SPECIES);
        FloatVector acc1 = FloatVector.zero(SPECIES);
        FloatVector acc2 = FloatVector.zero(SPECIES);
        FloatVector acc3 = FloatVector.zero(SPECIES);
        int bound = Simd.loopBound(n);
        int i = 0;
        for (; i < bound - 3 * LANES; i += 4 * LANES) {
            acc0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
            acc1 = FloatVector.fromArray(SPECIES, x, xOff + i + LANES)
                    .fma(FloatVector.fromArray(SPECIES, y, yOff + i + LANES), acc1);
            acc2 = FloatVector.fromArray(SPECIES, x, xOff + i + 2 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 2 * LANES), acc2);
            acc3 = FloatVector.fromArray(SPECIES, x, xOff + i + 3 * LANES)
                    .fma(FloatVector.fromArray(SPECIES, y, yOff + i + 3 * LANES), acc3);
        }
        for (; i < bound; i += LANES) {
            acc0 = FloatVector.fromArray(SPECIES, x, xOff + i).fma(FloatVector.fromArray(SPECIES, y, yOff + i), acc0);
        }
        // the lanes' sum in Reduce.sum's order, here rather than by a call (a vector passed to a method is boxed
        // whenever C2 does not inline it)
        FloatVector v = acc0.add(acc1).add(acc2.add(acc3));
        if (LANES >= 16) {
            v = v.add(v.rearrange(Reduce.XOR_8));
        }
        if (LANES >= 8) {
            v = v.add(v.rearrange(Reduce.XOR_4));
        }
        if (LANES >= 4) {
            v = v.add(v.rearrange(Reduce.XOR_2));
        }
        if (LANES >= 2) {
            v = v.add(v.rearrange(Reduce.XOR_1));
        }
        float sum = v.lane(0);
        for (int block = 16; block < LANES; block += 16) {
            sum += v.lane(block);
        }
        for (; i < n; i++) {
            sum = Math.fma(x[xOff + i], y[yOff + i], sum);
        }
        return sum;
    }

    // x (n) strided, y (n) strided -> sum x*y; four scalar chains.
    static float dotStrided(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        float s0 = 0f;
        float s1 = 0f;
        float s2 = 0f;
        float s3 = 0f;
        int i = 0;
        int xi = xOff;
        int yi = yOff;
        for (; i + 3 < n; i += 4, xi += 4 * incX, yi += 4 * incY) {
            s0 = Math.fma(x[xi], y[yi], s0);
            s1 = Math.fma(x[xi + incX], y[yi + incY], s1);
            s2 = Math.fma(x[xi + 2 * incX], y[yi + 2 * incY], s2);
            s3 = Math.fma(x[xi + 3 * incX], y[yi + 3 * incY], s3);
        }
        for (; i < n; i++, xi += incX, yi += incY) {
            s0 = Math.fma(x[xi], y[yi], s0);
        }
        return (s0 + s1) + (s2 + s3);
    }
}
