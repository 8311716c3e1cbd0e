package lanes.tests.engine.pool;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

import lanes.engine.Tensor;
import lanes.engine.pool.Pool;
import lanes.engine.pool.PoolSpec;
import lanes.reference.ConvReference;
import lanes.reference.PoolCases;
import lanes.reference.PoolReference;
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

/** Max and average pooling, 1-D and 2-D, against the definition, with PyTorch's ceil-mode and padding rules. */
class PoolProperties {

    record Case(PoolSpec spec, int threads, long seed) {
        float[] x() {
            return Gen.floats(seed, Gen.size(spec.inputShape()));
        }

        float[] dy() {
            return Gen.floats(seed + 1, Gen.size(spec.outputShape()));
        }

        @Override
        public String toString() {
            return spec + ", threads=" + threads + ", seed=" + seed;
        }
    }

    /** One dimension's (size, kernel, stride, pad), with pad at most half the kernel and the window fitting. */
    record Dim(int size, int kernel, int stride, int pad) {
    }

    static Arbitrary<Dim> dims() {
        return Combinators.combine(Arbitraries.integers().between(1, 20), Arbitraries.integers().between(1, 5),
                        Arbitraries.integers().between(1, 4), Arbitraries.integers().between(0, 1000))
                .as((size, kernel, stride, p) -> {
                    int pad = p % (kernel / 2 + 1);
                    while (kernel > size + 2 * pad) {
                        kernel--;
                        pad = Math.min(pad, kernel / 2);
                    }
                    return new Dim(size, kernel, stride, pad);
                });
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<PoolSpec> specs2 = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 5), dims(), dims(), Arbitraries.of(false, true),
                        Arbitraries.of(false, true))
                .as((n, c, h, w, ceil, include) -> PoolSpec.pool2d(n, c, h.size(), w.size(), h.kernel(), w.kernel(),
                        h.stride(), w.stride(), h.pad(), w.pad(), ceil, include));
        Arbitrary<PoolSpec> specs1 = Combinators.combine(Arbitraries.integers().between(1, 3),
                        Arbitraries.integers().between(1, 5), dims(), Arbitraries.of(false, true),
                        Arbitraries.of(false, true))
                .as((n, c, l, ceil, include) -> PoolSpec.pool1d(n, c, l.size(), l.kernel(), l.stride(), l.pad(), ceil,
                        include));
        // and the geometries lanes fuzz draws, from the same shared generator
        Arbitrary<PoolSpec> fuzz = Arbitraries.longs().map(seed -> PoolCases.random(new java.util.Random(seed)));
        return Combinators.combine(Arbitraries.frequencyOf(Tuple.of(3, specs2), Tuple.of(1, specs1),
                Tuple.of(1, fuzz)), Arbitraries.of(1, 2), Arbitraries.longs().withoutEdgeCases()).as(Case::new);
    }

    static float[] maxForward(Case t, float[] x, int[] argmax) {
        PoolSpec s = t.spec();
        Tensor y = Tensor.zeros(s.outputShape()).fill(Float.NaN);
        Gen.onThreads(t.threads(), () -> {
            Pool.maxForward(s, y, argmax, Tensor.wrap(x, s.inputShape()));
            return null;
        });
        return y.toArray();
    }

    @Property
    void maxForwardFindsTheFirstMaximumOfEveryWindow(@ForAll("cases") Case t) {
        float[] x = t.x();
        int[] argmax = new int[Gen.size(t.spec().outputShape())];
        float[] y = maxForward(t, x, argmax);
        PoolReference.Max ref = PoolReference.maxForward(t.spec(), x);
        Compare.assertClose("max forward " + t, ref.y(), y, new double[y.length]);
        assertArrayEquals(ref.argmax(), argmax, "argmax of " + t);
    }

    @Property
    void maxBackwardRoutesEachGradientToItsArgmaxAndAccumulates(@ForAll("cases") Case t) {
        PoolSpec s = t.spec();
        int[] argmax = new int[Gen.size(s.outputShape())];
        maxForward(t, t.x(), argmax);
        float[] dy = t.dy();
        float[] start = Gen.floats(t.seed() + 2, Gen.size(s.inputShape()));
        Tensor dx = Tensor.wrap(start.clone(), s.inputShape());
        Gen.onThreads(t.threads(), () -> {
            Pool.maxBackward(s, dx, Tensor.wrap(dy, s.outputShape()), argmax);
            return null;
        });
        ConvReference.Result ref = PoolReference.maxBackward(s, dy, argmax);
        Compare.assertClose("max backward " + t, Compare.plus(start, ref.value()), dx.toArray(),
                accumulated(s, start, ref));
    }

    /**
     * Backward adds each window's share straight into dx, so every one of the (at most KH*KW) additions rounds
     * relative to the running value, which starts at {@code start}: the reference's bound plus gamma_n |start|.
     */
    static double[] accumulated(PoolSpec s, float[] start, ConvReference.Result ref) {
        double[] tol = ref.tolerance().clone();
        double g = Tolerance.gamma((long) s.kernelH * s.kernelW + 2);
        for (int i = 0; i < tol.length; i++) {
            tol[i] += g * (Math.abs(start[i]) + Math.abs(ref.value()[i]));
        }
        return tol;
    }

    @Property
    void avgForwardDividesEachWindowSumByPyTorchsCount(@ForAll("cases") Case t) {
        PoolSpec s = t.spec();
        float[] x = t.x();
        Tensor y = Tensor.zeros(s.outputShape()).fill(Float.NaN);
        Gen.onThreads(t.threads(), () -> {
            Pool.avgForward(s, y, Tensor.wrap(x, s.inputShape()));
            return null;
        });
        ConvReference.Result ref = PoolReference.avgForward(s, x);
        Compare.assertClose("avg forward " + t, ref.value(), y.toArray(), ref.tolerance());
    }

    @Property
    void avgBackwardSpreadsEachGradientOverItsWindowAndAccumulates(@ForAll("cases") Case t) {
        PoolSpec s = t.spec();
        float[] dy = t.dy();
        float[] start = Gen.floats(t.seed() + 2, Gen.size(s.inputShape()));
        Tensor dx = Tensor.wrap(start.clone(), s.inputShape());
        Gen.onThreads(t.threads(), () -> {
            Pool.avgBackward(s, dx, Tensor.wrap(dy, s.outputShape()));
            return null;
        });
        ConvReference.Result ref = PoolReference.avgBackward(s, dy);
        Compare.assertClose("avg backward " + t, Compare.plus(start, ref.value()), dx.toArray(),
                accumulated(s, start, ref));
    }

    /** {@code <avg(x), g> = <x, avgBackward(g)>}, and the same for max with its argmax held fixed. */
    @Property
    void forwardAndBackwardAreAdjoint(@ForAll("cases") Case t) {
        PoolSpec s = t.spec();
        float[] x = t.x();
        float[] g = t.dy();
        Tensor y = Tensor.zeros(s.outputShape());
        Tensor dx = Tensor.zeros(s.inputShape());
        Pool.avgForward(s, y, Tensor.wrap(x, s.inputShape()));
        Pool.avgBackward(s, dx, Tensor.wrap(g, s.outputShape()));
        double lhs = Compare.dot(y.toArray(), g);
        double rhs = Compare.dot(x, dx.toArray());
        double m = Compare.dot(Compare.abs(x), Compare.abs(dx.toArray()))
                + Compare.dot(Compare.abs(y.toArray()), Compare.abs(g));
        double tol = 2 * Tolerance.gamma((long) s.kernelH * s.kernelW + 2) * m + 1e-30;
        assertEquals(lhs, rhs, tol, "avg adjoint " + t + ": <avg(x),g> vs <x,avgBackward(g)>, tolerance " + tol);
    }

    @Property(tries = 40)
    void oneAndTwoThreadsGiveBitIdenticalResults(@ForAll("cases") Case t) {
        Case one = new Case(t.spec(), 1, t.seed());
        Case two = new Case(t.spec(), 2, t.seed());
        int n = Gen.size(t.spec().outputShape());
        int[] a1 = new int[n];
        int[] a2 = new int[n];
        Compare.assertBitwiseEqual("max forward " + t, maxForward(one, t.x(), a1), maxForward(two, t.x(), a2));
        assertArrayEquals(a1, a2);
    }

    /** LeNet's 2x2 / stride 2 max pool has its own unrolled path: ties, NaN and odd sizes against the definition. */
    @Example
    void twoByTwoMaxPoolingMatchesTheDefinitionWithTiesAndNaN() {
        // widths below one vector of outputs, across the vector edge, and past two vectors
        for (PoolSpec s : new PoolSpec[] {PoolSpec.pool2d(2, 3, 5, 7, 2, 2), PoolSpec.pool2d(1, 2, 4, 2 * Gen.L + 3, 2, 2),
            PoolSpec.pool2d(1, 1, 3, 4 * Gen.L + 6, 2, 2), PoolSpec.pool2d(64, 6, 28, 28, 2, 2)}) {
            float[] x = new float[Gen.size(s.inputShape())];
            for (int i = 0; i < x.length; i++) {
                x[i] = i % 11 == 0 ? Float.NaN : (i * 7) % 4;           // many ties, some NaN
            }
            int[] argmax = new int[Gen.size(s.outputShape())];
            float[] y = maxForward(new Case(s, 1, 0), x, argmax);
            PoolReference.Max ref = PoolReference.maxForward(s, x);
            Compare.assertClose("2x2 max forward " + s, ref.y(), y, new double[y.length]);
            assertArrayEquals(ref.argmax(), argmax, "2x2 argmax " + s);
        }
    }

    @Example
    void ceilModeDropsALastWindowThatWouldStartInTheRightPadding() {
        // PyTorch: MaxPool1d(3, stride=2, padding=1, ceil_mode=True) on length 5 gives 3 outputs, not 4
        assertEquals(3, PoolSpec.pool1d(1, 1, 5, 3).withStride(2).withPadding(1).withCeilMode(true).outW);
        // ceil keeps a partial last window that starts inside the input: 5 -> 3 with k=2, s=2
        assertEquals(3, PoolSpec.pool1d(1, 1, 5, 2).withCeilMode(true).outW);
        assertEquals(2, PoolSpec.pool1d(1, 1, 5, 2).outW);
        // LeNet's 2x2 pool: 28 -> 14
        assertEquals(14, PoolSpec.pool2d(64, 6, 28, 28, 2, 2).outH);
    }

    @Example
    void averageDivisorsFollowCountIncludePad() {
        // 1-D, k=3, pad 1: the first window covers [pad, x0, x1] -> 3 with padding counted, 2 without
        PoolSpec s = PoolSpec.pool1d(1, 1, 4, 3).withStride(1).withPadding(1);
        float[] x = {3, 6, 9, 12};
        Tensor y = Tensor.zeros(s.outputShape());
        Pool.avgForward(s, y, Tensor.wrap(x, 1, 1, 4));
        assertArrayEquals(new float[] {3, 6, 9, 7}, y.toArray());
        PoolSpec e = s.withCountIncludePad(false);
        Pool.avgForward(e, y, Tensor.wrap(x, 1, 1, 4));
        assertArrayEquals(new float[] {4.5f, 6, 9, 10.5f}, y.toArray());
    }

    @Example
    void invalidPoolingsThrowWithTheirValues() {
        Compare.assertMessage(() -> PoolSpec.pool2d(1, 1, 8, 8, 3, 3).withPadding(2),
                "padding 2 x 2", "at most half the window 3 x 3");
        Compare.assertMessage(() -> PoolSpec.pool2d(1, 1, 2, 8, 5, 2), "output size 0 x 4", "5 x 2");
        Compare.assertMessage(() -> PoolSpec.pool2d(1, 1, 8, 8, 2, 2).withStride(0), ">= 1");
        PoolSpec s = PoolSpec.pool2d(2, 3, 8, 8, 2, 2);
        Compare.assertMessage(() -> Pool.avgForward(s, Tensor.zeros(2, 3, 5, 4), Tensor.zeros(2, 3, 8, 8)),
                "y has shape [2, 3, 5, 4]", "needs [2, 3, 4, 4]");
        Compare.assertMessage(() -> Pool.maxForward(s, Tensor.zeros(2, 3, 4, 4), new int[3],
                Tensor.zeros(2, 3, 8, 8)), "argmax has 3 elements", "96 outputs");
        int[] bad = new int[96];
        bad[5] = 64;
        Compare.assertMessage(() -> Pool.maxBackward(s, Tensor.zeros(2, 3, 8, 8), Tensor.zeros(2, 3, 4, 4),
                bad), "argmax[5] = 64", "outside the 8 x 8 plane");
    }
}
