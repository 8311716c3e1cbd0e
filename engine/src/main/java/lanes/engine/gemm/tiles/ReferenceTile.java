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
                float s = sum(kc, ap, aOff + i, mr, bp, bOff + j, ldb);
                MicroKernel.storeOne(c, cOff + i * ldc + j, s, alpha, beta);
            }
        }
    }

    // ap (kc, MR) packed, bp (kc, NR) rows ldb apart -> c (MR, NR) += ap^T bp
    @Override
    public void computeAdd(int kc, float[] ap, int aOff, float[] bp, int bOff, int ldb, float[] c, int cOff,
                           int ldc) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                c[cOff + i * ldc + j] += sum(kc, ap, aOff + i, mr, bp, bOff + j, ldb);
            }
        }
    }

    // a (MR, kc) rows lda apart, bp (kc, NR) rows ldb apart -> c (MR, cols) = alpha * a bp + beta * c
    @Override
    public void computeDirectA(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, int ldb, float[] c,
                               int cOff, int ldc, int cols, float alpha, float beta, float[] tile) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < cols; j++) {
                float s = sum(kc, a, aOff + i * lda, 1, bp, bOff + j, ldb);
                MicroKernel.storeOne(c, cOff + i * ldc + j, s, alpha, beta);
            }
        }
    }

    // a (MR, kc) rows lda apart, bp (kc, NR) rows ldb apart -> c (MR, NR) += a bp
    @Override
    public void computeAddDirectA(int kc, float[] a, int aOff, int lda, float[] bp, int bOff, int ldb, float[] c,
                                  int cOff, int ldc) {
        for (int i = 0; i < mr; i++) {
            for (int j = 0; j < nr; j++) {
                c[cOff + i * ldc + j] += sum(kc, a, aOff + i * lda, 1, bp, bOff + j, ldb);
            }
        }
    }

    // sum_p x[xAt + p*xStep] * y[yAt + p*yStep], one fused multiply-add a step, p in order
    private static float sum(int kc, float[] x, int xAt, int xStep, float[] y, int yAt, int yStep) {
        float s = 0f;
        for (int p = 0; p < kc; p++) {
            s = Math.fma(x[xAt + p * xStep], y[yAt + p * yStep], s);
        }
        return s;
    }

    @Override
    public String toString() {
        return "ReferenceTile" + mr + "x" + nr;
    }
}
