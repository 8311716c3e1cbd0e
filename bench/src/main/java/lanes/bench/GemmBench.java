package lanes.bench;

import dev.ludovic.netlib.blas.JavaBLAS;
import java.util.Random;
import java.util.concurrent.TimeUnit;
import lanes.bench.peers.OpenBlas;
import lanes.engine.gemm.Gemm;
import lanes.reference.Freivalds;
import org.ejml.data.FMatrixRMaj;
import org.ejml.dense.row.CommonOps_FDRM;
import org.openjdk.jmh.annotations.AuxCounters;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * SGEMM: Lanes and its peers in one run, on the cases of {@link GemmCase}. Each implementation's result is checked
 * in {@code @Setup} with Freivalds' test against the operands, so a fast wrong answer fails the run. The
 * {@code gflops} counter is GFLOP/s (2MNK per call).
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar GemmBench -p shape=sq1024</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "--enable-native-access=ALL-UNNAMED",
        "-Ddev.ludovic.netlib.blas.allowNative=true"})
public class GemmBench {
    /** netlib logs which BLAS it loaded at INFO on every JVM start; the benchmark reports it once itself. */
    private static final java.util.logging.Logger QUIET_NETLIB = quietNetlib();

    private static java.util.logging.Logger quietNetlib() {
        java.util.logging.Logger logger = java.util.logging.Logger.getLogger("dev.ludovic.netlib.blas");
        logger.setLevel(java.util.logging.Level.WARNING);
        return logger;
    }

    @Param({"sq64", "sq128", "sq256", "sq512", "sq1024", "sq2048", "mlp.fwd", "mlp.fwd_Wt", "mlp.bwd_dX",
            "mlp.bwd_dX_Wt", "mlp.bwd_dW", "mlp.bwd_dW_Wt"})
    public String shape;

    @Param({"1"})
    public int threads;

    GemmCase g;
    float[] a;
    float[] b;
    float[] c;
    FMatrixRMaj ea;
    FMatrixRMaj eb;
    FMatrixRMaj ec;

    /** GFLOP/s, reported by JMH as a secondary result. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        /** Billions of FLOPs done; per second, GFLOP/s. */
        public double gflops;
    }

    @Setup(Level.Trial)
    public void setUp(org.openjdk.jmh.infra.BenchmarkParams params) {
        g = GemmCase.named(shape);
        Random r = new Random(7);
        a = new float[g.m() * g.k()];
        b = new float[g.k() * g.n()];
        c = new float[g.m() * g.n()];
        for (int i = 0; i < a.length; i++) {
            a[i] = r.nextFloat() * 2 - 1;
        }
        for (int i = 0; i < b.length; i++) {
            b[i] = r.nextFloat() * 2 - 1;
        }
        ea = FMatrixRMaj.wrap(g.transA() ? g.k() : g.m(), g.transA() ? g.m() : g.k(), a);
        eb = FMatrixRMaj.wrap(g.transB() ? g.n() : g.k(), g.transB() ? g.k() : g.n(), b);
        ec = FMatrixRMaj.wrap(g.m(), g.n(), c);
        OpenBlas.get().ifPresent(o -> o.setThreads(threads));
        String label = params.getBenchmark();
        String impl = label.substring(label.lastIndexOf('.') + 1);
        Flops f = new Flops();
        verify(impl, () -> {
            switch (impl) {
                case "lanes" -> lanes(f);
                case "openblas" -> openblas(f);
                case "netlibJava" -> netlibJava(f);
                case "ejml" -> ejml(f);
                case "naive" -> naive(f);
                default -> throw new IllegalStateException("no check for " + impl);
            }
        });
    }

    /** Runs {@code impl} once and fails unless its C passes Freivalds' check. */
    void verify(String impl, Runnable run) {
        java.util.Arrays.fill(c, Float.NaN);
        run.run();
        Freivalds.Failure f = Freivalds.check(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a, 0,
                g.transA() ? g.m() : g.k(), b, 0, g.transB() ? g.k() : g.n(), 0f, null, c, 0, g.n(), 11);
        if (f != null) {
            throw new IllegalStateException("GemmBench " + impl + " " + g.name() + ": wrong product: " + f);
        }
    }

    @Benchmark
    public float[] lanes(Flops f) {
        Gemm.sgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a, 0, g.lda(), b, 0, g.ldb(), 0f, c, 0, g.n(),
                null, threads);
        f.gflops += g.flops() * 1e-9;
        return c;
    }

    @Benchmark
    public float[] openblas(Flops f) {
        OpenBlas.get().orElseThrow(() -> new IllegalStateException(OpenBlas.whyMissing()))
                .sgemm(g.transA(), g.transB(), g.m(), g.n(), g.k(), 1f, a, g.lda(), b, g.ldb(), 0f, c, g.n());
        f.gflops += g.flops() * 1e-9;
        return c;
    }

    @Benchmark
    public float[] netlibJava(Flops f) {
        JavaBLAS.getInstance().sgemm(g.transB() ? "T" : "N", g.transA() ? "T" : "N", g.n(), g.m(), g.k(), 1f, b, 0,
                g.ldb(), a, 0, g.lda(), 0f, c, 0, g.n());
        f.gflops += g.flops() * 1e-9;
        return c;
    }

    @Benchmark
    public float[] ejml(Flops f) {
        if (g.transA() && g.transB()) {
            CommonOps_FDRM.multTransAB(ea, eb, ec);
        } else if (g.transA()) {
            CommonOps_FDRM.multTransA(ea, eb, ec);
        } else if (g.transB()) {
            CommonOps_FDRM.multTransB(ea, eb, ec);
        } else {
            CommonOps_FDRM.mult(ea, eb, ec);
        }
        f.gflops += g.flops() * 1e-9;
        return c;
    }

    @Benchmark
    public float[] naive(Flops f) {
        Naive.sgemm(g, a, b, c);
        f.gflops += g.flops() * 1e-9;
        return c;
    }
}
