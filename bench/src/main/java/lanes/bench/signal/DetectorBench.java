package lanes.bench.signal;

import java.util.Map;
import java.util.concurrent.TimeUnit;
import lanes.app.Data;
import lanes.app.KeywordSpotter;
import lanes.layers.audio.Audio;
import lanes.layers.io.ModelFile;
import lanes.layers.models.Architecture;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * {@code lanes detect}'s scan of 10 s of 16 kHz audio per call on one thread: log-mel features, the keyword
 * spotter's layers before its max over time at every frame position, the softmax of each position, and the
 * picture's envelope and spectrogram columns (1,400). The model is {@code kws} (40 bands, 64 channels) with its
 * initial weights: the time does not depend on them.
 *
 * <pre>
 *   FLOPs per frame (20 ms):  DFT 2 * 480 * 514  +  mel 2 * 257 * 40  +  Conv1d 2 * (40*64*5 + 2 * 64*64*5 + 64*2)
 * </pre>
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dlanes.threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class DetectorBench {
    /** Seconds of audio per call. */
    public static final int SECONDS = 10;
    /** Floating-point operations per frame, as the class comment counts them. */
    public static final long FLOPS_PER_FRAME = 2L * 480 * 514 + 2L * 257 * 40 + 2L * (40 * 64 * 5 + 2 * 64 * 64 * 5
            + 64 * 2);

    private KeywordSpotter spotter;
    private Audio audio;

    @Setup
    public void setUp() {
        Architecture a = Architecture.forData("kws", new int[] {1, 40, 99}, 2);
        spotter = KeywordSpotter.of(new ModelFile.Loaded(a, Map.of(Data.CLASSES, "[\"other\", \"welcome\"]"),
                a.build(1)), "kws");
        java.util.Random r = new java.util.Random(5);
        float[] x = new float[SECONDS * 16_000];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(i * 0.07) + 0.1 * r.nextGaussian());
        }
        audio = new Audio(x, 16_000);
    }

    /** A scan of 10 s, as lanes detect makes it. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public KeywordSpotter.Result scan() {
        return spotter.scan(audio, 0.99, 1400);
    }
}
