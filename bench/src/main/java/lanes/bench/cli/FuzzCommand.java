package lanes.bench.cli;

import java.util.Locale;
import java.util.Random;
import java.util.concurrent.Callable;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
import lanes.engine.gemm.Gemm;
import lanes.engine.pool.Pool;
import lanes.engine.pool.PoolSpec;
import lanes.reference.ConvAdjoint;
import lanes.reference.ConvCases;
import lanes.reference.ConvReference;
import lanes.reference.GemmCases;
import lanes.reference.GemmReference;
import lanes.reference.PoolCases;
import lanes.reference.PoolReference;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code lanes fuzz}: random cases, each drawn from its own seed, checked against the scalar reference oracles
 * (double precision, with error bounds derived from each sum's terms) until the time is up. Every failure prints
 * its case and the command that replays exactly that case; the exit status is 1 if any failed.
 */
@Command(name = "fuzz", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Check random GEMM, convolution (forward, backward-data, backward-weights; 1-D and 2-D; stride,"
                + " padding, dilation, groups) and pooling cases against plain reference loops until the time is up.",
            "Each case prints nothing unless it fails; then it prints the case and the command that replays it."})
final class FuzzCommand implements Callable<Integer> {
    @Option(names = "--minutes", description = "How long to run (default ${DEFAULT-VALUE}).")
    double minutes = 1;

    @Option(names = "--seed", description = "Seed of the first case; case i uses seed + i (default: from the clock).")
    Long seed;

    @Option(names = "--suite", description = "gemm, conv, pool or all (default ${DEFAULT-VALUE}).")
    String suite = "all";

    @Option(names = "--cases", description = "Stop after this many cases (default: when the time is up).")
    Long cases;

    /** A failed check: what differed, where, by how much. */
    static final class Mismatch extends RuntimeException {
        Mismatch(String message) {
            super(message);
        }
    }

    @Override
    public Integer call() {
        if (!(minutes > 0) || Double.isInfinite(minutes)) {
            throw new IllegalArgumentException("--minutes " + minutes + ": must be a finite number > 0");
        }
        if (cases != null) {
            Args.positive("--cases", cases);
        }
        String[] suites = switch (suite) {
            case "all" -> new String[] {"gemm", "conv", "pool"};
            case "gemm", "conv", "pool" -> new String[] {suite};
            default -> throw new IllegalArgumentException("--suite " + suite + ": must be gemm, conv, pool or all");
        };
        long first = seed != null ? seed : System.nanoTime() & 0xffffffffL;
        long deadline = System.nanoTime() + (long) (minutes * 60e9);
        System.out.printf(Locale.ROOT, "lanes fuzz: suites %s from seed %d for %s minute(s)%s, %d thread(s)%n",
                String.join(",", suites), first, minutes, cases == null ? "" : " or " + cases + " case(s)",
                Parallel.threads());
        long run = 0;
        long failed = 0;
        long[] perSuite = new long[suites.length];
        while ((cases == null || run < cases) && System.nanoTime() < deadline) {
            long s = first + run;
            int which = (int) Math.floorMod(s, (long) suites.length);
            String name = suites[which];
            try {
                String what = switch (name) {
                    case "gemm" -> gemm(s);
                    case "conv" -> conv(s);
                    default -> pool(s);
                };
                perSuite[which]++;
                if (what == null) {
                    throw new IllegalStateException("no case");
                }
            } catch (RuntimeException e) {           // a Mismatch, or a kernel that threw
                failed++;
                System.out.printf(Locale.ROOT, "FAIL %s seed %d: %s%n  replay: ./lanes fuzz --suite %s --seed %d "
                        + "--cases 1%n", name, s, e.getMessage(), suites.length == 1 ? name : "all", s);
            }
            run++;
        }
        StringBuilder counts = new StringBuilder();
        for (int i = 0; i < suites.length; i++) {
            counts.append(i == 0 ? "" : ", ").append(suites[i]).append(' ').append(perSuite[i]);
        }
        System.out.printf(Locale.ROOT, "%d case(s) (%s), %d failed%n", run, counts, failed);
        return failed == 0 ? 0 : 1;
    }

    // C := alpha op(A) op(B) + beta C, random shape, transposes, scalars and thread count
    static String gemm(long seed) {
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

    // all three passes of a random convolution (1-D or 2-D, stride, padding, dilation, groups)
    static String conv(long seed) {
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

    // max pooling (values and argmax, exactly) and average pooling of a random window
    static String pool(long seed) {
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

    /** Throws a {@link Mismatch} naming the first element beyond its tolerance and the largest difference. */
    static void compare(String what, String name, float[] got, double[] expected, double[] tolerance) {
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
