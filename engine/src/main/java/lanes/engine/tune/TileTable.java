package lanes.engine.tune;

/**
 * The one table of register tiles and block sizes, GEMM and convolution alike, one row per vector width and
 * register-file size. {@link Tuning} picks this machine's row (and applies the {@code lanes.*} overrides); kernels
 * read it once, when their classes initialise.
 *
 * <pre>
 *   bits regs | GEMM tile  edges   KC    MC    NC  A in place  1 thread below | conv rows 2v 1v fixed panels | position rows 3v 4v | measured
 *    512  32  | 12 x 2v    4, 8   1024  144  1024   N &lt;= 128  2 x 64^3     |         12 12   yes    no   |             8  6    | Zen 5, Zen 4
 *    256  32  |  6 x 2v    4       256   96  4096   never       64^3         |          6 12   yes    no   |             0  0    | Zen 4, AVX-512 hardware at 256 bits
 *    256  16  |  6 x 2v    4       256   96  4096   never       64^3         |          6 12   no     yes  |             0  0    | Zen 3 (AVX2), Zen 4 and 5 at -XX:UseAVX=2
 *    128  32  |  8 x 2v    4       512  144  4096   never       64^3         |         12 12   yes    no   |             8  6    | Zen 4 at -XX:MaxVectorSize=16
 *    128  16  |  6 x 2v    4       256   96  4096   never       64^3         |          6 12   no     yes  |             0  0    | Zen 3 at -XX:MaxVectorSize=16
 * </pre>
 *
 * Why the tiles: a tile of R rows x 2 vectors keeps 2R accumulators, 2 vectors of B and the broadcasts of A live.
 * With 32 registers 12 rows fit with room to spare. With 16, 6 x 2v (12 + 2 + 1 = 15 live) fits only if C2 keeps
 * one broadcast live at a time. In a loop of one step of k it schedules two or three ahead and spills an
 * accumulator to the stack on every step (the spill and its reload sit on that accumulator's chain: 40 GFLOP/s of
 * 100 on Zen 3, read in C2's assembly). The generated 256- and 128-bit tiles take two steps of k per pass
 * (TileGenerator.kUnroll); C2 then folds every broadcast into a load and spills nothing, and 6 x 2v beats 5 x 2v
 * (hot panels on Zen 3: 95 against 93 GFLOP/s; in the whole GEMM sq1024 78 against 51, same run). The conv
 * channel tiles keep 6 x 2v in one step: each of their broadcasts reads the image at a computed index behind its
 * own bounds check, so C2 keeps one live at a time, and their assembly shows no spill.
 *
 * At 128 bits with 32 registers the two-step 8 x 2v tile beats the two-step 12 x 2v in every shape (Zen 4 at
 * -XX:MaxVectorSize=16, in process, best of 8 windows, peak 58.6 GFLOP/s: sq1024 53.5 against 50.3, sq256 51.4
 * against 45.6, sq64 44.3 against 39.5, the six MLP shapes 47-54 against 43-49; 2 threads sq1024 102 against 89),
 * where 512 bits takes 12 rows.
 *
 * "fixed": where a channel tile's rows are 1 or 2 floats apart in the image (step 1: forward at stride 1 and
 * backward-data; step 2: forward at stride 2), the tile reads row r at the constant offset r*step from one index
 * instead of adding the step row by row. With 32
 * registers that is the faster loop (an 11 x 2v tile over hot data on Zen 4 at 512 bits: 104-110 against 89-92
 * GFLOP/s; at 256 bits under EVEX 74-108 against 58-82): C2 drops the per-row adds and the offsets it kept in
 * spilled registers. With 16 registers it is the slower one (6 x 2v at -XX:UseAVX=2: 48 against 68-77), as an
 * earlier session found on Zen 3, so those rows keep the stepped form.
 *
 * "panels": with 16 registers, channel tiles two vectors wide copy the positions they read into a packed panel and
 * run the GEMM micro-kernel over it ({@code conv.PanelTiles}), where the panel serves two or more channel blocks. The
 * in-place stepped tile keeps six row indices in general registers and reloads the image's base from the stack at
 * every step (C2's assembly: some 50 instructions a step of k for 12 FMAs); the micro-kernel over a hot panel and a
 * block's weights from L2 runs at 97 % of the FMA peak (6 x 16, depth 576, Zen 5 at -XX:UseAVX=2). A panel's
 * positions may also run on past an output row's end: 32 positions a row are 6, 6, 5, 5, 5, 5 in place, all 6 but
 * the last on panels. Whole layers, in process, panels against in place (Zen 5 at -XX:UseAVX=2, 1 / 2 threads): mid
 * forward 1.17x / 1.17x, backward-data 1.19x / 1.17x, strided forward 1.15x / 1.17x, mid forward+backward 1.12x /
 * 1.11x, tdnn forward (96 positions, rows already full) 1.09x / 1.01x; LeNet's conv2 (one block) 0.75x, so a single
 * block stays in place. With 32 registers the in-place fixed-step tile is the faster one (Zen 5 at 512 bits: panels
 * 0.80x on mid and strided forward). Since then stride-1 layers whose rows are a whole number of vectors (mid, tdnn)
 * run forward and backward-data on position tiles in blocks of channels (conv.ConvBlocks.positionBlocks), which
 * read the image in place without a panel: the panels serve the strided forward and the rest.
 *
 * Backward-weights takes panels on the same rows ({@code lanes.conv.weightPanels}). Its tile rows are input
 * channels a whole plane apart, and the in-place tile keeps one index per row. At stride 1, a run of channels is
 * transposed into a panel once per kernel column (or once per kernel row, over a single output row), and every
 * tap and block of output channels runs the GEMM micro-kernel over it: the same bits. Zen 5 at -XX:UseAVX=2, in
 * process against the channel tiles, one thread: mid 1.08-1.10x, tdnn 1.10-1.11x; two threads, each packing its
 * own panels for half the blocks: mid 1.02x, tdnn 0.97-1.07x. Over one block (LeNet's conv2) 0.75-0.84x, so a
 * single block stays in place. At 512 bits mid ran at 1.03-1.05x and tdnn at 0.92-0.95x, so that row keeps the
 * channel tiles.
 *
 * The sliding-window tiles ({@code conv.WindowTiles}: one-vector channel blocks at stride 1) need no column: their
 * rows follow from the register count (R accumulators, KW weights, a broadcast and one to spare; 12 at most). With
 * 16 registers 10 x 5 (16 live) ran at 0.98x the channel tile and 9 x 5 at 1.37x (Zen 5 at -XX:UseAVX=2).
 *
 * "A in place": in short products (M &lt;= lanes.gemm.directB) at most this wide, the micro-kernel reads A's rows
 * where they lie instead of packing them (GemmBlocking.readsADirectly). At 512 bits the copy it saves is worth up to
 * 15 % (Zen 5, in place against packed, one JVM per shape, repeated: 64x64x64 1.04-1.15x, 96x96x96 1.11-1.13x,
 * 64x128x256 1.07x, 64x120x400 with B^T 1.05-1.06x). Wider, each element of A serves more multiply-adds, its copy
 * matters less and the twelve row streams more: 64x192x256 1.04x, 64x256x784 0.89-1.03x from run to run, 64x512x256
 * 0.96x, 96x784x256 0.90x; so not past 128 columns. The two-step tiles of the other rows add each row's offset to an index C2 keeps
 * in one of 16 general registers, and lose (Zen 5 at -XX:UseAVX=2: 64x64x64 0.92-0.97x, 64x256x784 0.84x; 256 bits
 * with 32 registers 64x128x256 0.93x; 128 bits 0.92-0.95x).
 *
 * NC at 512 bits: 1024, so that with KC 1024 a thread's packed panel of B is 4 MB, not 16, now that every thread
 * packs its own (Gemm.blocked). Zen 5, in process, against 4096: sq2048 on 2 threads 1.02-1.04x best and 1.04x median
 * in two runs, 1536^3 on 2 threads 1.02x, sq2048 on 1 thread 1.01-1.02x; nc 512 no better. Narrower products
 * (N &lt;= 1024, every MLP shape) do not see it.
 * "1 thread below": products of fewer multiply-adds (M N K) run on one thread, since handing half to another
 * thread costs more than it saves. Zen 5, 2 threads against 1 in process: at 512 bits 64x64x64 runs 1.24-1.27x
 * faster on one (2.8 us a call) and 96x64x64 1.05x, 96x96x96 0.90-0.95x; at 256 bits (-XX:UseAVX=2) twice as long
 * a call, 64x64x64 is 0.88-0.91x on one thread, so that row keeps 64^3.
 *
 * Tried and not taken on Zen 3: an A panel broadcast at packing time (each element stored as a whole vector, the
 * k loop loading instead of broadcasting; the form a probe on Zen 4 found fastest against the spilling one-step
 * loop). With the A micro-panel kept in L1 it reached at most 80 GFLOP/s on hot panels and 47 in the whole GEMM.
 *
 * A machine this table has no row for (other widths) gets the portable reference tile: slow, but right.
 */
public final class TileTable {
    /**
     * One row of the table.
     *
     * @param bits vector width
     * @param registers vector registers
     * @param gemmRows rows of the main GEMM tile (its columns: two vectors)
     * @param gemmEdgeRows rows of the smaller tiles for the last rows of C
     * @param kc depth of a packed GEMM panel
     * @param mc rows of a packed block of A
     * @param nc columns of a packed panel of B
     * @param directAColumns columns of C at most for which short products read A in place (0: never)
     * @param parallelProduct multiply-adds below which a GEMM runs on one thread
     * @param convRows2v rows of a convolution channel tile two vectors wide
     * @param convRows1v rows of a convolution channel tile one vector wide
     * @param convFixedStep whether channel tiles read rows at constant offsets (see the table)
     * @param convPacked whether two-vector channel tiles run over packed panels of their rows (see the table)
     * @param positionRows3v rows of a position tile three vectors wide (0: none)
     * @param positionRows4v rows of a position tile four vectors wide (0: none)
     */
    public record Row(int bits, int registers, int gemmRows, int[] gemmEdgeRows, int kc, int mc,
                      int nc, int directAColumns, long parallelProduct, int convRows2v, int convRows1v,
                      boolean convFixedStep, boolean convPacked, int positionRows3v,
                      int positionRows4v) {
        /**
         * Rows of a convolution channel tile with {@code vectors} (1 or 2) accumulator columns.
         *
         * @param vectors accumulator columns, 1 or 2
         * @return the rows
         */
        public int convRows(int vectors) {
            return vectors == 1 ? convRows1v : convRows2v;
        }

        /**
         * Rows of a convolution position tile with {@code vectors} (1 to 4) accumulator columns; 0: none fits.
         *
         * @param vectors accumulator columns, 1 to 4
         * @return the rows, or 0
         */
        public int positionRows(int vectors) {
            return vectors <= 2 ? convRows(vectors) : vectors == 3 ? positionRows3v : positionRows4v;
        }

        /**
         * The most rows any convolution tile of this row has: what a buffer for one tile must hold.
         *
         * @return the largest row count
         */
        public int maxConvRows() {
            return Math.max(Math.max(convRows2v, convRows1v), Math.max(positionRows3v, positionRows4v));
        }

        /**
         * This row with another GEMM tile row count.
         *
         * @param rows the GEMM tile's rows
         * @return a new row
         */
        public Row withGemmRows(int rows) {
            return new Row(bits, registers, rows, gemmEdgeRows, kc, mc, nc, directAColumns, parallelProduct,
                    convRows2v, convRows1v, convFixedStep, convPacked,
                    positionRows3v, positionRows4v);
        }
    }

    private static final Row[] ROWS = {
        new Row(512, 32, 12, new int[] {4, 8}, 1024, 144, 1024, 128, 2L * 64 * 64 * 64, 12, 12, true, false, 8, 6),
        new Row(256, 32, 6, new int[] {4}, 256, 96, 4096, 0, 64L * 64 * 64, 6, 12, true, false, 0, 0),
        new Row(256, 16, 6, new int[] {4}, 256, 96, 4096, 0, 64L * 64 * 64, 6, 12, false, true, 0, 0),
        new Row(128, 32, 8, new int[] {4}, 512, 144, 4096, 0, 64L * 64 * 64, 12, 12, true, false, 8, 6),
        new Row(128, 16, 6, new int[] {4}, 256, 96, 4096, 0, 64L * 64 * 64, 6, 12, false, true, 0, 0),
    };

    private TileTable() {
    }

    /**
     * The row for {@code bits}-bit vectors and {@code registers} vector registers, or a portable one if none.
     *
     * @param bits vector width
     * @param registers vector registers
     * @return the row
     */
    public static Row lookup(int bits, int registers) {
        for (Row r : ROWS) {
            if (r.bits == bits && r.registers == registers) {
                return r;
            }
        }
        return new Row(bits, registers, 4, new int[0], 256, 96, 4096, 0, 64L * 64 * 64, 6, 12, false, false, 0, 0);
    }

    /**
     * A one-line summary of {@code r}, for reports.
     *
     * @param r a row
     * @return e.g. {@code 512-bit vectors, 32 registers: GEMM tile 12 x 2v, KC 1024, MC 144; conv tiles ...}
     */
    public static String describe(Row r) {
        return r.bits + "-bit vectors, " + r.registers + " registers: GEMM tile " + r.gemmRows + " x 2v, KC " + r.kc
                + ", MC " + r.mc + "; conv tiles " + r.convRows2v + " x 2v / " + r.convRows1v + " x 1v"
                + (r.convFixedStep ? ", fixed-step forms" : "") + (r.convPacked ? ", on packed panels" : "");
    }
}
