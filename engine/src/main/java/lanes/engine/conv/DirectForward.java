package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;
import static lanes.engine.conv.ConvBlocks.BLOCK;
import static lanes.engine.conv.ConvBlocks.alongPositions;
import static lanes.engine.conv.ConvBlocks.balanced;
import static lanes.engine.conv.ConvBlocks.blocks;
import static lanes.engine.conv.ConvBlocks.padsNothing;
import static lanes.engine.conv.ConvBlocks.positionBlockCount;
import static lanes.engine.conv.ConvBlocks.positionBlockStart;
import static lanes.engine.conv.ConvBlocks.positionBlocks;
import static lanes.engine.conv.ConvBlocks.positionRows;
import static lanes.engine.conv.ConvBlocks.stageCapacity;
import static lanes.engine.conv.ConvBlocks.stageRows;
import static lanes.engine.conv.ConvBlocks.vectors;
import static lanes.engine.conv.ConvBlocks.width;
import static lanes.engine.conv.ConvBlocks.writeColumns;
import static lanes.engine.conv.ConvBlocks.writeStaged;
import static lanes.engine.conv.ConvBlocks.writeStagedRest;

import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.gemm.Epilogue;
import lanes.engine.simd.Transpose;

/**
 * The forward pass of the direct convolution ({@link ConvBlocks} has the loop order and the tiles):
 *
 * <pre>
 *   rows = output positions of one row (step = stride)   vectors = output channels
 *   reduction = (c, kh, kw)                               y[n, o, oh, ow0 + r] := tile + bias (then max(., 0))
 * </pre>
 *
 * or, at stride 1 where vectors along the output row fill the lanes better (LeNet's first layer: 6 channels) or as
 * well (rows of 32 or 96 positions, {@link ConvBlocks#positionBlocks}), rows = the channels, in blocks of up to a
 * tile's rows, and vectors along the output row ({@link PositionTiles}). A block of one vector of channels at
 * stride 1 runs on {@link WindowTiles}, the same sums with a broadcast per input instead of per tap (LeNet's conv2
 * at 512 bits, in process: 1.23x on 1 thread, 1.28x on 2). Threads split the batch (and, when images are few, the
 * channel blocks).
 */
final class DirectForward {
    private DirectForward() {
    }

    /** One call's arguments ({@link ConvCall}). */
    private static final class Call extends ConvCall {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        float[] y;
        int yOff;
        float[] x;
        int xOff;
        float[] weights;
        float[] bias;
        int bOff;
        int blocks;
        int biasAt;
        boolean split;
        Epilogue epilogue;
        final IntConsumer channels = p -> forwardChannelsPart(this, p);
        final IntConsumer positions = p -> forwardPositionsPart(this, p);

        /** This thread's block for a new call on {@code s} (a fresh one if a call of this thread is running). */
        static Call start(ConvSpec s) {
            Call c = borrow(MINE, Call::new);
            c.begin(s);
            return c;
        }

        @Override
        protected void clearOperands() {
            y = x = weights = bias = null;
            epilogue = null;
        }
    }

    // x (N,C,H,W), w (OC,C/g,KH,KW), bias (OC) or null -> y (N,OC,OH,OW)
    // epilogue (or null): run on each finished row of output positions, y[n] seen as an OC x (OH*OW) matrix
    static void forward(ConvSpec s, float[] y, int yOff, float[] x, int xOff, float[] w, int wOff, float[] bias,
                        int bOff, Epilogue epilogue) {
        if (s.strideW == 1 && (alongPositions(s.outPerGroup(), s.outW) || positionBlocks(s.outPerGroup(), s.outW))) {
            forwardAlongPositions(s, y, yOff, x, xOff, w, wOff, bias, bOff, epilogue);
            return;
        }
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int kLen = cg * taps;
        int blocks = blocks(og);
        // wp (G, blocks, kLen, nb): wp[k*nb + j] = w[g*og + b*BLOCK + j, c, kh, kw] for k = (c, kh, kw),
        // then the bias (G, blocks, BLOCK): wp[biasAt + (g*blocks + b)*BLOCK + j] = bias[g*og + b*BLOCK + j], zeros
        // past the live channels (the staged write-back adds it a vector at a time)
        int biasAt = s.groups * blocks * kLen * BLOCK;
        float[] wp = ConvScratch.get().weights(biasAt + s.groups * blocks * BLOCK);
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
                    if (bias != null) {
                        wp[biasAt + (g * blocks + b) * BLOCK + j] = bias[bOff + g * og + b * BLOCK + j];
                    }
                }
            }
        }
        int images = s.batch * s.groups;
        try (Call c = Call.start(s)) {
            c.y = y;
            c.yOff = yOff;
            c.x = x;
            c.xOff = xOff;
            c.weights = wp;
            c.bias = bias;
            c.bOff = bOff;
            c.blocks = blocks;
            c.biasAt = biasAt;
            c.epilogue = epilogue;
            // whole images per part when there are enough of them (each pads its image once), else image x block
            c.split = images < 2 * Parallel.threads() && blocks > 1;
            Parallel.run(c.split ? images * blocks : images, c.channels);
        }
    }

    private static void forwardChannelsPart(Call c, int p) {
        int image = c.split ? p / c.blocks : p;
        int first = c.split ? p % c.blocks : 0;
        int last = c.split ? first + 1 : c.blocks;
        ConvSpec s = c.s;
        if (PanelTiles.pays(last - first, vectors(s.outPerGroup(), last - 1))) {
            forwardPanels(c, image / s.groups, image % s.groups, first, last);
        } else {
            forwardBlocks(c, image / s.groups, image % s.groups, first, last);
        }
    }

    // x (N,C,H,W), w (OC,C/g,KH,KW), bias -> y (N,OC,OH,OW), stride 1: tiles of channels x positions, the (OC/g)
    // channels in blocks of ConvBlocks.positionRows
    private static void forwardAlongPositions(ConvSpec s, float[] y, int yOff, float[] x, int xOff, float[] w,
                                              int wOff, float[] bias, int bOff, Epilogue epilogue) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        // a (G, blocks, kLen, rows): the block of `rows` channels from r0 at a[(g*og + r0)*kLen + k*rows + r]
        // = w[g*og + r0 + r, k] (one block: a[(g*kLen + k)*og + r])
        float[] a = ConvScratch.get().weights(s.groups * kLen * og);
        for (int g = 0; g < s.groups; g++) {
            for (int r0 = 0, rows; r0 < og; r0 += rows) {
                rows = positionRows(og, r0);
                for (int r = 0; r < rows; r++) {
                    for (int k = 0; k < kLen; k++) {
                        a[(g * og + r0) * kLen + k * rows + r] = w[wOff + (g * og + r0 + r) * kLen + k];
                    }
                }
            }
        }
        int images = s.batch * s.groups;
        int blocks = positionBlockCount(og);
        try (Call c = Call.start(s)) {
            c.y = y;
            c.yOff = yOff;
            c.x = x;
            c.xOff = xOff;
            c.weights = a;
            c.bias = bias;
            c.bOff = bOff;
            c.epilogue = epilogue;
            c.blocks = blocks;
            // whole images per part when there are enough of them (each pads its image once), else image x block
            c.split = images < 2 * Parallel.threads() && blocks > 1;
            Parallel.run(c.split ? images * blocks : images, c.positions);
        }
    }

    // one image n and group g of forwardAlongPositions: all its position blocks, or block `first` alone where the
    // call splits them; y[n, g*og + rFirst .. g*og + rLast, :, :]
    private static void forwardPositionsPart(Call c, int p) {
        ConvSpec s = c.s;
        float[] y = c.y;
        int yOff = c.yOff;
        float[] bias = c.bias;
        int bOff = c.bOff;
        float[] a = c.weights;
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        int image = c.split ? p / c.blocks : p;
        int first = c.split ? p % c.blocks : 0;
        int last = c.split ? first + 1 : c.blocks;
        int n = image / s.groups;
        int g = image % s.groups;
        int rFirst = positionBlockStart(og, first);
        int rLast = positionBlockStart(og, last);
        // the first block is the widest (ConvBlocks.balanced); two vectors where every block's rows fit them
        int widest = positionRows(og, rFirst);
        ConvScratch sc = ConvScratch.get();
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        float[] xp = sc.padImage(c.id, c.x, c.xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH,
                s.inW, s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
        int[] off = sc.tapOffsets(s, cg, hp, wpad);
        float[] tile = sc.tile;
        int plane = s.outH * s.outW;
        for (int oh = 0; oh < s.outH; oh++) {
            int rowBase = oh * s.strideH * wpad;
            for (int ow0 = 0; ow0 < s.outW; ) {
                int count = Math.min(s.outW - ow0, BLOCK);
                int vectors = count > LANES && widest <= PositionTiles.maxRows(2) ? 2 : 1;
                count = Math.min(count, vectors * LANES);
                int nb = vectors * LANES;
                // a row's last vector may be stored whole where later rows of the same channel follow, which this
                // loop writes later (a masked store there took a quarter of LeNet conv1's forward)
                int whole = oh * s.outW + ow0 + nb <= plane ? nb : Simd.loopBound(count);
                for (int r0 = rFirst, rows; r0 < rLast; r0 += rows) {
                    rows = positionRows(og, r0);
                    PositionTiles.run(rows, vectors, a, (g * og + r0) * kLen, xp, rowBase + ow0, LANES, off, 0, kLen,
                            tile);
                    writeRows(tile, rows, nb, count, whole, y, yOff + (n * s.outChannels + g * og + r0) * plane
                            + oh * s.outW + ow0, plane, bias, bias == null ? 0 : bOff + g * og + r0);
                }
                ow0 += count;
            }
            if (c.epilogue != null) {
                // the finished row oh of the part's channels, still in L1
                c.epilogue.apply(y, yOff + (n * s.outChannels + g * og + rFirst) * plane + oh * s.outW, plane,
                        g * og + rFirst, oh * s.outW, rLast - rFirst, s.outW);
            }
        }
    }

    // tile (rows, nb) -> dst[d + r*plane + j] = tile[r*nb + j] + bias[bAt + r] (no bias: bias null), j < count; the
    // first `whole` positions as whole vectors (they may run on past count onto positions written later)
    private static void writeRows(float[] tile, int rows, int nb, int count, int whole, float[] y, int d, int plane,
                                  float[] bias, int bAt) {
        for (int r = 0; r < rows; r++) {
            float bo = bias == null ? 0f : bias[bAt + r];
            int yi = d + r * plane;
            // whole vectors, then one masked tail (a mask on every vector halves a short copy's speed)
            int j = 0;
            for (; j < whole && Simd.fits(yi + j, y.length); j += LANES) {
                FloatVector.fromArray(SPECIES, tile, r * nb + j).add(bo).intoArray(y, yi + j);
            }
            if (j < count && Simd.fits(yi + j, y.length)) {
                VectorMask<Float> m = SPECIES.indexInRange(j, count);
                FloatVector.fromArray(SPECIES, tile, r * nb + j).add(bo).intoArray(y, yi + j, m);
            } else {
                for (int t = j; t < count; t++) {
                    y[yi + t] = tile[r * nb + t] + bo;
                }
            }
        }
    }

    // image n's channels of group g: x itself where the layer pads nothing (from imageAt), else a padded copy (from 0)
    private static float[] image(Call c, ConvScratch sc, int n, int g) {
        ConvSpec s = c.s;
        int cg = s.inPerGroup();
        return padsNothing(s) ? c.x : sc.padImage(c.id, c.x, c.xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg,
                s.inH, s.inW, s.padTop, s.padBottom, s.padLeft, s.padRight, n, g);
    }

    private static int imageAt(Call c, int n, int g) {
        ConvSpec s = c.s;
        return padsNothing(s) ? c.xOff + (n * s.inChannels + g * s.inPerGroup()) * s.inH * s.inW : 0;
    }

    // one image n, group g, output-channel blocks [first, last): y[n, g*og + first*BLOCK .. , :, :]
    private static void forwardBlocks(Call c, int n, int g, int first, int last) {
        ConvSpec s = c.s;
        float[] y = c.y;
        int yOff = c.yOff;
        float[] wp = c.weights;
        float[] bias = c.bias;
        int bOff = c.bOff;
        Epilogue epilogue = c.epilogue;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        float[] xp = image(c, sc, n, g);
        int at = imageAt(c, n, g);
        int[] off = sc.tapOffsets(s, cg, hp, wpad);
        int blocks = blocks(og);
        int maxRows = ChannelTiles.maxRows(vectors(og, first));
        // one-vector blocks at stride 1 slide a window along the row (WindowTiles): same sums, fewer broadcasts; where
        // every block is one vector, tiles no taller than the window's
        boolean window = s.strideW == 1 && s.dilationW == 1;
        if (window && vectors(og, first) == 1 && WindowTiles.maxRows(s.kernelW) > 0) {
            maxRows = Math.min(maxRows, WindowTiles.maxRows(s.kernelW));
        }
        float[] tile = sc.tile;
        int plane = s.outH * s.outW;
        int o0 = g * og + first * BLOCK;
        int channels = Math.min(og, last * BLOCK) - first * BLOCK;
        int yImage = yOff + (n * s.outChannels + o0) * plane;
        // staged (ConvBlocks.stageRows): every LANES finished positions leave as whole vectors, no masks
        boolean staged = Transpose.supported();
        int capacity = stageCapacity(maxRows);
        float[] stage = staged ? sc.stage((last - first) * capacity * BLOCK) : null;
        int waiting = 0;                          // positions staged, not yet in y
        int done = 0;                             // positions of the plane in y
        // the blocks innermost: one tile's input rows (a few KB) stay in L1 while every block's weights stream by
        for (int oh = 0; oh < s.outH; oh++) {
            int rowBase = at + oh * s.strideH * wpad;
            for (int ow0 = 0; ow0 < s.outW; ) {
                int rows = balanced(s.outW - ow0, maxRows);
                for (int b = first; b < last; b++) {
                    int vectors = vectors(og, b);
                    if (vectors == 1 && window && WindowTiles.covers(s.kernelW, rows)) {
                        WindowTiles.run(rows, s.kernelW, xp, rowBase + ow0, off, cg * s.kernelH, wp,
                                (g * blocks + b) * kLen * BLOCK, tile);
                    } else {
                        ChannelTiles.run(rows, vectors, xp, rowBase + ow0 * s.strideW, s.strideW, off, kLen, wp,
                                (g * blocks + b) * kLen * BLOCK, tile);
                    }
                    if (staged) {
                        stageRows(tile, rows, vectors * LANES, stage, ((b - first) * capacity + waiting) * BLOCK,
                                bias == null ? null : wp, c.biasAt + (g * blocks + b) * BLOCK);
                    } else {
                        writeColumns(sc, tile, 0, rows, vectors * LANES, width(og, b), y,
                                yImage + (b - first) * BLOCK * plane + oh * s.outW + ow0, plane, 1, bias,
                                bias == null ? 0 : bOff + g * og + b * BLOCK, false);
                    }
                }
                ow0 += rows;
                if (staged) {
                    for (waiting += rows; waiting >= LANES; waiting -= LANES, done += LANES) {
                        writeStaged(sc, stage, capacity, waiting, og, first, last, y, yImage + done, plane, 1, false);
                        if (epilogue != null) {
                            // the finished positions of the blocks' channels, still in L1
                            epilogue.apply(y, yImage + done, plane, o0, done, channels, LANES);
                        }
                    }
                }
            }
            if (!staged && epilogue != null) {
                // the finished row oh of the blocks' channels, still in L1
                epilogue.apply(y, yImage + oh * s.outW, plane, o0, oh * s.outW, channels, s.outW);
            }
        }
        if (waiting > 0) {
            writeStagedRest(sc, stage, capacity, waiting, og, first, last, y, yImage + done, plane, 1, false);
            if (epilogue != null) {
                epilogue.apply(y, yImage + done, plane, o0, done, channels, waiting);
            }
        }
    }

    // forwardBlocks on packed panels (PanelTiles.plane)
    private static void forwardPanels(Call c, int n, int g, int first, int last) {
        ConvSpec s = c.s;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kLen = cg * s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = s.outH * s.outW;
        int o0 = g * og + first * BLOCK;
        PanelTiles.plane(sc, image(c, sc, n, g), imageAt(c, n, g), s.strideH * wpad, s.outW, s.strideW, plane,
                sc.tapOffsets(s, cg, hp, wpad), kLen, c.weights, (g * c.blocks + first) * kLen * BLOCK, first, last,
                og, c.bias == null ? null : c.weights, c.biasAt + (g * c.blocks + first) * BLOCK, c.y,
                c.yOff + (n * s.outChannels + o0) * plane, false, c.epilogue, o0);
    }
}
