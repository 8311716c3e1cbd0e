package lanes.bench;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import lanes.engine.math.Dot;
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
 * Dot product: the Vector API kernel and a plain scalar loop, side by side in one run. The {@code gflops}
 * counter is GFLOP/s (2n FLOPs per call). Sizes include non-multiples of the lane count and one that leaves the
 * caches.
 *
 * <pre>java --add-modules jdk.incubator.vector -jar bench/target/benchmarks.jar DotBench</pre>
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class DotBench {
    @Param({"1000", "1023", "4099", "65536", "1000003"})
    public int n;

    float[] x;
    float[] y;

    /** GFLOP/s, reported by JMH as a secondary result per benchmark. */
    @AuxCounters(AuxCounters.Type.OPERATIONS)
    @State(Scope.Thread)
    public static class Flops {
        /** Billions of floating-point operations done; per second, GFLOP/s. */
        public double gflops;
    }

    @Setup(Level.Trial)
    public void setUp() {
        Random r = new Random(42);
        x = new float[n];
        y = new float[n];
        double magnitude = 0;
        for (int i = 0; i < n; i++) {
            x[i] = r.nextFloat() * 2 - 1;
            y[i] = r.nextFloat() * 2 - 1;
            magnitude += Math.abs((double) x[i] * y[i]);
        }
        float vector = Dot.dot(n, x, 0, 1, y, 0, 1);
        float scalar = scalarDot(x, y, n);
        double bound = 2.0 * n * 0x1p-24 * magnitude;     // both sums' error bounds, gamma_n each
        if (!(Math.abs(vector - scalar) <= bound)) {
            throw new IllegalStateException("DotBench n=" + n + ": vector " + vector + " and scalar " + scalar
                    + " differ by " + Math.abs(vector - scalar) + " > " + bound);
        }
    }

    @Benchmark
    public float vector(Flops flops) {
        flops.gflops += 2e-9 * n;
        return Dot.dot(n, x, 0, 1, y, 0, 1);
    }

    @Benchmark
    public float scalar(Flops flops) {
        flops.gflops += 2e-9 * n;
        return scalarDot(x, y, n);
    }

    static float scalarDot(float[] x, float[] y, int n) {
        float sum = 0f;
        for (int i = 0; i < n; i++) {
            sum += x[i] * y[i];
        }
        return sum;
    }
}
