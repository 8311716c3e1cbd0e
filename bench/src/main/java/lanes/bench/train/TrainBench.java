package lanes.bench.train;

import java.util.Random;
import java.util.concurrent.TimeUnit;
import lanes.engine.Parallel;
import lanes.engine.Tensor;
import lanes.layers.models.Models;
import lanes.layers.nn.Activation;
import lanes.layers.nn.Sequential;
import lanes.layers.optim.Sgd;
import lanes.layers.train.Trainer;
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
 * One training step (forward, loss, backward, SGD update) at batch 64 on 1 x 28 x 28 inputs, for the MLP
 * 784-256-128-10 (ReLU) and LeNet-5 (ReLU, max pooling); the trainer fuses Linear + ReLU ({@code Sequential.fuse()}).
 * The update is the one {@code lanes train} ships: SGD with momentum 0.9 and weight decay 5e-4 (lr 0.01).
 * Score: steps per second; images/s = 64 x score.
 * {@code -prof gc} reports the heap bytes allocated per step ({@code gc.alloc.rate.norm}).
 *
 * <p>Eight seconds of warm-up: on 2 threads of a 2-vCPU machine the compiler threads share the cores with the
 * step, and after three seconds some forks still ran C1 code, whose vectors are objects (5 KB to 1.4 MB allocated
 * a step instead of 15 B; Zen 5, 2 threads: MLP 130-147 K against 155-161 K images/s, LeNet-5 21-23 K against 28 K
 * with eight).
 */
@State(Scope.Thread)
@BenchmarkMode(Mode.Throughput)
@OutputTimeUnit(TimeUnit.SECONDS)
@Warmup(iterations = 8, time = 1)
@Measurement(iterations = 5, time = 1)
@Fork(value = 1, jvmArgsAppend = {"--add-modules=jdk.incubator.vector"})
public class TrainBench {
    /** Images per step. */
    public static final int BATCH = 64;

    @Param({"mlp:784-256-128-10", "lenet5"})
    public String model;

    @Param({"1"})
    public int threads;

    Trainer trainer;
    Tensor x;
    int[] y;

    @Setup(Level.Trial)
    public void setUp() {
        Parallel.setThreads(threads);
        Sequential m = model(model);
        trainer = new Trainer(m, new Sgd(m.parameters(), 0.01f, 0.9f, 0f, 5e-4f, false), BATCH, 1);
        Random r = new Random(3);
        x = Tensor.zeros(BATCH, 1, 28, 28);
        for (int i = 0; i < x.size(); i++) {
            x.data()[i] = r.nextFloat();
        }
        y = new int[BATCH];
        for (int i = 0; i < BATCH; i++) {
            y[i] = r.nextInt(10);
        }
        float first = trainer.trainStep(x, y);
        if (!Float.isFinite(first) || first < 1f || first > 4f) {
            throw new IllegalStateException("TrainBench " + model + ": first loss " + first + " is not near ln 10");
        }
    }

    /** The benchmark's model called {@code name}, seed 1, as a user builds it (Trainer and Predictor fuse it). */
    public static Sequential model(String name) {
        return switch (name) {
            case "mlp:784-256-128-10" -> Models.mlp(Activation::relu, 1, 784, 256, 128, 10);
            case "lenet5" -> Models.lenet5(false, 1);
            default -> throw new IllegalArgumentException("unknown model \"" + name + "\"; known: "
                    + "mlp:784-256-128-10, lenet5");
        };
    }

    @Benchmark
    public float step() {
        return trainer.trainStep(x, y);
    }
}
