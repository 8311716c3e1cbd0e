package lanes.reference;

import java.util.Random;

/**
 * GEMM cases that the property tests and {@code lanes fuzz} both draw from a seed: shapes mostly small and
 * sometimes past the blocking sizes, both transposes, the scalars BLAS treats specially (alpha -0.5, 1, 2; beta 0,
 * 1, 0.5) and leading dimensions padded by 0 to 2.
 */
public final class GemmCases {
    /**
     * One case: {@code C (m, n) := alpha op(A) op(B) + beta C}, rows of A, B, C padded by padA, padB, padC.
     *
     * @param transA whether A is stored transposed
     * @param transB whether B is stored transposed
     * @param m      rows of C
     * @param n      columns of C
     * @param k      the inner dimension
     * @param alpha  the product's scale
     * @param beta   C's scale
     * @param padA   extra elements per row of A
     * @param padB   extra elements per row of B
     * @param padC   extra elements per row of C
     */
    public record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int padA,
                       int padB, int padC) {
        /**
         * Leading dimension of A.
         *
         * @return lda
         */
        public int lda() {
            return Math.max(1, transA ? m : k) + padA;
        }

        /**
         * Leading dimension of B.
         *
         * @return ldb
         */
        public int ldb() {
            return Math.max(1, transB ? k : n) + padB;
        }

        /**
         * Leading dimension of C.
         *
         * @return ldc
         */
        public int ldc() {
            return Math.max(1, n) + padC;
        }
    }

    private GemmCases() {
    }

    /**
     * A case drawn from {@code r}.
     *
     * @param r the source
     * @return a case
     */
    public static Case random(Random r) {
        int m = size(r);
        int n = size(r);
        int k = size(r);
        boolean ta = r.nextBoolean();
        boolean tb = r.nextBoolean();
        float alpha = new float[] {1f, -0.5f, 2f}[r.nextInt(3)];
        float beta = new float[] {0f, 1f, 0.5f}[r.nextInt(3)];
        return new Case(ta, tb, m, n, k, alpha, beta, r.nextInt(3), r.nextInt(3), r.nextInt(3));
    }

    // mostly small, sometimes past the blocking sizes
    private static int size(Random r) {
        return r.nextInt(8) == 0 ? 1 + r.nextInt(400) : 1 + r.nextInt(70);
    }
}
