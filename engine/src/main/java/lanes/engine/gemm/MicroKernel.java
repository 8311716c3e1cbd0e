package lanes.engine.gemm;

import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;

/**
 * The contract every GEMM micro-kernel keeps: one MR x NR register tile of {@code C := alpha*A*B + beta*C} over
 * packed panels of depth kc. The blocking loops in {@link GemmBlocking} never touch vectors; the micro-kernel
 * never loops over anything but k.
 */
interface MicroKernel {
    /** Rows of the register tile. */
    int mr();

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
     * C (rows x cols) := alpha * tile + beta * C, where {@code tile} holds a finished MR x NR register tile row by
     * row (NR floats per row). beta = 0: C is not read.
     */
    static void writeBack(float[] tile, float[] c, int cOff, int ldc, int rows, int cols, float alpha,
                          float beta) {
        final int nr = BlockSizes.NR;
        for (int i = 0; i < rows; i++) {
            int t = i * nr;
            int o = cOff + i * ldc;
            int j = 0;
            for (; j + lanes.engine.Simd.LANES <= cols; j += lanes.engine.Simd.LANES) {
                storeFull(c, o + j, FloatVector.fromArray(SPECIES, tile, t + j), alpha, beta);
            }
            if (j < cols && lanes.engine.Simd.fits(o + j, c.length)) {
                storePart(c, o + j, FloatVector.fromArray(SPECIES, tile, t + j), cols - j, alpha, beta);
            } else {
                for (; j < cols; j++) {         // at C's end a masked store would take the JDK's slow path
                    storeOne(c, o + j, tile[t + j], alpha, beta);
                }
            }
        }
    }

    /** The main kernel for this machine's register file: MR rows. */
    static MicroKernel forThisMachine() {
        return BlockSizes.MR == 12 ? new MicroKernel12x2v() : new MicroKernel6x2v();
    }

    /**
     * Kernels for the last rows of a block, smallest first: a block of M rows ends with a panel of M % MR rows,
     * packed for and run by the smallest kernel that covers them, so that no work is spent on padding rows.
     */
    static MicroKernel[] forEdges() {
        return BlockSizes.MR == 12 ? new MicroKernel[] {new MicroKernel4x2v(), new MicroKernel8x2v()}
                : new MicroKernel[] {new MicroKernel4x2v()};
    }

    /**
     * c[at] = alpha * sum + beta * c[at] (c unread when beta = 0): the scalar twin of {@link #storeFull}, rounded
     * the same way, so that scalar and vector write-backs give the same bits.
     */
    static void storeOne(float[] c, int at, float sum, float alpha, float beta) {
        c[at] = beta == 0f ? alpha * sum : Math.fma(beta, c[at], alpha * sum);
    }

    /** c[off .. off+LANES) = alpha * acc + beta * c (c unread when beta = 0). */
    static void storeFull(float[] c, int off, FloatVector acc, float alpha, float beta) {
        FloatVector v = acc.mul(alpha);
        if (beta != 0f) {
            v = FloatVector.fromArray(SPECIES, c, off).fma(FloatVector.broadcast(SPECIES, beta), v);
        }
        v.intoArray(c, off);
    }

    /** The first {@code n < LANES} elements of {@link #storeFull}; a whole vector from {@code off} must fit in c. */
    static void storePart(float[] c, int off, FloatVector acc, int n, float alpha, float beta) {
        VectorMask<Float> m = SPECIES.indexInRange(0, n);
        FloatVector v = acc.mul(alpha);
        if (beta != 0f) {
            v = FloatVector.fromArray(SPECIES, c, off, m).fma(FloatVector.broadcast(SPECIES, beta), v);
        }
        v.intoArray(c, off, m);
    }
}
