package lanes.reference;

import java.util.Locale;
import java.util.Random;

/**
 * Freivalds' check of a product too large for the triple loop: C := alpha op(A) op(B) + beta C0 holds (up to
 * rounding) if, for a random vector v of +-1, {@code C v} equals {@code alpha op(A) (op(B) v) + beta C0 v}; a wrong
 * element of C shows with probability at least 1/2 per vector, and the sums cost O(n^2), not O(n^3). The bound is
 * each side's gamma_(k+n+3) times the sum of the magnitudes it adds, plus two ulps of the result.
 *
 * <pre>
 *   op(A) m x k: a[aOff + i*lda + p] (transA: a[aOff + p*lda + i])
 *   op(B) k x n: b[bOff + p*ldb + j] (transB: b[bOff + j*ldb + p])
 *   C, C0 m x n: c[cOff + i*ldc + j]
 * </pre>
 */
public final class Freivalds {
    private Freivalds() {
    }

    /**
     * Where a product failed the check: row i of C v against the reference, and the tolerance.
     *
     * @param row       the row of C v that failed
     * @param got       C v there
     * @param want      alpha op(A) op(B) v + beta C0 v there
     * @param tolerance the difference allowed
     */
    public record Failure(int row, double got, double want, double tolerance) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "row %d of C v is %s, alpha op(A) op(B) v + beta C0 v is %s, |diff| %s"
                    + " > tolerance %s", row, got, want, Math.abs(got - want), tolerance);
        }
    }

    /**
     * The first row where {@code c} fails the check against {@code c0} (the C before the product; null or ignored
     * when beta is 0), with v drawn from {@code seed}, or null if every row passes. Nothing is modified.
     *
     * @param transA true to use A transposed: op(A) = A^T
     * @param transB true to use B transposed: op(B) = B^T
     * @param m rows of op(A) and of C
     * @param n columns of op(B) and of C
     * @param k columns of op(A), rows of op(B)
     * @param alpha scale of the product
     * @param a matrix A, row-major, not modified
     * @param aOff index of A's element (0, 0)
     * @param lda leading dimension of A: the step from one row of A to the next
     * @param b matrix B, row-major, not modified
     * @param bOff index of B's element (0, 0)
     * @param ldb leading dimension of B
     * @param beta scale of C's old contents (0: they are not read)
     * @param c0 C before the product (read where beta is not 0)
     * @param c the computed C, not modified
     * @param cOff index of C's element (0, 0)
     * @param ldc leading dimension of C (>= n)
     * @param seed seed of the test vector
     * @return null, or the first failing row
     */
    public static Failure check(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c0, float[] c,
                                int cOff, int ldc, long seed) {
        Random r = new Random(seed);
        double[] v = new double[n];
        for (int j = 0; j < n; j++) {
            v[j] = r.nextBoolean() ? 1 : -1;
        }
        double[] bv = new double[k];           // op(B) v, and sum |op(B)| |v| for the bound
        double[] bvMag = new double[k];
        for (int p = 0; p < k; p++) {
            for (int j = 0; j < n; j++) {
                double x = GemmReference.opB(transB, b, bOff, ldb, p, j) * v[j];
                bv[p] += x;
                bvMag[p] += Math.abs(x);
            }
        }
        double g = Tolerance.gamma(k + n + 3L);
        for (int i = 0; i < m; i++) {
            double sum = 0;
            double mag = 0;
            for (int p = 0; p < k; p++) {
                double ai = GemmReference.opA(transA, a, aOff, lda, i, p);
                sum += ai * bv[p];
                mag += Math.abs(ai) * bvMag[p];
            }
            double cv = 0;
            double cvMag = 0;
            double got = 0;
            for (int j = 0; j < n; j++) {
                if (beta != 0f) {
                    double old = (double) beta * c0[cOff + i * ldc + j];
                    cv += old * v[j];
                    cvMag += Math.abs(old);
                }
                got += c[cOff + i * ldc + j] * v[j];
            }
            double want = alpha * sum + cv;
            // each element of C carries its own gamma_k bound; summing n of them times +-1 adds n more roundings
            double tol = g * (Math.abs(alpha) * mag + cvMag) + Math.ulp((float) got) * 2;
            if (!(Math.abs(got - want) <= tol)) {
                return new Failure(i, got, want, tol);
            }
        }
        return null;
    }
}
