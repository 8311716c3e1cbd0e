package lanes.tests.engine.gemm;

import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Arrays;
import lanes.engine.Parallel;
import lanes.engine.Simd;
import lanes.engine.Tensor;
import lanes.engine.gemm.BlockSizes;
import lanes.engine.gemm.Epilogue;
import lanes.engine.gemm.Gemm;
import lanes.engine.gemm.Matmul;
import lanes.reference.Freivalds;
import lanes.reference.GemmCases;
import lanes.reference.GemmReference;
import lanes.reference.Indexing;
import lanes.tests.Compare;
import lanes.tests.Gen.Layout;
import lanes.tests.Gen;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.Example;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.Tuple;

/** SGEMM against the scalar triple loop, Freivalds' check for large sizes, and its argument checks. */
class GemmProperties {

    /** One sgemm call: sizes, flags, scalars, layout padding, thread count and a seed for the contents. */
    record Case(boolean transA, boolean transB, int m, int n, int k, float alpha, float beta, int aOff, int bOff,
                int cOff, int padA, int padB, int padC, int threads, long seed) {
        int lda() {
            return Math.max(1, transA ? m : k) + padA;
        }

        int ldb() {
            return Math.max(1, transB ? k : n) + padB;
        }

        int ldc() {
            return Math.max(1, n) + padC;
        }

        float[] a() {
            int rows = transA ? k : m;
            return Gen.floats(seed, aOff + rows * lda());
        }

        float[] b() {
            int rows = transB ? n : k;
            return Gen.floats(seed + 1, bOff + rows * ldb());
        }

        /** C's old contents: NaN everywhere when beta = 0, to prove they are never read. */
        float[] c() {
            float[] c = Gen.floats(seed + 2, cOff + m * ldc());
            if (beta == 0f) {
                Arrays.fill(c, Float.NaN);
            }
            return c;
        }

        @Override
        public String toString() {
            return "sgemm(" + (transA ? "T" : "N") + (transB ? "T" : "N") + ", M=" + m + " N=" + n + " K=" + k
                    + ", alpha=" + alpha + " beta=" + beta + ", offsets " + aOff + "/" + bOff + "/" + cOff
                    + ", lda=" + lda() + " ldb=" + ldb() + " ldc=" + ldc() + ", threads=" + threads + ", seed=" + seed
                    + ")";
        }
    }

    /** Sizes 1..~300 with the boundaries of every block on purpose. */
    static Arbitrary<Integer> sizes() {
        int mr = BlockSizes.MR;
        int nr = BlockSizes.NR;
        int l = BlockSizes.LANES;
        int mc = BlockSizes.MC;
        Arbitrary<Integer> edges = Arbitraries.of(1, 2, 3, 5, 7, 13, 31, 61, 97, 127, 257, l - 1, l, l + 1,
                mr - 1, mr, mr + 1, 2 * mr + 1, nr - 1, nr, nr + 1, 2 * nr + 3, mc - 1, mc, mc + 1);
        return Arbitraries.frequencyOf(
                Tuple.of(4, edges),
                Tuple.of(4, Arbitraries.integers().between(1, 64)),
                Tuple.of(1, Arbitraries.integers().between(65, 300)));
    }

    /** Depths, including the KC boundary. */
    static Arbitrary<Integer> depths() {
        int kc = BlockSizes.KC;
        return Arbitraries.frequencyOf(
                Tuple.of(6, sizes()),
                Tuple.of(1, Arbitraries.of(0, kc - 1, kc, kc + 1, 2 * kc + 5)));
    }

    static Arbitrary<Float> scalars() {
        return Arbitraries.frequencyOf(
                Tuple.of(3, Arbitraries.of(1f, 0f, -1f, 0.5f)),
                Tuple.of(1, Arbitraries.floats().between(-2f, 2f)));
    }

    @Provide
    Arbitrary<Case> cases() {
        Arbitrary<Integer> small = Arbitraries.integers().between(0, 3);
        Arbitrary<Case> structured = Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true),
                        sizes(), sizes(), depths(), scalars(), scalars(), small.list().ofSize(6))
                .flatAs((ta, tb, m, n, k, alpha, beta, pads) ->
                        Combinators.combine(Arbitraries.of(1, 2), Arbitraries.longs().withoutEdgeCases())
                                .as((threads, seed) -> new Case(ta, tb, m, n, k, alpha, beta, pads.get(0),
                                        pads.get(1), pads.get(2), pads.get(3), pads.get(4), pads.get(5), threads,
                                        seed)));
        // and the cases lanes fuzz draws, from the same shared generator (no offsets there)
        Arbitrary<Case> fuzz = Arbitraries.longs().withoutEdgeCases().map(seed -> {
            GemmCases.Case g = GemmCases.random(new java.util.Random(seed));
            return new Case(g.transA(), g.transB(), g.m(), g.n(), g.k(), g.alpha(), g.beta(), 0, 0, 0, g.padA(),
                    g.padB(), g.padC(), 1 + (int) (seed & 1), seed);
        }).filter(t -> (long) t.m() * t.n() * t.k() <= 4_000_000);
        return Arbitraries.frequencyOf(Tuple.of(4, structured), Tuple.of(1, fuzz));
    }

    @Property
    void sgemmMatchesTheTripleLoopForEveryShapeTransposeAndScalar(@ForAll("cases") Case t) {
        float[] a = t.a();
        float[] b = t.b();
        float[] c = t.c();
        float[] c0 = c.clone();
        Gem.run(t, a, b, c);
        double[] expected = GemmReference.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a,
                t.aOff(), t.lda(), b, t.bOff(), t.ldb(), t.beta(), c0, t.cOff(), t.ldc());
        double[] tol = GemmReference.tolerance(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(),
                t.lda(), b, t.bOff(), t.ldb(), t.beta(), c0, t.cOff(), t.ldc());
        Compare.assertClose(t.toString(), expected, Gem.cView(t, c), tol);
        Gem.assertPaddingUntouched(t, c0, c);
    }

    @Property
    void oneThreadAndTwoThreadsGiveBitIdenticalResults(@ForAll("largeCases") Case t) {
        oneAgainstTwoThreads(t, t.a(), t.b());
    }

    // t on 1 thread and on 2, their bits compared; the 1-thread C
    private static float[] oneAgainstTwoThreads(Case t, float[] a, float[] b) {
        float[] one = t.c();
        float[] two = one.clone();
        Gem.run(withThreads(t, 1), a, b, one);
        Gem.run(withThreads(t, 2), a, b, two);
        Compare.assertBitwiseEqual(t + " on 1 vs 2 threads", one, two);
        return one;
    }

    /**
     * Products with enough row blocks that the threads claim them (each block's rank-KC updates in order, whichever
     * thread runs them) give the bits of one thread, also when the team is busy and the caller runs them all.
     */
    @Property(tries = 12)
    void twoThreadsClaimingRowBlocksGiveTheBitsOfOne(@ForAll("sharedRowCases") Case t) {
        float[] a = t.a();
        float[] b = t.b();
        float[] one = oneAgainstTwoThreads(t, a, b);
        float[] busy = t.c();
        Parallel.run(2, 2, part -> {
            if (part == 0) {
                Gem.run(withThreads(t, 2), a, b, busy);     // the team is busy: this call runs its parts in turn
            }
        });
        Compare.assertBitwiseEqual(t + " on 1 thread vs 2 threads from inside a part", one, busy);
    }

    @Provide
    Arbitrary<Case> sharedRowCases() {
        int mc = BlockSizes.MC;
        int nr = BlockSizes.NR;
        int kc = BlockSizes.KC;
        // more than 3 MC rows: 4 row blocks or more; past KC deep: several steps, each block's in order
        Arbitrary<Integer> m = Arbitraries.integers().between(3 * mc + 1, 4 * mc + BlockSizes.MR + 1);
        Arbitrary<Integer> n = Arbitraries.integers().between(2 * nr, 3 * nr + 3);
        // the plain loop nest (-Dlanes.scalar=true) runs on one thread whatever it is given: shallow there, quick
        Arbitrary<Integer> k = Simd.SCALAR ? Arbitraries.integers().between(1, 16)
                : Arbitraries.integers().between(kc / 2, 2 * kc + 3);
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), m, n, k, scalars(),
                        scalars(), Arbitraries.longs().withoutEdgeCases())
                .as((ta, tb, rows, cols, depth, alpha, beta, seed) -> new Case(ta, tb, rows, cols, depth, alpha, beta,
                        1, 2, 3, 1, 0, 2, 2, seed));
    }

    /**
     * Every blocked path sums each element over p in order, one fused multiply-add a step, in the same depth blocks,
     * whatever it packs or reads in place (A's rows in short products, B's rows in short products stored row by
     * row, B^T transposed into panels). So B^T stored gives the bits of B stored, for products past the unpacked
     * paths (M &gt; 2 rows and more than 32^3 multiply-adds).
     */
    @Property
    void storingBTransposedGivesTheSameBits(@ForAll("shortWideCases") Case t) {
        float[] a = t.a();
        float[] bt = t.b();
        Case nn = new Case(t.transA(), false, t.m(), t.n(), t.k(), t.alpha(), t.beta(), t.aOff(), 0, t.cOff(),
                t.padA(), 0, t.padC(), t.threads(), t.seed());
        float[] b = new float[t.k() * t.n()];
        for (int p = 0; p < t.k(); p++) {
            for (int j = 0; j < t.n(); j++) {
                b[p * t.n() + j] = bt[t.bOff() + j * t.ldb() + p];
            }
        }
        float[] fromBt = t.c();
        float[] fromB = fromBt.clone();
        Gem.run(t, a, bt, fromBt);
        Gem.run(nn, a, b, fromB);
        Compare.assertBitwiseEqual(t + " against B stored", fromB, fromBt);
    }

    @Provide
    Arbitrary<Case> shortWideCases() {
        Arbitrary<Integer> m = Arbitraries.integers().between(3, 100).edgeCases(e -> e.includeOnly(3, 12, 13, 64));
        Arbitrary<Integer> wide = Arbitraries.integers().between(1, 200);
        Arbitrary<Integer> k = Arbitraries.integers().between(33, 160);
        Arbitrary<Integer> pad = Arbitraries.integers().between(0, 2);
        return Combinators.combine(m, wide, k, scalars(), scalars(), pad, Arbitraries.of(1, 2),
                        Arbitraries.longs().withoutEdgeCases())
                .as((rows, extra, depth, alpha, beta, padding, threads, seed) -> new Case(false, true, rows,
                        rows + extra, depth, alpha, beta, 1, 2, 3, padding, padding, padding, threads, seed))
                .filter(t -> (long) t.m() * t.n() * t.k() > 32L * 32 * 32);
    }

    @Provide
    Arbitrary<Case> largeCases() {
        Arbitrary<Integer> big = Arbitraries.integers().between(40, 400);
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), big, big, big,
                        scalars(), scalars(), Arbitraries.longs().withoutEdgeCases())
                .as((ta, tb, m, n, k, alpha, beta, seed) -> new Case(ta, tb, m, n, k, alpha, beta, 1, 2, 3, 1, 0, 2,
                        2, seed));
    }

    /**
     * Freivalds' check for sizes the triple loop is too slow for: for a random vector t,
     * {@code C t} must equal {@code alpha A (B t) + beta C0 t} within the bound of both sides' sums.
     */
    // A fixed, small count: each try multiplies matrices of up to 2048^2 (about 0.1 s); campaigns raise the others.
    @Property(tries = 12)
    void largeProductsPassFreivaldsCheck(@ForAll("freivaldsCases") Case t) {
        float[] a = t.a();
        float[] b = t.b();
        float[] c = t.c();
        float[] c0 = c.clone();
        Gem.run(t, a, b, c);
        Freivalds.Failure f = Freivalds.check(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(),
                t.lda(), b, t.bOff(), t.ldb(), t.beta(), c0, c, t.cOff(), t.ldc(), t.seed());
        if (f != null) {
            throw new AssertionError("Freivalds " + t + ": " + f);
        }
    }

    @Provide
    Arbitrary<Case> freivaldsCases() {
        Arbitrary<Integer> big = Arbitraries.frequencyOf(
                Tuple.of(2, Arbitraries.integers().between(300, 1100)),
                Tuple.of(1, Arbitraries.of(1024, 1537, 2048)));
        return Combinators.combine(Arbitraries.of(false, true), Arbitraries.of(false, true), big, big, big,
                        scalars(), scalars(), Arbitraries.longs().withoutEdgeCases())
                .as((ta, tb, m, n, k, alpha, beta, seed) -> new Case(ta, tb, m, n, k, alpha, beta, 0, 0, 0, 0, 1, 0,
                        2, seed));
    }

    record MatmulCase(Layout a, Layout b, Layout c, float alpha, float beta) {
    }

    @Provide
    Arbitrary<MatmulCase> matmulCases() {
        Arbitrary<Integer> dim = Arbitraries.frequencyOf(Tuple.of(3, Arbitraries.integers().between(1, 12)),
                Tuple.of(1, Arbitraries.integers().between(13, 70)));
        return Combinators.combine(dim, dim, dim).flatAs((m, k, n) -> Combinators.combine(
                Gen.layouts(new int[] {m, k}, true), Gen.layouts(new int[] {k, n}, true),
                Gen.layouts(new int[] {m, n}, false), scalars(), scalars()).as(MatmulCase::new));
    }

    @Property
    void matmulOfStridedViewsMatchesTheTripleLoop(@ForAll("matmulCases") MatmulCase t) {
        Tensor a = t.a().make();
        Tensor b = t.b().make();
        Tensor c = t.c().make();
        float[] as = Indexing.elements(a);
        float[] bs = Indexing.elements(b);
        float[] cs = Indexing.elements(c);
        int m = a.shape(0);
        int k = a.shape(1);
        int n = b.shape(1);
        float[] before = c.data().clone();
        Matmul.matmul(t.alpha(), a, b, t.beta(), c, null);
        double[] expected = GemmReference.sgemm(false, false, m, n, k, t.alpha(), as, 0, Math.max(k, 1), bs, 0,
                Math.max(n, 1), t.beta(), cs, 0, Math.max(n, 1));
        double[] tol = GemmReference.tolerance(false, false, m, n, k, t.alpha(), as, 0, Math.max(k, 1), bs, 0,
                Math.max(n, 1), t.beta(), cs, 0, Math.max(n, 1));
        Compare.assertClose("matmul(" + t + ")", expected, Indexing.elements(c), tol);
        Compare.assertOnlyViewChanged("matmul", c, before);
    }

    @Property
    void fusedBiasAndReluEqualTheSamePassesAfterwards(@ForAll("cases") Case t) {
        float[] a = t.a();
        float[] b = t.b();
        float[] fused = t.c();
        float[] unfused = fused.clone();
        float[] bias = Gen.floats(t.seed() + 9, t.n() + 3);
        Gemm.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(), t.lda(), b, t.bOff(),
                t.ldb(), t.beta(), fused, t.cOff(), t.ldc(), Epilogue.addToEachRow(bias, 3).andThen(Epilogue.relu()),
                t.threads());
        Gemm.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(), t.lda(), b, t.bOff(),
                t.ldb(), t.beta(), unfused, t.cOff(), t.ldc(), null, t.threads());
        for (int i = 0; i < t.m(); i++) {
            for (int j = 0; j < t.n(); j++) {
                int at = t.cOff() + i * t.ldc() + j;
                float v = unfused[at] + bias[3 + j];
                unfused[at] = v < 0f ? 0f : v;
            }
        }
        Compare.assertBitwiseEqual("fused bias+relu " + t, unfused, fused);
    }

    @Example
    void invalidArgumentsThrowWithTheValuesAndLeaveCUntouched() {
        float[] a = new float[12];
        float[] b = new float[12];
        float[] c = new float[16];
        Arrays.fill(c, 7f);
        float[] c0 = c.clone();
        expect(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, -1, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f, c,
                0, 4), "M=-1");
        expect(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 4, 4, 3, 1f, a, 0, 2, b, 0, 4, 0f, c,
                0, 4), "leading dimension of A is 2", ">= 3");
        expect(IllegalArgumentException.class, () -> Gemm.sgemm(false, true, 4, 4, 3, 1f, a, 0, 3, b, 0, 2, 0f, c,
                0, 4), "leading dimension of B is 2", ">= 3");
        expect(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 4, 4, 3, 1f, a, 1, 3, b, 0, 4, 0f,
                c, 0, 4), "A stored 4 x 3", "offset 1", "needs 13", "has 12");
        expect(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 4, 4, 3, 1f, a, 0, 3, b, -1, 4, 0f,
                c, 0, 4), "offset of B is -1");
        expect(IndexOutOfBoundsException.class, () -> Gemm.sgemm(false, false, 4, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f,
                c, 0, 5), "C stored 4 x 4", "needs 19", "has 16");
        expect(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 2, 2, 2, 1f, c, 0, 2, b, 0, 4, 0f,
                c, 2, 2), "overlaps A");
        expect(IllegalArgumentException.class, () -> Gemm.sgemm(false, false, 4, 4, 3, 1f, a, 0, 3, b, 0, 4, 0f, c,
                0, 4, null, 0), "threads = 0");
        Compare.assertBitwiseEqual("C after rejected calls", c0, c);
        expect(IllegalArgumentException.class, () -> Matmul.matmul(Tensor.zeros(2, 3), Tensor.zeros(4, 5)),
                "[2, 3]", "[4, 5]", "3 != 4");
        expect(IllegalArgumentException.class, () -> Matmul.matmul(Tensor.zeros(2, 3), Tensor.zeros(3, 5),
                Tensor.zeros(2, 4)), "[2, 4]", "[2, 5]");
    }

    /**
     * The first call (interpreted) and later ones (C2-compiled) must agree bit for bit: a horizontal sum whose order
     * depends on the JIT (reduceLanes on floats) broke this once. Covers the dot-tile, packed and Dot paths.
     */
    @Example
    void resultsDoNotChangeAsTheJitWarmsUp() {
        int[][] shapes = {{67, 93, 800, 1}, {40, 70, 300, 0}, {130, 90, 200, 0}};   // M N K transB(1 = NT)
        for (int[] s : shapes) {
            Case t = new Case(false, s[3] == 1, s[0], s[1], s[2], -1f, 0f, 0, 0, 0, 0, 0, 0, 1, 2582);
            float[] a = t.a();
            float[] b = t.b();
            float[] first = t.c();
            Gem.run(t, a, b, first);
            for (int rep = 0; rep < 200; rep++) {
                float[] again = t.c();
                Gem.run(t, a, b, again);
                if (rep % 50 == 49) {
                    Compare.assertBitwiseEqual(t + " call " + (rep + 2) + " vs call 1", first, again);
                }
            }
        }
        float[] x = Gen.floats(5, 1000);
        float[] y = Gen.floats(6, 1000);
        float d0 = lanes.engine.math.Dot.dot(1000, x, 0, 1, y, 0, 1);
        for (int rep = 0; rep < 20_000; rep++) {
            float d = lanes.engine.math.Dot.dot(1000, x, 0, 1, y, 0, 1);
            if (Float.floatToIntBits(d) != Float.floatToIntBits(d0)) {
                throw new AssertionError("Dot.dot call " + (rep + 2) + " gave " + d + ", call 1 gave " + d0);
            }
        }
    }

    @Example
    void alphaZeroOrEmptyKOnlyScalesCAndNeverReadsAOrB() {
        float[] nan = new float[12];
        Arrays.fill(nan, Float.NaN);
        float[] c = {1, 2, 3, 4};
        Gemm.sgemm(false, false, 2, 2, 3, 0f, nan, 0, 3, nan, 0, 2, 2f, c, 0, 2);
        Compare.assertBitwiseEqual("alpha = 0", new float[] {2, 4, 6, 8}, c);
        Gemm.sgemm(false, false, 2, 2, 0, 1f, nan, 0, 1, nan, 0, 2, 0f, c, 0, 2);
        Compare.assertBitwiseEqual("K = 0, beta = 0", new float[] {0, 0, 0, 0}, c);
    }

    private static Case withThreads(Case t, int threads) {
        return new Case(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), t.beta(), t.aOff(), t.bOff(),
                t.cOff(), t.padA(), t.padB(), t.padC(), threads, t.seed());
    }

    private static void expect(Class<? extends RuntimeException> type, org.junit.jupiter.api.function.Executable call,
                               String... parts) {
        RuntimeException e = assertThrows(type, call);
        for (String part : parts) {
            if (!e.getMessage().contains(part)) {
                throw new AssertionError("message \"" + e.getMessage() + "\" does not mention \"" + part + "\"");
            }
        }
    }

    /** Running a case and reading its C. */
    static final class Gem {
        private Gem() {
        }

        static void run(Case t, float[] a, float[] b, float[] c) {
            Gemm.sgemm(t.transA(), t.transB(), t.m(), t.n(), t.k(), t.alpha(), a, t.aOff(), t.lda(), b, t.bOff(),
                    t.ldb(), t.beta(), c, t.cOff(), t.ldc(), null, t.threads());
        }

        /** The M x N elements of C, dense. */
        static float[] cView(Case t, float[] c) {
            float[] out = new float[t.m() * t.n()];
            for (int i = 0; i < t.m(); i++) {
                System.arraycopy(c, t.cOff() + i * t.ldc(), out, i * t.n(), t.n());
            }
            return out;
        }

        /** Elements of C's array outside the M x N matrix (offset, row padding) are as they were. */
        static void assertPaddingUntouched(Case t, float[] before, float[] after) {
            for (int at = 0; at < after.length; at++) {
                int rel = at - t.cOff();
                boolean inside = rel >= 0 && rel / t.ldc() < t.m() && rel % t.ldc() < t.n();
                if (!inside && Float.floatToIntBits(before[at]) != Float.floatToIntBits(after[at])) {
                    throw new AssertionError(t + " wrote outside C at array index " + at + ": " + before[at]
                            + " became " + after[at]);
                }
            }
        }
    }
}
