package lanes.engine.conv;

import static lanes.engine.Simd.LANES;
import static lanes.engine.Simd.SPECIES;
import static lanes.engine.conv.ConvBlocks.BLOCK;
import static lanes.engine.conv.ConvBlocks.alongPositions;
import static lanes.engine.conv.ConvBlocks.balanced;
import static lanes.engine.conv.ConvBlocks.blocks;
import static lanes.engine.conv.ConvBlocks.padsNothing;
import static lanes.engine.conv.ConvBlocks.vectors;
import static lanes.engine.conv.ConvBlocks.width;

import java.util.Arrays;
import java.util.function.IntConsumer;
import jdk.incubator.vector.FloatVector;
import jdk.incubator.vector.VectorMask;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.gemm.tiles.MicroKernel;
import lanes.engine.math.Elementwise;
import lanes.engine.simd.Reduce;
import lanes.engine.simd.Transpose;
import lanes.engine.tune.Tuning;

/**
 * The backward-weights pass of the direct convolution ({@link ConvBlocks} has the loop order and the tiles):
 *
 * <pre>
 *   rows = input channels (or kernel columns)             vectors = output channels
 *   reduction = output positions of one image             dw[o, c0 + r, kh, kw] += tile
 * </pre>
 *
 * Images are summed in {@link #MAX_CHUNKS} fixed chunks, each into a partial of its own, and the partials are then
 * added in chunk order, so that dw has the same bits for any thread count. Two ways to split that among threads,
 * with the same additions in the same order:
 * <ul>
 *   <li>by blocks of output channels, where there are at least as many as threads: each part takes a range of
 *   blocks through every image, keeping one chunk's partial and the running sum of the chunks before it for its
 *   own blocks only. No part waits for another, and no partial leaves the part's core;</li>
 *   <li>by chunks of images otherwise (LeNet's second layer has one block): each part fills whole chunk partials,
 *   and a second team pass adds them up.</li>
 * </ul>
 * Where the output channels are few (LeNet's first layer), a 3 x 5 tile of (output channels x kernel columns)
 * runs with vectors along the output rows.
 */
final class DirectBackwardWeights {
    /** Images per partial weight gradient are chosen so that there are at most this many partials. */
    static final int MAX_CHUNKS = 8;
    /** {@code lanes.conv.weightPanels}: see {@link #onPanels}. */
    private static final boolean WEIGHT_PANELS = Tuning.current().convWeightPanels();

    private DirectBackwardWeights() {
    }

    /** One call's arguments ({@link ConvCall}). */
    private static final class Call extends ConvCall {
        private static final ThreadLocal<Call> MINE = ThreadLocal.withInitial(Call::new);
        float[] dw;
        int dwOff;
        float[] dy;
        int dyOff;
        float[] x;
        int xOff;
        float[] partial;
        int blocks;
        boolean split;
        boolean positions;
        int chunks;
        int perChunk;
        int partSize;
        int ranges;
        final IntConsumer blockRanges = p -> blockRangePart(this, p);
        final IntConsumer chunksOfImages = p -> backwardWeightsPart(this, p);
        final IntConsumer sumPartials = p -> sumPartialsPart(this, p);

        /** This thread's block for a new call on {@code s} (a fresh one if a call of this thread is running). */
        static Call start(ConvSpec s) {
            Call c = borrow(MINE, Call::new);
            c.begin(s);
            return c;
        }

        @Override
        protected void clearOperands() {
            dw = dy = x = partial = null;
        }
    }

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
        boolean positions = s.strideW == 1 && s.dilationW == 1 && blocks == 1 && alongPositions(og, s.outW);
        int ranges = Math.min(blocks, Parallel.threads());
        boolean byBlocks = !positions && s.groups * ranges >= Parallel.threads();
        // by blocks: one chunk's partial, then the running sum of the chunks so far; by chunks: every chunk's
        float[] partial = ConvScratch.get().partial((byBlocks ? 2 : chunks) * partSize);
        // a part is a chunk and group with all blocks (each image padded once), or one block where parts are few;
        // either way every partial element receives the same additions in the same order
        try (Call c = Call.start(s)) {
            c.partial = partial;
            c.dy = dy;
            c.dyOff = dyOff;
            c.x = x;
            c.xOff = xOff;
            c.blocks = blocks;
            // few output channels (LeNet's first layer): vectors along the output row instead. That path keeps all
            // the group's channels in block 0 of the partial, so it needs them to fit one block (9 channels at 128
            // bits, two blocks of 4-lane vectors, were added twice: once per block part)
            c.positions = positions;
            c.chunks = chunks;
            c.partSize = partSize;
            c.dw = dw;
            c.dwOff = dwOff;
            if (byBlocks) {
                c.ranges = ranges;
                Parallel.run(s.groups * ranges, c.blockRanges);
                if (db != null) {
                    for (int o = 0; o < s.outChannels; o++) {
                        db[dbOff + o] += partial[partSize + wSize + o];
                    }
                }
                return;
            }
            c.split = !c.positions && chunks * s.groups < 2 * Parallel.threads() && blocks > 1;
            c.perChunk = s.groups * (c.split ? blocks : 1);
            Parallel.run(chunks * c.perChunk, c.chunksOfImages);
            // the chunks' sum, in chunk order, split over (group, block, tap): each part owns its dw elements
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
                backwardWeightsAlongPositions(c, q * c.partSize, n, g);
            } else {
                backwardWeightsImage(c, q * c.partSize, n, g, first, last);
            }
        }
    }

    // group p / ranges, blocks [first, last) of its range p % ranges, through every chunk of images: the chunk's
    // partial at 0, the sum of the chunks so far at partSize (the same additions, in the same order, as the chunk
    // partials summed by sumPartialsPart), then dw += that sum
    private static void blockRangePart(Call c, int p) {
        ConvSpec s = c.s;
        float[] partial = c.partial;
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int g = p / c.ranges;
        int r = p % c.ranges;
        int first = r * c.blocks / c.ranges;
        int last = (r + 1) * c.blocks / c.ranges;
        int region = taps * cg * BLOCK;
        int w0 = (g * c.blocks + first) * region;
        int w1 = (g * c.blocks + last) * region;
        int wSize = s.groups * c.blocks * region;
        int d0 = wSize + g * og + first * BLOCK;
        int d1 = wSize + g * og + Math.min(og, last * BLOCK);
        int sum = c.partSize;
        for (int q = 0; q < c.chunks; q++) {
            if (q > 0) {
                Arrays.fill(partial, w0, w1, 0f);
                Arrays.fill(partial, d0, d1, 0f);
            }
            int nEnd = (int) ((long) (q + 1) * s.batch / c.chunks);
            for (int n = (int) ((long) q * s.batch / c.chunks); n < nEnd; n++) {
                backwardWeightsImage(c, 0, n, g, first, last);
            }
            if (q == 0) {
                System.arraycopy(partial, w0, partial, sum + w0, w1 - w0);
                System.arraycopy(partial, d0, partial, sum + d0, d1 - d0);
            } else {
                Elementwise.add(w1 - w0, partial, sum + w0, 1, partial, w0, 1, partial, sum + w0, 1);
                Elementwise.add(d1 - d0, partial, sum + d0, 1, partial, d0, 1, partial, sum + d0, 1);
            }
        }
        for (int b = first; b < last; b++) {
            int width = width(og, b);
            for (int tap = 0; tap < taps; tap++) {
                for (int ci = 0; ci < cg; ci++) {
                    int i = sum + (((g * c.blocks + b) * taps + tap) * cg + ci) * BLOCK;
                    for (int j = 0; j < width; j++) {
                        c.dw[dwAt(c, g, b * BLOCK + j, ci, tap)] += partial[i + j];
                    }
                }
            }
        }
    }

    // index of dw[g*og + o, ci, tap] (o: output channel within the group, tap = kh*KW + kw)
    private static int dwAt(Call c, int g, int o, int ci, int tap) {
        ConvSpec s = c.s;
        return c.dwOff + ((g * s.outPerGroup() + o) * s.inPerGroup() + ci) * s.kernelH * s.kernelW + tap;
    }

    // (group, block, tap) p of backwardWeights: dw[g*og + b*BLOCK + j, c, tap] += sum over chunks of the partials
    private static void sumPartialsPart(Call c, int p) {
        ConvSpec s = c.s;
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int blocks = c.blocks;
        float[] partial = c.partial;
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
                c.dw[dwAt(c, g, b * BLOCK + j, ci, tap)] += sum;
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
    private static void backwardWeightsAlongPositions(Call call, int pOff, int n, int g) {
        ConvSpec s = call.s;
        float[] partial = call.partial;
        float[] dy = call.dy;
        int dyOff = call.dyOff;
        float[] x = call.x;
        int xOff = call.xOff;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = hp * wpad;
        float[] xp = sc.padImage(call.id, x, xOff + (n * s.inChannels + g * cg) * s.inH * s.inW, cg, s.inH, s.inW,
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
            // whole vectors, then one masked vector copy per chunk past the row's last whole vector (lanes past
            // the row read as zero): a copy and a fill per row, each a call for a few floats, took a quarter of
            // LeNet conv1's pass on Zen 4 at 512 bits, and a mask on every vector halves a short copy's speed; the
            // tensor's last chunk, where a whole vector does not fit, is copied lane by lane (Simd.fits)
            for (int oh = 0; oh < s.outH; oh++) {
                int to = (o * s.outH + oh) * rowLen;
                int from = src + oh * s.outW;
                int j = 0;
                for (; j < Simd.loopBound(s.outW) && Simd.fits(from + j, dy.length); j += LANES) {
                    FloatVector.fromArray(SPECIES, dy, from + j).intoArray(dyp, to + j);
                    sum = sum.add(FloatVector.fromArray(SPECIES, dyp, to + j));
                }
                for (; j < rowLen; j += LANES) {
                    if (Simd.fits(from + j, dy.length)) {
                        FloatVector.fromArray(SPECIES, dy, from + j, SPECIES.indexInRange(j, s.outW))
                                .intoArray(dyp, to + j);
                    } else {
                        for (int t = j; t < j + LANES; t++) {
                            dyp[to + t] = t < s.outW ? dy[from + t] : 0f;
                        }
                    }
                    sum = sum.add(FloatVector.fromArray(SPECIES, dyp, to + j));
                }
            }
            sum.intoArray(sc.tile, 0);
            partial[pOff + wSize + g * og + o] += Reduce.sum(sc.tile, 0);
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
                            sums[i] = Reduce.sum(sums, i * LANES);
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
     * xp[x0 + oh*xRow + k + ow]} (the accumulators; the caller adds their lanes). A row's last vector reads xp whole
     * (the image scratch leaves a vector of slack) and zeroes its lanes past outW, as dyp has them, so no value
     * outside the row, finite or not, reaches a sum. (A masked load there, on every vector or the last, ran the
     * tile at half the speed at 512 bits.)
     */
    private static void dwTile3x5(int outH, int outW, int rowLen, float[] dyp, int d0, int oStride, float[] xp,
                                  int x0, int xRow, float[] sums) {
        FloatVector a00 = FloatVector.zero(SPECIES), a01 = a00, a02 = a00, a03 = a00, a04 = a00;
        FloatVector a10 = a00, a11 = a00, a12 = a00, a13 = a00, a14 = a00;
        FloatVector a20 = a00, a21 = a00, a22 = a00, a23 = a00, a24 = a00;
        int whole = outW - outW % LANES;
        VectorMask<Float> past = SPECIES.indexInRange(0, outW - whole).not();    // the last vector's lanes past outW
        for (int oh = 0; oh < outH; oh++) {
            int d = d0 + oh * rowLen;
            int xi = x0 + oh * xRow;
            for (int ow = 0; ow < rowLen; ow += LANES) {
                FloatVector g0 = FloatVector.fromArray(SPECIES, dyp, d + ow);
                FloatVector g1 = FloatVector.fromArray(SPECIES, dyp, d + oStride + ow);
                FloatVector g2 = FloatVector.fromArray(SPECIES, dyp, d + 2 * oStride + ow);
                FloatVector v0 = FloatVector.fromArray(SPECIES, xp, xi + ow);
                FloatVector v1 = FloatVector.fromArray(SPECIES, xp, xi + 1 + ow);
                FloatVector v2 = FloatVector.fromArray(SPECIES, xp, xi + 2 + ow);
                FloatVector v3 = FloatVector.fromArray(SPECIES, xp, xi + 3 + ow);
                FloatVector v4 = FloatVector.fromArray(SPECIES, xp, xi + 4 + ow);
                if (ow >= whole) {
                    v0 = v0.blend(0f, past);
                    v1 = v1.blend(0f, past);
                    v2 = v2.blend(0f, past);
                    v3 = v3.blend(0f, past);
                    v4 = v4.blend(0f, past);
                }
                a00 = g0.fma(v0, a00);
                a10 = g1.fma(v0, a10);
                a20 = g2.fma(v0, a20);
                a01 = g0.fma(v1, a01);
                a11 = g1.fma(v1, a11);
                a21 = g2.fma(v1, a21);
                a02 = g0.fma(v2, a02);
                a12 = g1.fma(v2, a12);
                a22 = g2.fma(v2, a22);
                a03 = g0.fma(v3, a03);
                a13 = g1.fma(v3, a13);
                a23 = g2.fma(v3, a23);
                a04 = g0.fma(v4, a04);
                a14 = g1.fma(v4, a14);
                a24 = g2.fma(v4, a24);
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
    private static void backwardWeightsImage(Call call, int pOff, int n, int g, int first, int last) {
        ConvSpec s = call.s;
        float[] partial = call.partial;
        float[] dy = call.dy;
        int dyOff = call.dyOff;
        float[] x = call.x;
        int xOff = call.xOff;
        ConvScratch sc = ConvScratch.get();
        int cg = s.inPerGroup();
        int og = s.outPerGroup();
        int taps = s.kernelH * s.kernelW;
        int hp = s.inH + s.padTop + s.padBottom;
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = hp * wpad;
        int image = xOff + (n * s.inChannels + g * cg) * s.inH * s.inW;
        boolean inPlace = padsNothing(s);
        float[] xp = inPlace ? x : sc.padImage(call.id, x, image, cg, s.inH, s.inW, s.padTop, s.padBottom, s.padLeft,
                s.padRight, n, g);
        int at = inPlace ? image : 0;
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
            int width = width(og, b);
            if (width < nb) {
                Arrays.fill(dyT, t0, t0 + positions * nb, 0f);
            }
            // dyT[t0 + p*nb + j] = dy[n, o0 + j, p] for j < width, through registers (a scalar copy wrote one
            // float per cache line of dyT: 10-12 % of mid's backward-weights on Zen 5); lanes past width stay 0
            Transpose.copy(dy, dyOff + (n * s.outChannels + o0) * positions, positions, width, positions, dyT, t0,
                    nb);
            // each channel's sum in position order, as a scalar loop over its row of dy adds them (the same bits)
            for (int v = 0; v < nb; v += LANES) {
                FloatVector sum = FloatVector.zero(SPECIES);
                for (int p = 0; p < positions; p++) {
                    sum = sum.add(FloatVector.fromArray(SPECIES, dyT, t0 + p * nb + v));
                }
                sum.intoArray(sc.transposed, 0);
                for (int j = v; j < Math.min(width, v + LANES); j++) {
                    partial[pOff + wSize + o0 + j] += sc.transposed[j - v];
                }
            }
        }
        if (onPanels(s, og, first, last)) {
            tilesOnPanels(call, sc, xp, at, pOff, g, first, last, dyT);
            return;
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
                        int base = at + cc * plane + kh * s.dilationH * wpad + kk * s.dilationW;
                        for (int b = first; b < last; b++) {
                            int vectors = vectors(og, b);
                            int nb = vectors * LANES;
                            ChannelTiles.run(rows, vectors, xp, base, step, off, positions, dyT,
                                    (b - first) * positions * BLOCK, tile);
                            // tile row r is (channel cc + r) or (column kk + r): a run of nb output channels each
                            addTile(tile, rows, nb, partial,
                                    pOff + (((g * blocks + b) * taps + kh * s.kernelW + kk) * cg + cc) * BLOCK,
                                    rowStride);
                        }
                        r0 += rows;
                    }
                }
            }
        }
    }

    /**
     * Whether backward-weights over blocks [first, last) of og output channels runs {@link #tilesOnPanels}: where
     * the tuning says so and this width has a register transpose, on two or more blocks (over one, LeNet's second
     * layer at 256 bits ran at 0.75-0.84x), every block two vectors wide, with input channels for the tile's rows,
     * and positions that make one run of the panel for each kernel tap: stride 1 along rows and, for more than one
     * output row, stride 1 down the columns.
     */
    private static boolean onPanels(ConvSpec s, int og, int first, int last) {
        return WEIGHT_PANELS && Transpose.supported() && last - first >= 2 && vectors(og, last - 1) == 2
                && s.inPerGroup() >= s.kernelW && s.strideW == 1
                && (s.outH == 1 || s.strideH == 1);
    }

    // backwardWeightsImage's tiles on packed panels, for onPanels layers. A panel holds a run of input channels
    // c0 + r (r < rows), transposed: step t, row r at panel[t*mr + r]. Over more than one output row, one panel a
    // kernel column kw holds steps (ih, ow) = xp[c0 + r, ih, ow + kw*dilW] for every input row ih a kernel row
    // reads, and kernel row kh's positions (oh, ow) are its steps from kh*dilH*OW on; over one output row, one panel
    // a kernel row kh holds the input row it reads, and kernel column kw's positions are its steps from kw*dilW on.
    // Either way each tap's positions are one run of OH*OW steps in dyT's order, which the GEMM micro-kernel sums
    // against each block's dyT (positions, 2 LANES): the products ChannelTiles forms over the image, in the same
    // order from zero, so the same bits.
    private static void tilesOnPanels(Call call, ConvScratch sc, float[] xp, int at, int pOff, int g, int first,
                                      int last, float[] dyT) {
        ConvSpec s = call.s;
        float[] partial = call.partial;
        int cg = s.inPerGroup();
        int taps = s.kernelH * s.kernelW;
        int blocks = blocks(s.outPerGroup());
        int wpad = s.inW + s.padLeft + s.padRight;
        int plane = (s.inH + s.padTop + s.padBottom) * wpad;
        int positions = s.outH * s.outW;
        boolean oneRow = s.outH == 1;
        int panels = oneRow ? s.kernelH : s.kernelW;           // panels a run of channels, and taps a panel
        int tapsEach = oneRow ? s.kernelW : s.kernelH;
        int runs = oneRow ? 1 : s.outH + (s.kernelH - 1) * s.dilationH;   // rows of xp a panel copies, each
        int runLength = oneRow ? s.outW + (s.kernelW - 1) * s.dilationW : s.outW;
        int runStep = oneRow ? 0 : wpad;
        int tapStep = oneRow ? s.dilationW : s.dilationH * s.outW;         // steps from one tap's run to the next
        int maxRows = PanelTiles.maxRows();
        float[] panel = sc.panel(runs * runLength * maxRows + LANES);     // LANES of slack: Transpose.copyIntoPanel
        float[] tile = sc.tile;
        for (int c0 = 0; c0 < cg; ) {
            int rows = balanced(cg - c0, maxRows);
            MicroKernel kernel = PanelTiles.kernel(rows);
            int mr = kernel.mr();
            for (int u = 0; u < panels; u++) {
                int src = at + c0 * plane + (oneRow ? u * s.dilationH * wpad : u * s.dilationW);
                for (int q = 0; q < runs; q++) {
                    Transpose.copyIntoPanel(xp, src + q * runStep, plane, rows, runLength, panel,
                            q * runLength * mr, mr);
                }
                for (int v = 0; v < tapsEach; v++) {
                    int tap = oneRow ? u * s.kernelW + v : v * s.kernelW + u;
                    for (int b = first; b < last; b++) {
                        PanelTiles.run(kernel, panel, v * tapStep * mr, positions, rows, dyT,
                                (b - first) * positions * BLOCK, tile, sc.panelTile);
                        addTile(tile, rows, BLOCK, partial, pOff + (((g * blocks + b) * taps + tap) * cg + c0) * BLOCK,
                                BLOCK);
                    }
                }
            }
            c0 += rows;
        }
    }

    // partial[at + r*rowStride + j] += tile[r*nb + j] for r < rows, j < nb (a whole number of vectors)
    private static void addTile(float[] tile, int rows, int nb, float[] partial, int at, int rowStride) {
        for (int r = 0; r < rows; r++) {
            for (int v = 0; v < nb; v += LANES) {
                int i = at + r * rowStride + v;
                FloatVector.fromArray(SPECIES, partial, i)
                        .add(FloatVector.fromArray(SPECIES, tile, r * nb + v))
                        .intoArray(partial, i);
            }
        }
    }
}
