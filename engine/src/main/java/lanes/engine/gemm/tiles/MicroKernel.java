package lanes.engine.gemm.tiles;

import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Simd;

/**
 * The contract every GEMM micro-kernel keeps: one MR x NR register tile of {@code C := alpha*A*B + beta*C} over
 * packed panels of depth kc. The blocking loops ({@code lanes.engine.gemm.GemmBlocking}) never touch vectors; the
 * micro-kernel never loops over anything but k.
 *
 * <pre>
 *            NR columns                 ap: MR x kc, stored column by column (p*MR + i), or A's own rows
 *                                           (i*lda + p, the DirectA methods)
 *          +-----------+                bp: kc x NR, stored row by row (p*ldb + j)
 *   kc     |   bp      |
 *          +-----------+
 *   +--+   +-----------+
 *   |ap|   |  C tile   |  MR rows       C := alpha * ap^T bp + beta * C,  rows x cols of it (the rest is padding)
 *   +--+   +-----------+
 * </pre>
 *
 * The implementations are generated ({@code tools/TileGenerator.java}), one class per vector width and tile, named
 * {@code Sgemm<bits>Tile<MR>x<NR>}; {@link ReferenceTile} is the plain loop they are all held to, bit for bit, and
 * the fallback where no generated tile fits. This package is not exported.
 */
public interface MicroKernel {
    /** Rows of the register tile. */
    int mr();

    /** Columns of the register tile (floats): the width of a packed B micro-panel. */
    int nr();

    /** The vector width this kernel is written for; it runs at any width, but fast only at the JVM's own. */
    int vectorBits();

    /**
     * One register tile: {@code c[i][j] = alpha * sum_p ap[p*MR+i] * bp[p*ldb+j] + beta * c[i][j]} for
     * {@code i < rows, j < cols}; beta = 0 means c is not read. {@code ap} and {@code bp} not modified. The
     * finished tile passes through {@code tile} (MR x NR floats of scratch) on its way to C. B is either a packed
     * panel (ldb = NR) or, for full panels of short products, the rows of B itself.
     */
    void compute(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff, int ldc,
                 int rows, int cols, float alpha, float beta, float[] tile);

    /**
     * A full MR x NR tile of a later rank-kc update: {@code c[i][j] += sum_p ap[p*MR+i] * bp[p*ldb+j]}, stored
     * straight from registers (the same bits as {@link #compute} with alpha = beta = 1). A separate method, not a
     * branch in {@link #compute}: one method holding both write-backs is too big for C1's tier-3 compile.
     */
    void computeAdd(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff, int ldc);

    /**
     * {@link #compute} for all MR rows, with A's rows read where they lie instead of from a packed panel:
     * {@code c[i][j] = alpha * sum_p a[aOff + i*lda + p] * bp[p*ldb+j] + beta * c[i][j]} for {@code i < MR,
     * j < cols}. The same bits as {@link #compute} over the packed copy of those rows. For short products, whose
     * packed A would serve only a few panels of B, the copy costs more than the contiguous reads save (sq64: a
     * fifth of the time). {@code a} and {@code bp} not modified.
     */
    void computeDirectA(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, int ldb, float[] c, int cOff,
                        int ldc, int cols, float alpha, float beta, float[] tile);

    /** {@link #computeAdd} with A's rows read in place, as in {@link #computeDirectA}. */
    void computeAddDirectA(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, int ldb, float[] c, int cOff,
                           int ldc);

    /**
     * C (rows x cols) := alpha * tile + beta * C, where {@code tile} holds a finished MR x NR register tile row by
     * row ({@code nr} floats per row). beta = 0: C is not read. Vector code where nr is two of this JVM's vectors
     * (every tile chosen for this machine), scalar code otherwise, with the same rounding.
     */
    static void writeBack(float[] tile, int nr, float[] c, int cOff, int ldc, int rows, int cols, float alpha,
                          float beta) {
        // The vectors live only inside this method: a helper taking a FloatVector argument that C2 declines to
        // inline (it does, once the calling tile has used up the inlining budget) boxes it, and a warm training
        // step then allocates (AllocationTest caught 448 B to 20 KB a step at 256 bits).
        boolean vectors = nr == 2 * Simd.LANES;
        FloatVector vb = FloatVector.broadcast(SPECIES, beta);
        for (int i = 0; i < rows; i++) {
            int t = i * nr;
            int o = cOff + i * ldc;
            int j = 0;
            for (; vectors && j + Simd.LANES <= cols; j += Simd.LANES) {
                FloatVector v = FloatVector.fromArray(SPECIES, tile, t + j).mul(alpha);
                if (beta != 0f) {
                    v = FloatVector.fromArray(SPECIES, c, o + j).fma(vb, v);
                }
                v.intoArray(c, o + j);
            }
            if (vectors && j < cols && Simd.fits(o + j, c.length)) {
                VectorMask<Float> m = SPECIES.indexInRange(0, cols - j);
                FloatVector v = FloatVector.fromArray(SPECIES, tile, t + j).mul(alpha);
                if (beta != 0f) {
                    v = FloatVector.fromArray(SPECIES, c, o + j, m).fma(vb, v);
                }
                v.intoArray(c, o + j, m);
            } else {
                for (; j < cols; j++) {         // at C's end a masked store would take the JDK's slow path
                    storeOne(c, o + j, tile[t + j], alpha, beta);
                }
            }
        }
    }

    /**
     * c[at] = alpha * sum + beta * c[at] (c unread when beta = 0): the scalar twin of the vector write-back in
     * {@link #writeBack} (alpha * v, then fma(c, beta, .)), rounded the same way, so that scalar and vector
     * write-backs give the same bits.
     */
    static void storeOne(float[] c, int at, float sum, float alpha, float beta) {
        c[at] = beta == 0f ? alpha * sum : Math.fma(beta, c[at], alpha * sum);
    }
}
