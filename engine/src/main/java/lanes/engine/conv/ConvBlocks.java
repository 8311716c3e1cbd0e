package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import jdk.incubator.vector.VectorShuffle;
import lanes.engine.Simd;
import lanes.engine.simd.Transpose;
import lanes.engine.tune.Tuning;

/**
 * What the three passes of the direct convolution ({@link DirectForward}, {@link DirectBackwardData},
 * {@link DirectBackwardWeights}) share: channel blocks, tile heights and the write-back of a channel tile. Each
 * pass is one register tile ({@link ChannelTiles}, or {@link PositionTiles} where vectors along positions fill the
 * lanes at least as well: few channels, or stride-1 rows a whole number of vectors long) run over a
 * zero-padded copy of one image (or of one image's output gradient, {@link ConvScratch}) and a packed,
 * channel-blocked copy of the weights, in the loop order of Zhang, Franchetti and Low (ICML 2018): the tile holds
 * a run of positions x one or two vectors of channels, the innermost loop walks the reduction, and the weights of a
 * channel block stay in cache for the whole image. No im2col buffer.
 *
 * <p>Threads split the batch and the channel blocks; no part shares an output element with another.
 */
final class ConvBlocks {
    /** Channels of a full block: two vectors. */
    static final int BLOCK = 2 * LANES;
    private static final boolean CHANNELS_ONLY = Tuning.current().convChannelsOnly();
    // The share of the channel tiles' fill from which position tiles in blocks take over (positionBlocks). Where
    // channel tiles run over packed panels (16 registers) they also pay the packing and a transposed write-back, so
    // there 90 % (Zen 5 at -XX:UseAVX=2, in process: tdnn's backward-data, rows of 100 in 13 vectors, 1.26x on 1
    // thread and 1.3x on 2; 64 channels over rows of 30, forward 1.2x, backward-data level). With 32 registers the
    // in-place channel tiles win below an equal fill (rows of 30 at 512 bits: forward 0.93x, backward-data 0.91x).
    private static final double POSITION_FILL = Tuning.current().convPanels() ? 0.9 : 1.0;

    // Lane l of the result takes lane l/2 (+ LANES/2 for the high half): run value r lands on lane 2r.
    private static final VectorShuffle<Float> SPREAD_LOW = spread(0);
    private static final VectorShuffle<Float> SPREAD_HIGH = spread(LANES / 2);
    private static final VectorMask<Float> EVEN_LANES = evenLanes();

    private ConvBlocks() {
    }

    private static VectorShuffle<Float> spread(int from) {
        int[] idx = new int[LANES];
        for (int l = 0; l < LANES; l++) {
            idx[l] = from + l / 2;
        }
        return VectorShuffle.fromArray(SPECIES, idx, 0);
    }

    private static VectorMask<Float> evenLanes() {
        boolean[] on = new boolean[LANES];
        for (int l = 0; l < LANES; l += 2) {
            on[l] = true;
        }
        return VectorMask.fromArray(SPECIES, on, 0);
    }

    /** Rows of the next tile: {@code remaining} split into as few tiles of at most {@code max} as can be, evenly. */
    static int balanced(int remaining, int max) {
        int tiles = (remaining + max - 1) / max;
        return (remaining + tiles - 1) / tiles;
    }

    /**
     * True if the layer pads nothing: then a padded copy of an image would hold the same floats in the same places,
     * and tiles that read no slack past the image (the channel tiles) read the image where it is.
     */
    static boolean padsNothing(ConvSpec s) {
        return s.padTop == 0 && s.padBottom == 0 && s.padLeft == 0 && s.padRight == 0;
    }

    /** Blocks of {@link #BLOCK} channels covering {@code count}. */
    static int blocks(int count) {
        return (count + BLOCK - 1) / BLOCK;
    }

    /** Vectors in block {@code b}: one where at most a vector's worth of channels is left, else two. */
    static int vectors(int count, int b) {
        return count - b * BLOCK > LANES ? 2 : 1;
    }

    /** Live channels in block {@code b}. */
    static int width(int count, int b) {
        return Math.min(BLOCK, count - b * BLOCK);
    }

    /**
     * True where vectors along a run of {@code positions} fill more lanes than vectors along {@code channels}
     * would, and the channels fit one tile's rows: layers with few channels, such as LeNet's first. Never under
     * {@code -Dlanes.conv.tiles=channels} ({@link Tuning#convChannelsOnly()}).
     */
    static boolean alongPositions(int channels, int positions) {
        if (CHANNELS_ONLY || channels > ChannelTiles.maxRows(1)) {
            return false;
        }
        int posVectors = (positions + LANES - 1) / LANES;
        return (double) positions / (posVectors * LANES) > channelFill(channels);
    }

    /**
     * True where a pass over more channels than one tile's rows runs on {@link PositionTiles} in blocks of channels
     * ({@link #positionRows}): where a run of {@code positions} (an output row at stride 1, a phase's row in
     * backward-data) is two vectors or more and fills at least as many lanes as vectors along the {@code channels}
     * (90 % as many where channel tiles take packed panels). Such a tile reads the (padded) image in place, a whole
     * vector of positions a load, and writes whole runs of each channel's plane: no packed panel, no transposed
     * write-back.
     * Whole layers against channel tiles, in process, fresh JVMs alternating (Zen 5, 1 / 2 threads): at 256 bits
     * (-XX:UseAVX=2) mid forward 1.17x / 1.22x, backward-data 1.09x / 1.16x, tdnn forward 1.18x / 1.29x, strided
     * backward-data 1.23x / 1.16x; at 512 bits mid 1.04-1.05x, tdnn forward 1.01x / 1.15x, backward-data 1.20x /
     * 1.12x; at 128 bits mid forward level (52 GFLOP/s).
     */
    static boolean positionBlocks(int channels, int positions) {
        if (CHANNELS_ONLY || channels <= ChannelTiles.maxRows(1) || PositionTiles.maxRows(2) == 0) {
            return false;
        }
        int posVectors = (positions + LANES - 1) / LANES;
        // a run of one vector leaves the one-vector and stacked tiles, slower than channel tiles (the strided
        // layer's backward-data phases, 16 positions at 512 bits: 0.9x)
        return posVectors >= 2 && (double) positions / (posVectors * LANES) >= POSITION_FILL * channelFill(channels);
    }

    /**
     * Rows of the position tile that starts at channel {@code r0} of {@code channels}: all of them where they fit
     * one tile (few channels, {@link #alongPositions}), else blocks of at most {@code PositionTiles.maxRows(2)}, as
     * even as they go.
     */
    static int positionRows(int channels, int r0) {
        return channels <= ChannelTiles.maxRows(1) ? channels - r0 : balanced(channels - r0, PositionTiles.maxRows(2));
    }

    /** How many position tiles of {@link #positionRows} cover {@code channels}. */
    static int positionBlockCount(int channels) {
        int count = 0;
        for (int r0 = 0; r0 < channels; r0 += positionRows(channels, r0)) {
            count++;
        }
        return count;
    }

    /** The first channel of position block {@code b} of {@code channels}. */
    static int positionBlockStart(int channels, int b) {
        int r0 = 0;
        for (int i = 0; i < b; i++) {
            r0 += positionRows(channels, r0);
        }
        return r0;
    }

    // the share of the lanes that vectors of channels fill: full blocks of BLOCK, the last one or two vectors wide
    private static double channelFill(int channels) {
        return (double) channels / (blocks(channels) * BLOCK
                - (vectors(channels, blocks(channels) - 1) == 1 ? LANES : 0));
    }

    /**
     * Writes a channel tile's columns as runs: {@code dst[d + j*plane + r*step] (= or +=) tile[tOff + r*nb + j] +
     * bias[j]} for {@code j < width, r < rows}. With unit step and rows that fit a vector, each LANES x LANES block
     * is transposed in registers and every run leaves in one masked store; otherwise element by element.
     */
    static void writeColumns(ConvScratch sc, float[] tile, int tOff, int rows, int nb, int width, float[] dst,
                             int d, int plane, int step, float[] bias, int bOff, boolean add) {
        if (step == 2 && add && rows <= LANES && Transpose.supported()
                && Simd.fits(d + (width - 1) * plane + LANES, dst.length)) {
            addColumnsAtStep2(sc, tile, tOff, rows, nb, width, dst, d, plane);
            return;
        }
        if (step != 1 || rows > LANES || !Transpose.supported()
                || !Simd.fits(d + (width - 1) * plane, dst.length)) {
            for (int j = 0; j < width; j++) {
                float bj = bias == null ? 0f : bias[bOff + j];
                int di = d + j * plane;
                for (int r = 0; r < rows; r++) {
                    if (add) {
                        dst[di + r * step] += tile[tOff + r * nb + j];
                    } else {
                        float v = tile[tOff + r * nb + j] + bj;
                        dst[di + r * step] = v;
                    }
                }
            }
            return;
        }
        float[] t = sc.transposed;
        VectorMask<Float> m = SPECIES.indexInRange(0, rows);
        for (int v = 0; v < width; v += LANES) {
            // t[q*LANES + r] = tile[tOff + r*nb + v + q]
            Transpose.block(tile, tOff + v, nb, rows, t, 0, LANES);
            for (int q = 0; q < Math.min(LANES, width - v); q++) {
                int di = d + (v + q) * plane;
                FloatVector run = FloatVector.fromArray(SPECIES, t, q * LANES);
                if (add) {
                    run = run.add(FloatVector.fromArray(SPECIES, dst, di, m));
                } else if (bias != null) {
                    run = run.add(bias[bOff + v + q]);
                }
                run.intoArray(dst, di, m);
            }
        }
    }

    /** Positions a block's stage holds: a tile of up to {@code maxRows} on top of fewer than LANES waiting. */
    static int stageCapacity(int maxRows) {
        return maxRows + LANES - 1;
    }

    /**
     * Stages a channel tile for a write-back LANES positions at a time: {@code stage[at + r*BLOCK + j] =
     * tile[r*nb + j] (+ bias[bAt + j] unless bias is null)} for {@code r < rows, j < nb}, the tile's own layout.
     * A pass whose positions run through the plane in order stages each block's tiles (a block's stage holds
     * {@link #stageCapacity} rows of BLOCK floats) and hands every LANES finished positions to {@link #writeStaged}:
     * each LANES x LANES block is transposed once for LANES positions, not once per tile, and leaves in whole
     * vectors without masks (where a block has LANES live channels, straight into their planes).
     */
    static void stageRows(float[] tile, int rows, int nb, float[] stage, int at, float[] bias, int bAt) {
        for (int j = 0; j < nb; j += LANES) {
            if (bias == null) {
                for (int r = 0; r < rows; r++) {
                    FloatVector.fromArray(SPECIES, tile, r * nb + j).intoArray(stage, at + r * BLOCK + j);
                }
            } else {
                FloatVector bj = FloatVector.fromArray(SPECIES, bias, bAt + j);
                for (int r = 0; r < rows; r++) {
                    FloatVector.fromArray(SPECIES, tile, r * nb + j).add(bj).intoArray(stage, at + r * BLOCK + j);
                }
            }
        }
    }

    /**
     * The first LANES of {@code waiting} staged positions of blocks [first, last) of {@code count} channels:
     * {@code dst[d + ((b - first)*BLOCK + j)*plane + r*step] (= or +=) stage[(b - first)*capacity*BLOCK + r*BLOCK
     * + j]} for {@code j < width(count, b), r < LANES}; then the other waiting rows move to the front of each stage.
     */
    static void writeStaged(ConvScratch sc, float[] stage, int capacity, int waiting, int count, int first,
                            int last, float[] dst, int d, int plane, int step, boolean add) {
        for (int b = first; b < last; b++) {
            int at = (b - first) * capacity * BLOCK;
            int db = d + (b - first) * BLOCK * plane;
            if (step == 1) {
                writeStagedVectors(sc, stage, at, width(count, b), dst, db, plane, add);
            } else {
                writeColumns(sc, stage, at, LANES, BLOCK, width(count, b), dst, db, plane, step, null, 0, add);
            }
            System.arraycopy(stage, at + LANES * BLOCK, stage, at, (waiting - LANES) * BLOCK);
        }
    }

    // dst[d + j*plane + r] (= or +=) stage[at + r*BLOCK + j], j < width, r < LANES: whole vectors, no masks
    private static void writeStagedVectors(ConvScratch sc, float[] stage, int at, int width, float[] dst, int d,
                                           int plane, boolean add) {
        float[] t = sc.transposed;
        // runs of LANES live channels: straight into their planes, all of them in one call
        int straight = add ? 0 : width / LANES;
        if (straight > 0) {
            Transpose.blocks(stage, at, BLOCK, LANES, straight, dst, d, plane);
        }
        for (int v = straight * LANES; v < width; v += LANES) {
            // t[q*LANES + r] = stage[at + r*BLOCK + v + q]; only the live channels' rows leave
            Transpose.block(stage, at + v, BLOCK, t, 0, LANES);
            for (int q = 0; q < Math.min(LANES, width - v); q++) {
                int di = d + (v + q) * plane;
                FloatVector run = FloatVector.fromArray(SPECIES, t, q * LANES);
                if (add) {
                    run = run.add(FloatVector.fromArray(SPECIES, dst, di));
                }
                run.intoArray(dst, di);
            }
        }
    }

    /** The last {@code waiting < LANES} staged positions, as {@link #writeStaged} writes a whole vector of them. */
    static void writeStagedRest(ConvScratch sc, float[] stage, int capacity, int waiting, int count, int first,
                                int last, float[] dst, int d, int plane, int step, boolean add) {
        for (int b = first; b < last; b++) {
            writeColumns(sc, stage, (b - first) * capacity * BLOCK, waiting, BLOCK, width(count, b), dst,
                    d + (b - first) * BLOCK * plane, plane, step, null, 0, add);
        }
    }

    /**
     * {@code dst[d + j*plane + 2r] += tile[tOff + r*nb + j]} for {@code j < width, r < rows <= LANES}: the backward-data
     * write-back of a stride-2 phase. Each LANES x LANES block is transposed in registers; each channel's run is
     * spread onto the even lanes of two vectors and added under a mask that writes only those lanes (the odd ones
     * belong to the other phase). Element by element this write-back took a third of the strided layer's
     * backward-data on Zen 4. The caller checks that {@code dst} holds two whole vectors from the last run's start.
     */
    private static void addColumnsAtStep2(ConvScratch sc, float[] tile, int tOff, int rows, int nb, int width,
                                          float[] dst, int d, int plane) {
        float[] t = sc.transposed;
        VectorMask<Float> low = EVEN_LANES.and(SPECIES.indexInRange(0, 2 * rows - 1));
        VectorMask<Float> high = EVEN_LANES.and(SPECIES.indexInRange(LANES, 2 * rows - 1));
        for (int v = 0; v < width; v += LANES) {
            // t[q*LANES + r] = tile[tOff + r*nb + v + q]
            Transpose.block(tile, tOff + v, nb, rows, t, 0, LANES);
            for (int q = 0; q < Math.min(LANES, width - v); q++) {
                int di = d + (v + q) * plane;
                FloatVector run = FloatVector.fromArray(SPECIES, t, q * LANES);
                FloatVector.fromArray(SPECIES, dst, di, low).add(run.rearrange(SPREAD_LOW))
                        .intoArray(dst, di, low);
                FloatVector.fromArray(SPECIES, dst, di + LANES, high).add(run.rearrange(SPREAD_HIGH))
                        .intoArray(dst, di + LANES, high);
            }
        }
    }
}
