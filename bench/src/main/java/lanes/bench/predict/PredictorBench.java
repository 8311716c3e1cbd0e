package lanes.bench.predict;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import lanes.bench.train.TrainBench;
import lanes.layers.infer.Predictor;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Single-image inference through one shared {@link Predictor}, for the MLP 784-256-128-10 and LeNet-5: run with
 * JMH's thread count set to the number of callers (1..8) in sample-time mode for the latency percentiles and in
 * throughput mode for the calls per second of all callers together ({@code lanes bench predict} does both). Each
 * caller thread predicts its own example.
 */
@State(Scope.Benchmark)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Warmup(iterations = 4, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class PredictorBench {
    @Param({"mlp:784-256-128-10", "lenet5"})
    public String model;

    Predictor predictor;

    /** Each caller's input, drawn once. */
    @State(Scope.Thread)
    public static class Example {
        float[] pixels = new float[784];

        @Setup
        public void draw() {
            Random r = new Random(Thread.currentThread().threadId());
            for (int i = 0; i < pixels.length; i++) {
                pixels[i] = r.nextFloat();
            }
        }
    }

    @Setup
    public void setUp() {
        predictor = new Predictor(TrainBench.model(model), 1, 28, 28);
        float[] p = predictor.predict(new float[784]);
        double sum = 0;
        for (float v : p) {
            sum += v;
        }
        if (p.length != 10 || Math.abs(sum - 1) > 1e-4) {
            throw new IllegalStateException("PredictorBench " + model + ": probabilities of length " + p.length
                    + " summing to " + sum);
        }
    }

    @Benchmark
    public float[] predict(Example e) {
        return predictor.predict(e.pixels);
    }
}
