package lanes.engine.gemm;

import java.util.function.IntConsumer;
import lanes.engine.internal.CallArguments;

/**
 * One GEMM call's arguments, {@code C := alpha * A B + beta * C} over three {@link Operand}s (A and B already
 * op(A), op(B): their strides say whether they are transposed), in a block each thread reuses
 * ({@link CallArguments}). When the product is split over threads, the block also says how, and its parts each
 * run the blocking loops over one block of rows or columns of C.
 *
 * <pre>
 *   try (GemmCall call = GemmCall.start()) {
 *       call.a.set(a, aOff, rsA, csA);  call.b.set(...);  call.c.set(c, cOff, ldc, 1);
 *       Gemm.gemm(call.product(m, n, k, alpha, beta, epilogue), threads);
 *   }
 * </pre>
 */
final class GemmCall extends CallArguments {
    private static final ThreadLocal<GemmCall> MINE = ThreadLocal.withInitial(GemmCall::new);

    /** op(A), M x K; not modified. */
    final Operand a = new Operand();
    /** op(B), K x N; not modified. */
    final Operand b = new Operand();
    /** C, M x N, unit column stride; modified. */
    final Operand c = new Operand();
    int m;
    int n;
    int k;
    float alpha;
    float beta;
    /** Run on each finished block of C, or null. */
    Epilogue epilogue;

    // How a multi-threaded call is split: parts of whole units (MR rows or NR columns) of C.
    boolean byRows;
    int unit;
    int units;
    int extent;
    int parts;
    boolean directB;
    final IntConsumer part = this::part;

    /** This thread's block for a new call (a fresh one if a call of this thread is running). */
    static GemmCall start() {
        return borrow(MINE, GemmCall::new);
    }

    /**
     * Sets the sizes, scalars and epilogue (the operands are set on {@link #a}, {@link #b}, {@link #c});
     * returns this.
     */
    GemmCall product(int m, int n, int k, float alpha, float beta, Epilogue epilogue) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.epilogue = epilogue;
        return this;
    }

    /** Multiply-adds of the product. */
    long multiplyAdds() {
        return (long) m * n * k;
    }

    @Override
    protected void clear() {
        a.clear();
        b.clear();
        c.clear();
        epilogue = null;
    }

    /** Splits the product by rows of C (else by columns) into {@code parts} parts of whole {@code unit}s. */
    void split(boolean byRows, int unit, int parts) {
        this.byRows = byRows;
        this.unit = unit;
        this.extent = byRows ? m : n;
        this.units = (extent + unit - 1) / unit;
        this.parts = parts;
    }

    /** First row (or column) of part {@code part}: whole units, split as evenly as they go. */
    private int from(int part) {
        return (int) ((long) units * part / parts) * unit;
    }

    /** End of part {@code part}: the next part's start, or the extent for the last. */
    private int to(int part) {
        return Math.min(extent, (int) ((long) units * (part + 1) / parts) * unit);
    }

    // part `part` on its own: a block of rows (or of columns, when C is wide)
    private void part(int part) {
        int from = from(part);
        int to = to(part);
        if (byRows) {
            GemmBlocking.forThisThread().run(this, from, to - from, 0, n, directB);
        } else {
            GemmBlocking.forThisThread().run(this, 0, m, from, to - from);
        }
    }
}
