package lanes.bench.signal;

import java.util.concurrent.TimeUnit;
import lanes.engine.Tensor;
import lanes.engine.signal.MelSettings;
import lanes.engine.signal.MelSpectrogram;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

/**
 * Log-mel features of 10 s of 16 kHz audio per call (one thread): the keyword-spotting framing (n_fft 512, 30 ms
 * windows every 20 ms, 40 bands) and torchaudio's defaults (n_fft 400, hop 200, 128 bands). Seconds of audio per
 * second is 10 / the time of a call.
 */
@State(Scope.Thread)
@Fork(value = 1, jvmArgsAppend = {"--add-modules", "jdk.incubator.vector", "-Dlanes.threads=1"})
@Warmup(iterations = 3, time = 1)
@Measurement(iterations = 5, time = 1)
public class MelBench {
    /** Seconds of audio per call. */
    public static final int SECONDS = 10;
    /** torchaudio's defaults at 16 kHz. */
    public static final MelSettings DEFAULTS = new MelSettings(16_000, 400, 400, 200, 128, 0, 8_000, 1e-6);

    /**
     * The multiply-adds of one frame, counted as 2 FLOPs each: the DFT (window x 2 bins) and the mel filterbank
     * (bins x bands).
     *
     * @param s the settings
     * @return FLOPs per frame
     */
    public static long flopsPerFrame(MelSettings s) {
        return 2L * s.window() * 2 * s.bins() + 2L * s.bins() * s.mels();
    }

    /** {@code kws} or {@code defaults}. */
    @Param({"kws", "defaults"})
    public String settings;

    private MelSpectrogram mel;
    private float[] x;
    private Tensor out;

    @Setup
    public void setUp() {
        MelSettings s = settings.equals("kws") ? MelSettings.keywordSpotting() : DEFAULTS;
        mel = new MelSpectrogram(s);
        java.util.Random r = new java.util.Random(5);
        x = new float[SECONDS * s.rate()];
        for (int i = 0; i < x.length; i++) {
            x[i] = (float) (0.3 * Math.sin(i * 0.07) + 0.1 * r.nextGaussian());
        }
        out = Tensor.zeros(s.frames(x.length), s.mels());
    }

    /** 10 s of audio to log-mel features. */
    @Benchmark
    @BenchmarkMode(Mode.AverageTime)
    @OutputTimeUnit(TimeUnit.MILLISECONDS)
    public Tensor features() {
        mel.apply(x, 0, x.length, out);
        return out;
    }
}
