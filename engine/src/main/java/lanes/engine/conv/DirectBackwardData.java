package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;
import static lanes.engine.conv.ConvBlocks.BLOCK;
import static lanes.engine.conv.ConvBlocks.alongPositions;
import static lanes.engine.conv.ConvBlocks.balanced;
import static lanes.engine.conv.ConvBlocks.blocks;
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
import lanes.engine.simd.Transpose;

/**
 * The backward-data pass of the direct convolution ({@link ConvBlocks} has the loop order and the tiles):
 *
 * <pre>
 *   rows = input positions of one phase (step = 1 in dy)  vectors = input channels
 *   reduction = (o, taps of that phase)                   dx[n, c, ih, iw0 + r*sw] += tile
 * </pre>
 *
 * A strided convolution is split into its sh x sw phases: input rows with the same (ih + padTop) mod sh see the
 * same kernel rows, and within a phase consecutive inputs read consecutive outputs, so a strided convolution costs
 * about what a stride-1 one does per FLOP. Where the input channels are few, or where a phase's row of positions is
 * two vectors or more and fills them as well as the channels would ({@link ConvBlocks#positionBlocks}), rows = the
 * channels (in blocks of up to a tile's rows) and vectors run along the phase's positions ({@link PositionTiles}).
 */
final class DirectBackwardData {
    private DirectBackwardData() {
    }

    /** One call's arguments ({@link ConvCall}). */
    private static final class Call extends ConvCall {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        float[] dx;
        int dxOff;
        float[] dy;
        int dyOff;
        float[] weights;
        int blocks;
        boolean split;
        boolean positions;
        PhaseTaps taps;
        final IntConsumer images = p -> backwardDataPart(this, p);

        /** This thread's block for a new call on {@code s} (a fresh one if a call of this thread is running). */
        static Call start(ConvSpec s) {
            Call c = borrow(MINE, Call::new);
            c.begin(s);
            return c;
        }

        @Override
        protected void clearOperands() {
            dx = dy = weights = null;
            taps = null;
        }
    }

    // dy (N,OC,OH,OW), w (OC,C/g,KH,KW) -> dx (N,C,H,W) +=
    static void backwardData(ConvSpec s, float[] dx, int dxOff, float[] dy, int dyOff, float[] w, int wOff) {
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int kSum = og * s.kernelH * s.kernelW;
        // the taps of each stride phase depend only on the geometry
        ConvScratch caller = ConvScratch.get();
        if (s != caller.phaseSpec && s.sameGeometry(caller.phaseSpec)) {
            // another batch size, or an equal spec of another layer: the same tables, found by identity next
            caller.phaseSpec = s;
        } else if (s != caller.phaseSpec) {
            caller.phaseTaps = new PhaseTaps(s, paddedGradientHeight(s), paddedGradientWidth(s));
            caller.phaseSpec = s;
        }
        PhaseTaps taps = caller.phaseTaps;
        int[] phaseStart = taps.start;
        int images = s.batch * s.groups;
        try (Call c = Call.start(s)) {
            c.dx = dx;
            c.dxOff = dxOff;
            c.dy = dy;
            c.dyOff = dyOff;
            c.taps = taps;
            int phaseW = (s.inW + s.strideW - 1) / s.strideW;
            if (alongPositions(cg, phaseW) || positionBlocks(cg, phaseW)) {
                // a (G, blocks, phases, k' in (kh, o, kw) order, rows): the block of `rows` channels from r0 at
                // a[(g*cg + r0)*kSum + k'*rows + r] = w[g*og + o, r0 + r, kh, kw] (ConvBlocks.positionRows)
                float[] a = ConvScratch.get().weights(s.groups * kSum * cg);
                for (int g = 0; g < s.groups; g++) {
                    for (int r0 = 0, rows; r0 < cg; r0 += rows) {
                        rows = positionRows(cg, r0);
                        packPhases(s, w, wOff, g, phaseStart, r0, rows, rows, true, a, (g * cg + r0) * kSum);
                    }
                }
                int blocks = positionBlockCount(cg);
                c.weights = a;
                c.positions = true;
                c.blocks = blocks;
                c.split = images < 2 * Parallel.threads() && blocks > 1;
                Parallel.run(c.split ? images * blocks : images, c.images);
                return;
            }
            int blocks = blocks(cg);
            // wt (G, blocks, phases, k', nb): wt[k'*nb + j] = w[g*og + o, b*BLOCK + j, kh, kw]
            float[] wt = ConvScratch.get().weights(s.groups * blocks * kSum * BLOCK);
            for (int g = 0; g < s.groups; g++) {
                for (int b = 0; b < blocks; b++) {
                    packPhases(s, w, wOff, g, phaseStart, b * BLOCK, width(cg, b), vectors(cg, b) * LANES, false,
                            wt, (g * blocks + b) * kSum * BLOCK);
                }
            }
            c.weights = wt;
            c.positions = false;
            c.blocks = blocks;
            c.split = images < 2 * Parallel.threads() && blocks > 1;
            Parallel.run(c.split ? images * blocks : images, c.images);
        }
    }

    // image p (or, split, image p / blocks and its block p % blocks) of backwardData: channel blocks, or the position
    // tiles' blocks of channels (c.positions)
    private static void backwardDataPart(Call c, int p) {
        int image = c.split ? p / c.blocks : p;
        int first = c.split ? p % c.blocks : 0;
        int last = c.split ? first + 1 : c.blocks;
        ConvSpec s = c.s;
        if (!c.positions && s.strideH == 1 && s.strideW == 1
                && PanelTiles.pays(last - first, vectors(s.inPerGroup(), last - 1))) {
            backwardDataPanels(c, image / s.groups, image % s.groups, first, last);
        } else {
            backwardDataImage(c, image / s.groups, image % s.groups, first, last);
        }
    }

    // backwardDataImage at stride 1 on packed panels (PanelTiles.plane): dx position (ih, iw) reads the padded
    // output gradient from row ih + padTop + haloH, column iw + padLeft + haloW, at the taps' offsets
    private static void backwardDataPanels(Call c, int n, int g, int first, int last) {
        ConvSpec s = c.s;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int wq = paddedGradientWidth(s);
        float[] dyp = paddedGradient(c, sc, n, g);
        int kSum = og * s.kernelH * s.kernelW;
        int plane = s.inH * s.inW;
        PanelTiles.plane(sc, dyp, (s.padTop + haloH(s)) * wq + haloW(s) + s.padLeft, wq, s.inW, 1, plane,
                c.taps.offsets[0], kSum, c.weights, (g * c.blocks + first) * kSum * BLOCK, first, last, cg, null, 0,
                c.dx, c.dxOff + (n * s.inChannels + g * cg + first * BLOCK) * plane, true, null, 0);
    }

    /**
     * Packs group g's weights phase by phase: for each k' of a phase, in (o, kh, kw) order or, {@code byRow}, in
     * (kh, o, kw) order ({@link PhaseTaps}), the {@code width} input channels from {@code c0} at
     * {@code dst[k'*stride + j]} (zero beyond width).
     */
    private static void packPhases(ConvSpec s, float[] w, int wOff, int g, int[] phaseStart, int c0, int width,
                                   int stride, boolean byRow, float[] dst, int dstOff) {
        int og = s.outPerGroup();
        for (int ph = 0; ph < s.strideH; ph++) {
            for (int pw = 0; pw < s.strideW; pw++) {
                int d = dstOff + phaseStart[ph * s.strideW + pw] * stride;
                if (byRow) {
                    for (int kh = 0; kh < s.kernelH; kh++) {
                        for (int o = 0; o < og; o++) {
                            d = packTapRow(s, w, wOff, g, o, kh, ph, pw, c0, width, stride, dst, d);
                        }
                    }
                } else {
                    for (int o = 0; o < og; o++) {
                        for (int kh = 0; kh < s.kernelH; kh++) {
                            d = packTapRow(s, w, wOff, g, o, kh, ph, pw, c0, width, stride, dst, d);
                        }
                    }
                }
            }
        }
    }

    // the taps (o, kh, kw) of phase column pw, if kernel row kh belongs to phase row ph, at dst[d..]; the next d
    private static int packTapRow(ConvSpec s, float[] w, int wOff, int g, int o, int kh, int ph, int pw, int c0,
                                  int width, int stride, float[] dst, int d) {
        if (kh * s.dilationH % s.strideH != ph) {
            return d;
        }
        int cg = s.inPerGroup();
        for (int kw = 0; kw < s.kernelW; kw++) {
            if (kw * s.dilationW % s.strideW != pw) {
                continue;
            }
            for (int j = 0; j < width; j++) {
                dst[d + j] = w[wOff + (((g * s.outPerGroup() + o) * cg + c0 + j) * s.kernelH + kh) * s.kernelW + kw];
            }
            d += stride;
        }
        return d;
    }

    /** {@code dst[d + j*stride] += src[s + j]} for {@code j < count <= 2 LANES}; whole vectors where stride is 1. */
    private static void addRun(float[] dst, int d, int stride, float[] src, int s, int count) {
        if (stride != 1) {
            for (int j = 0; j < count; j++) {
                dst[d + j * stride] += src[s + j];
            }
            return;
        }
        // whole vectors, then one masked tail (a mask on every vector halves a short run's speed)
        int j = 0;
        for (; j < Simd.loopBound(count) && Simd.fits(d + j, dst.length); j += LANES) {
            FloatVector.fromArray(SPECIES, dst, d + j).add(FloatVector.fromArray(SPECIES, src, s + j))
                    .intoArray(dst, d + j);
        }
        if (j < count && Simd.fits(d + j, dst.length)) {
            VectorMask<Float> m = SPECIES.indexInRange(j, count);
            FloatVector.fromArray(SPECIES, dst, d + j, m).add(FloatVector.fromArray(SPECIES, src, s + j))
                    .intoArray(dst, d + j, m);
        } else {
            for (int t = j; t < count; t++) {
                dst[d + t] += src[s + t];
            }
        }
    }

    // Input rows th..thLast (counted in dy's rows) read dy row t - shift[j] through kernel row j of their phase,
    // shift rising with j: the kernel rows that reach dy for some of them (0 <= t - shift[j] < outH) are
    // j in [firstRowReaching(shift, th, outH), lastRowReaching(shift, thLast)); the others read only the halo.
    private static int firstRowReaching(int[] shift, int th, int outH) {
        int j = 0;
        while (j < shift.length && th - shift[j] >= outH) {
            j++;
        }
        return j;
    }

    private static int lastRowReaching(int[] shift, int thLast) {
        int j = shift.length;
        while (j > 0 && thLast - shift[j - 1] < 0) {
            j--;
        }
        return j;
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

    // image n's output gradient for group g, padded as paddedGradientHeight/Width lay it out (sc.padImage)
    private static float[] paddedGradient(Call c, ConvScratch sc, int n, int g) {
        ConvSpec s = c.s;
        int og = s.outPerGroup();
        int haloH = haloH(s);
        int haloW = haloW(s);
        return sc.padImage(c.id, c.dy, c.dyOff + (n * s.outChannels + g * og) * s.outH * s.outW, og, s.outH, s.outW,
                haloH, paddedGradientHeight(s) - haloH - s.outH, haloW, paddedGradientWidth(s) - haloW - s.outW, n,
                -1 - g);
    }

    /**
     * One image n and group g: dx[n, channels of g, :, :] += conv^T(dy, w), channel blocks [first, last) on channel
     * tiles, or (c.positions) the position tiles' blocks [first, last) of channels.
     */
    private static void backwardDataImage(Call c, int n, int g, int first, int last) {
        ConvSpec s = c.s;
        float[] dx = c.dx;
        int dxOff = c.dxOff;
        float[] wt = c.weights;
        PhaseTaps taps = c.taps;
        int[] phaseStart = taps.start;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int sh = s.strideH;
        int sw = s.strideW;
        int haloH = haloH(s);
        int haloW = haloW(s);
        int wq = paddedGradientWidth(s);
        float[] dyp = paddedGradient(c, sc, n, g);
        boolean positions = c.positions;
        int maxRows = positions ? 0 : ChannelTiles.maxRows(vectors(cg, first));
        // position tiles: channels [rFirst, rLast) in blocks of positionRows, the first the widest
        int rFirst = positions ? positionBlockStart(cg, first) : 0;
        int rLast = positions ? positionBlockStart(cg, last) : 0;
        int widest = positions ? positionRows(cg, rFirst) : 0;
        // channel tiles are staged (ConvBlocks.stageRows) and every LANES finished positions of a phase row added
        // to dx at once; with stride 1 the one phase's positions run through the whole plane, so only the image's
        // last few wait for the end, with a stride each phase row's last few leave at the row's end
        boolean staged = !positions && Transpose.supported();
        boolean rowEnds = sh != 1 || sw != 1;
        int capacity = stageCapacity(maxRows);
        float[] stage = staged ? sc.stage((last - first) * capacity * BLOCK) : null;
        int waiting = 0;                          // positions staged, not yet in dx
        int kSum = og * s.kernelH * s.kernelW;
        int blocks = blocks(cg);
        float[] tile = sc.tile;
        int plane = s.inH * s.inW;
        int dxImage = dxOff + (n * s.inChannels + g * cg) * plane;
        int next = dxImage + first * BLOCK * plane;  // where the first waiting one goes (channel block first)
        for (int ph = 0; ph < sh; ph++) {
            for (int pw = 0; pw < sw; pw++) {
                int phase = ph * sw + pw;
                int kLen = phaseStart[phase + 1] - phaseStart[phase];
                if (kLen == 0) {
                    continue;                       // no tap lands on this phase: dx there gets nothing
                }
                // position tiles take the taps kernel row by kernel row, and leave out the rows that read only
                // the gradient's zero halo (LeNet's 5 x 5 over 10 x 10: 20 of 70 rows of taps)
                int[] off = positions ? taps.rowOffsets[phase] : taps.offsets[phase];
                int[] shift = taps.rowShift[phase];
                int perRow = taps.perRow[phase];
                // position tiles: block r0's weights from (g*cg + r0)*kSum + wtPhase*rows
                int wtPhase = phaseStart[phase];
                // input columns of this phase: iw = pw + sw*t - padLeft for t in [tMin, tMax]
                int tMin = Math.ceilDiv(s.padLeft - pw, sw);
                int tMax = Math.floorDiv(s.inW - 1 + s.padLeft - pw, sw);
                // with position tiles, a phase row that fits one vector shares each broadcast with the next
                // rows of the phase: up to 4 vectors, as many as the register file holds for cg channels
                int stack = 1;
                if (positions && tMax - tMin + 1 <= LANES) {
                    for (int v = 4; v >= 2 && stack == 1; v--) {
                        stack = widest <= PositionTiles.maxRows(v) ? v : 1;
                    }
                }
                for (int ih = (ph - s.padTop % sh + sh) % sh; ih < s.inH; ih += sh) {
                    int th = (ih + s.padTop) / sh;
                    int rowBase = (th + haloH) * wq + haloW;
                    int dxRow = dxOff + (n * s.inChannels + g * cg) * plane + ih * s.inW;
                    int stacked = Math.min(stack, (s.inH - 1 - ih) / sh + 1);
                    int kFrom = positions ? perRow * firstRowReaching(shift, th, s.outH) : 0;
                    int kTo = positions ? perRow * lastRowReaching(shift, th + stacked - 1) : kLen;
                    if (positions && kFrom >= kTo) {
                        ih += (stacked - 1) * sh;         // no tap reaches dy from here: dx gets nothing
                        continue;
                    }
                    if (stacked >= 2) {
                        // rows = a block's channels, columns = this phase row and the next ones (ih + v*sh)
                        int iw0 = pw + sw * tMin - s.padLeft;
                        int count = tMax - tMin + 1;
                        for (int r0 = rFirst, rows; r0 < rLast; r0 += rows) {
                            rows = positionRows(cg, r0);
                            PositionTiles.run(rows, stacked, wt, (g * cg + r0) * kSum + wtPhase * rows, dyp,
                                    rowBase + tMin, wq, off, kFrom, kTo, tile);
                            for (int r = 0; r < rows; r++) {
                                for (int v = 0; v < stacked; v++) {
                                    addRun(dx, dxRow + (r0 + r) * plane + v * sh * s.inW + iw0, sw, tile,
                                            (r * stacked + v) * LANES, count);
                                }
                            }
                        }
                        ih += (stacked - 1) * sh;
                        continue;
                    }
                    if (rowEnds) {
                        next = dxRow + first * BLOCK * plane + pw + sw * tMin - s.padLeft;
                    }
                    for (int t = tMin; t <= tMax; ) {
                        int iw0 = pw + sw * t - s.padLeft;
                        int count;
                        if (positions) {
                            // rows = a block's channels, columns = positions t..t+count-1 of the phase
                            count = Math.min(tMax - t + 1, BLOCK);
                            int v = count > LANES && widest <= PositionTiles.maxRows(2) ? 2 : 1;
                            count = Math.min(count, v * LANES);
                            for (int r0 = rFirst, rows; r0 < rLast; r0 += rows) {
                                rows = positionRows(cg, r0);
                                PositionTiles.run(rows, v, wt, (g * cg + r0) * kSum + wtPhase * rows, dyp, rowBase + t,
                                        LANES, off, kFrom, kTo, tile);
                                for (int r = 0; r < rows; r++) {
                                    addRun(dx, dxRow + (r0 + r) * plane + iw0, sw, tile, r * v * LANES, count);
                                }
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
                                if (staged) {
                                    stageRows(tile, rows, vectors * LANES, stage,
                                            ((b - first) * capacity + waiting) * BLOCK, null, 0);
                                } else {
                                    writeColumns(sc, tile, 0, rows, vectors * LANES, width(cg, b), dx,
                                            dxRow + b * BLOCK * plane + iw0, plane, sw, null, 0, true);
                                }
                            }
                            for (waiting += staged ? rows : 0; waiting >= LANES; waiting -= LANES) {
                                writeStaged(sc, stage, capacity, waiting, cg, first, last, dx, next, plane, sw,
                                        true);
                                next += LANES * sw;
                            }
                        }
                        t += count;
                    }
                    if (rowEnds && waiting > 0) {
                        writeStagedRest(sc, stage, capacity, waiting, cg, first, last, dx, next, plane, sw, true);
                        waiting = 0;
                    }
                }
            }
        }
        if (waiting > 0) {
            writeStagedRest(sc, stage, capacity, waiting, cg, first, last, dx, next, plane, 1, true);
        }
    }
}
