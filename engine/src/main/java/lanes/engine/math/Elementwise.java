package lanes.engine.math;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.internal.Checks;
import lanes.engine.internal.RowCursor;

/**
 * Level-1 kernels over raw arrays (offset and increment per operand) and over tensor views of any strides:
 * {@code y += alpha*x}, {@code x *= alpha}, {@code out = a + b}, {@code out = a * b}.
 *
 * <p>Inputs may have increment 0 (one element repeated, as from {@link Tensor#expand}); outputs need an
 * increment of at least 1. The tensor forms accept an output that is the very same view as an input (in place);
 * an output that shares the array with an input in any other way is computed as if the inputs were read first.
 * The raw-array forms, like BLAS, require an output that is either exactly an input or disjoint from it.
 */
public final class Elementwise {
    private Elementwise() {
    }

    /**
     * {@code y[yOff + i*incY] += alpha * x[xOff + i*incX]} for {@code i < n}, as one fused multiply-add. x not modified.
     *
     * @param n number of elements (>= 0)
     * @param alpha the scale alpha
     * @param x the array x, not modified
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     * @param y the array y, modified
     * @param yOff index of y's first element
     * @param incY step between y's elements (may be 0)
     */
    public static void axpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        Checks.strided("axpy", "x", n, x, xOff, incX, true);
        Checks.strided("axpy", "y", n, y, yOff, incY, false);
        if (incX == 1 && incY == 1) {
            axpyUnit(n, alpha, x, xOff, y, yOff);
        } else {
            for (int i = 0; i < n; i++) {
                y[yOff + i * incY] = Math.fma(alpha, x[xOff + i * incX], y[yOff + i * incY]);
            }
        }
    }

    /**
     * {@code x[xOff + i*incX] *= alpha} for {@code i < n}.
     *
     * @param n number of elements (>= 0)
     * @param alpha the scale alpha
     * @param x the array x, not modified
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     */
    public static void scale(int n, float alpha, float[] x, int xOff, int incX) {
        Checks.strided("scale", "x", n, x, xOff, incX, false);
        if (incX == 1) {
            scaleUnit(n, alpha, x, xOff);
        } else {
            for (int i = 0; i < n; i++) {
                x[xOff + i * incX] *= alpha;
            }
        }
    }

    /**
     * {@code out[i] = a[i] + b[i]} over {@code n} strided elements. a and b not modified.
     *
     * @param n number of elements (>= 0)
     * @param a the array a, not modified
     * @param aOff index of a's first element
     * @param incA step between a's elements
     * @param b the array b, not modified
     * @param bOff index of b's first element
     * @param incB step between b's elements
     * @param out the output array, modified
     * @param outOff index of out's first element
     * @param incOut step between out's elements
     */
    public static void add(int n, float[] a, int aOff, int incA, float[] b, int bOff, int incB,
                           float[] out, int outOff, int incOut) {
        checkBinary("add", n, a, aOff, incA, b, bOff, incB, out, outOff, incOut);
        if (incA == 1 && incB == 1 && incOut == 1) {
            addUnit(n, a, aOff, b, bOff, out, outOff);
        } else {
            for (int i = 0; i < n; i++) {
                out[outOff + i * incOut] = a[aOff + i * incA] + b[bOff + i * incB];
            }
        }
    }

    /**
     * {@code out[i] = a[i] * b[i]} over {@code n} strided elements. a and b not modified.
     *
     * @param n number of elements (>= 0)
     * @param a the array a, not modified
     * @param aOff index of a's first element
     * @param incA step between a's elements
     * @param b the array b, not modified
     * @param bOff index of b's first element
     * @param incB step between b's elements
     * @param out the output array, modified
     * @param outOff index of out's first element
     * @param incOut step between out's elements
     */
    public static void mul(int n, float[] a, int aOff, int incA, float[] b, int bOff, int incB,
                           float[] out, int outOff, int incOut) {
        checkBinary("mul", n, a, aOff, incA, b, bOff, incB, out, outOff, incOut);
        if (incA == 1 && incB == 1 && incOut == 1) {
            mulUnit(n, a, aOff, b, bOff, out, outOff);
        } else {
            for (int i = 0; i < n; i++) {
                out[outOff + i * incOut] = a[aOff + i * incA] * b[bOff + i * incB];
            }
        }
    }

    /**
     * {@code y += alpha * x} for two views of the same shape; y modified, x not.
     *
     * @param alpha the scale alpha
     * @param x the view added, not modified
     * @param y the view added to, modified
     */
    public static void axpy(float alpha, Tensor x, Tensor y) {
        y.requireWritable("axpy");
        Tensor in = readable(x, y);
        RowCursor rows = new RowCursor(in, y);
        while (rows.next()) {
            axpy(rows.rowLength(), alpha, in.data(), rows.rowOffset(0), rows.rowStride(0),
                    y.data(), rows.rowOffset(1), rows.rowStride(1));
        }
    }

    /**
     * {@code x *= alpha}, in place.
     *
     * @param alpha the scale alpha
     * @param x the view scaled, modified
     */
    public static void scale(float alpha, Tensor x) {
        x.requireWritable("scale");
        RowCursor rows = new RowCursor(x);
        while (rows.next()) {
            scale(rows.rowLength(), alpha, x.data(), rows.rowOffset(0), rows.rowStride(0));
        }
    }

    /**
     * {@code out = a + b} for three views of the same shape; out modified.
     *
     * @param a a view, not modified
     * @param b a view of the same shape, not modified
     * @param out the result, of the same shape, modified
     */
    public static void add(Tensor a, Tensor b, Tensor out) {
        out.requireWritable("add");
        Tensor ra = readable(a, out);
        Tensor rb = readable(b, out);
        RowCursor rows = new RowCursor(ra, rb, out);
        while (rows.next()) {
            add(rows.rowLength(), ra.data(), rows.rowOffset(0), rows.rowStride(0), rb.data(), rows.rowOffset(1),
                    rows.rowStride(1), out.data(), rows.rowOffset(2), rows.rowStride(2));
        }
    }

    /**
     * {@code out = a * b} for three views of the same shape; out modified.
     *
     * @param a a view, not modified
     * @param b a view of the same shape, not modified
     * @param out the result, of the same shape, modified
     */
    public static void mul(Tensor a, Tensor b, Tensor out) {
        out.requireWritable("mul");
        Tensor ra = readable(a, out);
        Tensor rb = readable(b, out);
        RowCursor rows = new RowCursor(ra, rb, out);
        while (rows.next()) {
            mul(rows.rowLength(), ra.data(), rows.rowOffset(0), rows.rowStride(0), rb.data(), rows.rowOffset(1),
                    rows.rowStride(1), out.data(), rows.rowOffset(2), rows.rowStride(2));
        }
    }

    // x (n), y (n) -> y += alpha*x
    static void axpyUnit(int n, float alpha, float[] x, int xOff, float[] y, int yOff) {
        FloatVector va = FloatVector.broadcast(SPECIES, alpha);
        int bound = Simd.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector vx = FloatVector.fromArray(SPECIES, x, xOff + i);
            vx.fma(va, FloatVector.fromArray(SPECIES, y, yOff + i)).intoArray(y, yOff + i);
        }
        for (; i < n; i++) {
            y[yOff + i] = Math.fma(x[xOff + i], alpha, y[yOff + i]);
        }
    }

    // x (n) -> x *= alpha
    static void scaleUnit(int n, float alpha, float[] x, int xOff) {
        int bound = Simd.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, x, xOff + i).mul(alpha).intoArray(x, xOff + i);
        }
        for (; i < n; i++) {
            x[xOff + i] *= alpha;
        }
    }

    // a (n), b (n) -> out (n) = a + b
    static void addUnit(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = Simd.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, a, aOff + i).add(FloatVector.fromArray(SPECIES, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] + b[bOff + i];
        }
    }

    // a (n), b (n) -> out (n) = a * b
    static void mulUnit(int n, float[] a, int aOff, float[] b, int bOff, float[] out, int outOff) {
        int bound = Simd.loopBound(n);
        int i = 0;
        for (; i < bound; i += LANES) {
            FloatVector.fromArray(SPECIES, a, aOff + i).mul(FloatVector.fromArray(SPECIES, b, bOff + i))
                    .intoArray(out, outOff + i);
        }
        for (; i < n; i++) {
            out[outOff + i] = a[aOff + i] * b[bOff + i];
        }
    }

    private static void checkBinary(String op, int n, float[] a, int aOff, int incA, float[] b, int bOff, int incB,
                                    float[] out, int outOff, int incOut) {
        Checks.strided(op, "a", n, a, aOff, incA, true);
        Checks.strided(op, "b", n, b, bOff, incB, true);
        Checks.strided(op, "out", n, out, outOff, incOut, false);
    }

    /** {@code in} itself when it cannot be clobbered by writes to {@code out} before it is read; else a copy. */
    private static Tensor readable(Tensor in, Tensor out) {
        return in.sharesData(out) && !in.sameView(out) ? in.copy() : in;
    }
}
