package lanes.engine.tune;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Properties;
import jdk.incubator.vector.FloatVector;

/**
 * Every figure the kernels are tuned by, in one place: the register tiles and cache blocks ({@link TileTable}'s row
 * for this machine), the size thresholds at which GEMM changes path, the thread team's settings, and the switch to
 * the plain (scalar) paths. Each is read once, when the engine's classes initialise, from its default or from the
 * {@code lanes.*} system property that overrides it; a value that does not parse stops the program with a line
 * that names the property, the value and what it must be. {@code lanes info} prints the table
 * ({@link #settings()}).
 *
 * <pre>
 *   property                 default                  what it sets
 *   lanes.scalar             false                    true: every kernel runs its plain path (no Vector API code)
 *   lanes.vectorRegisters    32 with AVX-512 or NEON, 16 else   which row of the tile table applies
 *   lanes.gemm.rows          the row's                rows of the GEMM register tile
 *   lanes.gemm.kc/mc/nc      the row's                GEMM cache blocks (depth, rows of A, columns of B)
 *   lanes.gemm.small         32768                    multiply-adds below which GEMM runs unpacked
 *   lanes.gemm.fewRows       2                        rows of C at most for the unpacked dot-product path
 *   lanes.gemm.parallel      the row's                multiply-adds below which GEMM runs on one thread
 *   lanes.gemm.directB       96                       rows of C at most for which B is read in place, unpacked
 *   lanes.gemm.directA       the row's                columns of C at most for which A's rows are read in place
 *                                                     (in products short enough for B to be read in place; 0: never)
 *   lanes.conv.tiles         auto                     auto, or channels: only channel tiles (no vectors along
 *                                                     positions, no sliding-window tiles)
 *   lanes.conv.panels        the row's                true: two-vector channel tiles run over packed panels
 *   lanes.conv.weightPanels  the row's                true: backward-weights at stride 1 runs the GEMM
 *                                                     micro-kernel over panels of the image's channels
 *   lanes.threads            the cores                threads of the kernel team
 *   lanes.spinMicros         200                      how long an idle team thread spins before it parks
 * </pre>
 */
public final class Tuning {
    /**
     * One setting as {@code lanes info} prints it.
     *
     * @param property the system property that overrides it
     * @param value the value in force
     * @param overridden true if the property set it
     * @param meaning what it sets, in a few words
     */
    public record Setting(String property, String value, boolean overridden, String meaning) {
    }

    private static final Tuning CURRENT;
    private static final IllegalArgumentException INVALID;

    static {
        Tuning t = null;
        IllegalArgumentException bad = null;
        try {
            t = read(System.getProperties());
        } catch (IllegalArgumentException e) {
            bad = e;
        }
        CURRENT = t;
        INVALID = bad;
    }

    private final List<Setting> settings = new ArrayList<>();
    private final Properties properties;
    private final boolean scalar;
    private final TileTable.Row tiles;
    private final int kc;
    private final int mc;
    private final int nc;
    private final long smallProduct;
    private final int fewRows;
    private final long parallelProduct;
    private final int directBRows;
    private final int directAColumns;
    private final boolean convChannelsOnly;
    private final boolean convPanels;
    private final boolean convWeightPanels;
    private final int threads;
    private final long spinMicros;

    private Tuning(Properties properties) {
        this.properties = properties;
        scalar = bool("lanes.scalar", false, "every kernel runs its plain (scalar) path");
        int bits = FloatVector.SPECIES_PREFERRED.vectorBitSize();
        int registers = (int) number("lanes.vectorRegisters", detectedRegisters(bits), 16, 32,
                "vector registers, which pick the tile table's row");
        if (registers != 16 && registers != 32) {
            throw new IllegalArgumentException("lanes.vectorRegisters = " + registers + ": must be 16 or 32");
        }
        TileTable.Row row = TileTable.lookup(bits, registers);
        int rows = (int) number("lanes.gemm.rows", row.gemmRows(), 1, 64, "rows of the GEMM register tile ("
                + bits + "-bit vectors, 2 across)");
        tiles = rows == row.gemmRows() ? row : row.withGemmRows(rows);
        kc = (int) number("lanes.gemm.kc", row.kc(), 1, 1 << 20, "GEMM: depth of a packed panel (KC)");
        mc = (int) number("lanes.gemm.mc", row.mc(), 1, 1 << 20, "GEMM: rows of A packed at once (MC)");
        nc = (int) number("lanes.gemm.nc", row.nc(), 1, 1 << 24, "GEMM: columns of B packed at once (NC)");
        smallProduct = number("lanes.gemm.small", 32L * 32 * 32, 0, Long.MAX_VALUE,
                "GEMM: multiply-adds below which products run unpacked");
        fewRows = (int) number("lanes.gemm.fewRows", 2, 0, Integer.MAX_VALUE,
                "GEMM: rows of C at most for the unpacked dot-product path (x W^T)");
        parallelProduct = number("lanes.gemm.parallel", row.parallelProduct(), 0, Long.MAX_VALUE,
                "GEMM: multiply-adds below which a product runs on one thread");
        directBRows = (int) number("lanes.gemm.directB", 96, 0, Integer.MAX_VALUE,
                "GEMM: rows of C at most for which B is read in place, not packed");
        directAColumns = (int) number("lanes.gemm.directA", row.directAColumns(), 0, Integer.MAX_VALUE,
                "GEMM: columns of C at most for which A's rows are read in place in short products");
        String conv = text("lanes.conv.tiles", "auto", List.of("auto", "channels"),
                "convolution: auto (vectors along positions where they fill more lanes, sliding windows for"
                        + " one-vector blocks) or channels (channel tiles only)");
        convChannelsOnly = conv.equals("channels");
        convPanels = bool("lanes.conv.panels", row.convPacked(),
                "convolution: two-vector channel tiles run as GEMM micro-kernels over packed panels of positions");
        convWeightPanels = bool("lanes.conv.weightPanels", row.convPacked(),
                "convolution: backward-weights at stride 1 runs the GEMM micro-kernel over panels of the channels");
        threads = (int) number("lanes.threads", Runtime.getRuntime().availableProcessors(), 1, 4096,
                "threads of the kernel team (the start value; Parallel.setThreads changes it)");
        spinMicros = number("lanes.spinMicros", 200, 0, 1_000_000,
                "microseconds an idle team thread spins before it parks");
    }

    /**
     * The settings of this JVM, read from its system properties once.
     *
     * @return the tuning in force
     * @throws IllegalArgumentException if a {@code lanes.*} property's value does not parse, naming it
     */
    public static Tuning current() {
        if (INVALID != null) {
            throw new IllegalArgumentException(INVALID.getMessage());
        }
        return CURRENT;
    }

    /**
     * The settings that {@code properties} would give on this machine, for a look at what an override does.
     *
     * @param properties system properties (only {@code lanes.*} ones are read)
     * @return the tuning
     * @throws IllegalArgumentException if a {@code lanes.*} property's value does not parse, naming the property,
     *     the value and what it must be
     */
    public static Tuning read(Properties properties) {
        return new Tuning(properties);
    }

    /**
     * Whether every kernel runs its plain path: GEMM and convolution as plain loop nests, every vector loop as its
     * scalar tail. Slow; for debugging, and for a JVM on which the Vector API is slow.
     *
     * @return true under {@code -Dlanes.scalar=true}
     */
    public boolean scalar() {
        return scalar;
    }

    /**
     * This machine's row of the tile table, with the GEMM tile rows of {@code lanes.gemm.rows} where set.
     *
     * @return the row
     */
    public TileTable.Row tiles() {
        return tiles;
    }

    /**
     * GEMM's KC, before rounding to the tile.
     *
     * @return the depth of a packed panel
     */
    public int gemmKc() {
        return kc;
    }

    /**
     * GEMM's MC, before rounding up to a multiple of the tile's rows.
     *
     * @return rows of A packed at once
     */
    public int gemmMc() {
        return mc;
    }

    /**
     * GEMM's NC, before rounding up to a multiple of the tile's columns.
     *
     * @return columns of B packed at once
     */
    public int gemmNc() {
        return nc;
    }

    /**
     * Multiply-adds (M*N*K) below which GEMM runs unpacked where it can.
     *
     * @return the threshold
     */
    public long gemmSmallProduct() {
        return smallProduct;
    }

    /**
     * Rows of C at most that take the unpacked dot-product path at any size (x W^T: packing W costs more than one
     * or two rows of x pay back; measured on Zen 4, 1 x 256 x 784: 7 against 22-26 GFLOP/s).
     *
     * @return the row count
     */
    public int gemmFewRows() {
        return fewRows;
    }

    /**
     * Multiply-adds below which a GEMM runs on the calling thread alone.
     *
     * @return the threshold
     */
    public long gemmParallelProduct() {
        return parallelProduct;
    }

    /**
     * Rows of C at most for which the micro-kernel reads B's rows in place instead of packing them.
     *
     * @return the row count
     */
    public int gemmDirectBRows() {
        return directBRows;
    }

    /**
     * Columns of C at most for which the micro-kernel reads A's rows in place instead of packing them, in products
     * short enough ({@link #gemmDirectBRows()}) for B to be read in place too, and with A stored row by row.
     *
     * @return the column count
     */
    public int gemmDirectAColumns() {
        return directAColumns;
    }

    /**
     * Whether convolutions run channel tiles only: never vectors along positions, never sliding-window tiles.
     *
     * @return true under {@code -Dlanes.conv.tiles=channels}
     */
    public boolean convChannelsOnly() {
        return convChannelsOnly;
    }

    /**
     * Whether convolution channel tiles two vectors wide copy their rows into a packed panel and run the GEMM
     * micro-kernel over it, instead of reading the image in place: the tile table's "packed" column.
     *
     * @return the table row's choice, or {@code -Dlanes.conv.panels}
     */
    public boolean convPanels() {
        return convPanels;
    }

    /**
     * Whether backward-weights at stride 1 copies each run of input channels, transposed, into a panel and runs
     * the GEMM micro-kernel over it against the output gradient, instead of the channel tiles over the image.
     *
     * @return the table row's choice, or {@code -Dlanes.conv.weightPanels}
     */
    public boolean convWeightPanels() {
        return convWeightPanels;
    }

    /**
     * The kernel team's thread count at start-up.
     *
     * @return threads
     */
    public int threads() {
        return threads;
    }

    /**
     * How long an idle team thread spins for the next job before it parks.
     *
     * @return microseconds
     */
    public long spinMicros() {
        return spinMicros;
    }

    /**
     * Every setting with its value, whether a property set it, and what it does: the table {@code lanes info}
     * prints.
     *
     * @return the settings, in the order of the table above
     */
    public List<Setting> settings() {
        return List.copyOf(settings);
    }

    private String raw(String property) {
        String v = properties.getProperty(property);
        return v == null ? null : v.trim();
    }

    private boolean bool(String property, boolean fallback, String meaning) {
        String v = raw(property);
        boolean value = fallback;
        if (v != null) {
            if (!v.equalsIgnoreCase("true") && !v.equalsIgnoreCase("false")) {
                throw new IllegalArgumentException(property + " = \"" + v + "\": must be true or false");
            }
            value = Boolean.parseBoolean(v);
        }
        settings.add(new Setting(property, Boolean.toString(value), v != null, meaning));
        return value;
    }

    private long number(String property, long fallback, long min, long max, String meaning) {
        String v = raw(property);
        long value = fallback;
        if (v != null) {
            try {
                value = Long.parseLong(v);
            } catch (NumberFormatException e) {
                value = min - 1;
            }
            if (value < min || value > max) {
                throw new IllegalArgumentException(property + " = \"" + v + "\": must be a whole number from " + min
                        + " to " + max);
            }
        }
        settings.add(new Setting(property, Long.toString(value), v != null, meaning));
        return value;
    }

    private String text(String property, String fallback, List<String> allowed, String meaning) {
        String v = raw(property);
        String value = v == null ? fallback : v.toLowerCase(Locale.ROOT);
        if (!allowed.contains(value)) {
            throw new IllegalArgumentException(property + " = \"" + v + "\": must be one of " + allowed);
        }
        settings.add(new Setting(property, value, v != null, meaning));
        return value;
    }

    /** Vector registers the JIT has: 32 with AVX-512 (HotSpot's UseAVX = 3) and on AArch64, otherwise 16. */
    private static int detectedRegisters(int bits) {
        String arch = System.getProperty("os.arch", "");
        if (arch.equals("aarch64") || arch.equals("arm64")) {
            return 32;
        }
        return useAvx(bits) >= 3 ? 32 : 16;
    }

    /** HotSpot's UseAVX flag, or 3 where it cannot be read and the vectors are 512 bits wide (else 2). */
    private static int useAvx(int bits) {
        try {
            var bean = ManagementFactory.getPlatformMXBean(com.sun.management.HotSpotDiagnosticMXBean.class);
            return Integer.parseInt(bean.getVMOption("UseAVX").getValue());
        } catch (RuntimeException | LinkageError e) {
            return bits >= 512 ? 3 : 2;
        }
    }
}
