package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.CallArguments;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.gemm.Transpose;
import lanes.engine.math.Reduce;

/**
 * Direct convolution on contiguous NCHW arrays: no im2col buffer. Every pass is one register tile
 * ({@link ChannelTiles}, or {@link PositionTiles} where channels are few) run over a zero-padded copy of one image (or of one image's output gradient) and a packed,
 * channel-blocked copy of the weights, in the loop order of Zhang, Franchetti and Low (ICML 2018): the tile holds
 * a run of positions x one or two vectors of channels, the innermost loop walks the reduction, and the weights of a
 * channel block stay in cache for the whole image.
 *
 * <pre>
 *   forward          rows = output positions of one row (step = stride)   vectors = output channels
 *                    reduction = (c, kh, kw)                               y[n, o, oh, ow0 + r]     := tile + bias
 *   backward-data    rows = input positions of one phase (step = 1 in dy)  vectors = input channels
 *                    reduction = (o, taps of that phase)                   dx[n, c, ih, iw0 + r*sw] += tile
 *   backward-weights rows = input channels (or kernel columns)             vectors = output channels
 *                    reduction = output positions of one image             dw[o, c0 + r, kh, kw]    += tile
 * </pre>
 *
 * Strided backward-data is split into its sh x sw phases: input rows with the same (ih + padTop) mod sh see the
 * same kernel rows, and within a phase consecutive inputs read consecutive outputs, so a strided convolution costs
 * about what a stride-1 one does per FLOP.
 *
 * <p>Threads split the batch and the channel blocks; no part shares an output element with another, and the
 * weight gradient sums per-chunk partials of a fixed number of images in a fixed order, so results are bitwise
 * the same for any thread count.
 */
final class DirectConv {
    /** Channels of a full block: two vectors. */
    static final int BLOCK = 2 * LANES;
    /** Images per partial weight gradient are chosen so that there are at most this many partials. */
    static final int MAX_CHUNKS = 8;

    private DirectConv() {
    }

    /** Per-thread scratch: padded image, tile, offsets and packed gradient, grown as needed and reused. */
    private static final class Scratch {
        float[] image = new float[0];
        float[] packed = new float[0];
        float[] tile = new float[12 * BLOCK];
        float[] transposed = new float[LANES * LANES];
        int[] off = new int[0];
        // the image held in `image` (call, n, tag), so that consecutive parts of one image pad it once
        long imageCall = -1;
        // the layout whose borders (and slack) `image` holds as zeros
        int[] layout = new int[7];     // channels, h, w, top, bottom, left, right
        // the calling thread's per-call buffers: packed weights and weight-gradient partials (zeroed on loan),
        // and the stride-phase tables of the last backward-data geometry
        float[] weights = new float[0];
        float[] partial = new float[0];
        ConvSpec phaseSpec;
        int[] phaseStart;
        int[][] phaseOffsets;

        float[] weights(int size) {
            if (weights.length < size) {
                weights = new float[size];
            } else {
                Arrays.fill(weights, 0, size, 0f);
            }
            return weights;
        }

        float[] partial(int size) {
            if (partial.length < size) {
                partial = new float[size];
            } else {
                Arrays.fill(partial, 0, size, 0f);
            }
            return partial;
        }
        float[] zeroedImage;
        int imageN = -1;
        int imageG = -1;

        float[] image(int size) {
            if (image.length < size) {
                image = new float[size];
            }
            return image;
        }

        float[] packed(int size) {
            if (packed.length < size) {
                packed = new float[size];
            }
            return packed;
        }

        int[] off(int size) {
            if (off.length < size) {
                off = new int[size];
            }
            return off;
        }
    }

    /**
     * One convolution call's arguments ({@link CallArguments}), with its number for the padded-image cache.
     */
    private static final class Call extends CallArguments {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        ConvSpec s;
        long id;
        float[] out;
        int outOff;
        float[] in;
        int inOff;
        float[] in2;
        int in2Off;
        float[] packed;
        float[] bias;
        int bOff;
        int blocks;
        boolean split;
        boolean relu;
        boolean positions;
        int chunks;
        int perChunk;
        int partSize;
        int[] phaseStart;
        int[][] phaseOffsets;
        final IntConsumer forwardChannels = p -> forwardChannelsPart(this, p);
        final IntConsumer forwardPositions = p -> forwardPositionsPart(this, p);
        final IntConsumer backwardData = p -> backwardDataPart(this, p);
        final IntConsumer backwardWeights = p -> backwardWeightsPart(this, p);
        final IntConsumer sumPartials = p -> sumPartialsPart(this, p);

        /** This thread's block for a new call on {@code s} (a fresh one if a call of this thread is running). */
        static Call start(ConvSpec s) {
            Call c = borrow(MINE, Call::new);
            c.s = s;
            c.id = CALLS.incrementAndGet();
            return c;
        }

        @Override
        protected void clear() {
            s = null;
            out = in = in2 = packed = bias = null;
            phaseStart = null;
            phaseOffsets = null;
        }
    }

    /** Numbers each kernel call, so that a padded image is never reused across calls (its source may change). */
    private static final AtomicLong CALLS = new AtomicLong();
    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    /** Rows of the next tile: {@code remaining} split into as few tiles of at most {@code max} as can be, evenly. */
    static int balanced(int remaining, int max) {
        int tiles = (remaining + max - 1) / max;
        return (remaining + tiles - 1) / tiles;
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

    // ---------------------------------------------------------------------------------------------------------
    // forward

    // x (N,C,H,W), w (OC,C/g,KH,KW), bias (OC) or null -> y (N,OC,OH,OW)
    // relu: y := max(y, 0) on the way out
    static void forward(ConvSpec s, float[] y, int yOff, float[] x, int xOff, float[] w, int wOff, float[] bias,
                        int bOff, boolean relu) {
        if (s.strideW == 1 && alongPositions(s.outPerGroup(), s.outW)) {
            forwardAlongPositions(s, y, yOff, x, xOff, w, wOff, bias, bOff, relu);
            return;
        }
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int kLen = cg * taps;
        int blocks = blocks(og);
        // wp (G, blocks, kLen, nb): wp[k*nb + j] = w[g*og + b*BLOCK + j, c, kh, kw] for k = (c, kh, kw)
        float[] wp = SCRATCH.get().weights(s.groups * blocks * kLen * BLOCK);
        for (int g = 0; g < s.groups; g++) {
            for (int b = 0; b < blocks; b++) {
                int nb = vectors(og, b) * LANES;
                int width = width(og, b);
                int dst = (g * blocks + b) * kLen * BLOCK;
                for (int j = 0; j < width; j++) {
                    int src = wOff + (g * og + b * BLOCK + j) * kLen;
                    for (int k = 0; k < kLen; k++) {
                        wp[dst + k * nb + j] = w[src + k];
                    }
                }
            }
        }
        int images = s.batch * s.groups;
        try (Call c = Call.start(s)) {
            c.out = y;
            c.outOff = yOff;
            c.in = x;
            c.inOff = xOff;
            c.packed = wp;
            c.bias = bias;
            c.bOff = bOff;
            c.blocks = blocks;
            c.relu = relu;
            // whole images per part when there are enough of them (each pads its image once), else image x block
            c.split = images < 2 * Parallel.threads() && blocks > 1;
            Parallel.run(c.split ? images * blocks : images, c.forwardChannels);
        }
    }

    private static void forwardChannelsPart(Call c, int p) {
        int image = c.split ? p / c.blocks : p;
        int first = c.split ? p % c.blocks : 0;
        int last = c.split ? first + 1 : c.blocks;
        forwardBlocks(c.s, c.id, c.out, c.outOff, c.in, c.inOff, c.packed, c.bias, c.bOff, c.relu,
                image / c.s.groups, image % c.s.groups, first, last);
    }

    /**
     * True where vectors along a run of {@code positions} fill more lanes than vectors along {@code channels}
     * would, and the channels fit one tile's rows: layers with few channels, such as LeNet's first.
     */
    static boolean alongPositions(int channels, int positions) {
        if (channels > ChannelTiles.maxRows(1)) {
            return false;
        }
        double channelFill = (double) channels / (blocks(channels) * BLOCK
                - (vectors(channels, blocks(channels) - 1) == 1 ? LANES : 0));
        int posVectors = (positions + LANES - 1) / LANES;
        double positionFill = (double) positions / (posVectors * LANES);
        return positionFill > channelFill;
    }

    // x (N,C,H,W), w (OC,C/g,KH,KW), bias -> y (N,OC,OH,OW), stride 1: tiles of (OC/g) channels x positions
    private static void forwardAlongPositions(ConvSpec s, float[] y, int yOff, float[] x, int xOff, float[] w,
                                              int wOff, float[] bias, int bOff, boolean relu) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        // a (G, kLen, og): a[k*og + r] = w[g*og + r, k]
        float[] a = SCRATCH.get().weights(s.groups * kLen * og);
        for (int g = 0; g < s.groups; g++) {
            for (int r = 0; r < og; r++) {
                for (int k = 0; k < kLen; k++) {
                    a[(g * kLen + k) * og + r] = w[wOff + (g * og + r) * kLen + k];
                }
            }
        }
        try (Call c = Call.start(s)) {
            c.out = y;
            c.outOff = yOff;
            c.in = x;
            c.inOff = xOff;
            c.packed = a;
            c.bias = bias;
            c.bOff = bOff;
            c.relu = relu;
            Parallel.run(s.batch * s.groups, c.forwardPositions);
        }
    }

    // one image n and group g of forwardAlongPositions: y[n, g*og .., :, :]
    private static void forwardPositionsPart(Call c, int p) {
        ConvSpec s = c.s;
        float[] y = c.out;
        int yOff = c.outOff;
        float[] bias = c.bias;
        int bOff = c.bOff;
        float[] a = c.packed;
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        int n = p / s.groups;
        int g = p % s.groups;
        Scratch sc = SCRATCH.get();
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        float[] xp = padImage(sc, c.id, c.in, c.inOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH,
                s.inW, s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
        int[] off = tapOffsets(sc, s, cg, hp, wpad);
        float[] tile = sc.tile;
        int plane = s.outH * s.outW;
        for (int oh = 0; oh < s.outH; oh++) {
            int rowBase = oh * s.strideH * wpad;
            for (int ow0 = 0; ow0 < s.outW; ) {
                int count = Math.min(s.outW - ow0, BLOCK);
                int vectors = count > LANES && og <= PositionTiles.maxRows(2) ? 2 : 1;
                count = Math.min(count, vectors * LANES);
                int nb = vectors * LANES;
                PositionTiles.run(og, vectors, a, g * kLen * og, xp, rowBase + ow0, LANES, off, kLen, tile);
                for (int r = 0; r < og; r++) {
                    int o = g * og + r;
                    float bo = bias == null ? 0f : bias[bOff + o];
                    int yi = yOff + (n * s.outChannels + o) * plane + oh * s.outW + ow0;
                    for (int j = 0; j < count; j += LANES) {
                        if (!Simd.fits(yi + j, y.length)) {
                            for (int t = j; t < count; t++) {
                                float v = tile[r * nb + t] + bo;
                                y[yi + t] = c.relu ? Math.max(v, 0f) : v;
                            }
                            break;
                        }
                        VectorMask<Float> m = SPECIES.indexInRange(j, count);
                        FloatVector v = FloatVector.fromArray(SPECIES, tile, r * nb + j).add(bo);
                        (c.relu ? v.max(0f) : v).intoArray(y, yi + j, m);
                    }
                }
                ow0 += count;
            }
        }
    }

    /** off[k] for k = (c, kh, kw): where tap k of channel c sits in a padded image of hp x wp planes. */
    private static int[] tapOffsets(Scratch sc, ConvSpec s, int cg, int hp, int wp) {
        int[] off = sc.off(cg * s.kernelH * s.kernelW);
        int k = 0;
        for (int c = 0; c < cg; c++) {
            for (int kh = 0; kh < s.kernelH; kh++) {
                for (int kw = 0; kw < s.kernelW; kw++) {
                    off[k++] = c * hp * wp + kh * s.dilationH * wp + kw * s.dilationW;
                }
            }
        }
        return off;
    }

    // one image n, group g, output-channel blocks [first, last): y[n, g*og + first*BLOCK .. , :, :]
    private static void forwardBlocks(ConvSpec s, long call, float[] y, int yOff, float[] x, int xOff, float[] wp,
                                      float[] bias, int bOff, boolean relu, int n, int g, int first, int last) {
        Scratch sc = SCRATCH.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        float[] xp = padImage(sc, call, x, xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH, s.inW,
                s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
        int[] off = tapOffsets(sc, s, cg, hp, wpad);
        int blocks = blocks(og);
        int maxRows = ChannelTiles.maxRows(vectors(og, first));
        float[] tile = sc.tile;
        int plane = s.outH * s.outW;
        // the blocks innermost: one tile's input rows (a few KB) stay in L1 while every block's weights stream by
        for (int oh = 0; oh < s.outH; oh++) {
            int rowBase = oh * s.strideH * wpad;
            for (int ow0 = 0; ow0 < s.outW; ) {
                int rows = balanced(s.outW - ow0, maxRows);
                for (int b = first; b < last; b++) {
                    int vectors = vectors(og, b);
                    int o0 = g * og + b * BLOCK;
                    ChannelTiles.run(rows, vectors, xp, rowBase + ow0 * s.strideW, s.strideW, off, kLen, wp,
                            (g * blocks + b) * kLen * BLOCK, tile);
                    writeColumns(sc, tile, rows, vectors * LANES, width(og, b), y,
                            yOff + (n * s.outChannels + o0) * plane + oh * s.outW + ow0, plane, 1, bias,
                            bias == null ? 0 : bOff + o0, relu, false);
                }
                ow0 += rows;
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // backward-data

    // dy (N,OC,OH,OW), w (OC,C/g,KH,KW) -> dx (N,C,H,W) +=
    static void backwardData(ConvSpec s, float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kSum = og * s.kernelH * s.kernelW;
        // the taps of phase (ph, pw) are k' = (o, kh with kh*dh = ph mod sh, kw with kw*dw = pw mod sw), and
        // phase q's run of them starts at phaseStart[q]; both tables depend only on the geometry
        Scratch caller = SCRATCH.get();
        if (s != caller.phaseSpec && s.equals(caller.phaseSpec)) {
            caller.phaseSpec = s;       // an equal spec of another layer: the same tables, found by identity next
        } else if (s != caller.phaseSpec) {
            int[] start = new int[s.strideH * s.strideW + 1];
            for (int ph = 0; ph < s.strideH; ph++) {
                for (int pw = 0; pw < s.strideW; pw++) {
                    int phase = ph * s.strideW + pw;
                    start[phase + 1] = start[phase]
                            + og * phaseTaps(s.kernelH, s.dilationH, s.strideH, ph)
                            * phaseTaps(s.kernelW, s.dilationW, s.strideW, pw);
                }
            }
            caller.phaseStart = start;
            caller.phaseOffsets = phaseOffsets(s);
            caller.phaseSpec = s;
        }
        int[] phaseStart = caller.phaseStart;
        int[][] phaseOffsets = caller.phaseOffsets;
        int images = s.batch * s.groups;
        try (Call c = Call.start(s)) {
            c.out = dx;
            c.outOff = dxOff;
            c.in = dy;
            c.inOff = dyOff;
            c.phaseStart = phaseStart;
            c.phaseOffsets = phaseOffsets;
            if (alongPositions(cg, (s.inW + s.strideW - 1) / s.strideW)) {
                // a (G, phases, k', cg): a[k'*cg + r] = w[g*og + o, r, kh, kw]
                float[] a = SCRATCH.get().weights(s.groups * kSum * cg);
                for (int g = 0; g < s.groups; g++) {
                    packPhases(s, w, wOff, g, phaseStart, 0, cg, cg, a, g * kSum * cg);
                }
                c.packed = a;
                c.blocks = -1;
                c.split = false;
                Parallel.run(images, c.backwardData);
                return;
            }
            int blocks = blocks(cg);
            // wt (G, blocks, phases, k', nb): wt[k'*nb + j] = w[g*og + o, b*BLOCK + j, kh, kw]
            float[] wt = SCRATCH.get().weights(s.groups * blocks * kSum * BLOCK);
            for (int g = 0; g < s.groups; g++) {
                for (int b = 0; b < blocks; b++) {
                    packPhases(s, w, wOff, g, phaseStart, b * BLOCK, width(cg, b), vectors(cg, b) * LANES, wt,
                            (g * blocks + b) * kSum * BLOCK);
                }
            }
            c.packed = wt;
            c.blocks = blocks;
            c.split = images < 2 * Parallel.threads() && blocks > 1;
            Parallel.run(c.split ? images * blocks : images, c.backwardData);
        }
    }

    // image p (or, split, image p / blocks and its block p % blocks) of backwardData; blocks -1: position tiles
    private static void backwardDataPart(Call c, int p) {
        int image = c.split ? p / c.blocks : p;
        int first = c.blocks < 0 ? -1 : c.split ? p % c.blocks : 0;
        int last = c.blocks < 0 ? -1 : c.split ? first + 1 : c.blocks;
        backwardDataImage(c.s, c.id, c.out, c.outOff, c.in, c.inOff, c.packed, c.phaseStart, c.phaseOffsets,
                image / c.s.groups, image % c.s.groups, first, last);
    }

    /**
     * Packs group g's weights phase by phase: for each k' = (o, kh, kw) of a phase, the {@code width} input
     * channels from {@code c0} at {@code dst[k'*stride + j]} (zero beyond width).
     */
    private static void packPhases(ConvSpec s, float[] w, int wOff, int g, int[] phaseStart, int c0, int width,
                                   int stride, float[] dst, int dstOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        for (int ph = 0; ph < s.strideH; ph++) {
            for (int pw = 0; pw < s.strideW; pw++) {
                int d = dstOff + phaseStart[ph * s.strideW + pw] * stride;
                for (int o = 0; o < og; o++) {
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        if (kh * s.dilationH % s.strideH != ph) {
                            continue;
                        }
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            if (kw * s.dilationW % s.strideW != pw) {
                                continue;
                            }
                            for (int j = 0; j < width; j++) {
                                dst[d + j] = w[wOff + (((g * og + o) * cg + c0 + j) * s.kernelH + kh) * s.kernelW
                                        + kw];
                            }
                            d += stride;
                        }
                    }
                }
            }
        }
    }

    /**
     * Writes a channel tile's columns as runs: {@code dst[d + j*plane + r*step] (= or +=) tile[r*nb + j] + bias[j]}
     * for {@code j < width, r < rows}, through {@code max(., 0)} where {@code relu} (with {@code =} only). With unit step and rows that fit a vector, each LANES x LANES block is
     * transposed in registers and every run leaves in one masked store; otherwise element by element.
     */
    private static void writeColumns(Scratch sc, float[] tile, int rows, int nb, int width, float[] dst, int d,
                                     int plane, int step, float[] bias, int bOff, boolean relu, boolean add) {
        if (step != 1 || rows > LANES || !Transpose.supported()
                || !Simd.fits(d + (width - 1) * plane, dst.length)) {
            for (int j = 0; j < width; j++) {
                float bj = bias == null ? 0f : bias[bOff + j];
                int di = d + j * plane;
                for (int r = 0; r < rows; r++) {
                    if (add) {
                        dst[di + r * step] += tile[r * nb + j];
                    } else {
                        float v = tile[r * nb + j] + bj;
                        dst[di + r * step] = relu ? Math.max(v, 0f) : v;
                    }
                }
            }
            return;
        }
        float[] t = sc.transposed;
        VectorMask<Float> m = SPECIES.indexInRange(0, rows);
        for (int v = 0; v < width; v += LANES) {
            // t[q*LANES + r] = tile[r*nb + v + q]
            Transpose.block(tile, v, nb, rows, t, 0, LANES);
            for (int q = 0; q < Math.min(LANES, width - v); q++) {
                int di = d + (v + q) * plane;
                FloatVector run = FloatVector.fromArray(SPECIES, t, q * LANES);
                if (add) {
                    run = run.add(FloatVector.fromArray(SPECIES, dst, di, m));
                } else if (bias != null) {
                    run = run.add(bias[bOff + v + q]);
                }
                if (relu) {
                    run = run.max(0f);
                }
                run.intoArray(dst, di, m);
            }
        }
    }

    /** {@code dst[d + j*stride] += src[s + j]} for {@code j < count <= 2 LANES}; whole vectors where stride is 1. */
    private static void addRun(float[] dst, int d, int stride, float[] src, int s, int count) {
        if (stride != 1) {
            for (int j = 0; j < count; j++) {
                dst[d + j * stride] += src[s + j];
            }
            return;
        }
        for (int j = 0; j < count; j += LANES) {
            if (!Simd.fits(d + j, dst.length)) {
                for (int t = j; t < count; t++) {
                    dst[d + t] += src[s + t];
                }
                break;
            }
            VectorMask<Float> m = SPECIES.indexInRange(j, count);
            FloatVector.fromArray(SPECIES, dst, d + j, m).add(FloatVector.fromArray(SPECIES, src, s + j))
                    .intoArray(dst, d + j, m);
        }
    }

    /**
     * For each phase (ph, pw), where its taps k' = (o, kh, kw) read the padded output gradient of
     * {@link #backwardDataImage}, relative to the input position's own place in it: image-independent, so
     * computed once per call (the modulo tests cost more than a small image's tiles).
     */
    private static int[][] phaseOffsets(ConvSpec s) {
        int sh = s.strideH;
        int sw = s.strideW;
        int og = s.outPerGroup();
        int hq = paddedGradientHeight(s);
        int wq = paddedGradientWidth(s);
        int[][] offsets = new int[sh * sw][];
        for (int ph = 0; ph < sh; ph++) {
            for (int pw = 0; pw < sw; pw++) {
                int[] off = new int[og * phaseTaps(s.kernelH, s.dilationH, sh, ph)
                        * phaseTaps(s.kernelW, s.dilationW, sw, pw)];
                int k = 0;
                for (int o = 0; o < og; o++) {
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        if (kh * s.dilationH % sh != ph) {
                            continue;
                        }
                        for (int kw = 0; kw < s.kernelW; kw++) {
                            if (kw * s.dilationW % sw != pw) {
                                continue;
                            }
                            int eh = (kh * s.dilationH - ph) / sh;
                            int ew = (kw * s.dilationW - pw) / sw;
                            off[k++] = o * hq * wq - eh * wq - ew;
                        }
                    }
                }
                offsets[ph * sw + pw] = off;
            }
        }
        return offsets;
    }

    // the output gradient padded for backward-data: halo rows and columns before, zeros after; input row ih of
    // phase ph reads dy row (ih + padTop) / sh - eh with eh <= haloH (and likewise for columns)
    private static int haloH(ConvSpec s) {
        return (s.kernelH - 1) * s.dilationH / s.strideH;
    }

    private static int haloW(ConvSpec s) {
        return (s.kernelW - 1) * s.dilationW / s.strideW;
    }

    private static int paddedGradientHeight(ConvSpec s) {
        return haloH(s) + Math.max(s.outH, (s.padTop + s.inH - 1) / s.strideH + 1);
    }

    private static int paddedGradientWidth(ConvSpec s) {
        return haloW(s) + Math.max(s.outW, (s.padLeft + s.inW - 1) / s.strideW + 1);
    }

    /** Kernel taps {@code k} with {@code k*dilation = phase (mod stride)}. */
    static int phaseTaps(int kernel, int dilation, int stride, int phase) {
        int count = 0;
        for (int k = 0; k < kernel; k++) {
            if (k * dilation % stride == phase) {
                count++;
            }
        }
        return count;
    }

    /**
     * One image n and group g: dx[n, channels of g, :, :] += conv^T(dy, w), with channel block b on channel tiles,
     * or (b = -1) all the group's channels on position tiles.
     */
    private static void backwardDataImage(ConvSpec s, long call, float[] dx, int dxOff, float[] dy, int dyOff,
                                          float[] wt, int[] phaseStart, int[][] phaseOffsets, int n, int g, int first,
                                          int last) {
        Scratch sc = SCRATCH.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int sh = s.strideH;
        int sw = s.strideW;
        int haloH = haloH(s);
        int haloW = haloW(s);
        int hq = paddedGradientHeight(s);
        int wq = paddedGradientWidth(s);
        float[] dyp = padImage(sc, call, dy, dyOff + (n * s.outChannels + g * og) * s.outH * s.outW, og, s.outH,
                s.outW, haloH, hq - haloH - s.outH, haloW, wq - haloW - s.outW, n, -1 - g);
        boolean positions = first < 0;
        int maxRows = positions ? 0 : ChannelTiles.maxRows(vectors(cg, first));
        int kSum = og * s.kernelH * s.kernelW;
        int blocks = blocks(cg);
        float[] tile = sc.tile;
        int plane = s.inH * s.inW;
        for (int ph = 0; ph < sh; ph++) {
            for (int pw = 0; pw < sw; pw++) {
                int phase = ph * sw + pw;
                int kLen = phaseStart[phase + 1] - phaseStart[phase];
                if (kLen == 0) {
                    continue;                       // no tap lands on this phase: dx there gets nothing
                }
                int[] off = phaseOffsets[phase];
                int wtOff = g * kSum * cg + phaseStart[phase] * cg;        // position tiles' weights
                // input columns of this phase: iw = pw + sw*t - padLeft for t in [tMin, tMax]
                int tMin = Math.ceilDiv(s.padLeft - pw, sw);
                int tMax = Math.floorDiv(s.inW - 1 + s.padLeft - pw, sw);
                // with position tiles, a phase row that fits one vector shares each broadcast with the next
                // rows of the phase: up to 4 vectors, as many as the register file holds for cg channels
                int stack = 1;
                if (positions && tMax - tMin + 1 <= LANES) {
                    for (int v = 4; v >= 2 && stack == 1; v--) {
                        stack = cg <= PositionTiles.maxRows(v) ? v : 1;
                    }
                }
                for (int ih = (ph - s.padTop % sh + sh) % sh; ih < s.inH; ih += sh) {
                    int th = (ih + s.padTop) / sh;
                    int rowBase = (th + haloH) * wq + haloW;
                    int dxRow = dxOff + (n * s.inChannels + g * cg) * plane + ih * s.inW;
                    int stacked = Math.min(stack, (s.inH - 1 - ih) / sh + 1);
                    if (stacked >= 2) {
                        // rows = the group's channels, columns = this phase row and the next ones (ih + v*sh)
                        PositionTiles.run(cg, stacked, wt, wtOff, dyp, rowBase + tMin, wq, off, kLen, tile);
                        int iw0 = pw + sw * tMin - s.padLeft;
                        int count = tMax - tMin + 1;
                        for (int r = 0; r < cg; r++) {
                            for (int v = 0; v < stacked; v++) {
                                addRun(dx, dxRow + r * plane + v * sh * s.inW + iw0, sw, tile,
                                        (r * stacked + v) * LANES, count);
                            }
                        }
                        ih += (stacked - 1) * sh;
                        continue;
                    }
                    for (int t = tMin; t <= tMax; ) {
                        int iw0 = pw + sw * t - s.padLeft;
                        int count;
                        if (positions) {
                            // rows = the group's channels, columns = positions t..t+count-1 of the phase
                            count = Math.min(tMax - t + 1, BLOCK);
                            int v = count > LANES && cg <= PositionTiles.maxRows(2) ? 2 : 1;
                            count = Math.min(count, v * LANES);
                            PositionTiles.run(cg, v, wt, wtOff, dyp, rowBase + t, LANES, off, kLen, tile);
                            for (int r = 0; r < cg; r++) {
                                addRun(dx, dxRow + r * plane + iw0, sw, tile, r * v * LANES, count);
                            }
                        } else {
                            // rows = positions t..t+rows-1 of the phase, columns = each block's channels; the
                            // blocks innermost, so the tile's rows of dy stay in L1 while the weights stream by
                            int rows = balanced(tMax - t + 1, maxRows);
                            count = rows;
                            for (int b = first; b < last; b++) {
                                int vectors = vectors(cg, b);
                                ChannelTiles.run(rows, vectors, dyp, rowBase + t, 1, off, kLen, wt,
                                        (g * blocks + b) * kSum * BLOCK + phaseStart[phase] * vectors * LANES, tile);
                                writeColumns(sc, tile, rows, vectors * LANES, width(cg, b), dx,
                                        dxRow + b * BLOCK * plane + iw0, plane, sw, null, 0, false, true);
                            }
                        }
                        t += count;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------
    // backward-weights

    // x (N,C,H,W), dy (N,OC,OH,OW) -> dw (OC,C/g,KH,KW) +=, db (OC) += (db may be null)
    static void backwardWeights(ConvSpec s, float[] dw, int dwOff, float[] db, int dbOff, float[] dy, int dyOff,
                                float[] x, int xOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int blocks = blocks(og);
        int chunks = Math.min(s.batch, MAX_CHUNKS);
        // partial (chunks, G, blocks, KH*KW, cg, BLOCK) then db (OC): chunk q sums images
        // [q*N/chunks, (q+1)*N/chunks) in order; each (group, block) owns its region, whole vectors wide
        int wSize = s.groups * blocks * taps * cg * BLOCK;
        int partSize = wSize + s.outChannels;
        float[] partial = SCRATCH.get().partial(chunks * partSize);
        // a part is a chunk and group with all blocks (each image padded once), or one block where parts are few;
        // either way every partial element receives the same additions in the same order
        try (Call c = Call.start(s)) {
            c.packed = partial;
            c.in = dy;
            c.inOff = dyOff;
            c.in2 = x;
            c.in2Off = xOff;
            c.blocks = blocks;
            c.split = chunks * s.groups < 2 * Parallel.threads() && blocks > 1;
            c.chunks = chunks;
            c.perChunk = s.groups * (c.split ? blocks : 1);
            c.partSize = partSize;
            // few output channels (LeNet's first layer): vectors along the output row instead
            c.positions = s.strideW == 1 && s.dilationW == 1 && alongPositions(og, s.outW);
            Parallel.run(chunks * c.perChunk, c.backwardWeights);
            // the chunks' sum, in chunk order, split over (group, block, tap): each part owns its dw elements
            c.out = dw;
            c.outOff = dwOff;
            Parallel.run(s.groups * blocks * taps, c.sumPartials);
        }
        if (db != null) {
            for (int o = 0; o < s.outChannels; o++) {
                float sum = partial[wSize + o];
                for (int q = 1; q < chunks; q++) {
                    sum += partial[q * partSize + wSize + o];
                }
                db[dbOff + o] += sum;
            }
        }
    }

    // chunk p / perChunk of backwardWeights, with its group and blocks: partial q += each of its images
    private static void backwardWeightsPart(Call c, int p) {
        ConvSpec s = c.s;
        int q = p / c.perChunk;
        int g = c.split ? p / c.blocks % s.groups : p % s.groups;
        int first = c.split ? p % c.blocks : 0;
        int last = c.split ? first + 1 : c.blocks;
        int nEnd = (int) ((long) (q + 1) * s.batch / c.chunks);
        for (int n = (int) ((long) q * s.batch / c.chunks); n < nEnd; n++) {
            if (c.positions) {
                backwardWeightsAlongPositions(s, c.id, c.packed, q * c.partSize, c.in, c.inOff, c.in2, c.in2Off, n,
                        g);
            } else {
                backwardWeightsImage(s, c.id, c.packed, q * c.partSize, c.in, c.inOff, c.in2, c.in2Off, n, g, first,
                        last);
            }
        }
    }

    // (group, block, tap) p of backwardWeights: dw[g*og + b*BLOCK + j, c, tap] += sum over chunks of the partials
    private static void sumPartialsPart(Call c, int p) {
        ConvSpec s = c.s;
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int blocks = c.blocks;
        float[] partial = c.packed;
        int g = p / (blocks * taps);
        int b = p / taps % blocks;
        int tap = p % taps;
        int width = width(og, b);
        for (int ci = 0; ci < cg; ci++) {
            int i = (((g * blocks + b) * taps + tap) * cg + ci) * BLOCK;
            for (int j = 0; j < width; j++) {
                float sum = partial[i + j];
                for (int q = 1; q < c.chunks; q++) {
                    sum += partial[q * c.partSize + i + j];
                }
                c.out[c.outOff + ((g * og + b * BLOCK + j) * cg + ci) * taps + tap] += sum;
            }
        }
    }

    /**
     * One image n and group g of backward-weights for few output channels (all in block 0 of the partial, whose
     * layout is {@link #backwardWeights}'s with blocks = 1), stride and dilation 1 along rows, with vectors along
     * each output row: {@code partial dw[o, c, kh, kw] += sum over (oh, ow) of dy[n, o, oh, ow] *
     * xp[c, oh*sh + kh*dh, ow + kw*dw]} and {@code partial db[o] += sum of dy[n, o]}, by the register tile
     * {@link #dwTile3x5} over a copy of dy with its rows padded with zeros to whole vectors.
     */
    private static void backwardWeightsAlongPositions(ConvSpec s, long call, float[] partial, int pOff, float[] dy,
                                                      int dyOff, float[] x, int xOff, int n, int g) {
        Scratch sc = SCRATCH.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = hp * wpad;
        float[] xp = padImage(sc, call, x, xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH, s.inW,
                s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
        int chunks = (s.outW + LANES - 1) / LANES;
        int rowLen = chunks * LANES;
        int oBlocks = (og + 2) / 3;
        // dyp (3*oBlocks, OH, rowLen): dy[n, g*og + o, oh, ow] at dyp[(o*OH + oh)*rowLen + ow], zero elsewhere
        float[] dyp = sc.packed(3 * oBlocks * s.outH * rowLen);
        Arrays.fill(dyp, og * s.outH * rowLen, 3 * oBlocks * s.outH * rowLen, 0f);      // the padding channels
        int wSize = s.groups * blocks(og) * taps * cg * BLOCK;
        for (int o = 0; o < og; o++) {
            int src = dyOff + (n * s.outChannels + g * og + o) * s.outH * s.outW;
            FloatVector sum = FloatVector.zero(SPECIES);
            for (int oh = 0; oh < s.outH; oh++) {
                int to = (o * s.outH + oh) * rowLen;
                System.arraycopy(dy, src + oh * s.outW, dyp, to, s.outW);
                Arrays.fill(dyp, to + s.outW, to + rowLen, 0f);                for (int j = 0; j < rowLen; j += LANES) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, dyp, to + j));
                }
            }
            partial[pOff + wSize + g * og + o] += Reduce.sum(sum);
        }
        float[] sums = sc.tile;          // the tile's 15 accumulators, then their sums (12 * BLOCK >= 15 * LANES)
        for (int c = 0; c < cg; c++) {
            for (int kh = 0; kh < s.kernelH; kh++) {
                int xBase = c * plane + kh * s.dilationH * wpad;
                for (int kw0 = 0; kw0 < s.kernelW; kw0 += 5) {
                    for (int ob = 0; ob < oBlocks; ob++) {
                        dwTile3x5(s.outH, s.outW, rowLen, dyp, 3 * ob * s.outH * rowLen, s.outH * rowLen, xp,
                                xBase + kw0, s.strideH * wpad, sums);
                        // the lanes' sums in one fixed order (reduceLanes' order changes when C2 compiles), apart
                        // from the tile, which stays small enough for every JIT tier
                        for (int i = 0; i < 15; i++) {
                            sums[i] = Reduce.sum(FloatVector.fromArray(SPECIES, sums, i * LANES));
                        }
                        for (int r = 0; r < 3 && 3 * ob + r < og; r++) {
                            for (int k = 0; k < 5 && kw0 + k < s.kernelW; k++) {
                                int tap = kh * s.kernelW + kw0 + k;
                                partial[pOff + ((g * taps + tap) * cg + c) * BLOCK + 3 * ob + r] += sums[r * 5 + k];
                            }
                        }
                    }
                }
            }
        }
    }

    /**
     * The 3 x 5 register tile of {@link #backwardWeightsAlongPositions}: for output channels r < 3 (rows of dyp
     * {@code oStride} apart from {@code d0}) and kernel columns k < 5 (adjacent in xp from {@code x0}),
     * lane by lane, {@code sums[(r*5 + k)*LANES ..] = sum over oh < outH, ow of dyp[d0 + r*oStride + oh*rowLen + ow] *
     * xp[x0 + oh*xRow + k + ow]} (the accumulators; the caller adds their lanes). Lanes past outW are masked off in xp (and zero in dyp), so no value outside the
     * row, finite or not, reaches a sum.
     */
    private static void dwTile3x5(int outH, int outW, int rowLen, float[] dyp, int d0, int oStride, float[] xp,
                                  int x0, int xRow, float[] sums) {
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        VectorMask<Float> all = SPECIES.maskAll(true);
        VectorMask<Float> tail = SPECIES.indexInRange(outW - outW % LANES, outW);
        for (int oh = 0; oh < outH; oh++) {
            int d = d0 + oh * rowLen;
            int xi = x0 + oh * xRow;
            for (int ow = 0; ow < outW; ow += LANES) {
                VectorMask<Float> m = ow + LANES <= outW ? all : tail;
                FloatVector g0 = FloatVector.fromArray(SPECIES, dyp, d + ow);
                FloatVector g1 = FloatVector.fromArray(SPECIES, dyp, d + oStride + ow);
                FloatVector g2 = FloatVector.fromArray(SPECIES, dyp, d + 2 * oStride + ow);
                FloatVector v = FloatVector.fromArray(SPECIES, xp, xi + ow, m);
                a00 = g0.fma(v, a00);
                a10 = g1.fma(v, a10);
                a20 = g2.fma(v, a20);
                v = FloatVector.fromArray(SPECIES, xp, xi + 1 + ow, m);
                a01 = g0.fma(v, a01);
                a11 = g1.fma(v, a11);
                a21 = g2.fma(v, a21);
                v = FloatVector.fromArray(SPECIES, xp, xi + 2 + ow, m);
                a02 = g0.fma(v, a02);
                a12 = g1.fma(v, a12);
                a22 = g2.fma(v, a22);
                v = FloatVector.fromArray(SPECIES, xp, xi + 3 + ow, m);
                a03 = g0.fma(v, a03);
                a13 = g1.fma(v, a13);
                a23 = g2.fma(v, a23);
                v = FloatVector.fromArray(SPECIES, xp, xi + 4 + ow, m);
                a04 = g0.fma(v, a04);
                a14 = g1.fma(v, a14);
                a24 = g2.fma(v, a24);
            }
        }
        a00.intoArray(sums, 0 * LANES);
        a01.intoArray(sums, 1 * LANES);
        a02.intoArray(sums, 2 * LANES);
        a03.intoArray(sums, 3 * LANES);
        a04.intoArray(sums, 4 * LANES);
        a10.intoArray(sums, 5 * LANES);
        a11.intoArray(sums, 6 * LANES);
        a12.intoArray(sums, 7 * LANES);
        a13.intoArray(sums, 8 * LANES);
        a14.intoArray(sums, 9 * LANES);
        a20.intoArray(sums, 10 * LANES);
        a21.intoArray(sums, 11 * LANES);
        a22.intoArray(sums, 12 * LANES);
        a23.intoArray(sums, 13 * LANES);
        a24.intoArray(sums, 14 * LANES);
    }

    // one image n, group g, output-channel blocks [first, last): partial dw[g*og + first*BLOCK .., :, :, :] +=
    private static void backwardWeightsImage(ConvSpec s, long call, float[] partial, int pOff, float[] dy, int dyOff,
                                             float[] x, int xOff, int n, int g, int first, int last) {
        Scratch sc = SCRATCH.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = hp * wpad;
        float[] xp = padImage(sc, call, x, xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH, s.inW,
                s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
        int positions = s.outH * s.outW;
        int blocks = blocks(og);
        int wSize = s.groups * blocks * taps * cg * BLOCK;
        // dyT (blocks, positions, nb): dyT[(b - first)*positions*BLOCK + p*nb + j] = dy[n, g*og + b*BLOCK + j, p];
        // the bias gradient is its column sums
        float[] dyT = sc.packed((last - first) * positions * BLOCK);
        for (int b = first; b < last; b++) {
            int nb = vectors(og, b) * LANES;
            int o0 = g * og + b * BLOCK;
            int t0 = (b - first) * positions * BLOCK;
            Arrays.fill(dyT, t0, t0 + positions * nb, 0f);
            for (int j = 0; j < width(og, b); j++) {
                int src = dyOff + (n * s.outChannels + o0 + j) * positions;
                float sum = 0f;
                for (int p = 0; p < positions; p++) {
                    float v = dy[src + p];
                    dyT[t0 + p * nb + j] = v;
                    sum += v;
                }
                partial[pOff + wSize + o0 + j] += sum;
            }
        }
        int[] off = sc.off(positions);
        for (int oh = 0, p = 0; oh < s.outH; oh++) {
            for (int ow = 0; ow < s.outW; ow++) {
                off[p++] = oh * s.strideH * wpad + ow * s.strideW;
            }
        }
        float[] tile = sc.tile;
        int maxRows = ChannelTiles.maxRows(vectors(og, first));
        // tile rows run along the input channels, or along the kernel's columns where there are more of those
        boolean alongChannels = cg >= s.kernelW;
        int runLength = alongChannels ? cg : s.kernelW;
        int step = alongChannels ? plane : s.dilationW;
        int rowStride = alongChannels ? BLOCK : cg * BLOCK;
        for (int c = 0; c < (alongChannels ? 1 : cg); c++) {
            for (int kh = 0; kh < s.kernelH; kh++) {
                for (int kw = 0; kw < (alongChannels ? s.kernelW : 1); kw++) {
                    for (int r0 = 0; r0 < runLength; ) {
                        int rows = balanced(runLength - r0, maxRows);
                        int cc = alongChannels ? r0 : c;
                        int kk = alongChannels ? kw : r0;
                        int base = cc * plane + kh * s.dilationH * wpad + kk * s.dilationW;
                        for (int b = first; b < last; b++) {
                            int vectors = vectors(og, b);
                            int nb = vectors * LANES;
                            ChannelTiles.run(rows, vectors, xp, base, step, off, positions, dyT,
                                    (b - first) * positions * BLOCK, tile);
                            // tile row r is (channel cc + r) or (column kk + r): a run of nb output channels each
                            int wi = pOff + (((g * blocks + b) * taps + kh * s.kernelW + kk) * cg + cc) * BLOCK;
                            for (int r = 0; r < rows; r++) {
                                for (int v = 0; v < nb; v += LANES) {
                                    int i = wi + r * rowStride + v;
                                    FloatVector.fromArray(SPECIES, partial, i)
                                            .add(FloatVector.fromArray(SPECIES, tile, r * nb + v))
                                            .intoArray(partial, i);
                                }
                            }
                        }
                        r0 += rows;
                    }
                }
            }
        }
    }

    // ---------------------------------------------------------------------------------------------------------

    /**
     * Copies {@code channels} planes of {@code h x w} from {@code src[srcOff..]} into the thread's image scratch
     * with the given zero borders, unless the scratch already holds that image (same call, n and tag).
     */
    private static float[] padImage(Scratch sc, long call, float[] src, int srcOff, int channels, int h, int w, int top,
                                    int bottom, int left, int right, int n, int tag) {
        int hp = h + top + bottom;
        int wp = w + left + right;
        int size = channels * hp * wp;
        float[] dst = sc.image(size + BLOCK);        // slack: position tiles read whole vectors past a row's end
        if (sc.imageCall == call && sc.imageN == n && sc.imageG == tag) {
            return dst;
        }
        // the interior is overwritten below and nothing writes the borders, so they need zeroing only when the
        // layout changes (or the buffer was reallocated)
        int[] layout = sc.layout;
        if (sc.zeroedImage != dst || layout[0] != channels || layout[1] != h || layout[2] != w || layout[3] != top
                || layout[4] != bottom || layout[5] != left || layout[6] != right) {
            Arrays.fill(dst, 0, size + BLOCK, 0f);
            layout[0] = channels;
            layout[1] = h;
            layout[2] = w;
            layout[3] = top;
            layout[4] = bottom;
            layout[5] = left;
            layout[6] = right;
            sc.zeroedImage = dst;
        }
        for (int c = 0; c < channels; c++) {
            for (int i = 0; i < h; i++) {
                int from = srcOff + (c * h + i) * w;
                int to = (c * hp + i + top) * wp + left;
                // rows are short (10..100): masked vector copies beat a System.arraycopy call per row
                for (int j = 0; j < w; j += LANES) {
                    if (!Simd.fits(from + j, src.length)) {
                        System.arraycopy(src, from + j, dst, to + j, w - j);
                        break;
                    }
                    VectorMask<Float> m = SPECIES.indexInRange(j, w);
                    FloatVector.fromArray(SPECIES, src, from + j, m).intoArray(dst, to + j, m);
                }
            }
        }
        sc.imageCall = call;
        sc.imageN = n;
        sc.imageG = tag;
        return dst;
    }
}
