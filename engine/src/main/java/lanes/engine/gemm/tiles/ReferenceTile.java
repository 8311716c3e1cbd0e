package lanes.engine.gemm.tiles;

/**
 * The portable MR x NR tile: the micro-kernel contract as plain loops. Every generated tile must give the same
 * bits (each element's sum runs over p in order, one fused multiply-add a step, like a vector lane does). It is also
 * the kernel of last resort, for a vector width the {@link lanes.engine.tune.TileTable} has no row for.
 */
public final class ReferenceTile implements MicroKernel {
    private final int mr;
    private final int nr;

    /** A tile of {@code mr} rows and {@code nr} columns. */
    public ReferenceTile(int mr, int nr) {
        if (mr < 1 || nr < 1) {
            throw new IllegalArgumentException("a register tile needs at least 1 x 1, not " + mr + " x " + nr);
        }
        this.mr = mr;
        this.nr = nr;
    }

    @Override
    public int mr() {
        return mr;
    }

    @Override
    public int nr() {
        return nr;
    }

    @Override
    public int vectorBits() {
        return 0;
    }

    // ap (kc, MR) packed, bp (kc, NR) rows ldb apart -> c (rows, cols) = alpha * ap^T bp + beta * c
    @Override
    public void compute(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff, int ldc,
                        int rows, int cols, float alpha, float beta, float[] tile) {
        for (int i = 0; i < rows; i++) {
            for (int j = 0; j < cols; j++) {
                MicroKernel.storeOne(c, cOff + i * ldc + j, sum(kc, ap, aOff, bp, bOff, ldb, i, j), alpha, beta);
            }
        }
    }

    // ap (kc, MR) packed, bp (kc, NR) rows ldb apart -> c (MR, NR) += ap^T bp
    @Override
    public void computeAdd(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff,
                           int ldc) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                c[cOff + i * ldc + j] += sum(kc, ap, aOff, bp, bOff, ldb, i, j);
            }
        }
    }

    private float sum(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, int i, int j) {
        float s = 0f;
        for (int p = 0; p < kc; p++) {
            s = Math.fma(ap[aOff + p * mr + i], bp[bOff + p * ldb + j], s);
        }
        return s;
    }

    @Override
    public String toString() {
        return "ReferenceTile" + mr + "x" + nr;
    }
}
