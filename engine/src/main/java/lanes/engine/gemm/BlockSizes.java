package lanes.engine.gemm;

import lanes.engine.Simd;
import lanes.engine.tune.TileTable;
import lanes.engine.tune.Tuning;

/**
 * The GEMM block sizes this machine runs, read from {@link Tuning}: the {@link TileTable} row for its vector width
 * and register file (where the reasons for each figure are written down), or the {@code lanes.gemm.*} overrides.
 *
 * <pre>
 *   NR = 2 vectors           columns of C per register tile (16 on AVX2, 32 on AVX-512)
 *   MR = 12, 8 or 6          rows of C per register tile (4 where the table has no row): MR x 2 accumulators +
 *                            2 B vectors + the A broadcasts
 *                            C2 keeps ahead must fit the register file (16 vector registers on AVX2, 32 on
 *                            AVX-512)
 *   KC                       depth of one rank-KC update. Textbook: the KC x NR micro-panel of B stays in L1.
 *                            Measured on a 2-core AVX-512 EPYC (48 KiB L1, 1 MiB L2): the micro-kernel streams a
 *                            1024-deep B micro-panel from L2 at 95 % of peak (260 GFLOP/s), and every extra rank-KC
 *                            pass re-reads C, so KC = 1024 beats 384 (sq1024 228 -> 241 best-of, 1 thread)
 *   MC                       rows of A packed at once: the MC x KC block of A stays in L2
 *   NC                       columns of B packed at once: the KC x NC panel of B stays in L3
 * </pre>
 *
 * Each can be overridden for experiments with a system property ({@code lanes.gemm.rows}, {@code lanes.gemm.kc},
 * {@code lanes.gemm.mc}, {@code lanes.gemm.nc}: see {@link Tuning}); NR is fixed by the micro-kernels.
 */
public final class BlockSizes {
    /** Floats per vector. */
    public static final int LANES = Simd.LANES;
    /** Rows of the register tile. */
    public static final int MR = Tuning.current().tiles().gemmRows();
    /** Columns of the register tile: two vectors. */
    public static final int NR = 2 * LANES;
    /** Depth of a packed panel. */
    public static final int KC = roundUp(Tuning.current().gemmKc(), 1);
    /** Rows of a packed block of A, a multiple of MR. */
    public static final int MC = roundUp(Tuning.current().gemmMc(), MR);
    /** Columns of a packed panel of B, a multiple of NR. */
    public static final int NC = roundUp(Tuning.current().gemmNc(), NR);

    private BlockSizes() {
    }

    static int roundUp(int value, int multiple) {
        if (value < 1) {
            throw new IllegalArgumentException("GEMM block size " + value + " must be >= 1");
        }
        return (value + multiple - 1) / multiple * multiple;
    }

    /**
     * A one-line summary, for benchmark reports.
     *
     * @return one line naming the register tile and the cache blocks
     */
    public static String describe() {
        return "MR=" + MR + " NR=" + NR + " KC=" + KC + " MC=" + MC + " NC=" + NC + " (" + LANES + " lanes, "
                + Tuning.current().tiles().registers() + " vector registers)";
    }
}
