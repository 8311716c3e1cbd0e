package lanes.bench.studio;

import java.util.concurrent.TimeUnit;
import lanes.app.studio.Playground;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The studio's playground: training steps per second of a network at batch 10 (the default 2-8-8-1 tanh on
 * circle), and the time to compute and serialise one frame (the output's and every hidden neuron's 100 x 100 grid,
 * with the rest of the state), one thread.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class PlaygroundBench {
    /** Steps per {@link #steps} call: the play loop's slices are this long or longer. */
    static final int STEPS = 1000;

    /** The network's hidden layers, e.g. {@code 8,8}. */
    @Param({"8,8"})
    public String hidden;

    private Playground playground;

    @Setup
    public void setUp() {
        playground = Playground.create("{\"hidden\": [" + hidden + "], \"seed\": 1}");
        playground.step(100);
    }

    /** One training step (a batch of 10): forward, loss, backward, update. */
    @Benchmark
    @BenchmarkMode(Mode.Throughput)
    @OutputTimeUnit(TimeUnit.SECONDS)
    @OperationsPerInvocation(STEPS)
    public int steps() {
        return playground.step(STEPS);
    }

    /** The grids of one frame alone: 10,000 points forward, every hidden layer's output kept. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int grids() {
        return playground.grids();
    }

    /** One event-stream frame: the grids computed by the engine and the state serialised. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public int frame() {
        return playground.frame().length();
    }
}
