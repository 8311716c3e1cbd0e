package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The 12 x 2-vector register tile (12 x 16 on AVX2, 12 x 32 on AVX-512): 24 accumulators, two vectors of B
 * loaded and one element of A broadcast per row at each step of k. Sized for 32 vector registers (AVX-512).
 *
 * <pre>
 *   ap: packed A micro-panel, kc x MR, element (i, p) at ap[aOff + p*MR + i]
 *   bp: B micro-panel, kc x NR, element (p, j) at bp[bOff + p*ldb + j] (ldb = NR when packed)
 *   c:  C tile rows x cols (rows &lt;= MR, cols &lt;= NR), element (i, j) at c[cOff + i*ldc + j]
 *
 *   C := alpha * A B + beta * C      (beta = 0: C's old contents, NaN included, are not read)
 * </pre>
 *
 * Panels are zero-padded to full MR and NR, so the k loop never branches. A full tile with alpha = 1 and beta = 0
 * is stored straight from registers; any other tile leaves through the caller's {@code tile} scratch, which
 * {@link MicroKernel#writeBack} merges into C. Two things this shape avoids: passing the accumulators to a helper
 * that C2 declines to inline boxes them (15x slower), and a longer method (every write-back case unrolled here)
 * makes C1's tier-3 compile fail, which strands the method at tier 2 for calls with short k loops (100x slower).
 */
final class MicroKernel12x2v implements MicroKernel {
    private static final int MR = 12;

    @Override
    public int mr() {
        return MR;
    }

    // ap (kc, MR) packed, bp (kc, NR) rows ldb apart -> c (rows, cols) = alpha * ap^T bp + beta * c
    @Override
    public void compute(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff, int ldc,
                        int rows, int cols, float alpha, float beta, float[] tile) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES);
        FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES);
        FloatVector c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES);
        FloatVector c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES);
        FloatVector c91 = FloatVector.zero(SPECIES);
        FloatVector c100 = FloatVector.zero(SPECIES);
        FloatVector c101 = FloatVector.zero(SPECIES);
        FloatVector c110 = FloatVector.zero(SPECIES);
        FloatVector c111 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR;
            int bi = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(SPECIES, ap[ai + 8]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(SPECIES, ap[ai + 9]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(SPECIES, ap[ai + 10]);
            c100 = a.fma(b0, c100);
            c101 = a.fma(b1, c101);
            a = FloatVector.broadcast(SPECIES, ap[ai + 11]);
            c110 = a.fma(b0, c110);
            c111 = a.fma(b1, c111);
        }
        if (rows == MR && cols == 2 * LANES && alpha == 1f && beta == 0f) {
            // The common full tile of a first (or only) rank-kc update: straight from registers.
            c00.intoArray(c, cOff + 0 * ldc);
            c01.intoArray(c, cOff + 0 * ldc + LANES);
            c10.intoArray(c, cOff + 1 * ldc);
            c11.intoArray(c, cOff + 1 * ldc + LANES);
            c20.intoArray(c, cOff + 2 * ldc);
            c21.intoArray(c, cOff + 2 * ldc + LANES);
            c30.intoArray(c, cOff + 3 * ldc);
            c31.intoArray(c, cOff + 3 * ldc + LANES);
            c40.intoArray(c, cOff + 4 * ldc);
            c41.intoArray(c, cOff + 4 * ldc + LANES);
            c50.intoArray(c, cOff + 5 * ldc);
            c51.intoArray(c, cOff + 5 * ldc + LANES);
            c60.intoArray(c, cOff + 6 * ldc);
            c61.intoArray(c, cOff + 6 * ldc + LANES);
            c70.intoArray(c, cOff + 7 * ldc);
            c71.intoArray(c, cOff + 7 * ldc + LANES);
            c80.intoArray(c, cOff + 8 * ldc);
            c81.intoArray(c, cOff + 8 * ldc + LANES);
            c90.intoArray(c, cOff + 9 * ldc);
            c91.intoArray(c, cOff + 9 * ldc + LANES);
            c100.intoArray(c, cOff + 10 * ldc);
            c101.intoArray(c, cOff + 10 * ldc + LANES);
            c110.intoArray(c, cOff + 11 * ldc);
            c111.intoArray(c, cOff + 11 * ldc + LANES);
            return;
        }
        c00.intoArray(tile, 0 * 2 * LANES);
        c01.intoArray(tile, 0 * 2 * LANES + LANES);
        c10.intoArray(tile, 1 * 2 * LANES);
        c11.intoArray(tile, 1 * 2 * LANES + LANES);
        c20.intoArray(tile, 2 * 2 * LANES);
        c21.intoArray(tile, 2 * 2 * LANES + LANES);
        c30.intoArray(tile, 3 * 2 * LANES);
        c31.intoArray(tile, 3 * 2 * LANES + LANES);
        c40.intoArray(tile, 4 * 2 * LANES);
        c41.intoArray(tile, 4 * 2 * LANES + LANES);
        c50.intoArray(tile, 5 * 2 * LANES);
        c51.intoArray(tile, 5 * 2 * LANES + LANES);
        c60.intoArray(tile, 6 * 2 * LANES);
        c61.intoArray(tile, 6 * 2 * LANES + LANES);
        c70.intoArray(tile, 7 * 2 * LANES);
        c71.intoArray(tile, 7 * 2 * LANES + LANES);
        c80.intoArray(tile, 8 * 2 * LANES);
        c81.intoArray(tile, 8 * 2 * LANES + LANES);
        c90.intoArray(tile, 9 * 2 * LANES);
        c91.intoArray(tile, 9 * 2 * LANES + LANES);
        c100.intoArray(tile, 10 * 2 * LANES);
        c101.intoArray(tile, 10 * 2 * LANES + LANES);
        c110.intoArray(tile, 11 * 2 * LANES);
        c111.intoArray(tile, 11 * 2 * LANES + LANES);
        MicroKernel.writeBack(tile, c, cOff, ldc, rows, cols, alpha, beta);
    }

    // ap (kc, MR) packed, bp (kc, NR) rows ldb apart -> c (MR, NR) += ap^T bp, a full tile, alpha = beta = 1
    @Override
    public void computeAdd(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff,
                           int ldc) {
        FloatVector c00 = FloatVector.zero(SPECIES);
        FloatVector c01 = FloatVector.zero(SPECIES);
        FloatVector c10 = FloatVector.zero(SPECIES);
        FloatVector c11 = FloatVector.zero(SPECIES);
        FloatVector c20 = FloatVector.zero(SPECIES);
        FloatVector c21 = FloatVector.zero(SPECIES);
        FloatVector c30 = FloatVector.zero(SPECIES);
        FloatVector c31 = FloatVector.zero(SPECIES);
        FloatVector c40 = FloatVector.zero(SPECIES);
        FloatVector c41 = FloatVector.zero(SPECIES);
        FloatVector c50 = FloatVector.zero(SPECIES);
        FloatVector c51 = FloatVector.zero(SPECIES);
        FloatVector c60 = FloatVector.zero(SPECIES);
        FloatVector c61 = FloatVector.zero(SPECIES);
        FloatVector c70 = FloatVector.zero(SPECIES);
        FloatVector c71 = FloatVector.zero(SPECIES);
        FloatVector c80 = FloatVector.zero(SPECIES);
        FloatVector c81 = FloatVector.zero(SPECIES);
        FloatVector c90 = FloatVector.zero(SPECIES);
        FloatVector c91 = FloatVector.zero(SPECIES);
        FloatVector c100 = FloatVector.zero(SPECIES);
        FloatVector c101 = FloatVector.zero(SPECIES);
        FloatVector c110 = FloatVector.zero(SPECIES);
        FloatVector c111 = FloatVector.zero(SPECIES);
        for (int p = 0; p < kc; p++) {
            int ai = aOff + p * MR;
            int bi = bOff + p * ldb;
            FloatVector b0 = FloatVector.fromArray(SPECIES, bp, bi);
            FloatVector b1 = FloatVector.fromArray(SPECIES, bp, bi + LANES);
            FloatVector a = FloatVector.broadcast(SPECIES, ap[ai]);
            c00 = a.fma(b0, c00);
            c01 = a.fma(b1, c01);
            a = FloatVector.broadcast(SPECIES, ap[ai + 1]);
            c10 = a.fma(b0, c10);
            c11 = a.fma(b1, c11);
            a = FloatVector.broadcast(SPECIES, ap[ai + 2]);
            c20 = a.fma(b0, c20);
            c21 = a.fma(b1, c21);
            a = FloatVector.broadcast(SPECIES, ap[ai + 3]);
            c30 = a.fma(b0, c30);
            c31 = a.fma(b1, c31);
            a = FloatVector.broadcast(SPECIES, ap[ai + 4]);
            c40 = a.fma(b0, c40);
            c41 = a.fma(b1, c41);
            a = FloatVector.broadcast(SPECIES, ap[ai + 5]);
            c50 = a.fma(b0, c50);
            c51 = a.fma(b1, c51);
            a = FloatVector.broadcast(SPECIES, ap[ai + 6]);
            c60 = a.fma(b0, c60);
            c61 = a.fma(b1, c61);
            a = FloatVector.broadcast(SPECIES, ap[ai + 7]);
            c70 = a.fma(b0, c70);
            c71 = a.fma(b1, c71);
            a = FloatVector.broadcast(SPECIES, ap[ai + 8]);
            c80 = a.fma(b0, c80);
            c81 = a.fma(b1, c81);
            a = FloatVector.broadcast(SPECIES, ap[ai + 9]);
            c90 = a.fma(b0, c90);
            c91 = a.fma(b1, c91);
            a = FloatVector.broadcast(SPECIES, ap[ai + 10]);
            c100 = a.fma(b0, c100);
            c101 = a.fma(b1, c101);
            a = FloatVector.broadcast(SPECIES, ap[ai + 11]);
            c110 = a.fma(b0, c110);
            c111 = a.fma(b1, c111);
        }
        c00.add(FloatVector.fromArray(SPECIES, c, cOff + 0 * ldc)).intoArray(c, cOff + 0 * ldc);
        c01.add(FloatVector.fromArray(SPECIES, c, cOff + 0 * ldc + LANES))
                .intoArray(c, cOff + 0 * ldc + LANES);
        c10.add(FloatVector.fromArray(SPECIES, c, cOff + 1 * ldc)).intoArray(c, cOff + 1 * ldc);
        c11.add(FloatVector.fromArray(SPECIES, c, cOff + 1 * ldc + LANES))
                .intoArray(c, cOff + 1 * ldc + LANES);
        c20.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc)).intoArray(c, cOff + 2 * ldc);
        c21.add(FloatVector.fromArray(SPECIES, c, cOff + 2 * ldc + LANES))
                .intoArray(c, cOff + 2 * ldc + LANES);
        c30.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc)).intoArray(c, cOff + 3 * ldc);
        c31.add(FloatVector.fromArray(SPECIES, c, cOff + 3 * ldc + LANES))
                .intoArray(c, cOff + 3 * ldc + LANES);
        c40.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc)).intoArray(c, cOff + 4 * ldc);
        c41.add(FloatVector.fromArray(SPECIES, c, cOff + 4 * ldc + LANES))
                .intoArray(c, cOff + 4 * ldc + LANES);
        c50.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc)).intoArray(c, cOff + 5 * ldc);
        c51.add(FloatVector.fromArray(SPECIES, c, cOff + 5 * ldc + LANES))
                .intoArray(c, cOff + 5 * ldc + LANES);
        c60.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc)).intoArray(c, cOff + 6 * ldc);
        c61.add(FloatVector.fromArray(SPECIES, c, cOff + 6 * ldc + LANES))
                .intoArray(c, cOff + 6 * ldc + LANES);
        c70.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc)).intoArray(c, cOff + 7 * ldc);
        c71.add(FloatVector.fromArray(SPECIES, c, cOff + 7 * ldc + LANES))
                .intoArray(c, cOff + 7 * ldc + LANES);
        c80.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc)).intoArray(c, cOff + 8 * ldc);
        c81.add(FloatVector.fromArray(SPECIES, c, cOff + 8 * ldc + LANES))
                .intoArray(c, cOff + 8 * ldc + LANES);
        c90.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc)).intoArray(c, cOff + 9 * ldc);
        c91.add(FloatVector.fromArray(SPECIES, c, cOff + 9 * ldc + LANES))
                .intoArray(c, cOff + 9 * ldc + LANES);
        c100.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc)).intoArray(c, cOff + 10 * ldc);
        c101.add(FloatVector.fromArray(SPECIES, c, cOff + 10 * ldc + LANES))
                .intoArray(c, cOff + 10 * ldc + LANES);
        c110.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc)).intoArray(c, cOff + 11 * ldc);
        c111.add(FloatVector.fromArray(SPECIES, c, cOff + 11 * ldc + LANES))
                .intoArray(c, cOff + 11 * ldc + LANES);
    }
}
