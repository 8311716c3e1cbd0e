package lanes.reference;

/**
 * Level-1 kernels written straight from their definitions, one element at a time, never optimised. Sums are
 * accumulated in double so that the reference is (for our lengths) far more accurate than the kernel under test.
 */
public final class Level1Reference {
    private Level1Reference() {
    }

    /** sum_i x[xOff + i*incX] * y[yOff + i*incY], in double. */
    public static double dot(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += (double) x[xOff + i * incX] * (double) y[yOff + i * incY];
        }
        return sum;
    }

    /** sum_i |x_i * y_i|: the scale of a dot product's rounding error. */
    public static double dotMagnitude(int n, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        double sum = 0;
        for (int i = 0; i < n; i++) {
            sum += Math.abs((double) x[xOff + i * incX] * (double) y[yOff + i * incY]);
        }
        return sum;
    }

    /** y_i + alpha * x_i for every i, rounded once (the exact value, then to float). */
    public static void axpy(int n, float alpha, float[] x, int xOff, int incX, float[] y, int yOff, int incY) {
        for (int i = 0; i < n; i++) {
            y[yOff + i * incY] = (float) ((double) y[yOff + i * incY] + (double) alpha * (double) x[xOff + i * incX]);
        }
    }

    /** x_i * alpha for every i. */
    public static void scale(int n, float alpha, float[] x, int xOff, int incX) {
        for (int i = 0; i < n; i++) {
            x[xOff + i * incX] = x[xOff + i * incX] * alpha;
        }
    }

    /** out_i = a_i + b_i. */
    public static void add(int n, float[] a, int aOff, int incA, float[] b, int bOff, int incB,
                           float[] out, int outOff, int incOut) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * incOut] = a[aOff + i * incA] + b[bOff + i * incB];
        }
    }

    /** out_i = a_i * b_i. */
    public static void mul(int n, float[] a, int aOff, int incA, float[] b, int bOff, int incB,
                           float[] out, int outOff, int incOut) {
        for (int i = 0; i < n; i++) {
            out[outOff + i * incOut] = a[aOff + i * incA] * b[bOff + i * incB];
        }
    }
}
