package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;
import static lanes.engine.conv.ConvBlocks.BLOCK;
import static lanes.engine.conv.ConvBlocks.balanced;
import static lanes.engine.conv.ConvBlocks.stageCapacity;
import static lanes.engine.conv.ConvBlocks.stageRows;
import static lanes.engine.conv.ConvBlocks.writeStaged;
import static lanes.engine.conv.ConvBlocks.writeStagedRest;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorShuffle;
import lanes.engine.Simd;
import lanes.engine.gemm.Epilogue;
import lanes.engine.gemm.tiles.MicroKernel;
import lanes.engine.gemm.tiles.Tiles;
import lanes.engine.simd.Transpose;
import lanes.engine.tune.Tuning;

/**
 * Channel tiles two vectors wide run as GEMM micro-kernels over a packed panel of positions, where the
 * {@link lanes.engine.tune.TileTable} says so (its "panels" column: the machines with 16 vector registers). A pass
 * ({@link #plane}) walks one image's plane of positions p = (oh, ow), each reading {@code src[at + oh*pitch +
 * ow*step + off[k]]} at step k of the reduction:
 *
 * <pre>
 *   panel[k*MR + r] = src[at + oh(p0+r)*pitch + ow(p0+r)*step + off[k]]     k &lt; kLen, r &lt; rows &lt;= MR  (pack)
 *   tile[r*2L + j]  = sum_{k &lt; kLen} panel[k*MR + r] * w[wOff + k*2L + j]   j &lt; 2 LANES             (run)
 * </pre>
 *
 * the same sums, in the same order, one fused multiply-add a step from zero, as {@link ChannelTiles}'s {@code
 * Rx2v} tile over the image itself, so the same bits for each position. Two things make it faster with 16
 * registers. The in-place tile keeps each row's index in a general register and reloads the image's base from the
 * stack at every step (C2's assembly, 6 x 2v at {@code -XX:UseAVX=2}: some 50 instructions for 12 FMAs); over a
 * panel the micro-kernel needs two indices and takes two steps of k per pass. And a panel's positions may run on
 * past an output row's end, so a row of 32 positions is not cut into 6, 6, 5, 5, 5, 5. A panel is packed once and
 * serves every channel block of the pass ({@link lanes.engine.tune.TileTable} has the figures).
 */
final class PanelTiles {
    /** Whether channel tiles two vectors wide run over packed panels on this machine. */
    static final boolean ON = Tuning.current().convPanels();
    private static final MicroKernel MAIN = Tiles.main();
    private static final MicroKernel[] EDGES = Tiles.edges();
    // lane l of a stride-2 pack takes lane 2l of the two vectors read at the row's start (2l >= LANES: the second)
    private static final VectorShuffle<Float> EVEN = VectorShuffle.fromOp(SPECIES, l -> 2 * l);

    private PanelTiles() {
    }

    /** The most rows one panel holds: the main GEMM tile's. */
    static int maxRows() {
        return MAIN.mr();
    }

    /** Floats a panel of {@code kLen} steps needs, slack for whole-vector packing included. */
    static int panelSize(int kLen) {
        return kLen * MAIN.mr() + 2 * LANES;
    }

    /** The micro-kernel for {@code rows}: the smallest that covers them. */
    static MicroKernel kernel(int rows) {
        for (MicroKernel k : EDGES) {
            if (rows <= k.mr()) {
                return k;
            }
        }
        return MAIN;
    }

    /** The largest of {@code off[0 .. kLen)}: how far past a row's start the taps read. */
    static int maxOffset(int[] off, int kLen) {
        int max = 0;
        for (int k = 0; k < kLen; k++) {
            max = Math.max(max, off[k]);
        }
        return max;
    }

    // src (the padded image): position p = (oh, ow) of a plane `width` wide reads at + oh*pitch + ow*step + off[k];
    // positions p0 .. p0+rows-1, across output rows where they run past one -> panel (kLen, mr), row r = p - p0.
    // maxOff: maxOffset(off, kLen); segments: 2*mr ints of scratch
    static void pack(float[] src, int at, int pitch, int width, int step, int p0, int rows, int[] off, int maxOff,
                     int kLen, int mr, float[] panel, int[] segments) {
        // segments[2s] = the first panel row of run s, segments[2s+1] = where in src it starts
        int runs = 0;
        boolean vectors = mr <= LANES && (step == 1 || step == 2);
        for (int r = 0; r < rows; ) {
            int oh = (p0 + r) / width;
            int ow = (p0 + r) % width;
            int start = at + oh * pitch + ow * step;
            segments[2 * runs] = r;
            segments[2 * runs + 1] = start;
            vectors &= Simd.fits(start + maxOff + (step - 1) * LANES, src.length);
            runs++;
            r += width - ow;
        }
        if (vectors) {
            // one vector a run and step: lanes past a run land on later rows or the next step's, which later stores
            // (higher addresses, in order) overwrite; one and two runs (a row's end) get loops of their own
            int i0 = segments[1];
            if (runs == 1) {
                for (int k = 0; k < kLen; k++) {
                    packVector(src, i0 + off[k], step, panel, k * mr);
                }
            } else if (runs == 2) {
                int i1 = segments[3];
                int r1 = segments[2];
                for (int k = 0; k < kLen; k++) {
                    packVector(src, i0 + off[k], step, panel, k * mr);
                    packVector(src, i1 + off[k], step, panel, k * mr + r1);
                }
            } else {
                for (int k = 0; k < kLen; k++) {
                    for (int q = 0; q < runs; q++) {
                        packVector(src, segments[2 * q + 1] + off[k], step, panel, k * mr + segments[2 * q]);
                    }
                }
            }
        } else {
            for (int q = 0; q < runs; q++) {
                int end = q + 1 < runs ? segments[2 * q + 2] : rows;
                for (int k = 0; k < kLen; k++) {
                    int i = segments[2 * q + 1] + off[k];
                    for (int r = segments[2 * q]; r < end; r++) {
                        panel[k * mr + r] = src[i + (r - segments[2 * q]) * step];
                    }
                }
            }
        }
    }

    // panel[at + l] = src[i + l*step] for l < LANES, step 1 or 2 (the vectors live only in here)
    private static void packVector(float[] src, int i, int step, float[] panel, int at) {
        FloatVector v = FloatVector.fromArray(SPECIES, src, i);
        if (step == 2) {
            v = v.rearrange(EVEN, FloatVector.fromArray(SPECIES, src, i + LANES));
        }
        v.intoArray(panel, at);
    }

    /**
     * Whether a pass over {@code blocks} channel blocks, the last {@code lastVectors} vectors wide, takes panels:
     * where the tile table says so, every block is two vectors wide, and a panel serves at least two blocks (packing
     * one for a single block costs more than reading the image in place loses: LeNet's conv2 ran at 0.75x).
     */
    static boolean pays(int blocks, int lastVectors) {
        return ON && Transpose.supported() && blocks >= 2 && lastVectors == 2;
    }

    /**
     * One image's whole plane of positions on two-vector channel blocks {@code [first, last)}: position p = (oh, ow)
     * reads {@code src[at + oh*pitch + ow*step + off[k]]}, block b's weights start at {@code w[wAt + (b - first) *
     * kLen * BLOCK]}, and its channel j of position p goes to {@code dst[d + ((b - first)*BLOCK + j)*plane + p]}
     * (= tile + bias[biasAt + (b - first)*BLOCK + j], or += tile where {@code add}). The epilogue, if any, sees each
     * LANES finished positions of the blocks' {@code channels} (from channel {@code o0}) while they are in L1.
     */
    static void plane(ConvScratch sc, float[] src, int at, int pitch, int width, int step, int plane, int[] off,
                      int kLen, float[] w, int wAt, int first, int last, int count, float[] bias, int biasAt,
                      float[] dst, int d, boolean add, Epilogue epilogue, int o0) {
        int maxOff = maxOffset(off, kLen);
        int maxRows = MAIN.mr();
        float[] panel = sc.panel(panelSize(kLen));
        float[] tile = sc.tile;
        int capacity = stageCapacity(maxRows);
        float[] stage = sc.stage((last - first) * capacity * BLOCK);
        int channels = Math.min(count, last * BLOCK) - first * BLOCK;
        int waiting = 0;                          // positions staged, not yet in dst
        int done = 0;                             // positions of the plane in dst
        for (int p0 = 0; p0 < plane; ) {
            int rows = balanced(plane - p0, maxRows);
            MicroKernel kernel = kernel(rows);
            pack(src, at, pitch, width, step, p0, rows, off, maxOff, kLen, kernel.mr(), panel, sc.panelRuns);
            // the blocks innermost: the panel (a few KB) stays in L1 while every block's weights stream by
            for (int b = first; b < last; b++) {
                run(kernel, panel, 0, kLen, rows, w, wAt + (b - first) * kLen * BLOCK, tile, sc.panelTile);
                stageRows(tile, rows, BLOCK, stage, ((b - first) * capacity + waiting) * BLOCK, bias,
                        biasAt + (b - first) * BLOCK);
            }
            p0 += rows;
            for (waiting += rows; waiting >= LANES; waiting -= LANES, done += LANES) {
                writeStaged(sc, stage, capacity, waiting, count, first, last, dst, d + done, plane, 1, add);
                if (epilogue != null) {
                    epilogue.apply(dst, d + done, plane, o0, done, channels, LANES);
                }
            }
        }
        if (waiting > 0) {
            writeStagedRest(sc, stage, capacity, waiting, count, first, last, dst, d + done, plane, 1, add);
            if (epilogue != null) {
                epilogue.apply(dst, d + done, plane, o0, done, channels, waiting);
            }
        }
    }

    // panel (kLen, k.mr()) from pOff, w (kLen, 2 LANES) from wOff -> tile (rows, 2 LANES); scratch: k.mr() x 2 LANES
    static void run(MicroKernel k, float[] panel, int pOff, int kLen, int rows, float[] w, int wOff, float[] tile,
                    float[] scratch) {
        k.compute(kLen, panel, pOff, w, wOff, 2 * LANES, tile, 0, 2 * LANES, rows, 2 * LANES, 1f, 0f, scratch);
    }
}
