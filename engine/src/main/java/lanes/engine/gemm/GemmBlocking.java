package lanes.engine.gemm;

import static lanes.engine.gemm.BlockSizes.KC;
import static lanes.engine.gemm.BlockSizes.MC;
import static lanes.engine.gemm.BlockSizes.MR;
import static lanes.engine.gemm.BlockSizes.NC;
import static lanes.engine.gemm.BlockSizes.NR;

import lanes.engine.gemm.tiles.MicroKernel;
import lanes.engine.gemm.tiles.Tiles;
import lanes.engine.tune.Tuning;

/**
 * The GotoBLAS/BLIS loop nest for one thread's share of C, each loop its own method:
 *
 * <pre>
 *   for jc in N by NC           loopN:   one KC x NC panel of B at a time (L3)
 *     for pc in K by KC         loopK:   pack the panel of B; beta applies to the first KC only
 *       for ic in M by MC       loopM:   pack an MC x KC block of A (L2)
 *         for jr in NC by NR    macroKernel: a KC x NR micro-panel of B (L1/L2, see BlockSizes.KC) ...
 *           for ir in MC by MR                ... against every MR x KC micro-panel of A
 *             micro-kernel: MR x NR register tile of C
 * </pre>
 *
 * Two shortcuts: for short products (M &lt;= {@link #DIRECT_B_MAX_M}) the micro-kernel reads B's rows in place
 * instead of a packed copy; in short products that are also narrow (N &lt;= {@link #DIRECT_A_MAX_N}) it reads A's
 * rows in place too, where A is stored row by row. Threads that split C run this nest each on their own block,
 * packing the panels they read themselves (see Gemm.blocked for why they share none).
 *
 * One instance per thread: it owns the packing buffers, which grow to their largest need and are then reused, so
 * a warm call allocates nothing.
 */
final class GemmBlocking {
    private static final MicroKernel KERNEL = Tiles.main();
    private static final MicroKernel[] EDGE_KERNELS = Tiles.edges();
    private static final ThreadLocal<GemmBlocking> PER_THREAD = ThreadLocal.withInitial(GemmBlocking::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private final float[] tile = new float[MR * NR];

    // This thread's block of the current call, set by run() so that the loop methods keep short argument lists.
    private final Operand a = new Operand();
    private final Operand b = new Operand();
    private final Operand c = new Operand();
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float beta;
    private Epilogue epilogue;
    private int row0;
    private int col0;
    private boolean directB;
    private boolean directA;
    // Set by runShared: the call whose row blocks the team claims (null for a block of this thread's own), and
    // which member of the team this thread is.
    private GemmCall shared;
    private int member;
    // Steps (jc, pc) of the loop nest begun so far in this call.
    private int step;

    static GemmBlocking forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * The block of {@code call}'s C of {@code rows} x {@code cols} elements from (row0, col0) on, := alpha * op(A)
     * op(B) + beta * C over those rows of op(A) and columns of op(B). Requires rows, cols and k &gt; 0.
     */
    void run(GemmCall call, int row0, int rows, int col0, int cols) {
        run(call, row0, rows, col0, cols, readsBDirectly(rows, call.b.colStride));
    }

    /**
     * All of {@code call}'s C, its rows shared with the rest of the team, as member {@code member}: at each step
     * (jc, pc) of the loop nest this thread packs the panel of B, then runs its own row blocks and the others' that
     * none has started, each block after its step before ({@link GemmCall#shareRows}). A thread on a slower core
     * is left fewer blocks, where halves fixed in advance would make the call wait for it. Steps whose blocks are
     * all claimed are skipped, panel and all.
     */
    void runShared(GemmCall call, int member) {
        shared = call;
        this.member = member;
        try {
            run(call, 0, call.m, 0, call.n, false);
        } finally {
            shared = null;
        }
    }

    /**
     * Row blocks of a product with {@code m} rows of C shared by {@code team} threads: at most MC rows each, in
     * whole micro-panels, as even as they go, and a multiple of the team, so that threads on equal cores end
     * together ({@link #rowBlockStart}).
     */
    static int rowBlocks(int m, int team) {
        int panels = (m + MR - 1) / MR;
        int perBlock = MC / MR;
        return team * ((panels + team * perBlock - 1) / (team * perBlock));
    }

    /** First row of row block {@code block} of {@code blocks} over {@code m} rows: whole micro-panels, even. */
    static int rowBlockStart(int m, int blocks, int block) {
        int panels = (m + MR - 1) / MR;
        return Math.min(m, (int) ((long) panels * block / blocks) * MR);
    }

    /** Steps (jc, pc) of the loop nest for {@code n} columns and depth {@code k}: panels of B, one after another. */
    static int steps(int n, int k) {
        int depth = balanced(k, KC, 1);
        return (n + NC - 1) / NC * ((k + depth - 1) / depth);
    }

    /**
     * As above, with B read in place or not as {@code directB} says: the threads of a split by rows decide it
     * once, from the largest part, so that their blocks' rows see the same path.
     */
    void run(GemmCall call, int row0, int rows, int col0, int cols, boolean directB) {
        this.directB = directB;
        this.directA = readsADirectly(rows, cols, call.a.colStride);
        this.a.setBlock(call.a, row0, 0);
        this.b.setBlock(call.b, 0, col0);
        this.c.setBlock(call.c, row0, col0);
        this.m = rows;
        this.n = cols;
        this.k = call.k;
        this.alpha = call.alpha;
        this.beta = call.beta;
        this.epilogue = call.epilogue;
        this.row0 = row0;
        this.col0 = col0;
        this.step = 0;
        ensureBuffers(Math.min(m, MC), Math.min(n, NC), Math.min(k, KC));
        try {
            loopN();
        } finally {
            this.a.clear();
            this.b.clear();
            this.c.clear();
            this.epilogue = null;
        }
    }

    // Loop 5: over N in panels of NC columns.
    private void loopN() {
        for (int jc = 0; jc < n; jc += NC) {
            loopK(jc, Math.min(NC, n - jc));
        }
    }

    // Loop 4: over K in depths of at most KC, balanced (with KC = 256, K = 784 runs as 4 x 196, not 256 + 256 +
    // 256 + 16, whose last thin update would cost a full pass over C and the packing for little work); the first
    // rank-kc update scales C by beta, the others add to it.
    private void loopK(int jc, int nc) {
        int depth = balanced(k, KC, 1);
        for (int pc = 0; pc < k; pc += depth, step++) {
            int kc = Math.min(depth, k - pc);
            if (shared != null && !shared.hasUnclaimed(step)) {
                continue;
            }
            if (directB) {
                int full = nc / NR * NR;     // only a last, partial panel needs packing (zero padding)
                if (full < nc) {
                    Packing.packB(kc, nc - full, b, pc, jc + full, packedB, 0);
                }
            } else {
                Packing.packB(kc, nc, b, pc, jc, packedB, 0);
            }
            loopM(jc, nc, pc, kc, pc == 0 ? beta : 1f, pc + kc == k);
        }
    }

    // Loop 3: over M in blocks of at most MC rows, balanced in whole micro-panels. With A read in place, only a last
    // partial micro-panel is packed (zero-padded for the edge kernel), at the start of the buffer.
    private void loopM(int jc, int nc, int pc, int kc, float betaNow, boolean last) {
        if (shared != null) {
            int blocks = shared.rowBlocks;
            for (int block; (block = shared.claim(step, member)) < blocks; ) {
                shared.awaitSteps(block, step);
                try {
                    int ic = rowBlockStart(m, blocks, block);
                    blockM(jc, nc, pc, kc, ic, rowBlockStart(m, blocks, block + 1) - ic, betaNow, last);
                } finally {
                    shared.finishStep(block, step);     // also after a failure, so that no thread waits forever
                }
            }
            return;
        }
        int height = balanced(m, MC, MR);
        for (int ic = 0; ic < m; ic += height) {
            blockM(jc, nc, pc, kc, ic, Math.min(height, m - ic), betaNow, last);
        }
    }

    // One block of rows ic..ic+mc-1: pack it, then the macro-kernel.
    private void blockM(int jc, int nc, int pc, int kc, int ic, int mc, float betaNow, boolean last) {
        if (!directA) {
            Packing.packA(mc, kc, a, ic, pc, packedA, MR, kernelFor(mc % MR).mr());
        } else if (mc % MR != 0) {
            int full = mc - mc % MR;
            Packing.packA(mc - full, kc, a, ic + full, pc, packedA, MR, kernelFor(mc - full).mr());
        }
        macroKernel(ic, jc, pc, mc, nc, kc, betaNow, last);
    }

    // Loops 2 and 1: every NR micro-panel of B against every MR micro-panel of A; the epilogue runs on each
    // finished tile while it is still in L1.
    private void macroKernel(int ic, int jc, int pc, int mc, int nc, int kc, float betaNow, boolean last) {
        float[] cData = c.data;
        int ldc = c.rowStride;
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            boolean fromB = directB && cols == NR;
            float[] bPanel = fromB ? b.data : packedB;
            int bAt = fromB ? b.at(pc, jc + jr) : (directB ? 0 : (jr / NR) * kc * NR);
            int bStride = fromB ? b.rowStride : NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int cTile = c.at(ic + ir, jc + jr);
                boolean full = cols == NR && alpha == 1f && betaNow == 1f;
                if (directA && rows == MR) {
                    int aAt = a.at(ic + ir, pc);
                    if (full) {
                        KERNEL.computeAddDirectA(kc, a.data, aAt, a.rowStride, bPanel, bAt, bStride, cData, cTile,
                                ldc);
                    } else {
                        KERNEL.computeDirectA(kc, a.data, aAt, a.rowStride, bPanel, bAt, bStride, cData, cTile, ldc,
                                cols, alpha, betaNow, tile);
                    }
                } else {
                    MicroKernel kernel = kernelFor(rows);
                    int aPanel = directA ? 0 : (ir / MR) * kc * MR;
                    if (rows == kernel.mr() && full) {
                        kernel.computeAdd(kc, packedA, aPanel, bPanel, bAt, bStride, cData, cTile, ldc);
                    } else {
                        kernel.compute(kc, packedA, aPanel, bPanel, bAt, bStride, cData, cTile, ldc, rows, cols,
                                alpha, betaNow, tile);
                    }
                }
                if (last && epilogue != null) {
                    epilogue.apply(cData, cTile, ldc, row0 + ic + ir, col0 + jc + jr, rows, cols);
                }
            }
        }
    }

    /**
     * True if the micro-kernel should read A's rows where they lie instead of a packed copy, for a block of m x n of
     * C: A's rows are contiguous, and C is short ({@link #DIRECT_B_MAX_M}) and narrow ({@link #DIRECT_A_MAX_N}), so
     * that each packed element would serve too few multiply-adds to pay for its copy. The widths where it pays, and
     * the measurements: {@link lanes.engine.tune.TileTable} ("A in place").
     */
    static boolean readsADirectly(int m, int n, int csA) {
        return csA == 1 && m <= DIRECT_B_MAX_M && n <= DIRECT_A_MAX_N;
    }

    /** Largest N for which A's rows are read in place (see {@link #readsADirectly}). */
    static final int DIRECT_A_MAX_N = Tuning.current().gemmDirectAColumns();

    /**
     * True if the micro-kernel should stream B's own rows instead of a packed copy, for a block of m rows: B's
     * rows are contiguous and so few rows of A share each panel that packing B (a read and a write of every
     * element) would cost more than the locality it buys. Threshold from measurements: {@link #DIRECT_B_MAX_M}.
     */
    static boolean readsBDirectly(int m, int csB) {
        return csB == 1 && m <= DIRECT_B_MAX_M;
    }

    /** Largest M for which B is read in place (see {@link #readsBDirectly}). */
    static final int DIRECT_B_MAX_M = Tuning.current().gemmDirectBRows();

    /** The block size for {@code extent}: at most {@code max}, a multiple of {@code unit}, blocks as even as can be. */
    static int balanced(int extent, int max, int unit) {
        int blocks = (extent + max - 1) / max;
        int size = (extent + blocks - 1) / blocks;
        return Math.min(max, (size + unit - 1) / unit * unit);
    }

    /** The kernel for a panel of {@code rows} rows: the main one for MR (or 0, no edge), else the smallest edge kernel that covers them. */
    private static MicroKernel kernelFor(int rows) {
        if (rows == MR || rows == 0) {
            return KERNEL;
        }
        for (MicroKernel edge : EDGE_KERNELS) {
            if (edge.mr() >= rows) {
                return edge;
            }
        }
        return KERNEL;
    }

    private void ensureBuffers(int mc, int nc, int kc) {
        int needA = (mc + MR - 1) / MR * MR * kc + Packing.slack();
        int needB = (nc + NR - 1) / NR * NR * kc;
        if (packedA.length < needA) {
            packedA = new float[Math.max(needA, MC * KC + Packing.slack())];
        }
        if (packedB.length < needB) {
            packedB = new float[needB];
        }
    }
}
