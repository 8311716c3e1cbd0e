package lanes.engine.simd;

import java.lang.management.ManagementFactory;
import lanes.engine.Simd;

/**
 * The one table of register tiles and block sizes, GEMM and convolution alike, one row per vector width and
 * register-file size. Kernels read {@link #current()} once, when their classes initialise.
 *
 * <pre>
 *   bits regs | GEMM tile  edges   KC    MC  | conv rows 2v 1v | position rows 3v 4v | measured
 *    512  32  | 12 x 2v    4, 8   1024  144 |         12 12   |             8  6    | Zen 5, Zen 4 (earlier sessions)
 *    256  32  |  6 x 2v    4       256   96 |          6 12   |             0  0    | Zen 4, AVX-512 hardware at 256 bits
 *    256  16  |  5 x 2v    4       256  100 |          6 12   |             0  0    | Zen 3 (AVX2), Zen 4 at -XX:UseAVX=2
 *    128  32  | 12 x 2v    4, 8    512  144 |         12 12   |             8  6    | not measured (NEON's shape)
 *    128  16  |  5 x 2v    4       256  100 |          6 12   |             0  0    | Zen 3 at -XX:MaxVectorSize=16
 * </pre>
 *
 * Why the tiles: a tile of R rows x 2 vectors keeps 2R accumulators, 2 vectors of B and the broadcasts of A live.
 * With 32 registers 12 rows fit with room to spare. With 16, C2 schedules two or three broadcasts ahead of their
 * FMAs, so 6 x 2v (12 + 2 + 3 = 17 live) spills an accumulator to the stack on every step of k: the spill and its
 * reload sit on that accumulator's chain and the whole k loop runs at the speed of the store-to-load round trip
 * (42 GFLOP/s of 100 on Zen 3, read in C2's assembly). 5 x 2v leaves C2 four spare registers and runs at 80-95 %
 * of peak there. The convolution channel tiles keep 6 x 2v at 16 registers: each of their broadcasts reads the
 * image at a computed index behind its own bounds check, so C2 keeps one broadcast live at a time (12 + 2 + 1) and
 * their assembly shows no spill.
 *
 * A machine this table has no row for (other widths) gets the portable reference tile: slow, but right.
 */
public final class TileTable {
    /** One row of the table. */
    public record Row(int bits, int registers, int gemmRows, int[] gemmEdgeRows, int kc, int mc, int convRows2v,
                      int convRows1v, int positionRows3v, int positionRows4v) {
        /** Rows of a convolution channel tile with {@code vectors} (1 or 2) accumulator columns. */
        public int convRows(int vectors) {
            return vectors == 1 ? convRows1v : convRows2v;
        }

        /** Rows of a convolution position tile with {@code vectors} (1 to 4) accumulator columns; 0: none fits. */
        public int positionRows(int vectors) {
            return vectors <= 2 ? convRows(vectors) : vectors == 3 ? positionRows3v : positionRows4v;
        }
    }

    private static final Row[] ROWS = {
        new Row(512, 32, 12, new int[] {4, 8}, 1024, 144, 12, 12, 8, 6),
        new Row(256, 32, 6, new int[] {4}, 256, 96, 6, 12, 0, 0),
        new Row(256, 16, 5, new int[] {4}, 256, 100, 6, 12, 0, 0),
        new Row(128, 32, 12, new int[] {4, 8}, 512, 144, 12, 12, 8, 6),
        new Row(128, 16, 5, new int[] {4}, 256, 100, 6, 12, 0, 0),
    };

    private static final Row CURRENT = lookup(Simd.SPECIES.vectorBitSize(), vectorRegisters());

    private TileTable() {
    }

    /** The row for this JVM's vector species and register file. */
    public static Row current() {
        return CURRENT;
    }

    /** The row for {@code bits}-bit vectors and {@code registers} vector registers, or a portable one if none. */
    public static Row lookup(int bits, int registers) {
        for (Row r : ROWS) {
            if (r.bits == bits && r.registers == registers) {
                return r;
            }
        }
        return new Row(bits, registers, 4, new int[0], 256, 96, 6, 12, 0, 0);
    }

    /**
     * Vector registers the JIT has: 32 with AVX-512 (HotSpot's UseAVX = 3) and on AArch64, otherwise 16. The
     * system property {@code lanes.vectorRegisters} overrides it (for experiments).
     */
    public static int vectorRegisters() {
        String forced = System.getProperty("lanes.vectorRegisters");
        if (forced != null) {
            return Integer.parseInt(forced.trim());
        }
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        return useAvx() >= 3 ? 32 : 16;
    }

    /** HotSpot's UseAVX flag, or 3 where it cannot be read and the vectors are 512 bits wide (else 2). */
    private static int useAvx() {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return Simd.SPECIES.vectorBitSize() >= 512 ? 3 : 2;
        }
    }

    /** A one-line summary, for reports. */
    public static String describe() {
        Row r = CURRENT;
        return r.bits + "-bit vectors, " + r.registers + " registers: GEMM tile " + r.gemmRows + " x 2v, KC " + r.kc
                + ", MC " + r.mc + "; conv tiles " + r.convRows2v + " x 2v / " + r.convRows1v + " x 1v";
    }
}
