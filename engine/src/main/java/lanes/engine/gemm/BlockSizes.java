package lanes.engine.gemm;

import lanes.engine.Simd;
import lanes.engine.simd.TileTable;

/**
 * The GEMM block sizes this machine runs, read from the one {@link TileTable} row for its vector width and
 * register file (where the reasons for each figure are written down).
 *
 * <pre>
 *   NR = 2 vectors           columns of C per register tile (16 on AVX2, 32 on AVX-512)
 *   MR = 5, 6 or 12          rows of C per register tile: MR x 2 accumulators + 2 B vectors + the A broadcasts
 *                            C2 keeps ahead must fit the register file (16 vector registers on AVX2, 32 on AVX-512)
 *   KC                       depth of one rank-KC update. Textbook: the KC x NR micro-panel of B stays in L1.
 *                            Measured on a 2-core AVX-512 EPYC (48 KiB L1, 1 MiB L2): the micro-kernel streams a
 *                            1024-deep B micro-panel from L2 at 95 % of peak (260 GFLOP/s), and every extra rank-KC
 *                            pass re-reads C, so KC = 1024 beats 384 (sq1024 228 -> 241 best-of, 1 thread)
 *   MC                       rows of A packed at once: the MC x KC block of A stays in L2
 *   NC                       columns of B packed at once: the KC x NC panel of B stays in L3
 * </pre>
 *
 * Each can be overridden for experiments with a system property ({@code lanes.gemm.kc}, {@code lanes.gemm.mc},
 * {@code lanes.gemm.nc}); MR and NR are fixed by the micro-kernel.
 */
public final class BlockSizes {
    /** Floats per vector. */
    public static final int LANES = Simd.LANES;
    /** Rows of the register tile. */
    public static final int MR = TileTable.current().gemmRows();
    /** Columns of the register tile: two vectors. */
    public static final int NR = 2 * LANES;
    /** Depth of a packed panel. */
    public static final int KC = roundUp(Integer.getInteger("lanes.gemm.kc", TileTable.current().kc()), 1);
    /** Rows of a packed block of A, a multiple of MR. */
    public static final int MC = roundUp(Integer.getInteger("lanes.gemm.mc", TileTable.current().mc()), MR);
    /** Columns of a packed panel of B, a multiple of NR. */
    public static final int NC = roundUp(Integer.getInteger("lanes.gemm.nc", TileTable.current().nc()), NR);

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
                + TileTable.current().registers() + " vector registers)";
    }
}
