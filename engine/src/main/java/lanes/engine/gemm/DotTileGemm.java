package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorOperators;

/**
 * GEMM as dot products, without packing, for op(A) rows and op(B) columns both contiguous along k (A x B^T, the
 * NT case of a Linear layer) when M is small and K long: there the transposing pack of B costs about as much as
 * the reductions here, and the dot products split over threads without any shared packing.
 *
 * <pre>
 *   op(A) (m, k): row i at a[aOff + i*lda ...], unit stride along k
 *   op(B) (k, n): column j at b[bOff + j*ldb ...], unit stride along k
 *   C (m, n) := alpha * op(A) op(B) + beta * C
 * </pre>
 *
 * A 4 x 4 tile of C holds 16 vector accumulators along k; each is reduced once at the end of the tile.
 */
final class DotTileGemm {
    /** Largest M taken by this path. */
    static final int MAX_M = 96;
    /**
     * Smallest K taken: the 16 reductions that close each tile must be small beside its k loop. Measured against
     * the packed path with its in-register transposing pack (1 thread / 2 threads, GFLOP/s): K = 784 (mlp.fwd_Wt)
     * 163 / 327 here vs 160 / 261 packed; K = 256 (mlp.bwd_dX) 131 / 260 here vs 175 / 263 packed.
     */
    static final int MIN_K = 48 * LANES;

    private DotTileGemm() {
    }

    /** Off with {@code -Dlanes.gemm.dotTiles=false}, to compare with the packed path. */
    static final boolean ENABLED = !"false".equals(System.getProperty("lanes.gemm.dotTiles"));

    static boolean handles(int m, int k, int csA, int rsB) {
        return ENABLED && csA == 1 && rsB == 1 && m <= MAX_M && k >= MIN_K;
    }

    // C columns [j0, j1) of the product; rows in tiles of 4, columns in tiles of 4, scalar-loop edges.
    static void columns(int j0, int j1, int m, int k, float alpha, float[] a, int aOff, int lda, float[] b, int bOff,
                        int ldb, float beta, float[] c, int cOff, int ldc) {
        int i = 0;
        for (; i + 3 < m; i += 4) {
            int j = j0;
            for (; j + 3 < j1; j += 4) {
                tile4x4(k, alpha, a, aOff + i * lda, lda, b, bOff + j * ldb, ldb, beta, c, cOff + i * ldc + j, ldc);
            }
            for (; j < j1; j++) {
                for (int r = 0; r < 4; r++) {
                    one(k, alpha, a, aOff + (i + r) * lda, b, bOff + j * ldb, beta, c, cOff + (i + r) * ldc + j);
                }
            }
        }
        for (; i < m; i++) {
            for (int j = j0; j < j1; j++) {
                one(k, alpha, a, aOff + i * lda, b, bOff + j * ldb, beta, c, cOff + i * ldc + j);
            }
        }
    }

    private static void one(int k, float alpha, float[] a, int ai, float[] b, int bj, float beta, float[] c, int at) {
        MicroKernel.storeOne(c, at, lanes.engine.math.Dot.dot(k, a, ai, 1, b, bj, 1), alpha, beta);
    }

    // A rows (4, k) at a[ai + r*lda], B columns (4, k) at b[bj + s*ldb] -> C (4, 4) at c[ct + r*ldc + s]
    private static void tile4x4(int k, float alpha, float[] a, int ai, int lda, float[] b, int bj, int ldb,
                                float beta, float[] c, int ct, int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c02 = FloatVector.zero(SPECIES);
        FloatVector c03 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c12 = FloatVector.zero(SPECIES);
        FloatVector c13 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c22 = FloatVector.zero(SPECIES);
        FloatVector c23 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c32 = FloatVector.zero(SPECIES);
        FloatVector c33 = FloatVector.zero(SPECIES);
        int bound = SPECIES.loopBound(k);
        int p = 0;
        for (; p < bound; p += LANES) {
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bj + p);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bj + ldb + p);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bj + 2 * ldb + p);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bj + 3 * ldb + p);
            FloatVector a0 = FloatVector.fromArray(SPECIES, a, ai + p);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.fromArray(SPECIES, a, ai + lda + p);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.fromArray(SPECIES, a, ai + 2 * lda + p);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.fromArray(SPECIES, a, ai + 3 * lda + p);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        if (p < k) {
            // The tail: one masked step, outside the loop.
            VectorMask<Float> m = SPECIES.indexInRange(p, k);
            FloatVector b0 = FloatVector.fromArray(SPECIES, b, bj + p, m);
            FloatVector b1 = FloatVector.fromArray(SPECIES, b, bj + ldb + p, m);
            FloatVector b2 = FloatVector.fromArray(SPECIES, b, bj + 2 * ldb + p, m);
            FloatVector b3 = FloatVector.fromArray(SPECIES, b, bj + 3 * ldb + p, m);
            FloatVector a0 = FloatVector.fromArray(SPECIES, a, ai + p, m);
            c00 = a0.fma(b0, c00);
            c01 = a0.fma(b1, c01);
            c02 = a0.fma(b2, c02);
            c03 = a0.fma(b3, c03);
            FloatVector a1 = FloatVector.fromArray(SPECIES, a, ai + lda + p, m);
            c10 = a1.fma(b0, c10);
            c11 = a1.fma(b1, c11);
            c12 = a1.fma(b2, c12);
            c13 = a1.fma(b3, c13);
            FloatVector a2 = FloatVector.fromArray(SPECIES, a, ai + 2 * lda + p, m);
            c20 = a2.fma(b0, c20);
            c21 = a2.fma(b1, c21);
            c22 = a2.fma(b2, c22);
            c23 = a2.fma(b3, c23);
            FloatVector a3 = FloatVector.fromArray(SPECIES, a, ai + 3 * lda + p, m);
            c30 = a3.fma(b0, c30);
            c31 = a3.fma(b1, c31);
            c32 = a3.fma(b2, c32);
            c33 = a3.fma(b3, c33);
        }
        put(c, ct, c00.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 1, c01.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 2, c02.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 3, c03.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + ldc, c10.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + ldc + 1, c11.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + ldc + 2, c12.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + ldc + 3, c13.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 2 * ldc, c20.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 2 * ldc + 1, c21.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 2 * ldc + 2, c22.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 2 * ldc + 3, c23.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 3 * ldc, c30.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 3 * ldc + 1, c31.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 3 * ldc + 2, c32.reduceLanes(VectorOperators.ADD), alpha, beta);
        put(c, ct + 3 * ldc + 3, c33.reduceLanes(VectorOperators.ADD), alpha, beta);
    }

    private static void put(float[] c, int at, float sum, float alpha, float beta) {
        MicroKernel.storeOne(c, at, sum, alpha, beta);
    }
}
