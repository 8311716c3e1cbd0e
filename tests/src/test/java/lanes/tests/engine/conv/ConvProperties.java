package lanes.tests.engine.conv;

import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.fail;

import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
import lanes.engine.gemm.Epilogue;
import lanes.reference.ConvAdjoint;
import lanes.reference.ConvCases;
import lanes.reference.ConvReference;
import lanes.reference.Tolerance;
import lanes.tests.Compare;
import lanes.tests.Gen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/**
 * Direct convolution (forward, backward-data, backward-weights; 1-D and 2-D) against the seven-deep loop nest, the
 * adjoint identities, thread-count independence and its argument checks.
 */
class ConvProperties {

    /** A geometry, a thread count and a seed for the contents. */
    record Case(ConvSpec spec, boolean bias, int threads, long seed) {
        float[] x() {
            return Gen.floats(seed, Gen.size(spec.inputShape()));
        }

        float[] w() {
            return Gen.floats(seed + 1, Gen.size(spec.weightShape()));
        }

        float[] b() {
            return bias ? Gen.floats(seed + 2, spec.outChannels) : null;
        }

        float[] dy() {
            return Gen.floats(seed + 3, Gen.size(spec.outputShape()));
        }

        @Override
        public String toString() {
            return spec + (bias ? " with bias" : "") + ", threads=" + threads + ", seed=" + seed;
        }
    }

    /** One dimension's (size, kernel, stride, pad before, pad after, dilation), valid by construction. */
    record Dim(int size, int kernel, int stride, int padBefore, int padAfter, int dilation) {
    }

    static Arbitrary<Dim> dims() {
        Arbitrary<Integer> sizes = Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.integers().between(13, 40)));
        return Combinators.combine(sizes, Arbitraries.integers().between(1, 7), Arbitraries.integers().between(1, 4),
                        Arbitraries.integers().between(1, 3), Arbitraries.integers().between(0, 1000),
                        Arbitraries.integers().between(0, 1000))
                .as((size, kernel, stride, dilation, pb, pa) -> {
                    int padBefore = pb % kernel;            // padding 0..k-1 per side
                    int padAfter = pa % kernel;
                    // shrink dilation, then the kernel, until the dilated kernel fits the padded input
                    while (dilation > 1 && dilation * (kernel - 1) + 1 > size + padBefore + padAfter) {
                        dilation--;
                    }
                    while (kernel > 1 && kernel > size + padBefore + padAfter) {
                        kernel--;
                    }
                    padBefore = Math.min(padBefore, kernel - 1);
                    padAfter = Math.min(padAfter, kernel - 1);
                    return new Dim(size, kernel, stride, padBefore, padAfter, dilation);
                });
    }

    /** Channels 1..17 in groups that divide both counts (depthwise included). */
    static Arbitrary<int[]> channels() {
        return Arbitraries.integers().between(1, 4).flatMap(groups -> Combinators.combine(
                        Arbitraries.integers().between(1, 17 / groups), Arbitraries.integers().between(1, 17 / groups))
                .as((ci, co) -> new int[] {groups * ci, groups * co, groups}));
    }

    static Arbitrary<ConvSpec> specs2d() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), channels(), dims(), dims())
                .as((n, ch, h, w) -> ConvSpec.conv2d(n, ch[0], h.size(), w.size(), ch[1], h.kernel(), w.kernel(),
                        h.stride(), w.stride(), h.padBefore(), h.padAfter(), w.padBefore(), w.padAfter(),
                        h.dilation(), w.dilation(), ch[2]))
                .filter(s -> s.flops() <= 3e6);
    }

    static Arbitrary<ConvSpec> specs1d() {
        return Combinators.combine(Arbitraries.integers().between(1, 4), channels(), dims())
                .as((n, ch, l) -> ConvSpec.conv1d(n, ch[0], l.size(), ch[1], l.kernel(), l.stride(),
                        l.padBefore(), l.padAfter(), l.dilation(), ch[2]));
    }

    @Provide
    Arbitrary<Case> cases() {
        // the structured generators (shrinkable, with edge cases), and the random geometries lanes fuzz draws
        Arbitrary<ConvSpec> fuzz = Arbitraries.longs().map(seed -> ConvCases.random(new java.util.Random(seed)))
                .filter(s -> s.flops() <= 3e6);
        Arbitrary<ConvSpec> specs = Arbitraries.frequencyOf(Tuple.of(4, specs2d()), Tuple.of(1, specs1d()),
                Tuple.of(1, fuzz));
        return Combinators.combine(specs, Arbitraries.of(true, false), Arbitraries.of(1, 2),
                Arbitraries.longs().withoutEdgeCases()).as(Case::new);
    }

    /**
     * Real layer shapes at their batch of 1..2 or at 4: wide channel blocks, the vector edge and every tile row count;
     * at 4, two threads take whole images each, the one split on which a panel serves every channel block
     * (PanelTiles, in the executions that turn them on).
     */
    @Provide
    Arbitrary<Case> layerCases() {
        Arbitrary<ConvSpec> specs = Arbitraries.of(ConvCases.LAYERS).flatMap(s -> Arbitraries.of(s, batchOf(s, 4)));
        return Combinators.combine(specs, Arbitraries.of(true, false), Arbitraries.of(1, 2),
                Arbitraries.longs().withoutEdgeCases()).as(Case::new);
    }

    static ConvSpec batchOf(ConvSpec s, int batch) {
        return s.rank == 1
                ? ConvSpec.conv1d(batch, s.inChannels, s.inW, s.outChannels, s.kernelW, s.strideW, s.padLeft,
                        s.padRight, s.dilationW, s.groups)
                : ConvSpec.conv2d(batch, s.inChannels, s.inH, s.inW, s.outChannels, s.kernelH, s.kernelW, s.strideH,
                        s.strideW, s.padTop, s.padBottom, s.padLeft, s.padRight, s.dilationH, s.dilationW, s.groups);
    }

    // ------------------------------------------------------------------------------------------------ kernels

    static float[] forward(Case t, float[] x, float[] w, float[] b) {
        ConvSpec s = t.spec();
        Tensor y = Tensor.zeros(s.outputShape()).fill(Float.NaN);      // never read: forward overwrites
        Gen.onThreads(t.threads(), () -> {
            Conv.forward(s, y, Tensor.wrap(x, s.inputShape()), Tensor.wrap(w, s.weightShape()),
                    b == null ? null : Tensor.wrap(b, s.outChannels));
            return null;
        });
        return y.toArray();
    }

    static float[] backwardData(Case t, float[] dxStart, float[] dy, float[] w) {
        ConvSpec s = t.spec();
        Tensor dx = Tensor.wrap(dxStart.clone(), s.inputShape());
        Gen.onThreads(t.threads(), () -> {
            Conv.backwardData(s, dx, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(w, s.weightShape()));
            return null;
        });
        return dx.toArray();
    }

    /** dw then db, accumulated onto the given starting values. */
    static float[] backwardWeights(Case t, float[] start, float[] dy, float[] x) {
        ConvSpec s = t.spec();
        int wSize = Gen.size(s.weightShape());
        float[] both = start.clone();
        Tensor dw = Tensor.view(both, 0, s.weightShape(), contiguousStrides(s.weightShape()));
        Tensor db = Tensor.view(both.clone(), wSize, new int[] {s.outChannels}, new int[] {1});
        Gen.onThreads(t.threads(), () -> {
            Conv.backwardWeights(s, dw, db, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(x, s.inputShape()));
            return null;
        });
        System.arraycopy(db.data(), wSize, both, wSize, s.outChannels);
        return both;
    }

    static int[] contiguousStrides(int[] shape) {
        int[] st = new int[shape.length];
        int acc = 1;
        for (int d = shape.length - 1; d >= 0; d--) {
            st[d] = acc;
            acc *= shape[d];
        }
        return st;
    }

    static double[] plusRounding(float[] start, double[] delta, double[] tol, long terms) {
        double[] out = tol.clone();
        for (int i = 0; i < out.length; i++) {
            // a path that accumulates into the start value itself (the plain loops: dx = fma(w, g, dx)) carries
            // |start| through every one of the terms' roundings; one that adds its sum at the end rounds once more
            out[i] += Tolerance.gamma(terms) * Math.abs(start[i]) + Tolerance.U * Math.abs(start[i] + delta[i]) * 2;
        }
        return out;
    }

    // ------------------------------------------------------------------------------------------------ properties

    @Property
    void forwardMatchesTheSevenDeepLoop(@ForAll("cases") Case t) {
        checkForward(t);
    }

    @Property(tries = 24)
    void forwardMatchesTheSevenDeepLoopOnLayerShapes(@ForAll("layerCases") Case t) {
        checkForward(t);
    }

    private static void checkForward(Case t) {
        float[] x = t.x();
        float[] w = t.w();
        float[] b = t.b();
        ConvReference.Result ref = ConvReference.forward(t.spec(), x, w, b);
        Compare.assertClose("forward " + t, ref.value(), forward(t, x, w, b), ref.tolerance());
    }

    @Property
    void forwardEpilogueSeesEachOutputOnceWithItsFinalValueChannelAndPosition(@ForAll("cases") Case t) {
        checkEpilogue(t);
    }

    @Property(tries = 24)
    void forwardEpilogueSeesEachOutputOnceOnLayerShapes(@ForAll("layerCases") Case t) {
        checkEpilogue(t);
    }

    // The epilogue rewrites each element from its value, channel and position; the result must be that function
    // of the plain forward's output, and no element may be visited twice or skipped.
    private static void checkEpilogue(Case t) {
        ConvSpec s = t.spec();
        float[] x = t.x();
        float[] w = t.w();
        float[] b = t.b();
        float[] plain = forward(t, x, w, b);
        int plane = s.outH * s.outW;
        Tensor y = Tensor.zeros(s.outputShape()).fill(Float.NaN);
        int[] visits = new int[plain.length];
        Epilogue mark = (c, off, ldc, row0, col0, rows, cols) -> {
            for (int i = 0; i < rows; i++) {
                for (int j = 0; j < cols; j++) {
                    int at = off + i * ldc + j;
                    synchronized (visits) {
                        visits[at - y.offset()]++;
                    }
                    c[at] = 2 * c[at] + (row0 + i) * 1000 + (col0 + j);
                }
            }
        };
        Gen.onThreads(t.threads(), () -> {
            Conv.forward(s, y, Tensor.wrap(x, s.inputShape()), Tensor.wrap(w, s.weightShape()),
                    b == null ? null : Tensor.wrap(b, s.outChannels), mark);
            return null;
        });
        float[] expected = new float[plain.length];
        for (int e = 0; e < plain.length; e++) {
            int channel = e / plane % s.outChannels;
            int position = e % plane;
            expected[e] = 2 * plain[e] + channel * 1000 + position;
            if (visits[e] != 1) {
                throw new AssertionError("epilogue " + t + ": output " + e + " (channel " + channel + ", position "
                        + position + ") visited " + visits[e] + " times");
            }
        }
        Compare.assertBitwiseEqual("epilogue " + t, expected, y.toArray());
    }

    @Property
    void backwardDataMatchesTheSevenDeepLoopAndAccumulates(@ForAll("cases") Case t) {
        checkBackwardData(t);
    }

    @Property(tries = 24)
    void backwardDataMatchesTheSevenDeepLoopOnLayerShapes(@ForAll("layerCases") Case t) {
        checkBackwardData(t);
    }

    private static void checkBackwardData(Case t) {
        float[] dy = t.dy();
        float[] w = t.w();
        float[] start = Gen.floats(t.seed() + 4, Gen.size(t.spec().inputShape()));
        ConvReference.Result ref = ConvReference.backwardData(t.spec(), dy, w);
        Compare.assertClose("backwardData " + t, Compare.plus(start, ref.value()), backwardData(t, start, dy, w),
                plusRounding(start, ref.value(), ref.tolerance(),
                        (long) t.spec().outPerGroup() * t.spec().kernelH * t.spec().kernelW));
    }

    @Property
    void backwardWeightsMatchesTheSevenDeepLoopAndAccumulates(@ForAll("cases") Case t) {
        checkBackwardWeights(t);
    }

    @Property(tries = 24)
    void backwardWeightsMatchesTheSevenDeepLoopOnLayerShapes(@ForAll("layerCases") Case t) {
        checkBackwardWeights(t);
    }

    @Example
    void backwardWeightsAddsEachImageOnceWhenFewOutputChannelsSpanTwoBlocks() {
        // 9..12 output channels take the along-positions path, and at 4 lanes (128 bits) they make two channel
        // blocks: the block split once ran that whole path per block, doubling dw (the 1 -> 9 layer below). At
        // wider vectors the same shapes are one block; the 128-bit CI run is the one that can fail.
        for (int oc : new int[] {9, 11, 12}) {
            for (int threads : new int[] {1, 2}) {
                checkBackwardWeights(new Case(ConvSpec.conv2d(1, 1, 1, 4, oc, 1, 1), true, threads, oc));
                checkBackwardWeights(new Case(ConvSpec.conv2d(2, 3, 6, 8, oc, 3, 3), true, threads, oc + 1));
            }
        }
    }

    @Example
    void backwardWeightsOnPanelsMatchesTheSevenDeepLoop() {
        // 64 output channels a group are two or more blocks of two vectors at every width, so where weight panels
        // are on (16 registers, and the conv-on-panels runs) backward-weights runs the GEMM micro-kernel over
        // transposed runs of input channels. 29 and 13 channels a group end on a short run; rows of 3 to 19
        // positions end on part of a vector. One panel per kernel column, with kernel rows and columns 2 apart
        // (dilation); one per kernel row where there is one output row (2-D, and 1-D with dilation and padding); on
        // 2 threads the blocks split between them.
        for (ConvSpec s : new ConvSpec[] {ConvSpec.conv2d(2, 29, 7, 9, 64, 3, 3).withPadding(1),
                ConvSpec.conv2d(1, 13, 9, 5, 128, 3, 3).withPadding(0, 1, 1, 1).withDilation(2, 1),
                ConvSpec.conv2d(2, 13, 3, 19, 64, 3, 3),
                ConvSpec.conv2d(1, 29, 8, 12, 64, 3, 3).withPadding(1).withDilation(2, 2),
                ConvSpec.conv1d(2, 29, 21, 64, 3, 1, 2, 1, 2, 1),
                ConvSpec.conv1d(1, 26, 11, 128, 4, 1, 0, 0, 1, 2)}) {
            for (int threads : new int[] {1, 2}) {
                checkBackwardWeights(new Case(s, true, threads, 64 + threads));
            }
        }
    }

    @Example
    void positionTilesInBlocksOfChannelsMatchTheSevenDeepLoop() {
        // 20 channels over rows of 16 positions: at every width the vectors along positions fill at least as many
        // lanes as vectors of channels would, and 20 is more than one position tile's rows, so forward and
        // backward-data run position tiles in blocks of channels; one image on 2 threads splits it by block. The
        // strided layer's backward-data phases are rows of 16 too (two vectors or more below 512 bits)
        for (ConvSpec s : new ConvSpec[] {ConvSpec.conv2d(1, 20, 8, 16, 20, 3, 3).withPadding(1),
                ConvSpec.conv2d(3, 20, 5, 16, 20, 3, 3).withPadding(1),
                ConvSpec.conv1d(1, 20, 18, 20, 3),
                ConvSpec.conv2d(1, 20, 8, 32, 20, 3, 3).withStride(2).withPadding(1)}) {
            for (int threads : new int[] {1, 2}) {
                Case t = new Case(s, true, threads, 20 + threads);
                checkForward(t);
                checkEpilogue(t);
                checkBackwardData(t);
            }
        }
    }

    @Example
    void windowTilesMatchTheSevenDeepLoop() {
        // 36 output channels leave a last block of one vector at every width (32 + 4, 16 + 16 + 4, 8 x 4 + 4) and
        // rows of 5 to 10 positions fill too few lanes for position tiles, so forward runs the channel tiles and, at
        // stride 1, the one-vector block on sliding-window tiles (kernel widths 3, 5 and 7; 4 and dilation 2 keep
        // the channel tiles); on 2 threads one image splits by block, so that block's part runs windows alone
        for (ConvSpec s : new ConvSpec[] {ConvSpec.conv2d(2, 5, 11, 11, 36, 3, 3),
                ConvSpec.conv2d(1, 6, 14, 14, 36, 5, 5),
                ConvSpec.conv2d(2, 3, 9, 13, 36, 7, 7).withPadding(1),
                ConvSpec.conv2d(1, 3, 9, 12, 36, 4, 4),
                ConvSpec.conv2d(1, 4, 12, 12, 36, 3, 3).withDilation(2, 2),
                ConvSpec.conv1d(1, 4, 14, 36, 5)}) {
            for (int threads : new int[] {1, 2}) {
                Case t = new Case(s, true, threads, 36 + threads);
                checkForward(t);
                checkEpilogue(t);
            }
        }
    }

    private static void checkBackwardWeights(Case t) {
        float[] dy = t.dy();
        float[] x = t.x();
        float[] start = Gen.floats(t.seed() + 5, Gen.size(t.spec().weightShape()) + t.spec().outChannels);
        ConvReference.Result ref = ConvReference.backwardWeights(t.spec(), dy, x);
        Compare.assertClose("backwardWeights (dw then db) " + t, Compare.plus(start, ref.value()),
                backwardWeights(t, start, dy, x), plusRounding(start, ref.value(), ref.tolerance(),
                (long) t.spec().batch * t.spec().outH * t.spec().outW));
    }

    /**
     * {@code <conv(x,w), g> = <x, backwardData(g,w)> = <w, backwardWeights(x,g)>}: an oracle that needs no
     * second implementation. All three sum the same products |x||w||g|, whose total M bounds the differences.
     */
    @Property
    void theThreePassesAreAdjoint(@ForAll("cases") Case t) {
        checkAdjoint(t);
    }

    @Property(tries = 24)
    void theThreePassesAreAdjointOnLayerShapes(@ForAll("layerCases") Case t) {
        checkAdjoint(t);
    }

    private static void checkAdjoint(Case t) {
        ConvSpec s = t.spec();
        Case noBias = new Case(s, false, t.threads(), t.seed());
        float[] x = t.x();
        float[] w = t.w();
        float[] g = t.dy();
        String problem = ConvAdjoint.failure(s, x, w, g, forward(noBias, x, w, null),
                backwardData(t, new float[x.length], g, w), backwardWeights(t, new float[w.length + s.outChannels],
                        g, x));
        if (problem != null) {
            fail("adjoint " + t + ": " + problem);
        }
    }

    /**
     * An infinite element of the data a pass slides over (x forward and backward-weights, dy backward-data)
     * reaches exactly the sums the seven-deep loop puts it in: no lane past a row's end multiplies it into another
     * (where its 0 * Inf would make that sum NaN). Not claimed for the other operand: the tiles multiply padding
     * zeros like any other value, as im2col does, so an infinite weight (backward-data) or dy (backward-weights)
     * meets them.
     */
    @Property(tries = 40)
    void anInfiniteInputReachesOnlyTheSumsThatHoldIt(@ForAll("cases") Case t, @ForAll int where) {
        checkInfiniteInput(t, where);
    }

    @Property(tries = 24)
    void anInfiniteInputReachesOnlyTheSumsThatHoldItOnLayerShapes(@ForAll("layerCases") Case t,
                                                                  @ForAll int where) {
        checkInfiniteInput(t, where);
    }

    private static void checkInfiniteInput(Case t, int where) {
        ConvSpec s = t.spec();
        float inf = where % 2 == 0 ? Float.POSITIVE_INFINITY : Float.NEGATIVE_INFINITY;
        float[] x = t.x();
        float[] w = t.w();
        float[] dy = t.dy();
        // half the time at a row's last element, which a row's last vector reads past its end for other taps
        int xi = element(where, x.length, s.inW);
        int dyi = element(where, dy.length, s.outW);
        float[] xInf = x.clone();
        xInf[xi] = inf;
        float[] dyInf = dy.clone();
        dyInf[dyi] = inf;
        float[] noStart = new float[w.length + s.outChannels];
        assertSameFinite("forward, x[" + xi + "] = " + inf + ", " + t,
                ConvReference.forward(s, xInf, w, t.b()).value(), forward(t, xInf, w, t.b()));
        assertSameFinite("backwardData, dy[" + dyi + "] = " + inf + ", " + t,
                ConvReference.backwardData(s, dyInf, w).value(), backwardData(t, new float[x.length], dyInf, w));
        float[] dwX = backwardWeights(t, noStart, dy, xInf);
        assertSameFinite("backwardWeights, x[" + xi + "] = " + inf + ", " + t,
                ConvReference.backwardWeights(s, dy, xInf).value(), java.util.Arrays.copyOf(dwX, w.length));
    }

    // element `where` of a tensor of `size` with rows of `width`, or (bit 1 of where) the last of its row
    private static int element(int where, int size, int width) {
        int i = Math.floorMod(where, size);
        return (where & 2) == 0 ? i : i - i % width + width - 1;
    }

    // the same elements finite in the reference (computed in double, over in-range taps only) and in actual
    private static void assertSameFinite(String what, double[] reference, float[] actual) {
        int wrong = 0;
        int first = -1;
        for (int i = 0; i < actual.length; i++) {
            if (Double.isFinite(reference[i]) != Float.isFinite(actual[i])) {
                wrong++;
                first = first < 0 ? i : first;
            }
        }
        if (wrong > 0) {
            fail(what + ": " + wrong + " of " + actual.length + " elements finite on one side only; first at index "
                    + first + ": expected " + reference[first] + ", actual " + actual[first]);
        }
    }

    @Property(tries = 40)
    void oneAndTwoThreadsGiveBitIdenticalResults(@ForAll("layerCases") Case t) {
        Case one = new Case(t.spec(), t.bias(), 1, t.seed());
        Case two = new Case(t.spec(), t.bias(), 2, t.seed());
        float[] x = t.x();
        float[] w = t.w();
        float[] b = t.b();
        float[] dy = t.dy();
        Compare.assertBitwiseEqual("forward " + t, forward(one, x, w, b), forward(two, x, w, b));
        float[] dx0 = new float[x.length];
        Compare.assertBitwiseEqual("backwardData " + t, backwardData(one, dx0, dy, w), backwardData(two, dx0, dy, w));
        float[] dw0 = new float[w.length + t.spec().outChannels];
        Compare.assertBitwiseEqual("backwardWeights " + t, backwardWeights(one, dw0, dy, x),
                backwardWeights(two, dw0, dy, x));
    }

    /** Strided (non-contiguous) views in and out give what dense tensors give. */
    @Property(tries = 30)
    void stridedViewsGiveTheSameResultsAsDenseTensors(@ForAll("cases") Case t) {
        ConvSpec s = t.spec();
        float[] x = t.x();
        float[] w = t.w();
        float[] dense = forward(t, x, w, null);
        // x stored channels-last and viewed back as (N,C,...): same elements, permuted strides
        int[] shape = s.inputShape();
        int[] last = shape.clone();
        for (int d = 1; d < shape.length - 1; d++) {
            last[d] = shape[d + 1];
        }
        last[shape.length - 1] = shape[1];
        int[] toLast = new int[shape.length];
        int[] fromLast = new int[shape.length];
        toLast[0] = 0;
        for (int d = 1; d < shape.length; d++) {
            toLast[d] = d == shape.length - 1 ? 1 : d + 1;
        }
        for (int d = 0; d < shape.length; d++) {
            fromLast[toLast[d]] = d;
        }
        Tensor xLast = Tensor.wrap(x, shape).permute(toLast).contiguous();
        Tensor xView = xLast.permute(fromLast);
        // y written through a view with a gap between images
        int[] yShape = s.outputShape();
        int per = Gen.size(yShape) / s.batch;
        float[] yBig = new float[s.batch * (per + 3)];
        int[] yStrides = contiguousStrides(yShape);
        yStrides[0] = per + 3;
        Tensor yView = Tensor.view(yBig, 0, yShape, yStrides);
        Gen.onThreads(t.threads(), () -> {
            Conv.forward(s, yView, xView, Tensor.wrap(w, s.weightShape()), null);
            return null;
        });
        Compare.assertBitwiseEqual("forward through views " + t, dense, yView.toArray());
    }

    // ------------------------------------------------------------------------------------------------ errors

    @Example
    void invalidGeometriesThrowWithTheirValues() {
        Compare.assertMessage(() -> ConvSpec.conv2d(1, 3, 4, 4, 8, 5, 5), "output size 0 x 0", "5 x 5", "4 x 4");
        Compare.assertMessage(() -> ConvSpec.conv2d(1, 6, 8, 8, 8, 3, 3).withGroups(4), "in channels 6", "out channels 8",
                "groups 4");
        Compare.assertMessage(() -> ConvSpec.conv2d(1, 3, 8, 8, 8, 3, 3).withStride(0), "stride height is 0");
        Compare.assertMessage(() -> ConvSpec.conv2d(1, 3, 8, 8, 8, 3, 3).withPadding(-1), "padding must be >= 0");
        Compare.assertMessage(() -> ConvSpec.conv2d(1, 3, 8, 8, 8, 3, 3).withDilation(0), "dilation height is 0");
        Compare.assertMessage(() -> ConvSpec.conv1d(1, 3, 8, 8, 3).withPadding(1, 0, 0, 0), "top padding is 1");
        Compare.assertMessage(() -> ConvSpec.conv2d(0, 3, 8, 8, 8, 3, 3), "batch is 0");
    }

    @Example
    void mismatchedTensorShapesThrowWithBothShapes() {
        ConvSpec s = ConvSpec.conv2d(2, 3, 8, 8, 4, 3, 3).withPadding(1);
        Tensor x = Tensor.zeros(2, 3, 8, 8);
        Tensor w = Tensor.zeros(4, 3, 3, 3);
        Tensor y = Tensor.zeros(2, 4, 8, 8);
        Compare.assertMessage(() -> Conv.forward(s, y, Tensor.zeros(2, 3, 8, 9), w, null), "x has shape [2, 3, 8, 9]",
                "needs [2, 3, 8, 8]");
        Compare.assertMessage(() -> Conv.forward(s, Tensor.zeros(2, 4, 6, 6), x, w, null), "y has shape [2, 4, 6, 6]",
                "needs [2, 4, 8, 8]");
        Compare.assertMessage(() -> Conv.forward(s, y, x, Tensor.zeros(4, 1, 3, 3), null), "w has shape [4, 1, 3, 3]");
        Compare.assertMessage(() -> Conv.forward(s, y, x, w, Tensor.zeros(5)), "bias has shape [5]", "needs [4]");
        Compare.assertMessage(() -> Conv.backwardData(s, Tensor.zeros(2, 3, 8, 8), Tensor.zeros(2, 4, 8, 7), w),
                "dy has shape [2, 4, 8, 7]");
        Compare.assertMessage(() -> Conv.backwardWeights(s, Tensor.zeros(4, 3, 3, 3), Tensor.zeros(3), y, x),
                "db has shape [3]");
        Tensor xInY = Tensor.wrap(y.data(), y.size()).slice(0, 0, x.size()).reshape(2, 3, 8, 8);
        Compare.assertMessage(() -> Conv.forward(s, y, xInY, w, null), "shares its array");
        Compare.assertMessage(() -> Conv.forward(s, Tensor.zeros(2, 4, 8, 1).expand(2, 4, 8, 8), x, w, null),
                "broadcast view");
    }
}
