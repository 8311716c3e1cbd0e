package lanes.engine.gemm;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;

/**
 * The 6 x 2-vector register tile (6 x 16 on AVX2, 6 x 32 on AVX-512): 12 accumulators, two vectors of B
 * loaded and one element of A broadcast per row at each step of k. Sized for 16 vector registers (AVX2).
 *
 * <pre>
 *   ap: packed A micro-panel, kc x MR, element (i, p) at ap[aOff + p*MR + i]
 *   bp: packed B micro-panel, kc x NR, element (p, j) at bp[bOff + p*NR + j]
 *   c:  C tile rows x cols (rows &lt;= MR, cols &lt;= NR), element (i, j) at c[cOff + i*ldc + j]
 *
 *   C := alpha * A B + beta * C      (beta = 0: C's old contents, NaN included, are not read)
 * </pre>
 *
 * Panels are zero-padded to full MR and NR, so the k loop never branches; only the write-back looks at rows and
 * cols.
 */
final class MicroKernel6x2v implements MicroKernel {
    private static final int MR = 6;

    @Override
    public int mr() {
        return MR;
    }

    // ap (kc, MR) packed, bp (kc, NR) packed -> c (rows, cols) += alpha * ap^T bp
    @Override
    public void compute(int kc, float[] ap, int aOff, float[] bp, int bOff, float[] c, int cOff, int ldc,
                        int rows, int cols, float alpha, float beta) {
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
        int ai = aOff;
        int bi = bOff;
        for (int p = 0; p < kc; p++, ai += MR, bi += 2 * LANES) {
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
        }
        store(c, cOff, c00, c01, cols, alpha, beta);
        if (rows > 1) {
            store(c, cOff + 1 * ldc, c10, c11, cols, alpha, beta);
        }
        if (rows > 2) {
            store(c, cOff + 2 * ldc, c20, c21, cols, alpha, beta);
        }
        if (rows > 3) {
            store(c, cOff + 3 * ldc, c30, c31, cols, alpha, beta);
        }
        if (rows > 4) {
            store(c, cOff + 4 * ldc, c40, c41, cols, alpha, beta);
        }
        if (rows > 5) {
            store(c, cOff + 5 * ldc, c50, c51, cols, alpha, beta);
        }
    }

    /** Writes one tile row: c = alpha * acc + beta * c over the first {@code cols} columns. */
    private static void store(float[] c, int off, FloatVector acc0, FloatVector acc1, int cols, float alpha,
                              float beta) {
        if (cols >= 2 * LANES) {
            MicroKernel.storeFull(c, off, acc0, alpha, beta);
            MicroKernel.storeFull(c, off + LANES, acc1, alpha, beta);
        } else if (cols > LANES) {
            MicroKernel.storeFull(c, off, acc0, alpha, beta);
            MicroKernel.storePart(c, off + LANES, acc1, cols - LANES, alpha, beta);
        } else {
            MicroKernel.storePart(c, off, acc0, cols, alpha, beta);
        }
    }
}
