package lanes.reference;

import java.util.List;
import java.util.Locale;
import java.util.Random;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
import lanes.engine.gemm.Gemm;
import lanes.engine.pool.Pool;
import lanes.engine.pool.PoolSpec;

/**
 * The fuzz cases: case {@code seed} of a suite draws its inputs from {@code new Random(seed)} with the case
 * generators of this module, runs the engine's kernel and holds it to the reference. {@code lanes fuzz} runs them
 * one after another, {@code lanes spark fuzz} in Spark tasks: the same seed is the same case everywhere, so a
 * failure anywhere replays with {@code ./lanes fuzz --suite SUITE --seed SEED --cases 1}.
 */
public final class FuzzCases {
    /** The suites, in the order seeds are dealt to them when all run: seed s goes to {@code SUITES[s mod 3]}. */
    public static final List<String> SUITES = List.of("gemm", "conv", "pool");

    private FuzzCases() {
    }

    /** A failed check: what differed, where, by how much. */
    public static final class Mismatch extends RuntimeException {
        private static final long serialVersionUID = 1L;

        /**
         * A failure described by {@code message}.
         *
         * @param message what differed, where, by how much
         */
        public Mismatch(String message) {
            super(message);
        }
    }

    /**
     * Runs case {@code seed} of {@code suite}.
     *
     * @param suite gemm, conv or pool
     * @param seed the case's seed
     * @return the case, described
     * @throws Mismatch if a check fails
     * @throws IllegalArgumentException if the suite is unknown
     */
    public static String run(String suite, long seed) {
        return switch (suite) {
            case "gemm" -> gemm(seed);
            case "conv" -> conv(seed);
            case "pool" -> pool(seed);
            default -> throw new IllegalArgumentException("unknown fuzz suite \"" + suite + "\"; known: " + SUITES);
        };
    }

    /**
     * The suites {@code name} stands for: one, or all three for "all".
     *
     * @param name gemm, conv, pool or all
     * @return the suites
     * @throws IllegalArgumentException if the name is none of those
     */
    public static List<String> suites(String name) {
        if (name.equals("all")) {
            return SUITES;
        }
        if (!SUITES.contains(name)) {
            throw new IllegalArgumentException("--suite " + name + ": must be gemm, conv, pool or all");
        }
        return List.of(name);
    }

    /**
     * The suite case {@code seed} belongs to when {@code suites} run together.
     *
     * @param suites the suites of the run
     * @param seed the case's seed
     * @return the suite
     */
    public static String suiteOf(List<String> suites, long seed) {
        return suites.get((int) Math.floorMod(seed, (long) suites.size()));
    }

    /**
     * One GEMM case: {@code C := alpha op(A) op(B) + beta C} of a random shape, transposes, scalars, leading
     * dimensions and thread count, against the reference within its bound.
     *
     * @param seed the case's seed
     * @return the case, described
     * @throws Mismatch if the kernel's result differs, naming the element, the tolerance and the difference
     */
    public static String gemm(long seed) {
        Random r = new Random(seed);
        GemmCases.Case g = GemmCases.random(r);
        boolean ta = g.transA();
        boolean tb = g.transB();
        int m = g.m();
        int n = g.n();
        int k = g.k();
        float alpha = g.alpha();
        float beta = g.beta();
        int threads = 1 + r.nextInt(Math.max(1, Parallel.threads()));
        int lda = g.lda();
        int ldb = g.ldb();
        float[] a = values(r, (ta ? k : m) * lda);
        float[] b = values(r, (tb ? n : k) * ldb);
        float[] c = values(r, m * n);
        String what = String.format(Locale.ROOT, "sgemm(%s%s) m=%d n=%d k=%d alpha=%s beta=%s lda=%d ldb=%d "
                + "threads=%d", ta ? "T" : "N", tb ? "T" : "N", m, n, k, alpha, beta, lda, ldb, threads);
        double[] expected = GemmReference.sgemm(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        double[] tol = GemmReference.tolerance(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n);
        Gemm.sgemm(ta, tb, m, n, k, alpha, a, 0, lda, b, 0, ldb, beta, c, 0, n, null, threads);
        compare(what, "C", c, expected, tol);
        return what;
    }

    /**
     * One convolution case: all three passes of a random geometry (1-D or 2-D, stride, padding, dilation, groups)
     * against the reference, the adjoint identity between them, and one thread's bits against all threads'.
     *
     * @param seed the case's seed
     * @return the case, described
     * @throws Mismatch if a check fails, naming the pass, the element, the tolerance and the difference
     */
    public static String conv(long seed) {
        Random r = new Random(seed);
        // one case in five a real layer shape, the others random geometries: the property tests' two sources
        ConvSpec s = r.nextInt(5) == 0 ? ConvCases.LAYERS.get(r.nextInt(ConvCases.LAYERS.size()))
                : ConvCases.random(r);
        String what = s.toString();
        float[] x = values(r, s.batch * s.inChannels * s.inH * s.inW);
        float[] w = values(r, s.outChannels * s.inPerGroup() * s.kernelH * s.kernelW);
        float[] b = values(r, s.outChannels);
        float[] dy = values(r, s.batch * s.outChannels * s.outH * s.outW);
        Tensor y = Tensor.zeros(s.outputShape());
        Conv.forward(s, y, Tensor.wrap(x, s.inputShape()), Tensor.wrap(w, s.weightShape()), Tensor.wrap(b,
                s.outChannels));
        ConvReference.Result fwd = ConvReference.forward(s, x, w, b);
        compare(what + " forward", "y", y.toArray(), fwd.value(), fwd.tolerance());
        Tensor dx = Tensor.zeros(s.inputShape());
        Conv.backwardData(s, dx, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(w, s.weightShape()));
        ConvReference.Result bd = ConvReference.backwardData(s, dy, w);
        compare(what + " backwardData", "dx", dx.toArray(), bd.value(), bd.tolerance());
        Tensor dw = Tensor.zeros(s.weightShape());
        Tensor db = Tensor.zeros(s.outChannels);
        Conv.backwardWeights(s, dw, db, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(x, s.inputShape()));
        ConvReference.Result bw = ConvReference.backwardWeights(s, dy, x);
        float[] got = new float[dw.size() + db.size()];
        System.arraycopy(dw.toArray(), 0, got, 0, dw.size());
        System.arraycopy(db.toArray(), 0, got, dw.size(), db.size());
        compare(what + " backwardWeights", "dw then db", got, bw.value(), bw.tolerance());
        // the oracle that needs no second implementation: the three passes are adjoint (no bias)
        Tensor y0 = Tensor.zeros(s.outputShape());
        Conv.forward(s, y0, Tensor.wrap(x, s.inputShape()), Tensor.wrap(w, s.weightShape()), null);
        String adjoint = ConvAdjoint.failure(s, x, w, dy, y0.toArray(), dx.toArray(), dw.toArray());
        if (adjoint != null) {
            throw new Mismatch(what + " adjoint: " + adjoint);
        }
        // and one thread gives the same bits as all of them
        int threads = Parallel.threads();
        Parallel.setThreads(1);
        try {
            Tensor y1 = Tensor.zeros(s.outputShape());
            Conv.forward(s, y1, Tensor.wrap(x, s.inputShape()), Tensor.wrap(w, s.weightShape()), null);
            Tensor dx1 = Tensor.zeros(s.inputShape());
            Conv.backwardData(s, dx1, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(w, s.weightShape()));
            Tensor dw1 = Tensor.zeros(s.weightShape());
            Tensor db1 = Tensor.zeros(s.outChannels);
            Conv.backwardWeights(s, dw1, db1, Tensor.wrap(dy, s.outputShape()), Tensor.wrap(x, s.inputShape()));
            sameBits(what + " forward", "y", y0.toArray(), y1.toArray(), threads);
            sameBits(what + " backwardData", "dx", dx.toArray(), dx1.toArray(), threads);
            sameBits(what + " backwardWeights", "dw", dw.toArray(), dw1.toArray(), threads);
            sameBits(what + " backwardWeights", "db", db.toArray(), db1.toArray(), threads);
        } finally {
            Parallel.setThreads(threads);
        }
        return what;
    }

    // a result on `threads` threads against the same on one, bit for bit
    private static void sameBits(String what, String name, float[] many, float[] one, int threads) {
        for (int i = 0; i < many.length; i++) {
            if (Float.floatToRawIntBits(many[i]) != Float.floatToRawIntBits(one[i])) {
                throw new Mismatch(what + ": " + name + "[" + i + "] is " + many[i] + " on " + threads
                        + " threads but " + one[i] + " on 1");
            }
        }
    }

    /**
     * One pooling case: max pooling (values and argmax, exactly) and average pooling of a random window.
     *
     * @param seed the case's seed
     * @return the case, described
     * @throws Mismatch if a check fails, naming the element
     */
    public static String pool(long seed) {
        Random r = new Random(seed);
        PoolSpec s = PoolCases.random(r);
        String what = s.toString();
        float[] x = values(r, s.batch * s.channels * s.inH * s.inW);
        Tensor y = Tensor.zeros(s.outputShape());
        int[] argmax = new int[y.size()];
        Pool.maxForward(s, y, argmax, Tensor.wrap(x, s.inputShape()));
        PoolReference.Max max = PoolReference.maxForward(s, x);
        compare(what + " max forward", "y", y.toArray(), max.y(), new double[max.y().length]);
        for (int i = 0; i < argmax.length; i++) {
            if (argmax[i] != max.argmax()[i]) {
                throw new Mismatch(what + " max forward: argmax[" + i + "] = " + argmax[i] + ", expected "
                        + max.argmax()[i]);
            }
        }
        Tensor avg = Tensor.zeros(s.outputShape());
        Pool.avgForward(s, avg, Tensor.wrap(x, s.inputShape()));
        ConvReference.Result ref = PoolReference.avgForward(s, x);
        compare(what + " avg forward", "y", avg.toArray(), ref.value(), ref.tolerance());
        return what;
    }

    /**
     * Throws a {@link Mismatch} naming the element furthest beyond its tolerance and the largest difference.
     *
     * @param what the case, for the message
     * @param name the result's name, for the message
     * @param got the kernel's result
     * @param expected the reference's
     * @param tolerance the bound per element
     */
    public static void compare(String what, String name, float[] got, double[] expected, double[] tolerance) {
        int worst = -1;
        double worstExcess = 0;
        double maxDiff = 0;
        for (int i = 0; i < got.length; i++) {
            double diff = Math.abs(got[i] - expected[i]);
            if (!(diff <= tolerance[i]) && !(Double.isNaN(expected[i]) && Float.isNaN(got[i]))) {
                double excess = Double.isNaN(diff) ? Double.POSITIVE_INFINITY : diff - tolerance[i];
                if (worst < 0 || excess > worstExcess) {
                    worst = i;
                    worstExcess = excess;
                }
            }
            if (diff > maxDiff) {
                maxDiff = diff;
            }
        }
        if (worst >= 0) {
            throw new Mismatch(String.format(Locale.ROOT, "%s: %s[%d] = %s, expected %s within %.3g; largest "
                    + "difference %.3g", what, name, worst, got[worst], expected[worst], tolerance[worst], maxDiff));
        }
    }

    private static float[] values(Random r, int n) {
        float[] v = new float[n];
        for (int i = 0; i < n; i++) {
            v[i] = r.nextFloat() * 2 - 1;
        }
        return v;
    }
}
