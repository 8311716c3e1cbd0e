package lanes.engine.gemm;

import static lanes.engine.gemm.BlockSizes.KC;
import static lanes.engine.gemm.BlockSizes.MC;
import static lanes.engine.gemm.BlockSizes.MR;
import static lanes.engine.gemm.BlockSizes.NC;
import static lanes.engine.gemm.BlockSizes.NR;

/**
 * The GotoBLAS/BLIS loop nest for one thread's share of C, each loop its own method:
 *
 * <pre>
 *   for jc in N by NC           loopN:   one KC x NC panel of B at a time (L3)
 *     for pc in K by KC         loopK:   pack the panel of B; beta applies to the first KC only
 *       for ic in M by MC       loopM:   pack an MC x KC block of A (L2)
 *         for jr in NC by NR    macroKernel: a KC x NR micro-panel of B (L1) ...
 *           for ir in MC by MR                ... against every MR x KC micro-panel of A
 *             micro-kernel: MR x NR register tile of C
 * </pre>
 *
 * One instance per thread: it owns the packing buffers, which grow to their largest need and are then reused, so
 * a warm call allocates nothing.
 */
final class GemmBlocking {
    private static final MicroKernel KERNEL = MicroKernel.forThisMachine();
    private static final ThreadLocal<GemmBlocking> PER_THREAD = ThreadLocal.withInitial(GemmBlocking::new);

    private float[] packedA = new float[0];
    private float[] packedB = new float[0];
    private final float[] tile = new float[MR * NR];

    // The current call's operands, set by run() so that the loop methods keep short argument lists.
    private int m;
    private int n;
    private int k;
    private float alpha;
    private float beta;
    private float[] a;
    private int aOff;
    private int rsA;
    private int csA;
    private float[] b;
    private int bOff;
    private int rsB;
    private int csB;
    private float[] c;
    private int cOff;
    private int ldc;
    private Epilogue epilogue;
    private int row0;
    private int col0;

    static GemmBlocking forThisThread() {
        return PER_THREAD.get();
    }

    /**
     * C (m x n, rows ldc apart) := alpha * op(A) op(B) + beta * C for one block of the whole product whose top-left
     * element is (row0, col0) of the caller's C (what the epilogue is told). Requires m, n, k &gt; 0.
     */
    void run(int m, int n, int k, float alpha, float[] a, int aOff, int rsA, int csA, float[] b, int bOff, int rsB,
             int csB, float beta, float[] c, int cOff, int ldc, Epilogue epilogue, int row0, int col0) {
        this.m = m;
        this.n = n;
        this.k = k;
        this.alpha = alpha;
        this.beta = beta;
        this.a = a;
        this.aOff = aOff;
        this.rsA = rsA;
        this.csA = csA;
        this.b = b;
        this.bOff = bOff;
        this.rsB = rsB;
        this.csB = csB;
        this.c = c;
        this.cOff = cOff;
        this.ldc = ldc;
        this.epilogue = epilogue;
        this.row0 = row0;
        this.col0 = col0;
        ensureBuffers(Math.min(m, MC), Math.min(n, NC), Math.min(k, KC));
        try {
            loopN();
        } finally {
            this.a = null;
            this.b = null;
            this.c = null;
            this.epilogue = null;
        }
    }

    // Loop 5: over N in panels of NC columns.
    private void loopN() {
        for (int jc = 0; jc < n; jc += NC) {
            loopK(jc, Math.min(NC, n - jc));
        }
    }

    // Loop 4: over K in depths of KC; the first rank-KC update scales C by beta, the others add to it.
    private void loopK(int jc, int nc) {
        for (int pc = 0; pc < k; pc += KC) {
            int kc = Math.min(KC, k - pc);
            Packing.packB(kc, nc, b, bOff + pc * rsB + jc * csB, rsB, csB, packedB);
            loopM(jc, nc, pc, kc, pc == 0 ? beta : 1f, pc + kc == k);
        }
    }

    // Loop 3: over M in blocks of MC rows.
    private void loopM(int jc, int nc, int pc, int kc, float betaNow, boolean last) {
        for (int ic = 0; ic < m; ic += MC) {
            int mc = Math.min(MC, m - ic);
            Packing.packA(mc, kc, a, aOff + ic * rsA + pc * csA, rsA, csA, packedA, MR);
            macroKernel(ic, jc, mc, nc, kc, betaNow, last);
        }
    }

    // Loops 2 and 1: every NR micro-panel of B against every MR micro-panel of A; the epilogue runs on each
    // finished tile while it is still in L1.
    private void macroKernel(int ic, int jc, int mc, int nc, int kc, float betaNow, boolean last) {
        for (int jr = 0; jr < nc; jr += NR) {
            int cols = Math.min(NR, nc - jr);
            int bPanel = (jr / NR) * kc * NR;
            for (int ir = 0; ir < mc; ir += MR) {
                int rows = Math.min(MR, mc - ir);
                int cTile = cOff + (ic + ir) * ldc + jc + jr;
                KERNEL.compute(kc, packedA, (ir / MR) * kc * MR, packedB, bPanel, c, cTile, ldc, rows, cols,
                        alpha, betaNow, tile);
                if (last && epilogue != null) {
                    epilogue.apply(c, cTile, ldc, row0 + ic + ir, col0 + jc + jr, rows, cols);
                }
            }
        }
    }

    private void ensureBuffers(int mc, int nc, int kc) {
        int needA = (mc + MR - 1) / MR * MR * kc;
        int needB = (nc + NR - 1) / NR * NR * kc;
        if (packedA.length < needA) {
            packedA = new float[Math.max(needA, MC * KC)];
        }
        if (packedB.length < needB) {
            packedB = new float[needB];
        }
    }
}
