package lanes.reference;

/**
 * GEMM straight from the definition, a triple loop in double:
 * {@code C[i][j] = alpha * sum_p op(A)[i][p] * op(B)[p][j] + beta * C[i][j]}, with beta = 0 ignoring C.
 * Row-major, BLAS argument conventions (see {@code lanes.engine.gemm.Gemm}).
 */
public final class GemmReference {
    private GemmReference() {
    }

    /**
     * op(A)[i][p].
     *
     * @param transA true to use A transposed: op(A) = A^T
     * @param a matrix A, row-major, not modified
     * @param aOff index of A's element (0, 0)
     * @param lda leading dimension of A: the step from one row of A to the next
     * @param i the row
     * @param p the column
     * @return the element
     */
    public static double opA(boolean transA, float[] a, int aOff, int lda, int i, int p) {
        return transA ? a[aOff + p * lda + i] : a[aOff + i * lda + p];
    }

    /**
     * op(B)[p][j].
     *
     * @param transB true to use B transposed: op(B) = B^T
     * @param b matrix B, row-major, not modified
     * @param bOff index of B's element (0, 0)
     * @param ldb leading dimension of B
     * @param p the row
     * @param j the column
     * @return the element
     */
    public static double opB(boolean transB, float[] b, int bOff, int ldb, int p, int j) {
        return transB ? b[bOff + j * ldb + p] : b[bOff + p * ldb + j];
    }

    /**
     * The exact-ish result for every element of C (M x N, row-major, dense), in double.
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
     * @param c matrix C's old contents, not modified
     * @param cOff index of C's element (0, 0)
     * @param ldc leading dimension of C (>= n)
     * @return C, m x n, row-major
     */
    public static double[] sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                 int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff,
                                 int ldc) {
        double[] out = new double[m * n];
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double sum = 0;
                for (int p = 0; p < k; p++) {
                    sum += opA(transA, a, aOff, lda, i, p) * opB(transB, b, bOff, ldb, p, j);
                }
                double old = beta == 0f ? 0 : (double) beta * c[cOff + i * ldc + j];
                out[i * n + j] = (double) alpha * sum + old;
            }
        }
        return out;
    }

    /**
     * Error bound per element: the float sum of K products in any order, scaled by alpha, plus beta*C and the
     * final roundings: gamma(K + 3) * (|alpha| * sum_p |a_ip b_pj| + |beta c_ij|).
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
     * @param c matrix C's old contents, not modified
     * @param cOff index of C's element (0, 0)
     * @param ldc leading dimension of C (>= n)
     * @return the bound per element of C, m x n, row-major
     */
    public static double[] tolerance(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a,
                                     int aOff, int lda, float[] b, int bOff, int ldb, float beta, float[] c,
                                     int cOff, int ldc) {
        double[] tol = new double[m * n];
        double g = Tolerance.gamma(k + 3L);
        for (int i = 0; i < m; i++) {
            for (int j = 0; j < n; j++) {
                double mag = 0;
                for (int p = 0; p < k; p++) {
                    mag += Math.abs(opA(transA, a, aOff, lda, i, p) * opB(transB, b, bOff, ldb, p, j));
                }
                double old = beta == 0f ? 0 : Math.abs((double) beta * c[cOff + i * ldc + j]);
                tol[i * n + j] = g * (Math.abs(alpha) * mag + old) + Float.MIN_NORMAL;
            }
        }
        return tol;
    }
}
