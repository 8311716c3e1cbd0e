package lanes.engine.gemm;

import lanes.engine.Parallel;
import lanes.engine.VectorApi;
import lanes.engine.tune.Tuning;

/**
 * Single-precision general matrix multiply with BLAS semantics, row-major:
 *
 * <pre>
 *   C := alpha * op(A) * op(B) + beta * C          op(X) = X or X^T
 *
 *   op(A) is M x K: A stored M x K (rows lda apart), or K x M when transA
 *   op(B) is K x N: B stored K x N (rows ldb apart), or N x K when transB
 *   C     is M x N (rows ldc apart)
 * </pre>
 *
 * As in BLAS, beta = 0 means C's old contents (NaN included) are not read; alpha = 0 or K = 0 only scales C by
 * beta, without reading A or B. A and B are not modified. C must not share elements with A or B.
 *
 * <p>Large products take the packed, cache-blocked path ({@link GemmBlocking} over a register-tiled micro-kernel);
 * products too small for packing to pay take an unpacked path. Large products are split over
 * {@link Parallel#threads()} threads by blocks of rows or columns of C; every element of C is summed in the same
 * order whatever the thread count, so results are bit-identical for any number of threads.
 *
 * <p>Invalid arguments (a negative size, a leading dimension too small, an array too short for the matrix it is
 * said to hold, a negative offset) throw {@link IllegalArgumentException} or {@link IndexOutOfBoundsException}
 * naming the values, before anything is written.
 */
public final class Gemm {
    /** Below this many multiply-adds (M*N*K) the unpacked path is used when it applies ({@link Tuning}). */
    static final long SMALL_PRODUCT = Tuning.current().gemmSmallProduct();
    /**
     * At most this many rows of C take the unpacked dot-product path at any size where it applies (rows of op(A)
     * and columns of op(B) contiguous: x W^T, a Linear layer's forward): packing B^T costs a read and a write of
     * all of W, which one or two rows of A do not pay back. In process on Zen 4, 1 x 256 x 784: 6.9-7.3 -> 22-26
     * GFLOP/s, 2 x 256 x 784: 13-14 -> 28; at 4 rows no gain, and the row-broadcast path for other layouts lost.
     */
    static final int FEW_ROWS = Tuning.current().gemmFewRows();
    /** Below this many multiply-adds a product runs on one thread. */
    static final long PARALLEL_PRODUCT = Tuning.current().gemmParallelProduct();
    /** {@code lanes.scalar}: every product as the plain loop nest of {@link PlainGemm}. */
    private static final boolean SCALAR = Tuning.current().scalar();

    private Gemm() {
    }

    /**
     * BLAS {@code sgemm}, row-major, on up to {@link Parallel#threads()} threads.
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
     * @param c matrix C (m x n), row-major, modified
     * @param cOff index of C's element (0, 0)
     * @param ldc leading dimension of C (>= n)
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                             int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc) {
        sgemm(transA, transB, m, n, k, alpha, a, aOff, lda, b, bOff, ldb, beta, c, cOff, ldc, null,
                Parallel.threads());
    }

    /**
     * BLAS {@code sgemm}, row-major, with an {@link Epilogue} fused into the write-back of C (null for none) and at
     * most {@code threads} threads.
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
     * @param c matrix C (m x n), row-major, modified
     * @param cOff index of C's element (0, 0)
     * @param ldc leading dimension of C (>= n)
     * @param epilogue applied to each finished block of C before it leaves the cache; null for none
     * @param threads the most threads to use (1: the calling thread only)
     */
    public static void sgemm(boolean transA, boolean transB, int m, int n, int k, float alpha, float[] a, int aOff,
                             int lda, float[] b, int bOff, int ldb, float beta, float[] c, int cOff, int ldc,
                             Epilogue epilogue, int threads) {
        VectorApi.require();       // one clear line where the JVM lacks --add-modules jdk.incubator.vector
        String op = transA ? (transB ? "sgemm(TT)" : "sgemm(TN)") : (transB ? "sgemm(NT)" : "sgemm(NN)");
        checkSizes(op, m, n, k, threads);
        checkMatrix(op, "A", transA ? k : m, transA ? m : k, a, aOff, lda);
        checkMatrix(op, "B", transB ? n : k, transB ? k : n, b, bOff, ldb);
        checkMatrix(op, "C", m, n, c, cOff, ldc);
        checkNoOverlap(op, "A", a, aOff, transA ? k : m, transA ? m : k, lda, c, cOff, m, n, ldc);
        checkNoOverlap(op, "B", b, bOff, transB ? n : k, transB ? k : n, ldb, c, cOff, m, n, ldc);
        try (GemmCall call = GemmCall.start()) {
            call.a.set(a, aOff, transA ? 1 : lda, transA ? lda : 1);
            call.b.set(b, bOff, transB ? 1 : ldb, transB ? ldb : 1);
            call.c.set(c, cOff, ldc, 1);
            gemm(call.product(m, n, k, alpha, beta, epilogue), threads);
        }
    }

    /**
     * The general form every entry point reduces to, for already validated arguments: {@code call}'s operands
     * are op(A) and op(B) with any strides (unit strides along k or n are the fast ones), and C with unit column
     * stride.
     */
    static void gemm(GemmCall call, int threads) {
        if (call.m == 0 || call.n == 0) {
            return;
        }
        if (call.k == 0 || call.alpha == 0f) {
            scale(call.m, call.n, call.beta, call.c);
        } else if (SCALAR) {
            PlainGemm.gemm(call);
        } else if (call.multiplyAdds() <= SMALL_PRODUCT ? SmallGemm.handles(call.a, call.b)
                : call.m <= FEW_ROWS && SmallGemm.dotsApply(call.a, call.b)) {
            SmallGemm.gemm(call);
        } else {
            blocked(call, call.multiplyAdds() < PARALLEL_PRODUCT ? 1 : threads);
            return;
        }
        if (call.epilogue != null) {
            call.epilogue.apply(call.c.data, call.c.offset, call.c.rowStride, 0, 0, call.m, call.n);
        }
    }

    // Splits C into one block of rows (or of columns, when C is wide) per thread; each runs the whole loop nest.
    private static void blocked(GemmCall call, int threads) {
        boolean byRows = call.m >= call.n;
        int unit = byRows ? BlockSizes.MR : BlockSizes.NR;
        int units = ((byRows ? call.m : call.n) + unit - 1) / unit;
        int parts = Math.max(1, Math.min(threads, units));
        if (parts == 1) {
            GemmBlocking.forThisThread().run(call, 0, call.m, 0, call.n);
            return;
        }
        // parts <= units keeps every part non-empty. Every part packs the panels of B it reads itself: sharing one
        // packed panel between the threads of a row split (each packing a share, all meeting at a barrier before
        // and after each panel) saved copies but lost more at the barriers. On Zen 5, 2 threads, in process, the
        // copies each: 256^3 1.29-1.38x, 512^3 1.10-1.14x, 784x256x64 (TN) 1.08x, 384^3 with B^T 1.07x, sq1024
        // 1.00x, sq2048 0.98-0.99x; at 256 bits 256^3 1.11x, 1024^3 1.03-1.05x.
        int largest = (int) (((long) units + parts - 1) / parts) * unit;
        boolean directB = byRows && GemmBlocking.readsBDirectly(largest, call.b.colStride);
        int rowBlocks = GemmBlocking.rowBlocks(call.m, parts);
        if (byRows && !directB && rowBlocks >= 2 * parts) {
            // Two or more row blocks a thread: the threads claim them step by step (GemmBlocking.runShared), each
            // its own run first, so that a thread on a slower core leaves its last blocks to the others instead of
            // holding the call up. On the Zen 5 VM the two vCPUs at times run the GEMM 25-30 % apart (1024^3 at 256
            // bits, one product a thread at once: 70-79 against 97-106 GFLOP/s), and a split in fixed halves then
            // runs at twice the slower one. In process, 2 threads, windows alternating with the fixed halves:
            // 1024^3 at 256 bits 1.01-1.21x (median 1.09x), 512^3 0.98-1.22x (1.035x); at 512 bits 1024^3
            // 0.96-1.44x (1.03x), 2048^3 1.00-1.46x (1.19x); level where the two cores ran alike.
            call.shareRows(rowBlocks, parts, GemmBlocking.steps(call.n, call.k));
            Parallel.run(parts, threads, call.member);
            return;
        }
        call.split(byRows, unit, parts);
        call.directB = directB;
        Parallel.run(parts, threads, call.part);
    }


    // C := beta * C, with beta = 0 writing zeros whatever C held.
    private static void scale(int m, int n, float beta, Operand c) {
        for (int i = 0; i < m; i++) {
            int row = c.at(i, 0);
            if (beta == 0f) {
                java.util.Arrays.fill(c.data, row, row + n, 0f);
            } else if (beta != 1f) {
                lanes.engine.math.Elementwise.scale(n, beta, c.data, row, 1);
            }
        }
    }

    static void checkSizes(String op, int m, int n, int k, int threads) {
        if (m < 0 || n < 0 || k < 0) {
            throw new IllegalArgumentException(op + ": sizes must be >= 0, got M=" + m + " N=" + n + " K=" + k);
        }
        if (threads < 1) {
            throw new IllegalArgumentException(op + ": threads = " + threads + " must be >= 1");
        }
    }

    /** Checks that {@code x} holds a rows x cols row-major matrix at offset {@code off}, rows {@code ld} apart. */
    static void checkMatrix(String op, String name, int rows, int cols, float[] x, int off, int ld) {
        if (ld < Math.max(1, cols)) {
            throw new IllegalArgumentException(op + ": leading dimension of " + name + " is " + ld + ", must be >= "
                    + Math.max(1, cols) + " (" + name + " stored " + rows + " x " + cols + ")");
        }
        if (off < 0) {
            throw new IndexOutOfBoundsException(op + ": offset of " + name + " is " + off + ", must be >= 0");
        }
        if (rows > 0 && cols > 0) {
            long end = off + (long) (rows - 1) * ld + cols;
            if (end > x.length) {
                throw new IndexOutOfBoundsException(op + ": " + name + " stored " + rows + " x " + cols + " at offset "
                        + off + " with leading dimension " + ld + " needs " + end + " elements, its array has "
                        + x.length);
            }
        }
    }

    private static void checkNoOverlap(String op, String name, float[] x, int xOff, int rows, int cols, int ld,
                                       float[] c, int cOff, int m, int n, int ldc) {
        if (x != c || rows == 0 || cols == 0 || m == 0 || n == 0) {
            return;
        }
        long xEnd = xOff + (long) (rows - 1) * ld + cols;
        long cEnd = cOff + (long) (m - 1) * ldc + n;
        if (xOff < cEnd && cOff < xEnd) {
            throw new IllegalArgumentException(op + ": C (elements " + cOff + ".." + (cEnd - 1) + ") overlaps " + name
                    + " (elements " + xOff + ".." + (xEnd - 1) + ") in the same array");
        }
    }
}
