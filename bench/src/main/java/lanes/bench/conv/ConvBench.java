package lanes.bench.conv;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import lanes.bench.conv.ConvCase.Pass;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.engine.conv.Conv;
import lanes.engine.conv.ConvSpec;
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
 * Convolution: the direct kernels ({@code lanes}) and im2col + Lanes GEMM ({@code im2col}) in one run, per case of
 * {@link ConvCase} and pass. {@code @Setup} runs both and fails the run if they disagree, so a fast wrong answer
 * never gets a score. Score: operations per second; GFLOP/s = score x {@link ConvCase#flops}.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar ConvBench -p conv=mid -p pass=fwd</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class ConvBench {
    @Param({"lenet.conv1", "lenet.conv2", "mid", "strided", "tdnn"})
    public String conv;

    @Param({"fwd", "bwd_data", "bwd_weights", "fwd+bwd"})
    public String pass;

    @Param({"1"})
    public int threads;

    ConvSpec s;
    Pass p;
    Tensor x;
    Tensor w;
    Tensor b;
    Tensor y;
    Tensor dy;
    Tensor dx;
    Tensor dw;
    Tensor db;
    Im2colConv baseline;

    @Setup(Level.Trial)
    public void setUp() {
        s = ConvCase.named(conv).spec();
        p = Pass.named(pass);
        Parallel.setThreads(threads);
        Random r = new Random(5);
        x = random(r, s.inputShape());
        w = random(r, s.weightShape());
        b = random(r, s.outChannels);
        dy = random(r, s.outputShape());
        y = Tensor.zeros(s.outputShape());
        dx = Tensor.zeros(s.inputShape());
        dw = Tensor.zeros(s.weightShape());
        db = Tensor.zeros(s.outChannels);
        baseline = new Im2colConv(s, threads);
        verify();
    }

    static Tensor random(Random r, int... shape) {
        Tensor t = Tensor.zeros(shape);
        float[] d = t.data();
        for (int i = 0; i < d.length; i++) {
            d[i] = r.nextFloat() * 2 - 1;
        }
        return t;
    }

    /** Both implementations, once from zeroed gradients; throws naming the case and the worst difference. */
    void verify() {
        Conv.forward(s, y, x, w, b);
        Conv.backwardData(s, dx, dy, w);
        Conv.backwardWeights(s, dw, db, dy, x);
        float[] y2 = new float[y.size()];
        float[] dx2 = new float[dx.size()];
        float[] dw2 = new float[dw.size()];
        float[] db2 = new float[db.size()];
        baseline.forward(y2, x.data(), w.data(), b.data());
        baseline.backwardData(dx2, dy.data(), w.data());
        baseline.backwardWeights(dw2, db2, dy.data(), x.data());
        agree("forward", y.data(), y2);
        agree("backwardData", dx.data(), dx2);
        agree("backwardWeights dw", dw.data(), dw2);
        agree("backwardWeights db", db.data(), db2);
    }

    void agree(String what, float[] lanes, float[] im2col) {
        double maxAbs = 0;
        double maxDiff = 0;
        int worst = 0;
        for (int i = 0; i < lanes.length; i++) {
            maxAbs = Math.max(maxAbs, Math.abs(im2col[i]));
            double d = Math.abs(lanes[i] - im2col[i]);
            if (!(d <= maxDiff)) {
                maxDiff = d;
                worst = i;
            }
        }
        // both sum the same products in float; 1e-4 of the largest value is far above their rounding errors
        if (!(maxDiff <= 1e-4 * maxAbs)) {
            throw new IllegalStateException("ConvBench " + conv + " " + s + ": " + what + " of lanes and im2col"
                    + " differ by " + maxDiff + " at index " + worst + " (lanes " + lanes[worst] + ", im2col "
                    + im2col[worst] + "), tolerance " + 1e-4 * maxAbs);
        }
    }

    @Benchmark
    public Object lanes() {
        if (p == Pass.FWD || p == Pass.FWD_BWD) {
            Conv.forward(s, y, x, w, b);
        }
        if (p == Pass.BWD_DATA || p == Pass.FWD_BWD) {
            Conv.backwardData(s, dx, dy, w);
        }
        if (p == Pass.BWD_WEIGHTS || p == Pass.FWD_BWD) {
            Conv.backwardWeights(s, dw, db, dy, x);
        }
        return y;
    }

    @Benchmark
    public Object im2col() {
        if (p == Pass.FWD || p == Pass.FWD_BWD) {
            baseline.forward(y.data(), x.data(), w.data(), b.data());
        }
        if (p == Pass.BWD_DATA || p == Pass.FWD_BWD) {
            baseline.backwardData(dx.data(), dy.data(), w.data());
        }
        if (p == Pass.BWD_WEIGHTS || p == Pass.FWD_BWD) {
            baseline.backwardWeights(dw.data(), db.data(), dy.data(), x.data());
        }
        return y;
    }
}
