package lanes.engine.gemm.tiles;

import lanes.engine.Simd;
import lanes.engine.tune.TileTable;
import lanes.engine.tune.Tuning;

/** The SGEMM tiles this machine runs, picked from {@link TileTable} among the {@link GeneratedTiles}. */
public final class Tiles {
    private Tiles() {
    }

    /** The main tile: {@link TileTable.Row#gemmRows()} rows at this JVM's vector width. */
    public static MicroKernel main() {
        return find(Tuning.current().tiles().gemmRows());
    }

    /**
     * Tiles for the last rows of a block, fewest rows first: a block of M rows ends with a panel of M % MR rows,
     * packed for and run by the smallest tile that covers them, so that no work is spent on padding rows.
     */
    public static MicroKernel[] edges() {
        int[] rows = Tuning.current().tiles().gemmEdgeRows();
        MicroKernel[] k = new MicroKernel[rows.length];
        for (int i = 0; i < rows.length; i++) {
            k[i] = find(rows[i]);
        }
        return k;
    }

    /** The generated tile with {@code rows} rows at this JVM's width, or the reference tile if there is none. */
    static MicroKernel find(int rows) {
        int bits = Simd.SPECIES.vectorBitSize();
        for (MicroKernel k : GeneratedTiles.all()) {
            if (k.vectorBits() == bits && k.mr() == rows && k.nr() == 2 * Simd.LANES) {
                return k;
            }
        }
        return new ReferenceTile(rows, 2 * Simd.LANES);
    }
}
