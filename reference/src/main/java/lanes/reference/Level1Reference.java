package lanes.reference;

/**
 * Level-1 kernels written straight from their definitions, one element at a time, never optimised. Sums are
 * accumulated in double so that the reference is (for our lengths) far more accurate than the kernel under test.
 */
public final class Level1Reference {
    private Level1Reference() {
    }

    /**
     * sum_i x[xOff + i*incX] * y[yOff + i*incY], in double.
     *
     * @param n number of elements (>= 0)
     * @param x the array x, not modified
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     * @param y the array y, not modified
     * @param yOff index of y's first element
     * @param incY step between y's elements (may be 0)
     * @return the exact sum, rounded to double
     */
    public static double dot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[xOff + i * incX] * (double) y[yOff + i * incY];
        }
        return sum;
    }

    /**
     * sum_i |x_i * y_i|: the scale of a dot product's rounding error.
     *
     * @param n number of elements (>= 0)
     * @param x the array x, not modified
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     * @param y the array y, not modified
     * @param yOff index of y's first element
     * @param incY step between y's elements (may be 0)
     * @return the magnitude
     */
    public static double dotMagnitude(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs((double) x[xOff + i * incX] * (double) y[yOff + i * incY]);
        }
        return sum;
    }

    /**
     * y_i + alpha * x_i for every i, rounded once (the exact value, then to float).
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
        for (int i = 0; i < n; i++) {
            y[yOff + i * incY] = (float) ((double) y[yOff + i * incY] + (double) alpha * (double) x[xOff + i * incX]);
        }
    }

    /**
     * x_i * alpha for every i.
     *
     * @param n number of elements (>= 0)
     * @param alpha the scale alpha
     * @param x the array x, modified
     * @param xOff index of x's first element
     * @param incX step between x's elements (may be 0)
     */
    public static void scale(int n, float alpha, float[] x, int xOff, int incX) {
        for (int i = 0; i < n; i++) {
            x[xOff + i * incX] = x[xOff + i * incX] * alpha;
        }
    }

    /**
     * out_i = a_i + b_i.
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
        for (int i = 0; i < n; i++) {
            out[outOff + i * incOut] = a[aOff + i * incA] + b[bOff + i * incB];
        }
    }

    /**
     * out_i = a_i * b_i.
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
        for (int i = 0; i < n; i++) {
            out[outOff + i * incOut] = a[aOff + i * incA] * b[bOff + i * incB];
        }
    }
}
